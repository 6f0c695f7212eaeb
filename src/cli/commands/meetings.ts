/**
 * Meeting commands for staff with shell access: `linli meeting create|list|show|sheet|body` and
 * `linli report meetings` (the yearly record a street office inspects, as XLSX or PDF). They act
 * as the deployment's operator, audited with via "cli"; notices go into the outbox, which the
 * running bot delivers.
 */
import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
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
import { CLI_ACTOR, cliServices, LOCALE_USAGE, localeOption, requireOption, UsageError, type CliCommand } from '../command.ts';
import { parseWhen } from './polls.ts';

function bodyOption(values: Record<string, unknown>): BodyKind {
  const body = requireOption(values, 'body');
  if (!isBodyKind(body)) throw new UsageError('cli.meetings.bad_body', { allowed: BODY_KINDS.join(', ') });
  return body;
}

function numberArg(positionals: string[]): number {
  const n = Number(positionals[0]);
  if (!Number.isInteger(n) || n < 1) throw new UsageError('cli.meetings.name_meeting');
  return n;
}

/** "proposal:12", "poll:3" (numbers in the community) or free text. */
async function agendaItem(db: Db, communityId: string, raw: string): Promise<NewAgendaItem> {
  const m = /^(proposal|poll):#?(\d+)$/.exec(raw.trim());
  if (!m) return { kind: 'text', title: raw };
  const number = Number(m[2]);
  const row = m[1] === 'proposal' ? await db.proposal.findUnique({ where: { communityId_number: { communityId, number } } }) : await db.poll.findUnique({ where: { communityId_number: { communityId, number } } });
  if (!row) throw new UsageError(m[1] === 'proposal' ? 'cli.meetings.no_agenda_proposal' : 'cli.meetings.no_agenda_poll', { raw, number });
  return { kind: m[1] as 'proposal' | 'poll', refId: row.id, title: '' };
}

export const meetingCreateCommand: CliCommand = {
  name: 'meeting create',
  usage: 'linli meeting create --community <slug> --body council|assembly|joint|other --at <2026-12-10T19:00+08:00> --place <place> --agenda <text|proposal:N|poll:N> [--agenda …] [--title <name>]',
  summary: 'cli.summary.meeting_create',
  options: { community: { type: 'string' }, body: { type: 'string' }, at: { type: 'string' }, place: { type: 'string' }, title: { type: 'string' }, agenda: { type: 'string', multiple: true } },
  async run(env, { values }) {
    const services = await cliServices(env);
    const community = await communityBySlug(services.db, requireOption(values, 'community'));
    const body = bodyOption(values);
    const now = services.clock();
    const startsAt = parseWhen(requireOption(values, 'at'), now);
    const raw = (values.agenda as string[] | undefined) ?? [];
    if (!raw.length) throw new UsageError('cli.meetings.needs_agenda');
    const agenda: NewAgendaItem[] = [];
    for (const a of raw) agenda.push(await agendaItem(services.db, community.id, a));
    const meeting = await scheduleAndAnnounce(services, { actor: CLI_ACTOR, via: 'cli', now }, { communityId: community.id, body, title: (values.title as string | undefined) ?? null, startsAt, place: requireOption(values, 'place'), agenda });
    env.print({ number: meeting.number, id: meeting.id, body, startsAt: meeting.startsAt.toISOString() }, String(meeting.number));
    if (!env.json) env.err(env.t('cli.meetings.created', { number: meeting.number, body: bodyName(env.t, { kind: body }), at: meeting.startsAt.toISOString() }));
    return 0;
  },
};

export const meetingListCommand: CliCommand = {
  name: 'meeting list',
  usage: `linli meeting list --community <slug> [--year 2026] ${LOCALE_USAGE}`,
  summary: 'cli.summary.meeting_list',
  options: { community: { type: 'string' }, year: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values }) {
    const services = await cliServices(env);
    const community = await communityBySlug(services.db, requireOption(values, 'community'));
    const year = values.year ? Number(values.year) : new Date().getFullYear();
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new UsageError('cli.meetings.bad_year');
    const t = services.i18n.bind(localeOption(values) ?? community.locale);
    const { from, to } = periodRange(year, null, services.i18n.timeZone);
    const meetings = await meetingsBetween(services.db, community.id, from, to);
    env.print(
      meetings.map((m) => ({ number: m.number, id: m.id, body: m.body, title: m.title, startsAt: m.startsAt.toISOString(), place: m.place, status: m.status })),
      meetings.length ? meetings.map((m) => t('meetings.list_line', { number: m.number, body: bodyName(t, m.body), title: m.title, when: m.startsAt, place: m.place, status: t(`meetings.status_${m.status}`) })) : t('meetings.report_none'),
    );
    return 0;
  },
};

export const meetingShowCommand: CliCommand = {
  name: 'meeting show',
  usage: `linli meeting show <number> --community <slug> ${LOCALE_USAGE}`,
  summary: 'cli.summary.meeting_show',
  options: { community: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values, positionals }) {
    const services = await cliServices(env);
    const community = await communityBySlug(services.db, requireOption(values, 'community'));
    const meeting = await meetingByNumber(services.db, community.id, numberArg(positionals));
    const t = services.i18n.bind(localeOption(values) ?? community.locale);
    const card = meetingCard(t, meeting, await attendanceOf(services.db, meeting));
    const attendance = meeting.attendance.map((a) => ({ at: a.at.toISOString(), name: a.name, member: a.member, method: a.method }));
    env.print(
      { number: meeting.number, id: meeting.id, body: meeting.body, title: meeting.title, startsAt: meeting.startsAt.toISOString(), place: meeting.place, status: meeting.status, card, attendance },
      [card, ...attendance.map((a) => `  ${env.t(a.member ? 'cli.meetings.attendee_member' : 'cli.meetings.attendee_observer', a)}`)],
    );
    return 0;
  },
};

export const meetingSheetCommand: CliCommand = {
  name: 'meeting sheet',
  usage: 'linli meeting sheet <number> --community <slug> --out <sheet.pdf|qr.png> --bot <telegram username>',
  summary: 'cli.summary.meeting_sheet',
  options: { community: { type: 'string' }, out: { type: 'string' }, bot: { type: 'string' } },
  async run(env, { values, positionals }) {
    const services = await cliServices(env);
    const community = await communityBySlug(services.db, requireOption(values, 'community'));
    const meeting = await meetingByNumber(services.db, community.id, numberArg(positionals));
    const bot = requireOption(values, 'bot').replace(/^@/, '');
    if (!/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(bot)) throw new UsageError('cli.errors.bad_bot', { value: bot });
    const link = `https://t.me/${bot}?start=${signInPayload(meeting.id)}`;
    const out = resolve(requireOption(values, 'out'));
    const t = services.i18n.bind(community.locale);
    const ext = extname(out).toLowerCase();
    if (ext !== '.pdf' && ext !== '.png') throw new UsageError('cli.meetings.sheet_ext');
    const data =
      ext === '.png'
        ? await renderSignInQrPng(link)
        : await renderSignInSheetPdf({ t, community: community.name, heading: `${bodyName(t, meeting.body)} · ${meeting.title}`, when: meeting.startsAt, place: meeting.place, link, words: t('meetings.signin_words', { number: meeting.number }) });
    await writeFile(out, data);
    env.print({ out, bytes: data.length, link }, env.t('cli.meetings.sheet_written', { out, bytes: data.length, link }));
    return 0;
  },
};

export const meetingBodyCommand: CliCommand = {
  name: 'meeting body',
  usage: 'linli meeting body --community <slug> [--body council|assembly|joint|other --per-year N --per-quarter N --quorum 0.5 --add telegram:<user id> --remove telegram:<user id>]',
  summary: 'cli.summary.meeting_body',
  options: { community: { type: 'string' }, body: { type: 'string' }, 'per-year': { type: 'string' }, 'per-quarter': { type: 'string' }, quorum: { type: 'string' }, add: { type: 'string', multiple: true }, remove: { type: 'string', multiple: true } },
  async run(env, { values }) {
    const services = await cliServices(env);
    const { db } = services;
    const community = await communityBySlug(db, requireOption(values, 'community'));
    const acting = { actor: CLI_ACTOR, via: 'cli' };
    if (values.body) {
      const kind = bodyOption(values);
      const num = (name: string) => (values[name] === undefined ? undefined : Number(values[name]));
      const rules = { perYear: num('per-year'), perQuarter: num('per-quarter'), quorumShare: num('quorum') };
      const given = Object.fromEntries(Object.entries(rules).filter(([, v]) => v !== undefined));
      if (Object.keys(given).length) await setBodyRules(db, acting.actor, acting.via, community.id, kind, given);
      for (const [list, member] of [[values.add, true], [values.remove, false]] as const) {
        for (const who of (list as string[] | undefined) ?? []) {
          const m = /^(telegram|wechat):(.+)$/.exec(who);
          if (!m) throw new UsageError('cli.meetings.bad_account', { value: who });
          const identity = await db.identity.findUnique({ where: { platform_platformUserId: { platform: m[1], platformUserId: m[2] } } });
          if (!identity) throw new UsageError('cli.meetings.unknown_account', { value: who });
          await setBodyMember(db, acting.actor, acting.via, community.id, kind, identity.personId, member);
        }
      }
    }
    const t = services.i18n.bind(community.locale);
    const bodies = [];
    for (const body of await bodiesOf(db, community.id)) {
      const members = await membersOf(db, body);
      bodies.push({ kind: body.kind, name: bodyName(t, body), perYear: body.perYear, perQuarter: body.perQuarter, quorumShare: body.quorumShare, members: members.map((m) => m.name) });
    }
    env.print(
      bodies,
      bodies.map((b) =>
        env.t(b.members.length ? 'cli.meetings.body_line_members' : 'cli.meetings.body_line', { ...b, quorum: Math.round(b.quorumShare * 100), count: b.members.length, members: b.members.join(env.t('cli.meetings.name_separator')) }),
      ),
    );
    return 0;
  },
};

export const reportMeetingsCommand: CliCommand = {
  name: 'report meetings',
  usage: `linli report meetings --community <slug> --year 2026 --out <record.xlsx|record.pdf> [--as-of <ISO time>] ${LOCALE_USAGE}`,
  summary: 'cli.summary.report_meetings',
  options: { community: { type: 'string' }, year: { type: 'string' }, out: { type: 'string' }, 'as-of': { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values }) {
    const services = await cliServices(env);
    const community = await communityBySlug(services.db, requireOption(values, 'community'));
    const year = Number(requireOption(values, 'year'));
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new UsageError('cli.meetings.bad_year');
    const out = resolve(requireOption(values, 'out'));
    const ext = extname(out).toLowerCase();
    if (ext !== '.xlsx' && ext !== '.pdf') throw new UsageError('cli.meetings.record_ext');
    const asOf = values['as-of'] ? new Date(String(values['as-of'])) : new Date();
    if (Number.isNaN(asOf.getTime())) throw new UsageError('cli.meetings.bad_as_of');
    const t = services.i18n.bind(localeOption(values) ?? community.locale);
    const tz = services.i18n.timeZone;
    const record = await meetingRecord(services.db, community.id, year, asOf, tz);
    if (ext === '.xlsx') await writeTable({ format: 'xlsx', out, sheets: recordSheets(t, record), timeZone: tz });
    else await writeFile(out, await renderRecordPdf(t, community.name, record));
    await recordAudit(services.db, { actorId: null, via: 'cli', action: 'export', communityId: community.id, targetType: 'meetings', details: { year, format: ext.slice(1), meetings: record.meetings.length } });
    env.print({ out, year, meetings: record.meetings.length }, env.t('cli.meetings.record_written', { count: record.meetings.length, year, out }));
    return 0;
  },
};

export const meetingCancelCommand: CliCommand = {
  name: 'meeting cancel',
  usage: 'linli meeting cancel <number> --community <slug> --reason <why>',
  summary: 'cli.summary.meeting_cancel',
  options: { community: { type: 'string' }, reason: { type: 'string' } },
  async run(env, { values, positionals }) {
    const services = await cliServices(env);
    const community = await communityBySlug(services.db, requireOption(values, 'community'));
    const found = await meetingByNumber(services.db, community.id, numberArg(positionals));
    const reason = requireOption(values, 'reason');
    const meeting = await cancelAndAnnounce(services, { actor: CLI_ACTOR, via: 'cli', now: services.clock() }, found.id, reason);
    env.print({ number: meeting.number, status: meeting.status }, env.t('cli.meetings.cancelled', { number: meeting.number }));
    return 0;
  },
};

export const meetingRescheduleCommand: CliCommand = {
  name: 'meeting reschedule',
  usage: 'linli meeting reschedule <number> --community <slug> [--at <2026-12-10T19:00+08:00>] [--place <place>] --reason <why>',
  summary: 'cli.summary.meeting_reschedule',
  options: { community: { type: 'string' }, at: { type: 'string' }, place: { type: 'string' }, reason: { type: 'string' } },
  async run(env, { values, positionals }) {
    const services = await cliServices(env);
    const community = await communityBySlug(services.db, requireOption(values, 'community'));
    const found = await meetingByNumber(services.db, community.id, numberArg(positionals));
    if (values.at === undefined && values.place === undefined) throw new UsageError('cli.meetings.needs_at_or_place');
    const now = services.clock();
    const startsAt = values.at === undefined ? null : parseWhen(String(values.at), now);
    const reason = requireOption(values, 'reason');
    const place = values.place === undefined ? null : String(values.place);
    const meeting = await rescheduleAndAnnounce(services, { actor: CLI_ACTOR, via: 'cli', now }, found.id, { startsAt, place, reason });
    env.print({ number: meeting.number, startsAt: meeting.startsAt.toISOString(), place: meeting.place }, env.t('cli.meetings.rescheduled', { number: meeting.number, at: meeting.startsAt.toISOString(), place: meeting.place }));
    return 0;
  },
};

export const MEETING_COMMANDS = [meetingCreateCommand, meetingCancelCommand, meetingRescheduleCommand, meetingListCommand, meetingShowCommand, meetingSheetCommand, meetingBodyCommand, reportMeetingsCommand];
