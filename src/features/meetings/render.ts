/**
 * The words of meetings: the notice and the reminder the groups get, a meeting's card for the
 * committee, and the minutes as they are published (a 居务 disclosure, in the community's
 * language). Pure functions of a translation and the stored meeting.
 */
import type { TFn } from '../../i18n/i18n.ts';
import type { AttendanceSummary } from '../../domain/meetings/attendance.ts';
import { bodyLabelKey } from '../../domain/meetings/bodies.ts';
import type { FullMeeting } from '../../domain/meetings/meetings.ts';
import { votersOfDecision, type MinutesRenderer } from '../../domain/meetings/minutes.ts';
import type { Meeting, MeetingAgendaItem, MeetingBody, MeetingDecision } from '../../generated/prisma/client.ts';

/** The ordinal of an agenda item: 一、二、… in Chinese, 1. 2. … otherwise (the numerals are the locale's). */
export function ordinal(t: TFn, position: number): string {
  const numerals = t('meetings.ordinal_numerals').split(' ');
  return t('meetings.ordinal', { numeral: numerals[position - 1] ?? String(position) });
}

/** The agenda as lines. */
export function agendaLines(t: TFn, agenda: Pick<MeetingAgendaItem, 'position' | 'title' | 'kind'>[]): string[] {
  if (!agenda.length) return [t('meetings.agenda_none')];
  return agenda.map((i) => `${ordinal(t, i.position)}${i.title}${i.kind === 'text' ? '' : t(`meetings.agenda_tag_${i.kind}`)}`);
}

/** The body's name. */
export const bodyName = (t: TFn, body: Pick<MeetingBody, 'kind'>) => t(bodyLabelKey(body.kind));

/** The notice posted to the groups when a meeting is scheduled. */
export function noticeText(t: TFn, community: string, m: Meeting & { body: MeetingBody; agenda: MeetingAgendaItem[] }): string {
  return t('meetings.notice', { community, body: bodyName(t, m.body), title: m.title, number: m.number, when: m.startsAt, place: m.place, agenda: agendaLines(t, m.agenda).join('\n') });
}

/** The reminder posted the day before. */
export function reminderText(t: TFn, community: string, m: Meeting & { body: MeetingBody; agenda: MeetingAgendaItem[] }): string {
  return t('meetings.reminder', { community, body: bodyName(t, m.body), title: m.title, when: m.startsAt, place: m.place, agenda: agendaLines(t, m.agenda).join('\n') });
}

/** "赞成 12，反对 1，弃权 0（参加表决：…）" for a decision taken by an in-person vote. */
export function votesLine(t: TFn, d: MeetingDecision): string {
  if (d.votesFor === null) return '';
  const names = votersOfDecision(d).map((v) => v.name);
  return t('meetings.votes_line', { for: d.votesFor, against: d.votesAgainst ?? 0, abstain: d.votesAbstain ?? 0, count: names.length, names: names.join('、') });
}

/** One decision as a line. */
export function decisionLine(t: TFn, d: MeetingDecision): string {
  const head = d.kind === 'proposal' ? t('meetings.decision_proposal', { text: d.text, outcome: t(`meetings.outcome_${d.outcome}`) }) : d.kind === 'poll' ? t('meetings.decision_poll', { text: d.text }) : t('meetings.decision_resolution', { text: d.text });
  const votes = votesLine(t, d);
  return votes ? `${head}\n${votes}` : head;
}

/** Attendance against the body, as one line. */
export function attendanceLine(t: TFn, s: AttendanceSummary): string {
  if (!s.members.length) return t('meetings.attendance_open', { present: s.present + s.others });
  return t(s.quorate ? 'meetings.attendance_quorate' : 'meetings.attendance_short', { members: s.members.length, present: s.present, others: s.others, needed: s.needed });
}

/** A meeting's card for committee members and the CLI: when, where, agenda, attendance, record. */
export function meetingCard(t: TFn, m: FullMeeting, s: AttendanceSummary): string {
  const lines = [
    t('meetings.card_head', { number: m.number, body: bodyName(t, m.body), title: m.title }),
    t('meetings.card_when', { when: m.startsAt, place: m.place }),
    t(`meetings.status_${m.status}`),
    t('meetings.card_agenda'),
  ];
  for (const item of m.agenda) {
    lines.push(`${ordinal(t, item.position)}${item.title}${item.minutes ? t('meetings.card_minuted') : ''}`);
    for (const d of m.decisions.filter((x) => x.agendaItemId === item.id)) lines.push(`  ${decisionLine(t, d)}`);
  }
  lines.push(attendanceLine(t, s));
  return lines.join('\n');
}

/** Who signed in, for the minutes: members first, then others (列席). */
function attendeesLines(t: TFn, m: FullMeeting, s: AttendanceSummary): string[] {
  const memberIds = new Set(s.members.map((x) => x.personId));
  const present = m.attendance.filter((a) => memberIds.has(a.personId)).map((a) => a.name);
  const absent = s.members.filter((x) => !m.attendance.some((a) => a.personId === x.personId)).map((x) => x.name);
  const others = m.attendance.filter((a) => !memberIds.has(a.personId)).map((a) => a.name);
  const lines = [];
  if (present.length) lines.push(t('meetings.minutes_present', { names: present.join('、') }));
  if (absent.length) lines.push(t('meetings.minutes_absent', { names: absent.join('、') }));
  if (others.length) lines.push(t('meetings.minutes_others', { names: others.join('、') }));
  return lines;
}

/** The minutes as published: a title, the period (the month) and the body text. */
export function minutesRenderer(t: TFn, timeZone: string): MinutesRenderer {
  return (m, s) => {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(m.startsAt);
    const year = parts.find((p) => p.type === 'year')!.value;
    const month = Number(parts.find((p) => p.type === 'month')!.value);
    const lines = [
      t('meetings.minutes_meta', { body: bodyName(t, m.body), number: m.number, when: m.startsAt, place: m.place }),
      attendanceLine(t, s),
      ...attendeesLines(t, m, s),
      '',
    ];
    for (const item of m.agenda) {
      lines.push(`${ordinal(t, item.position)}${item.title}`);
      lines.push(item.minutes ?? '');
      for (const d of m.decisions.filter((x) => x.agendaItemId === item.id)) lines.push(decisionLine(t, d));
      lines.push('');
    }
    return { title: t('meetings.minutes_title', { body: bodyName(t, m.body), title: m.title }).slice(0, 60), period: t('meetings.minutes_period', { year, month }), body: lines.join('\n').trim() };
  };
}
