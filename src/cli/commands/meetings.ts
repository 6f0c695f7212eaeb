/**
 * Meeting commands for staff with shell access: `linli meeting create|list|show|sheet|body` and
 * `linli report meetings` (the yearly record a street office inspects, as XLSX or PDF). They act
 * as the deployment's operator, audited with via "cli"; notices go into the outbox, which the
 * running bot delivers.
 */
import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { createLinli } from '../../app/createLinli.ts';
import type { Services } from '../../core/services.ts';
import type { Db } from '../../db/client.ts';
import { attendanceOf } from '../../domain/meetings/attendance.ts';
import { BODY_KINDS, bodiesOf, isBodyKind, membersOf, setBodyMember, setBodyRules, type BodyKind } from '../../domain/meetings/bodies.ts';
import { meetingByNumber, meetingsBetween, type NewAgendaItem } from '../../domain/meetings/meetings.ts';
import { periodRange } from '../../domain/meetings/frequency.ts';
import { recordAudit } from '../../domain/residents/audit.ts';
import { communityBySlug } from '../../domain/residents/communities.ts';
import { writeTable } from '../../export/table.ts';
import { cancelAndAnnounce, rescheduleAndAnnounce } from '../../features/meetings/changes.ts';
import { scheduleAndAnnounce } from '../../features/meetings/recording.ts';
import { bodyName, meetingCard } from '../../features/meetings/render.ts';
import { meetingRecord, recordSheets, renderRecordPdf } from '../../features/meetings/report.ts';
import { renderSignInQrPng, renderSignInSheetPdf, signInPayload } from '../../features/meetings/sheet.ts';
import { asCli, LOCALE_USAGE, localeOption, requireOption, UsageError, type CliCommand, type CliEnv } from '../command.ts';
import { parseWhen } from './polls.ts';

/** The actor the CLI acts as: whoever has shell access to the deployment is its operator. */
const CLI_ACTOR = { personId: 'cli', isAdmin: true, grants: [] };

/** Services without platform adapters: the outbox stores posts for the running bot. */
async function cliServices(env: CliEnv): Promise<Services> {
  const db: Db = await env.db();
  return (await createLinli({ config: env.config, db, log: env.log, telegram: false, wechat: false, schedule: false })).services;
}

function bodyOption(values: Record<string, unknown>): BodyKind {
  const body = requireOption(values, 'body');
  if (!isBodyKind(body)) throw new UsageError(`--body must be one of ${BODY_KINDS.join(', ')}`);
  return body;
}

function numberArg(positionals: string[]): number {
  const n = Number(positionals[0]);
  if (!Number.isInteger(n) || n < 1) throw new UsageError('name the meeting by its number (see linli meeting list)');
  return n;
}

/** "proposal:12", "poll:3" (numbers in the community) or free text. */
async function agendaItem(db: Db, communityId: string, raw: string): Promise<NewAgendaItem> {
  const m = /^(proposal|poll):#?(\d+)$/.exec(raw.trim());
  if (!m) return { kind: 'text', title: raw };
  const number = Number(m[2]);
  const row = m[1] === 'proposal' ? await db.proposal.findUnique({ where: { communityId_number: { communityId, number } } }) : await db.poll.findUnique({ where: { communityId_number: { communityId, number } } });
  if (!row) throw new UsageError(`--agenda ${raw}: there is no ${m[1]} #${number} in this community`);
  return { kind: m[1] as 'proposal' | 'poll', refId: row.id, title: '' };
}

export const meetingCreateCommand: CliCommand = {
  name: 'meeting create',
  usage: 'linli meeting create --community <slug> --body council|assembly|joint|other --at <2026-12-10T19:00+08:00> --place <place> --agenda <text|proposal:N|poll:N> [--agenda …] [--title <name>]',
  summary: "Schedule a meeting and post its notice to the community's groups",
  options: { community: { type: 'string' }, body: { type: 'string' }, at: { type: 'string' }, place: { type: 'string' }, title: { type: 'string' }, agenda: { type: 'string', multiple: true } },
  async run(env, { values }) {
    const services = await cliServices(env);
    const community = await asCli(services, () => communityBySlug(services.db, requireOption(values, 'community')));
    const body = bodyOption(values);
    const now = services.clock();
    const startsAt = parseWhen(requireOption(values, 'at'), now);
    const raw = (values.agenda as string[] | undefined) ?? [];
    if (!raw.length) throw new UsageError('give at least one --agenda item');
    const agenda: NewAgendaItem[] = [];
    for (const a of raw) agenda.push(await agendaItem(services.db, community.id, a));
    const meeting = await asCli(services, () =>
      scheduleAndAnnounce(services, { actor: CLI_ACTOR, via: 'cli', now }, { communityId: community.id, body, title: (values.title as string | undefined) ?? null, startsAt, place: requireOption(values, 'place'), agenda }),
    );
    env.out(String(meeting.number));
    env.err(`meeting no. ${meeting.number} (${body}) on ${meeting.startsAt.toISOString()}; notice queued for the groups`);
    return 0;
  },
};

export const meetingListCommand: CliCommand = {
  name: 'meeting list',
  usage: `linli meeting list --community <slug> [--year 2026] ${LOCALE_USAGE}`,
  summary: "List a community's meetings of a year",
  options: { community: { type: 'string' }, year: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values }) {
    const services = await cliServices(env);
    const community = await asCli(services, () => communityBySlug(services.db, requireOption(values, 'community')));
    const year = values.year ? Number(values.year) : new Date().getFullYear();
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new UsageError('--year must be a year such as 2026');
    const t = services.i18n.bind(localeOption(values) ?? community.locale);
    const { from, to } = periodRange(year, null, services.i18n.timeZone);
    const meetings = await meetingsBetween(services.db, community.id, from, to);
    if (!meetings.length) env.out(t('meetings.report_none'));
    for (const m of meetings) env.out(t('meetings.list_line', { number: m.number, body: bodyName(t, m.body), title: m.title, when: m.startsAt, place: m.place, status: t(`meetings.status_${m.status}`) }));
    return 0;
  },
};

export const meetingShowCommand: CliCommand = {
  name: 'meeting show',
  usage: `linli meeting show <number> --community <slug> ${LOCALE_USAGE}`,
  summary: 'Show a meeting: agenda, attendance, minutes and decisions',
  options: { community: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values, positionals }) {
    const services = await cliServices(env);
    const community = await asCli(services, () => communityBySlug(services.db, requireOption(values, 'community')));
    const meeting = await asCli(services, () => meetingByNumber(services.db, community.id, numberArg(positionals)));
    const t = services.i18n.bind(localeOption(values) ?? community.locale);
    env.out(meetingCard(t, meeting, await attendanceOf(services.db, meeting)));
    for (const a of meeting.attendance) env.out(`  ${a.at.toISOString()} ${a.name} ${a.member ? 'member' : 'observer'} (${a.method})`);
    return 0;
  },
};

export const meetingSheetCommand: CliCommand = {
  name: 'meeting sheet',
  usage: 'linli meeting sheet <number> --community <slug> --out <sheet.pdf|qr.png> --bot <telegram username>',
  summary: 'Write the sign-in sheet (PDF) or its QR code (PNG) to show in the room',
  options: { community: { type: 'string' }, out: { type: 'string' }, bot: { type: 'string' } },
  async run(env, { values, positionals }) {
    const services = await cliServices(env);
    const community = await asCli(services, () => communityBySlug(services.db, requireOption(values, 'community')));
    const meeting = await asCli(services, () => meetingByNumber(services.db, community.id, numberArg(positionals)));
    const bot = requireOption(values, 'bot').replace(/^@/, '');
    if (!/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(bot)) throw new UsageError(`--bot: "${bot}" is not a Telegram bot username`);
    const link = `https://t.me/${bot}?start=${signInPayload(meeting.id)}`;
    const out = resolve(requireOption(values, 'out'));
    const t = services.i18n.bind(community.locale);
    const ext = extname(out).toLowerCase();
    if (ext !== '.pdf' && ext !== '.png') throw new UsageError('--out must end in .pdf or .png');
    const data =
      ext === '.png'
        ? await renderSignInQrPng(link)
        : await renderSignInSheetPdf({ t, community: community.name, heading: `${bodyName(t, meeting.body)} · ${meeting.title}`, when: meeting.startsAt, place: meeting.place, link, words: t('meetings.signin_words', { number: meeting.number }) });
    await writeFile(out, data);
    env.out(`wrote ${out} (${data.length} bytes); the QR code opens ${link}`);
    return 0;
  },
};

export const meetingBodyCommand: CliCommand = {
  name: 'meeting body',
  usage: 'linli meeting body --community <slug> [--body council|assembly|joint|other --per-year N --per-quarter N --quorum 0.5 --add <telegram:user id> --remove <telegram:user id>]',
  summary: "Show a community's bodies, or set one's required frequency, quorum and members",
  options: { community: { type: 'string' }, body: { type: 'string' }, 'per-year': { type: 'string' }, 'per-quarter': { type: 'string' }, quorum: { type: 'string' }, add: { type: 'string', multiple: true }, remove: { type: 'string', multiple: true } },
  async run(env, { values }) {
    const services = await cliServices(env);
    const { db } = services;
    const community = await asCli(services, () => communityBySlug(db, requireOption(values, 'community')));
    const acting = { actor: CLI_ACTOR, via: 'cli' };
    if (values.body) {
      const kind = bodyOption(values);
      const num = (name: string) => (values[name] === undefined ? undefined : Number(values[name]));
      const rules = { perYear: num('per-year'), perQuarter: num('per-quarter'), quorumShare: num('quorum') };
      const given = Object.fromEntries(Object.entries(rules).filter(([, v]) => v !== undefined));
      if (Object.keys(given).length) await asCli(services, () => setBodyRules(db, acting.actor, acting.via, community.id, kind, given));
      for (const [list, member] of [[values.add, true], [values.remove, false]] as const) {
        for (const who of (list as string[] | undefined) ?? []) {
          const m = /^(telegram|wechat):(.+)$/.exec(who);
          if (!m) throw new UsageError(`"${who}" is not <platform>:<user id>, e.g. telegram:123456`);
          const identity = await db.identity.findUnique({ where: { platform_platformUserId: { platform: m[1], platformUserId: m[2] } } });
          if (!identity) throw new UsageError(`${who} has never talked to the bot`);
          await asCli(services, () => setBodyMember(db, acting.actor, acting.via, community.id, kind, identity.personId, member));
        }
      }
    }
    const t = services.i18n.bind(community.locale);
    for (const body of await bodiesOf(db, community.id)) {
      const members = await membersOf(db, body);
      env.out(`${body.kind} (${bodyName(t, body)}): ≥${body.perYear}/year, ≥${body.perQuarter}/quarter, quorum >${Math.round(body.quorumShare * 100)}%, ${members.length} members${members.length ? `: ${members.map((m) => m.name).join(', ')}` : ''}`);
    }
    return 0;
  },
};

export const reportMeetingsCommand: CliCommand = {
  name: 'report meetings',
  usage: `linli report meetings --community <slug> --year 2026 --out <record.xlsx|record.pdf> [--as-of <ISO time>] ${LOCALE_USAGE}`,
  summary: 'The yearly meeting record a street office inspects (frequency, dates, attendance, decisions) as XLSX or PDF',
  options: { community: { type: 'string' }, year: { type: 'string' }, out: { type: 'string' }, 'as-of': { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values }) {
    const services = await cliServices(env);
    const community = await asCli(services, () => communityBySlug(services.db, requireOption(values, 'community')));
    const year = Number(requireOption(values, 'year'));
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new UsageError('--year must be a year such as 2026');
    const out = resolve(requireOption(values, 'out'));
    const ext = extname(out).toLowerCase();
    if (ext !== '.xlsx' && ext !== '.pdf') throw new UsageError('--out must end in .xlsx or .pdf');
    const asOf = values['as-of'] ? new Date(String(values['as-of'])) : new Date();
    if (Number.isNaN(asOf.getTime())) throw new UsageError('--as-of must be an ISO time such as 2026-12-31T23:59+08:00');
    const t = services.i18n.bind(localeOption(values) ?? community.locale);
    const tz = services.i18n.timeZone;
    const record = await meetingRecord(services.db, community.id, year, asOf, tz);
    if (ext === '.xlsx') await writeTable({ format: 'xlsx', out, sheets: recordSheets(t, record), timeZone: tz });
    else await writeFile(out, await renderRecordPdf(t, community.name, record));
    await recordAudit(services.db, { actorId: null, via: 'cli', action: 'export', communityId: community.id, targetType: 'meetings', details: { year, format: ext.slice(1), meetings: record.meetings.length } });
    env.out(`${record.meetings.length} meetings of ${year} written to ${out}`);
    return 0;
  },
};

export const meetingCancelCommand: CliCommand = {
  name: 'meeting cancel',
  usage: 'linli meeting cancel <number> --community <slug> --reason <why>',
  summary: 'Cancel a scheduled meeting: the groups get a cancellation notice, the body\'s members are told privately',
  options: { community: { type: 'string' }, reason: { type: 'string' } },
  async run(env, { values, positionals }) {
    const services = await cliServices(env);
    const community = await asCli(services, () => communityBySlug(services.db, requireOption(values, 'community')));
    const found = await asCli(services, () => meetingByNumber(services.db, community.id, numberArg(positionals)));
    const reason = requireOption(values, 'reason');
    const meeting = await asCli(services, () => cancelAndAnnounce(services, { actor: CLI_ACTOR, via: 'cli', now: services.clock() }, found.id, reason));
    env.out(`meeting no. ${meeting.number} cancelled; notice queued for the groups`);
    return 0;
  },
};

export const meetingRescheduleCommand: CliCommand = {
  name: 'meeting reschedule',
  usage: 'linli meeting reschedule <number> --community <slug> [--at <2026-12-10T19:00+08:00>] [--place <place>] --reason <why>',
  summary: 'Move a scheduled meeting to a new time and/or place: the groups get a change notice, the reminder goes out for the new date',
  options: { community: { type: 'string' }, at: { type: 'string' }, place: { type: 'string' }, reason: { type: 'string' } },
  async run(env, { values, positionals }) {
    const services = await cliServices(env);
    const community = await asCli(services, () => communityBySlug(services.db, requireOption(values, 'community')));
    const found = await asCli(services, () => meetingByNumber(services.db, community.id, numberArg(positionals)));
    if (values.at === undefined && values.place === undefined) throw new UsageError('give --at, --place or both');
    const now = services.clock();
    const startsAt = values.at === undefined ? null : parseWhen(String(values.at), now);
    const reason = requireOption(values, 'reason');
    const place = values.place === undefined ? null : String(values.place);
    const meeting = await asCli(services, () => rescheduleAndAnnounce(services, { actor: CLI_ACTOR, via: 'cli', now }, found.id, { startsAt, place, reason }));
    env.out(`meeting no. ${meeting.number} now on ${meeting.startsAt.toISOString()} at ${meeting.place}; notice queued for the groups`);
    return 0;
  },
};

export const MEETING_COMMANDS = [meetingCreateCommand, meetingCancelCommand, meetingRescheduleCommand, meetingListCommand, meetingShowCommand, meetingSheetCommand, meetingBodyCommand, reportMeetingsCommand];
