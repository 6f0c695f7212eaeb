/**
 * `linli request …`: residents' requests for operators and staff on the server — the list with
 * statuses and deadlines, one request with its steps (`show`, the operator's view: the words
 * included), the export (audited like the chat's), and a community's settings (deadlines per
 * category, the committee head escalations go to).
 */
import { resolve } from 'node:path';
import type { Db } from '../../db/client.ts';
import { communityBySlug } from '../../domain/residents/communities.ts';
import { recordAudit } from '../../domain/residents/audit.ts';
import { requestByNumber } from '../../domain/requests/queries.ts';
import { requestRules, setDeadline, setHead } from '../../domain/requests/rules.ts';
import { REQUEST_CATEGORIES, REQUEST_STATUSES } from '../../domain/requests/states.ts';
import { writeTable } from '../../export/table.ts';
import { requestSheets } from '../../features/requests/export.ts';
import { createTranslator } from '../../i18n/i18n.ts';
import { LOCALE_USAGE, localeOption, requireOption, UsageError, type CliCommand, type CliEnv } from '../command.ts';

const iso = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

async function communityOf(env: CliEnv, values: Record<string, unknown>): Promise<{ db: Db; id: string; slug: string; locale: string }> {
  const db = await env.db();
  const c = await communityBySlug(db, requireOption(values, 'community'));
  return { db, id: c.id, slug: c.slug, locale: c.locale };
}

const listCommand: CliCommand = {
  name: 'request list',
  usage: `linli request list --community <slug> [--status ${REQUEST_STATUSES.join('|')}] [--overdue]`,
  summary: "List a community's residents' requests (number, category, status, deadline; no words)",
  options: { community: { type: 'string' }, status: { type: 'string' }, overdue: { type: 'boolean' } },
  async run(env, { values }) {
    const status = values.status as string | undefined;
    if (status && !(REQUEST_STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status: "${status}" is not ${REQUEST_STATUSES.join(', ')}`);
    const { db, id } = await communityOf(env, values);
    const now = new Date();
    const rows = await db.residentRequest.findMany({
      where: { communityId: id, ...(status ? { status } : {}), ...(values.overdue ? { status: { in: ['received', 'assigned'] }, dueAt: { lt: now } } : {}) },
      orderBy: { number: 'asc' },
      select: { number: true, category: true, status: true, dueAt: true, repliedAt: true, assigneeKind: true, unitName: true, satisfaction: true, escalatedAt: true },
    });
    env.out(['number', 'category', 'status', 'due', 'replied', 'holder', 'rating', 'escalated'].join('\t'));
    for (const r of rows) {
      env.out([r.number, r.category, r.status, iso(r.dueAt), iso(r.repliedAt), r.assigneeKind === 'unit' ? r.unitName : (r.assigneeKind ?? '-'), r.satisfaction ?? '-', iso(r.escalatedAt)].join('\t'));
    }
    env.out(`${rows.length} requests`);
    return 0;
  },
};

const showCommand: CliCommand = {
  name: 'request show',
  usage: 'linli request show --community <slug> --number <n>',
  summary: 'Show one request with its words and every step (audited: the words are personal data)',
  options: { community: { type: 'string' }, number: { type: 'string' } },
  async run(env, { values }) {
    const n = Number(requireOption(values, 'number'));
    if (!Number.isInteger(n) || n < 1) throw new UsageError('--number: a request number such as 12');
    const { db, id } = await communityOf(env, values);
    const r = await requestByNumber(db, id, n);
    const events = await db.residentRequestEvent.findMany({ where: { requestId: r.id }, orderBy: { at: 'asc' } });
    env.out(`request ${r.number} (${r.id})`);
    env.out(`category: ${r.category}\nstatus: ${r.status}\nreceived: ${iso(r.createdAt)}\ndue: ${iso(r.dueAt)}`);
    env.out(`text: ${r.erasedAt ? '(erased by the resident)' : r.text}`);
    if (r.location) env.out(`location: ${r.location}`);
    env.out(`photo: ${r.photoName ? 'yes' : 'no'}`);
    env.out(`holder: ${r.assigneeKind === 'unit' ? `unit ${r.unitName}` : r.assigneeKind === 'person' ? `person ${r.assigneeId}` : '-'}`);
    if (r.reply) env.out(`reply (${iso(r.repliedAt)}): ${r.reply}`);
    env.out(`rating: ${r.satisfaction ?? '-'}`);
    for (const e of events) env.out(`  ${iso(e.at)} ${e.kind} ${e.fromStatus ?? '-'} → ${e.toStatus}${e.note ? ` ${e.note}` : ''}`);
    await recordAudit(db, { actorId: null, via: 'cli', action: 'request.show', communityId: id, targetType: 'request', targetId: r.id, details: { number: r.number } });
    return 0;
  },
};

const exportCommand: CliCommand = {
  name: 'request export',
  usage: `linli request export --community <slug> --format csv|xlsx --out <file> ${LOCALE_USAGE}`,
  summary: "Export a community's requests: monthly figures and every request (no words, photos or names)",
  options: { community: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values }) {
    const format = requireOption(values, 'format');
    if (format !== 'csv' && format !== 'xlsx') throw new UsageError(`--format: "${format}" is not csv or xlsx`);
    const out = resolve(requireOption(values, 'out'));
    const locale = localeOption(values);
    const { db, id, locale: communityLocale } = await communityOf(env, values);
    const tz = env.config.LINLI_TIMEZONE;
    const t = createTranslator({ defaultLocale: env.config.LINLI_DEFAULT_LOCALE, timeZone: tz }).bind(locale ?? communityLocale);
    const result = await writeTable({ format, out, timeZone: tz, sheets: requestSheets(db, t, id, tz, new Date()) });
    await recordAudit(db, { actorId: null, via: 'cli', action: 'export', communityId: id, targetType: 'requests', details: { format, rows: result.rows } });
    env.out(`${result.rows} rows written to ${out}`);
    return 0;
  },
};

const settingsCommand: CliCommand = {
  name: 'request settings',
  usage: `linli request settings --community <slug> [--deadline <category>=<working days>]… [--head <person id>|none]`,
  summary: `Show or change a community's request deadlines (categories: ${REQUEST_CATEGORIES.join(', ')}) and the committee head`,
  options: { community: { type: 'string' }, deadline: { type: 'string', multiple: true }, head: { type: 'string' } },
  async run(env, { values }) {
    const { db, id } = await communityOf(env, values);
    for (const raw of (values.deadline as string[] | undefined) ?? []) {
      const m = /^([a-z]+)=(\d+)$/.exec(raw.trim());
      if (!m) throw new UsageError(`--deadline: "${raw}" is not <category>=<working days>, e.g. safety=1`);
      await setDeadline(db, id, m[1], Number(m[2]));
    }
    if (typeof values.head === 'string') {
      const head = values.head.trim();
      if (head === 'none') await setHead(db, id, null);
      else {
        const member = await db.membership.findFirst({ where: { personId: head, communityId: id, role: 'committee' } });
        if (!member) throw new UsageError(`--head: ${head} is not a committee member of this community`);
        await setHead(db, id, head);
      }
    }
    const rules = await requestRules(db, id);
    for (const c of REQUEST_CATEGORIES) env.out(`${c}\t${rules.deadlines[c]} working days`);
    env.out(`head\t${rules.headPersonId ?? 'none (every committee member is told of a missed deadline)'}`);
    return 0;
  },
};

export const REQUEST_COMMANDS: CliCommand[] = [listCommand, showCommand, exportCommand, settingsCommand];
