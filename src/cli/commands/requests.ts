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
import { formatOption, LOCALE_USAGE, localeOption, requireOption, UsageError, type CliCommand, type CliEnv } from '../command.ts';
import { stateChoices, stateLabel } from '../words.ts';

const iso = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

async function communityOf(env: CliEnv, values: Record<string, unknown>): Promise<{ db: Db; id: string; slug: string; locale: string }> {
  const db = await env.db();
  const c = await communityBySlug(db, requireOption(values, 'community'));
  return { db, id: c.id, slug: c.slug, locale: c.locale };
}

const listCommand: CliCommand = {
  name: 'request list',
  usage: `linli request list --community <slug> [--status ${REQUEST_STATUSES.join('|')}] [--overdue]`,
  summary: 'cli.summary.request_list',
  options: { community: { type: 'string' }, status: { type: 'string' }, overdue: { type: 'boolean' } },
  async run(env, { values }) {
    const status = values.status as string | undefined;
    if (status && !(REQUEST_STATUSES as readonly string[]).includes(status)) {
      throw new UsageError('cli.requests.bad_status', { value: status, allowed: stateChoices(env.t, 'request', REQUEST_STATUSES) });
    }
    const { db, id } = await communityOf(env, values);
    const now = new Date();
    const rows = await db.residentRequest.findMany({
      where: { communityId: id, ...(status ? { status } : {}), ...(values.overdue ? { status: { in: ['received', 'assigned'] }, dueAt: { lt: now } } : {}) },
      orderBy: { number: 'asc' },
      select: { number: true, category: true, status: true, dueAt: true, repliedAt: true, assigneeKind: true, unitName: true, satisfaction: true, escalatedAt: true },
    });
    const list = rows.map((r) => ({
      number: r.number,
      category: r.category,
      status: r.status,
      due: r.dueAt?.toISOString() ?? null,
      replied: r.repliedAt?.toISOString() ?? null,
      holder: r.assigneeKind === 'unit' ? r.unitName : r.assigneeKind,
      rating: r.satisfaction,
      escalated: r.escalatedAt?.toISOString() ?? null,
    }));
    env.print(list, [
      env.t('cli.requests.list_header'),
      ...rows.map((r) => [r.number, stateLabel(env.t, 'requestCategory', r.category), stateLabel(env.t, 'request', r.status), iso(r.dueAt), iso(r.repliedAt), r.assigneeKind === 'unit' ? r.unitName : (r.assigneeKind ?? '-'), r.satisfaction ?? '-', iso(r.escalatedAt)].join('\t')),
      env.t('cli.requests.count', { count: rows.length }),
    ]);
    return 0;
  },
};

const showCommand: CliCommand = {
  name: 'request show',
  usage: 'linli request show --community <slug> --number <number>',
  summary: 'cli.summary.request_show',
  options: { community: { type: 'string' }, number: { type: 'string' } },
  async run(env, { values }) {
    const n = Number(requireOption(values, 'number'));
    if (!Number.isInteger(n) || n < 1) throw new UsageError('cli.requests.bad_number');
    const { db, id } = await communityOf(env, values);
    const r = await requestByNumber(db, id, n);
    const events = await db.residentRequestEvent.findMany({ where: { requestId: r.id }, orderBy: { at: 'asc' } });
    const { t } = env;
    const text = r.erasedAt ? null : r.text;
    const holder = r.assigneeKind === 'unit' ? t('cli.requests.holder_unit', { name: r.unitName }) : r.assigneeKind === 'person' ? t('cli.requests.holder_person', { id: r.assigneeId }) : '-';
    const lines = [
      t('cli.requests.show_title', { number: r.number, id: r.id }),
      t('cli.requests.show_category', { value: stateLabel(t, 'requestCategory', r.category) }),
      t('cli.requests.show_status', { value: stateLabel(t, 'request', r.status) }),
      t('cli.requests.show_received', { value: iso(r.createdAt) }),
      t('cli.requests.show_due', { value: iso(r.dueAt) }),
      t('cli.requests.show_text', { value: text ?? t('cli.requests.erased') }),
      ...(r.location ? [t('cli.requests.show_location', { value: r.location })] : []),
      t('cli.requests.show_photo', { value: t(r.photoName ? 'cli.requests.yes' : 'cli.requests.no') }),
      t('cli.requests.show_holder', { value: holder }),
      ...(r.reply ? [t('cli.requests.show_reply', { at: iso(r.repliedAt), value: r.reply })] : []),
      t('cli.requests.show_rating', { value: r.satisfaction ?? '-' }),
      ...events.map((e) => `  ${iso(e.at)} ${e.kind} ${e.fromStatus ?? '-'} → ${e.toStatus}${e.note ? ` ${e.note}` : ''}`),
    ];
    env.print(
      {
        number: r.number,
        id: r.id,
        category: r.category,
        status: r.status,
        received: r.createdAt.toISOString(),
        due: r.dueAt?.toISOString() ?? null,
        text,
        erased: Boolean(r.erasedAt),
        location: r.location,
        photo: Boolean(r.photoName),
        holder: r.assigneeKind ? { kind: r.assigneeKind, unit: r.unitName, personId: r.assigneeId } : null,
        reply: r.reply,
        replied: r.repliedAt?.toISOString() ?? null,
        rating: r.satisfaction,
        events: events.map((e) => ({ at: e.at.toISOString(), kind: e.kind, from: e.fromStatus, to: e.toStatus, note: e.note })),
      },
      lines,
    );
    await recordAudit(db, { actorId: null, via: 'cli', action: 'request.show', communityId: id, targetType: 'request', targetId: r.id, details: { number: r.number } });
    return 0;
  },
};

const exportCommand: CliCommand = {
  name: 'request export',
  usage: `linli request export --community <slug> --format csv|xlsx --out <file> ${LOCALE_USAGE}`,
  summary: 'cli.summary.request_export',
  options: { community: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values }) {
    const format = formatOption(values);
    const out = resolve(requireOption(values, 'out'));
    const locale = localeOption(values);
    const { db, id, locale: communityLocale } = await communityOf(env, values);
    const tz = env.config.LINLI_TIMEZONE;
    const t = createTranslator({ defaultLocale: env.config.LINLI_DEFAULT_LOCALE, timeZone: tz }).bind(locale ?? communityLocale);
    const result = await writeTable({ format, out, timeZone: tz, sheets: requestSheets(db, t, id, tz, new Date()) });
    await recordAudit(db, { actorId: null, via: 'cli', action: 'export', communityId: id, targetType: 'requests', details: { format, rows: result.rows } });
    env.print({ out, rows: result.rows }, env.t('cli.export.rows_written', { count: result.rows, out }));
    return 0;
  },
};

const settingsCommand: CliCommand = {
  name: 'request settings',
  usage: `linli request settings --community <slug> [--deadline <category>=<working days>]… [--head <person id>|none]`,
  summary: 'cli.summary.request_settings',
  options: { community: { type: 'string' }, deadline: { type: 'string', multiple: true }, head: { type: 'string' } },
  async run(env, { values }) {
    const { db, id } = await communityOf(env, values);
    for (const raw of (values.deadline as string[] | undefined) ?? []) {
      const m = /^([a-z]+)=(\d+)$/.exec(raw.trim());
      if (!m) throw new UsageError('cli.requests.bad_deadline', { value: raw });
      await setDeadline(db, id, m[1], Number(m[2]));
    }
    if (typeof values.head === 'string') {
      const head = values.head.trim();
      if (head === 'none') await setHead(db, id, null);
      else {
        const member = await db.membership.findFirst({ where: { personId: head, communityId: id, role: 'committee' } });
        if (!member) throw new UsageError('cli.requests.bad_head', { value: head });
        await setHead(db, id, head);
      }
    }
    const rules = await requestRules(db, id);
    env.print({ deadlines: rules.deadlines, headPersonId: rules.headPersonId }, [
      ...REQUEST_CATEGORIES.map((c) => env.t('cli.requests.deadline_line', { category: c, label: stateLabel(env.t, 'requestCategory', c), count: rules.deadlines[c] })),
      env.t('cli.requests.head_line', { value: rules.headPersonId ?? env.t('cli.requests.no_head') }),
    ]);
    return 0;
  },
};

export const REQUEST_COMMANDS: CliCommand[] = [listCommand, showCommand, exportCommand, settingsCommand];
