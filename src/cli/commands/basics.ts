/**
 * Operations commands: start, migrate, backup, restore, doctor, community add, invite, audit, outbox.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { databaseFile } from '../../config.ts';
import { prepareDatabaseFile } from '../../db/client.ts';
import { isPostgresUrl, redactUrl } from '../../db/engine.ts';
import { databaseMigrationState, migrateDatabase } from '../../db/migrations.ts';
import { backupPostgres } from '../../db/postgres/backup.ts';
import { BackupError, backupDatabase, restoreDatabase } from '../../db/sqlite/backup.ts';
import { DatabaseLockedError } from '../../db/sqlite/holders.ts';
import { listAudit } from '../../domain/residents/audit.ts';
import { communityBySlug, createCommunity } from '../../domain/residents/communities.ts';
import { isRole } from '../../domain/residents/roles.ts';
import { issueCodes } from '../../domain/residents/verification.ts';
import { run } from '../../app/run.ts';
import { parseDuration, requireOption, UsageError, type CliCommand } from '../command.ts';
import { outboxCounts } from '../../outbox/outbox.ts';
import { deliveryReport } from './doctorDelivery.ts';

/** The actor the CLI acts as: whoever has shell access to the deployment is its operator. */
const CLI_ACTOR = { personId: 'cli', isAdmin: true, grants: [] };

export const startCommand: CliCommand = {
  name: 'start',
  usage: 'linli start',
  summary: 'Run the bot (console demo, Telegram and/or WeChat per configuration)',
  async run(env) {
    await run(env.config, { input: process.stdin, output: process.stdout, env: env.env });
    return -1; // keep running
  },
};

export const migrateCommand: CliCommand = {
  name: 'migrate',
  usage: 'linli migrate',
  summary: 'Apply pending database migrations',
  async run(env) {
    const { applied } = await migrateDatabase(env.config.DATABASE_URL);
    env.out(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    return 0;
  },
};

/** Runs a backup or restore; a refusal the operator can act on is printed as such (exit code 1, no stack trace). */
async function refusable(env: Parameters<CliCommand['run']>[0], work: () => Promise<void>): Promise<number> {
  try {
    await work();
    return 0;
  } catch (error) {
    if (error instanceof BackupError || error instanceof DatabaseLockedError) {
      env.err(error.message);
      return 1;
    }
    throw error;
  }
}

export const backupCommand: CliCommand = {
  name: 'backup',
  usage: 'linli backup <file>',
  summary: 'Write a consistent copy of the live database (safe while the bot runs)',
  async run(env, { positionals }) {
    const target = positionals[0];
    if (!target) throw new UsageError('name the backup file');
    const url = env.config.DATABASE_URL;
    return refusable(env, async () => {
      if (isPostgresUrl(url)) {
        const { file, bytes } = await backupPostgres(url, target);
        env.out(`backup written to ${file} (${(bytes / 1024 / 1024).toFixed(1)} MB, pg_dump custom format; restore with pg_restore)`);
        return;
      }
      const { file, bytes } = await backupDatabase(databaseFile(env.config), target);
      env.out(`backup written to ${file} (${(bytes / 1024 / 1024).toFixed(1)} MB, integrity checked)`);
    });
  },
};

export const restoreCommand: CliCommand = {
  name: 'restore',
  usage: 'linli restore <file>',
  summary: 'Check a backup and restore it over the database (refused while the bot runs; the replaced database is kept)',
  async run(env, { positionals }) {
    const backup = positionals[0];
    if (!backup) throw new UsageError('name the backup file');
    if (isPostgresUrl(env.config.DATABASE_URL)) {
      env.err('linli restore restores SQLite files; on PostgreSQL stop the bot and use pg_restore --clean --dbname=<DATABASE_URL> <file> (see README, Operations)');
      return 1;
    }
    const target = prepareDatabaseFile(env.config.DATABASE_URL);
    return refusable(env, async () => {
      const { previous, migrated } = await restoreDatabase(backup, target);
      env.out(`restored ${resolve(backup)} over ${target}`);
      if (previous) env.out(`the database it replaced is kept as ${previous}`);
      if (migrated.length) env.out(`migrations applied since the backup was made: ${migrated.join(', ')}`);
    });
  },
};

export const doctorCommand: CliCommand = {
  name: 'doctor',
  usage: 'linli doctor',
  summary: 'Check configuration, database and platform reachability; list inactive groups and undelivered messages',
  async run(env) {
    let problems = 0;
    const ok = (msg: string) => env.out(`✔ ${msg}`);
    const bad = (msg: string) => {
      problems++;
      env.out(`✘ ${msg}`);
    };
    ok('configuration is valid');
    try {
      const url = env.config.DATABASE_URL;
      const where = isPostgresUrl(url) ? `PostgreSQL ${redactUrl(url)}` : prepareDatabaseFile(url);
      const state = await databaseMigrationState(url);
      const pending = isPostgresUrl(url) || existsSync(where) ? state.pending : ['(database not created yet)'];
      if (pending.length) bad(`database ${where}: pending migrations: ${pending.join(', ')} — run "linli migrate"`);
      else ok(`database ${where} is up to date`);
      if (state.unknown.length) bad(`database ${where} has migrations this Linli does not know (${state.unknown.join(', ')}): it was migrated by a newer version`);
      const db = await env.db();
      const [communities, groups] = await Promise.all([db.community.count(), db.chatGroup.count({ where: { communityId: { not: null } } })]);
      ok(`${communities} communities, ${groups} bound groups`);
      // Inactive groups and dropped messages are worth knowing; a failed message is a problem.
      const delivery = await deliveryReport(db);
      for (const line of delivery.lines) env.out(line);
      if (delivery.failed) problems++;
    } catch (err) {
      bad(`database: ${(err as Error).message}`);
    }
    const token = env.config.TELEGRAM_BOT_TOKEN;
    if (!token) env.out('· Telegram not configured (set TELEGRAM_BOT_TOKEN)');
    else {
      try {
        const res = await fetch(`${env.config.TELEGRAM_API_ROOT}/bot${token}/getMe`, { signal: AbortSignal.timeout(10_000) });
        const body = (await res.json()) as { ok: boolean; result?: { username: string }; description?: string };
        if (body.ok) ok(`Telegram reachable at ${env.config.TELEGRAM_API_ROOT} as @${body.result!.username}`);
        else bad(`Telegram answered: ${body.description} — check TELEGRAM_BOT_TOKEN`);
      } catch (err) {
        bad(`Telegram unreachable at ${env.config.TELEGRAM_API_ROOT}: ${(err as Error).message} — check TELEGRAM_API_ROOT and the network`);
      }
    }
    env.out(problems ? `${problems} problem(s) found` : 'all good');
    return problems ? 1 : 0;
  },
};

export const communityAddCommand: CliCommand = {
  name: 'community add',
  usage: 'linli community add <slug> --name <name> [--street <街道>] [--district <区>]',
  summary: 'Create a community',
  options: { name: { type: 'string' }, street: { type: 'string' }, district: { type: 'string' } },
  async run(env, { values, positionals }) {
    const slug = positionals[0];
    if (!slug) throw new UsageError('name the slug');
    const db = await env.db();
    const c = await createCommunity(db, { slug, name: requireOption(values, 'name'), street: values.street as string, district: values.district as string }, { actorId: null, via: 'cli' });
    env.out(`created ${c.slug}: ${[c.district, c.street, c.name].filter(Boolean).join(' ')}`);
    return 0;
  },
};

export const communityListCommand: CliCommand = {
  name: 'community list',
  usage: 'linli community list',
  summary: 'List communities with their groups',
  async run(env) {
    const db = await env.db();
    const rows = await db.community.findMany({ include: { groups: true }, orderBy: { slug: 'asc' } });
    for (const c of rows) env.out(`${c.slug}\t${c.name}\t${c.groups.filter((g) => g.active).length} groups`);
    return 0;
  },
};

export const inviteCommand: CliCommand = {
  name: 'invite',
  usage: 'linli invite <slug> [--unit <unit>] [--role resident|council|invited|committee|staff] [--count N] [--expires 14d]',
  summary: 'Create one-time verification codes, one per line',
  options: { unit: { type: 'string' }, role: { type: 'string' }, count: { type: 'string' }, expires: { type: 'string' } },
  async run(env, { values, positionals }) {
    if (!positionals[0]) throw new UsageError('name the community slug');
    const db = await env.db();
    const community = await communityBySlug(db, positionals[0]);
    const rawRole = (values.role as string | undefined) ?? 'resident';
    const role = rawRole === 'resident' ? 'verified' : rawRole;
    if (!isRole(role)) throw new UsageError(`unknown role ${rawRole}`);
    const count = values.count ? Number(values.count) : 1;
    const codes = await issueCodes(db, CLI_ACTOR, 'cli', {
      communityId: community.id,
      unit: (values.unit as string | undefined) ?? null,
      role,
      count,
      expiresInMs: parseDuration((values.expires as string | undefined) ?? '14d'),
    });
    for (const code of codes) env.out(code);
    return 0;
  },
};

export const auditCommand: CliCommand = {
  name: 'audit',
  usage: 'linli audit [--community <slug>] [--since <date>]',
  summary: 'Print the audit log (tab-separated)',
  options: { community: { type: 'string' }, since: { type: 'string' } },
  async run(env, { values }) {
    const db = await env.db();
    const communityId = values.community ? (await communityBySlug(db, values.community as string)).id : undefined;
    const since = values.since ? new Date(values.since as string) : undefined;
    if (since && Number.isNaN(since.getTime())) throw new UsageError(`--since: "${values.since}" is not a date such as 2026-11-01`);
    const rows = await listAudit(db, { communityId, since });
    for (const r of rows) env.out([r.at.toISOString(), r.via, r.actorId ?? '-', r.action, r.communityId ?? '-', r.targetType ?? '-', r.targetId ?? '-', r.details ?? ''].join('\t'));
    return 0;
  },
};

export const outboxCommand: CliCommand = {
  name: 'outbox',
  usage: 'linli outbox [--all] [--chat <id>] [--retry-failed]',
  summary: 'Show pending and failed public messages; --retry-failed queues failed ones again',
  options: { all: { type: 'boolean' }, chat: { type: 'string' }, 'retry-failed': { type: 'boolean' } },
  async run(env, { values }) {
    const db = await env.db();
    const chat = values.chat as string | undefined;
    if (values['retry-failed']) {
      const { count } = await db.outboxMessage.updateMany({
        where: { status: 'failed', ...(chat ? { chatId: chat } : {}) },
        data: { status: 'pending', attempts: 0, nextAttemptAt: new Date() },
      });
      env.out(`${count} failed message(s) queued again`);
    }
    const counts = Object.entries(await outboxCounts(db));
    env.out(counts.map(([status, n]) => `${status}: ${n}`).join('  ') || 'outbox is empty');
    const rows = await db.outboxMessage.findMany({
      where: { ...(values.all ? {} : { status: { in: ['pending', 'sending', 'failed'] } }), ...(chat ? { chatId: chat } : {}) },
      orderBy: { id: 'asc' },
      take: 200,
    });
    for (const r of rows) {
      const text = (JSON.parse(r.payload) as { text?: string }).text ?? '';
      const preview = [...text.replace(/\s+/g, ' ')].slice(0, 30).join('');
      const when = r.status === 'pending' ? `next=${r.nextAttemptAt.toISOString()}` : r.sentAt ? `sent=${r.sentAt.toISOString()}` : '';
      env.out([r.status, r.createdAt.toISOString(), r.platform, r.chatId, r.key, `attempts=${r.attempts}`, `parts=${r.partsSent}`, when, r.lastError ?? '', preview].join('\t'));
    }
    return 0;
  },
};
