/**
 * A meeting's states and the rules that hang on them: scheduled (announced, then held and
 * minuted) → published (its minutes are a disclosure; from then on only a correction with a
 * reason changes them), or cancelled. Sign-in is open on the meeting's day only.
 */
import { localDate } from '../disclosures/period.ts';

export const MEETING_STATUSES = ['scheduled', 'published', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

/** Longest texts a meeting keeps (characters). */
export const LIMITS = {
  title: 60,
  place: 60,
  agendaTitle: 100,
  agendaItems: 20,
  minutes: 3000,
  decision: 500,
  reason: 200,
} as const;

/** How far ahead a meeting may be scheduled (as far as the time parser of announcements reads). */
export const MAX_AHEAD_DAYS = 90;

/** Agenda item kinds: free text, or something Linli already keeps. */
export const AGENDA_KINDS = ['text', 'proposal', 'poll', 'request'] as const;
export type AgendaKind = (typeof AGENDA_KINDS)[number];

/** Decision kinds. */
export const DECISION_KINDS = ['resolution', 'poll', 'proposal'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** Proposal moves a meeting may decide (through the proposals lifecycle). */
export const PROPOSAL_OUTCOMES = ['under_review', 'shortlisted', 'rejected'] as const;
export type ProposalOutcome = (typeof PROPOSAL_OUTCOMES)[number];

/** True when `now` falls on the meeting's calendar day in the time zone. */
export function isMeetingDay(startsAt: Date, now: Date, timeZone: string): boolean {
  const a = localDate(startsAt, timeZone);
  const b = localDate(now, timeZone);
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

/** Characters of a text (a Chinese character is one). */
export const chars = (s: string) => [...s].length;

/** Collapses whitespace and control characters of a one-line text. */
export function oneLine(raw: string): string {
  return raw.replace(/[\p{Cc}\p{Cf}]/gu, ' ').replace(/\s+/g, ' ').trim();
}

/** Normalises a multi-line text (minutes): line ends, trailing spaces, control characters. */
export function multiLine(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(/[^\P{Cc}\n]/gu, ' ')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();
}
