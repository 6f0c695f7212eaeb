/**
 * Operations commands: start, migrate, backup, restore, doctor, community add, invite, audit, outbox.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, databaseFile } from '../../config.ts';
import { prepareDatabaseFile } from '../../db/client.ts';
import { isPostgresUrl, redactUrl } from '../../db/engine.ts';
import { databaseMigrationState, migrateDatabase } from '../../db/migrations.ts';
import { backupPostgres } from '../../db/postgres/backup.ts';
import { backupDatabase, restoreDatabase } from '../../db/sqlite/backup.ts';
import { listAudit } from '../../domain/residents/audit.ts';
import { communityBySlug, createCommunity } from '../../domain/residents/communities.ts';
import { isRole } from '../../domain/residents/roles.ts';
import { issueCodes } from '../../domain/residents/verification.ts';
import { run } from '../../app/run.ts';
import { cannotOpenDatabase } from '../../app/createLinli.ts';
import { CLI_ACTOR, parseDuration, Refused, requireOption, UsageError, type CliCommand } from '../command.ts';
import { outboxCounts } from '../../outbox/outbox.ts';
import { deliveryReport } from './doctorDelivery.ts';
import { stateLabel } from '../words.ts';

export const startCommand: CliCommand = {
  name: 'start',
  usage: 'linli start',
  summary: 'cli.summary.start',
  async run(env) {
    await run(env.config, { input: process.stdin, output: process.stdout, env: env.env });
    return -1; // keep running
  },
};

export const migrateCommand: CliCommand = {
  name: 'migrate',
  usage: 'linli migrate',
  summary: 'cli.summary.migrate',
  async run(env) {
    const url = env.config.DATABASE_URL;
    const { applied } = await migrateDatabase(url).catch((err: unknown) => {
      throw cannotOpenDatabase(url, err);
    });
    env.print({ applied }, applied.length ? env.t('cli.migrate.applied', { list: applied.join('、') }) : env.t('cli.migrate.up_to_date'));
    return 0;
  },
};

/**
 * Runs a backup or restore. A refusal the operator can act on (a BackupError or
 * DatabaseLockedError) is printed by the CLI in the operator's words, exit code 1, no stack trace.
 */
async function refusable(work: () => Promise<void>): Promise<number> {
  await work();
  return 0;
}

export const backupCommand: CliCommand = {
  name: 'backup',
  usage: 'linli backup <file>',
  summary: 'cli.summary.backup',
  async run(env, { positionals }) {
    const target = positionals[0];
    if (!target) throw new UsageError('cli.errors.name_backup_file');
    const url = env.config.DATABASE_URL;
    return refusable(async () => {
      if (isPostgresUrl(url)) {
        const { file, bytes } = await backupPostgres(url, target);
        env.print({ file, bytes, format: 'pg_dump' }, env.t('cli.backup.written_pg', { file, mb: (bytes / 1024 / 1024).toFixed(1) }));
        return;
      }
      const { file, bytes } = await backupDatabase(databaseFile(env.config), target);
      env.print({ file, bytes, format: 'sqlite' }, env.t('cli.backup.written', { file, mb: (bytes / 1024 / 1024).toFixed(1) }));
    });
  },
};

export const restoreCommand: CliCommand = {
  name: 'restore',
  usage: 'linli restore <file>',
  summary: 'cli.summary.restore',
  async run(env, { positionals }) {
    const backup = positionals[0];
    if (!backup) throw new UsageError('cli.errors.name_backup_file');
    if (isPostgresUrl(env.config.DATABASE_URL)) {
      throw new Refused('cli.restore.postgres');
    }
    const target = prepareDatabaseFile(env.config.DATABASE_URL);
    return refusable(async () => {
      const { previous, migrated } = await restoreDatabase(backup, target);
      const lines = [env.t('cli.restore.done', { backup: resolve(backup), target })];
      if (previous) lines.push(env.t('cli.restore.kept', { previous }));
      if (migrated.length) lines.push(env.t('cli.restore.migrated', { list: migrated.join('、') }));
      env.print({ restored: resolve(backup), target, previous: previous ?? null, migrated }, lines);
    });
  },
};

export const doctorCommand: CliCommand = {
  name: 'doctor',
  usage: 'linli doctor',
  summary: 'cli.summary.doctor',
  async run(env) {
    const { t } = env;
    let problems = 0;
    const checks: { status: 'ok' | 'problem' | 'note'; message: string }[] = [];
    const ok = (message: string) => checks.push({ status: 'ok', message });
    const note = (message: string) => checks.push({ status: 'note', message });
    const bad = (message: string) => {
      problems++;
      checks.push({ status: 'problem', message });
    };
    ok(t('cli.doctor.config_ok'));
    let delivery: Awaited<ReturnType<typeof deliveryReport>> | null = null;
    try {
      const url = env.config.DATABASE_URL;
      const where = isPostgresUrl(url) ? `PostgreSQL ${redactUrl(url)}` : prepareDatabaseFile(url);
      const state = await databaseMigrationState(url);
      const pending = isPostgresUrl(url) || existsSync(where) ? state.pending : [t('cli.doctor.not_created')];
      if (pending.length) bad(t('cli.doctor.db_pending', { where, list: pending.join('、') }));
      else ok(t('cli.doctor.db_ok', { where }));
      if (state.unknown.length) bad(t('cli.doctor.db_unknown', { where, list: state.unknown.join('、') }));
      const db = await env.db();
      const [communities, groups] = await Promise.all([db.community.count(), db.chatGroup.count({ where: { communityId: { not: null } } })]);
      ok(t('cli.doctor.counts', { communities, groups }));
      // Inactive groups and dropped messages are worth knowing; a failed message is a problem.
      delivery = await deliveryReport(db, t);
      if (delivery.failed) problems++;
    } catch (err) {
      // Why the database cannot be used, in the words `linli migrate` and `npm start` use.
      const issue = (err instanceof ConfigError ? err : cannotOpenDatabase(env.config.DATABASE_URL, err)).issues[0]!;
      bad(t('cli.doctor.db_failed', { reason: t(`cli.config.${issue.key}`, issue.params) }));
    }
    const token = env.config.TELEGRAM_BOT_TOKEN;
    const root = env.config.TELEGRAM_API_ROOT;
    if (!token) note(t('cli.doctor.telegram_none'));
    else {
      try {
        const res = await fetch(`${root}/bot${token}/getMe`, { signal: AbortSignal.timeout(10_000) });
        const body = (await res.json()) as { ok: boolean; result?: { username: string }; description?: string };
        if (body.ok) ok(t('cli.doctor.telegram_ok', { root, username: body.result!.username }));
        else bad(t('cli.doctor.telegram_answered', { reason: body.description }));
      } catch (err) {
        bad(t('cli.doctor.telegram_unreachable', { root, reason: (err as Error).message }));
      }
    }
    const mark = { ok: '✔', problem: '✘', note: '·' } as const;
    const lines = checks.map((c) => `${mark[c.status]} ${c.message}`);
    // The delivery section follows the database lines, as before the Telegram check.
    const telegramAt = lines.length - 1;
    if (delivery) lines.splice(telegramAt, 0, ...delivery.lines);
    lines.push(problems ? t('cli.doctor.problems', { count: problems }) : t('cli.doctor.all_good'));
    env.print(
      { ok: problems === 0, problems, checks, delivery: delivery && { inactiveGroups: delivery.inactiveGroups, dropped: delivery.dropped, failed: delivery.failed, lines: delivery.lines } },
      lines,
    );
    return problems ? 1 : 0;
  },
};

export const communityAddCommand: CliCommand = {
  name: 'community add',
  usage: 'linli community add <slug> --name <name> [--street <street>] [--district <district>]',
  summary: 'cli.summary.community_add',
  options: { name: { type: 'string' }, street: { type: 'string' }, district: { type: 'string' } },
  async run(env, { values, positionals }) {
    const slug = positionals[0];
    if (!slug) throw new UsageError('cli.errors.name_slug');
    const db = await env.db();
    const c = await createCommunity(db, { slug, name: requireOption(values, 'name'), street: values.street as string, district: values.district as string }, { actorId: null, via: 'cli' });
    env.print({ id: c.id, slug: c.slug, name: c.name, street: c.street, district: c.district }, env.t('cli.community.created', { slug: c.slug, name: [c.district, c.street, c.name].filter(Boolean).join(env.locale === 'zh-CN' ? '' : ' ') }));
    return 0;
  },
};

export const communityListCommand: CliCommand = {
  name: 'community list',
  usage: 'linli community list',
  summary: 'cli.summary.community_list',
  async run(env) {
    const db = await env.db();
    const rows = await db.community.findMany({ include: { groups: true }, orderBy: { slug: 'asc' } });
    const list = rows.map((c) => ({ slug: c.slug, name: c.name, groups: c.groups.filter((g) => g.active).length }));
    env.print(list, list.length ? list.map((c) => env.t('cli.community.line', c)) : env.t('cli.community.none'));
    return 0;
  },
};

export const inviteCommand: CliCommand = {
  name: 'invite',
  usage: 'linli invite <slug> [--unit <unit>] [--role resident|council|invited|committee|staff] [--count N] [--expires 14d]',
  summary: 'cli.summary.invite',
  options: { unit: { type: 'string' }, role: { type: 'string' }, count: { type: 'string' }, expires: { type: 'string' } },
  async run(env, { values, positionals }) {
    if (!positionals[0]) throw new UsageError('cli.errors.name_community');
    const db = await env.db();
    const community = await communityBySlug(db, positionals[0]);
    const rawRole = (values.role as string | undefined) ?? 'resident';
    const role = rawRole === 'resident' ? 'verified' : rawRole;
    if (!isRole(role)) throw new UsageError('cli.errors.unknown_role', { role: rawRole });
    const count = values.count ? Number(values.count) : 1;
    const codes = await issueCodes(db, CLI_ACTOR, 'cli', {
      communityId: community.id,
      unit: (values.unit as string | undefined) ?? null,
      role,
      count,
      expiresInMs: parseDuration((values.expires as string | undefined) ?? '14d'),
    });
    env.print(codes, codes);
    return 0;
  },
};

export const auditCommand: CliCommand = {
  name: 'audit',
  usage: 'linli audit [--community <slug>] [--since <date>]',
  summary: 'cli.summary.audit',
  options: { community: { type: 'string' }, since: { type: 'string' } },
  async run(env, { values }) {
    const db = await env.db();
    const communityId = values.community ? (await communityBySlug(db, values.community as string)).id : undefined;
    const since = values.since ? new Date(values.since as string) : undefined;
    if (since && Number.isNaN(since.getTime())) throw new UsageError('cli.errors.not_date', { option: 'since', value: String(values.since) });
    const rows = await listAudit(db, { communityId, since });
    env.print(
      rows.map((r) => ({ at: r.at.toISOString(), via: r.via, actorId: r.actorId, action: r.action, communityId: r.communityId, targetType: r.targetType, targetId: r.targetId, details: r.details })),
      rows.map((r) => [r.at.toISOString(), r.via, r.actorId ?? '-', r.action, r.communityId ?? '-', r.targetType ?? '-', r.targetId ?? '-', r.details ?? ''].join('\t')),
    );
    return 0;
  },
};

export const outboxCommand: CliCommand = {
  name: 'outbox',
  usage: 'linli outbox [--all] [--chat <id>] [--retry-failed]',
  summary: 'cli.summary.outbox',
  options: { all: { type: 'boolean' }, chat: { type: 'string' }, 'retry-failed': { type: 'boolean' } },
  async run(env, { values }) {
    const db = await env.db();
    const chat = values.chat as string | undefined;
    if (values['retry-failed']) {
      const { count } = await db.outboxMessage.updateMany({
        where: { status: 'failed', ...(chat ? { chatId: chat } : {}) },
        data: { status: 'pending', attempts: 0, nextAttemptAt: new Date() },
      });
      env.print({ requeued: count }, env.t('cli.outbox.requeued', { count }));
    }
    const counts = await outboxCounts(db);
    const rows = await db.outboxMessage.findMany({
      where: { ...(values.all ? {} : { status: { in: ['pending', 'sending', 'failed'] } }), ...(chat ? { chatId: chat } : {}) },
      orderBy: { id: 'asc' },
      take: 200,
    });
    const messages = rows.map((r) => {
      const text = (JSON.parse(r.payload) as { text?: string }).text ?? '';
      return {
        id: r.id,
        status: r.status,
        createdAt: r.createdAt.toISOString(),
        platform: r.platform,
        chatId: r.chatId,
        key: r.key,
        attempts: r.attempts,
        partsSent: r.partsSent,
        nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt.toISOString() : null,
        sentAt: r.sentAt?.toISOString() ?? null,
        lastError: r.lastError,
        preview: [...text.replace(/\s+/g, ' ')].slice(0, 30).join(''),
      };
    });
    const summary = Object.entries(counts).map(([status, n]) => env.t('cli.outbox.count', { status: stateLabel(env.t, 'outbox', status), count: n })).join('  ') || env.t('cli.outbox.empty');
    const lines = messages.map((m) => {
      const when = m.nextAttemptAt ? `next=${m.nextAttemptAt}` : m.sentAt ? `sent=${m.sentAt}` : '';
      return [stateLabel(env.t, 'outbox', m.status), m.createdAt, m.platform, m.chatId, m.key, `attempts=${m.attempts}`, `parts=${m.partsSent}`, when, m.lastError ?? '', m.preview].join('\t');
    });
    env.print({ counts, messages }, [summary, ...lines]);
    return 0;
  },
};
