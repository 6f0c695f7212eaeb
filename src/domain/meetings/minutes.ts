/**
 * The secretary's record of a meeting: minutes per agenda item and the decisions taken — a
 * resolution on record, a poll opened (the polls domain), a proposal moved (the proposals
 * lifecycle). A vote taken in the room names the attendees signed in at that moment. Published
 * minutes are a 居务 disclosure, so they join the community's hash chain; after that only a
 * correction with a reason changes them, and it is a new version of that disclosure.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import type { Disclosure, DisclosureVersion, MeetingAgendaItem, MeetingDecision } from '../../generated/prisma/client.ts';
import { correctDisclosure, publishDisclosure } from '../disclosures/disclosures.ts';
import { createPoll, type PollWithOptions } from '../polls/polls.ts';
import { rejectProposal, shortlistProposal, startReview } from '../proposals/proposals.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import { attendanceOf, type AttendanceSummary } from './attendance.ts';
import { FULL_MEETING, getMeeting, type FullMeeting, type MeetingActing } from './meetings.ts';
import { chars, LIMITS, multiLine, oneLine, PROPOSAL_OUTCOMES, type ProposalOutcome } from './states.ts';

/** The disclosure category minutes are published in (居务). */
export const MINUTES_CATEGORY = 'affairs';

const auditOf = (acting: MeetingActing) => ({ actorId: acting.via === 'cli' ? null : acting.actor.personId, via: acting.via });

/** Loads an agenda item with its meeting for the secretary, refusing others and cancelled meetings. */
async function itemForSecretary(db: Db, acting: MeetingActing, itemId: string) {
  const item = await db.meetingAgendaItem.findUnique({ where: { id: itemId }, include: { meeting: true } });
  if (!item) throw new DomainError('meetings.not_found');
  requirePermission(acting.actor, 'meeting.manage', item.meeting.communityId);
  if (item.meeting.status === 'cancelled') throw new DomainError('meetings.cancelled');
  return item;
}

/** Checks a minutes text: not empty, at most LIMITS.minutes characters. */
export function checkMinutes(raw: string): string {
  const text = multiLine(raw);
  if (chars(text) < 2) throw new DomainError('meetings.minutes_empty');
  if (chars(text) > LIMITS.minutes) throw new DomainError('meetings.minutes_too_long', { max: LIMITS.minutes, length: chars(text) });
  return text;
}

/** Refuses anything before the meeting began. */
function checkBegun(meeting: { startsAt: Date }, now: Date): void {
  if (meeting.startsAt.getTime() > now.getTime()) throw new DomainError('meetings.not_begun', { when: meeting.startsAt });
}

/** Records (or rewrites, before publication) the minutes of one agenda item. */
export async function recordMinutes(db: Db, acting: MeetingActing, itemId: string, raw: string): Promise<MeetingAgendaItem> {
  const item = await itemForSecretary(db, acting, itemId);
  if (item.meeting.status === 'published') throw new DomainError('meetings.minutes_published');
  checkBegun(item.meeting, acting.now);
  const minutes = checkMinutes(raw);
  const { count } = await db.meetingAgendaItem.updateMany({ where: { id: itemId, meeting: { status: 'scheduled' } }, data: { minutes, minutesAt: acting.now } });
  if (!count) throw new DomainError('meetings.minutes_published');
  await recordAudit(db, { ...auditOf(acting), action: 'meeting.minutes', communityId: item.meeting.communityId, targetType: 'meetingAgendaItem', targetId: itemId, details: { meeting: item.meeting.number, position: item.position, chars: chars(minutes) } });
  return db.meetingAgendaItem.findUniqueOrThrow({ where: { id: itemId } });
}

/** Votes counted in the room. */
export interface InPersonVotes {
  for: number;
  against: number;
  abstain: number;
}

/** A decision as the secretary records it. */
export type DecisionInput =
  | { kind: 'resolution'; text: string; votes?: InPersonVotes | null }
  | { kind: 'proposal'; proposalId: string; outcome: ProposalOutcome; text: string; votes?: InPersonVotes | null }
  | { kind: 'poll'; question: string; closesAt: Date };

/** What recording a decision did (the poll, when one was opened, for the feature to post). */
export interface Decided {
  decision: MeetingDecision;
  poll?: PollWithOptions;
}

/** The voters of an in-person vote: the members signed in (or everyone signed in, for a body without a list). */
function votersOf(meeting: FullMeeting, summary: AttendanceSummary) {
  const members = new Set(summary.members.map((m) => m.personId));
  const rows = summary.members.length ? meeting.attendance.filter((a) => members.has(a.personId)) : meeting.attendance;
  return rows.map((a) => ({ personId: a.personId, name: a.name }));
}

/** Checks in-person votes against the voters present. */
function checkVotes(votes: InPersonVotes, voters: number): void {
  const all = [votes.for, votes.against, votes.abstain];
  if (all.some((n) => !Number.isInteger(n) || n < 0)) throw new DomainError('meetings.bad_votes');
  const total = all.reduce((a, b) => a + b, 0);
  if (total === 0) throw new DomainError('meetings.bad_votes');
  if (total > voters) throw new DomainError('meetings.votes_exceed', { total, voters });
}

/**
 * Records a decision on an agenda item (committee; audited): a resolution on record, a proposal
 * moved through its lifecycle, or a poll opened for the residents. Refused before the meeting
 * began and after its minutes were published.
 */
export async function recordDecision(db: Db, acting: MeetingActing, itemId: string, input: DecisionInput): Promise<Decided> {
  const item = await itemForSecretary(db, acting, itemId);
  if (item.meeting.status === 'published') throw new DomainError('meetings.minutes_published');
  checkBegun(item.meeting, acting.now);
  const meeting = await getMeeting(db, item.meetingId);
  let votes: InPersonVotes | null = null;
  let voters: { personId: string; name: string }[] | null = null;
  if (input.kind !== 'poll' && input.votes) {
    voters = votersOf(meeting, await attendanceOf(db, meeting));
    checkVotes(input.votes, voters.length);
    votes = input.votes;
  }
  let text: string;
  let refId: string | null = null;
  let outcome: string | null = null;
  let poll: PollWithOptions | undefined;
  if (input.kind === 'resolution') {
    text = multiLine(input.text);
    if (chars(text) < 2 || chars(text) > LIMITS.decision) throw new DomainError('meetings.bad_decision', { max: LIMITS.decision });
  } else if (input.kind === 'proposal') {
    if (!PROPOSAL_OUTCOMES.includes(input.outcome)) throw new DomainError('meetings.bad_decision', { max: LIMITS.decision });
    text = oneLine(input.text ?? '');
    if (chars(text) > LIMITS.decision) throw new DomainError('meetings.bad_decision', { max: LIMITS.decision });
    const proposal = await db.proposal.findUnique({ where: { id: input.proposalId } });
    if (!proposal || proposal.communityId !== meeting.communityId) throw new DomainError('meetings.agenda_unknown_ref');
    const acting2 = { actor: acting.actor, via: acting.via, now: acting.now };
    if (input.outcome === 'shortlisted') await shortlistProposal(db, acting2, proposal.id, text || undefined);
    else if (input.outcome === 'rejected') await rejectProposal(db, acting2, proposal.id, text);
    else await startReview(db, acting2, proposal.id);
    refId = proposal.id;
    outcome = input.outcome;
    text = text || `#${proposal.number} ${proposal.title}`;
  } else {
    poll = await createPoll(
      db,
      { actor: acting.actor, via: acting.via },
      meeting.communityId,
      { question: input.question, options: 'standard', maxChoices: 1, electorate: 'residents', anonymous: false, allowChange: true, closesAt: input.closesAt, quorum: { kind: 'none' }, rule: 'majority', liveResults: true },
      acting.now,
    );
    refId = poll.id;
    text = poll.question;
  }
  const decision = await db.$transaction(async (tx) => {
    const d = await tx.meetingDecision.create({
      data: {
        meetingId: meeting.id,
        agendaItemId: itemId,
        kind: input.kind,
        text,
        refId,
        outcome,
        votesFor: votes?.for ?? null,
        votesAgainst: votes?.against ?? null,
        votesAbstain: votes?.abstain ?? null,
        voters: voters ? JSON.stringify(voters) : null,
        at: acting.now,
        recordedById: auditOf(acting).actorId,
      },
    });
    await recordAudit(tx, { ...auditOf(acting), action: 'meeting.decision', communityId: meeting.communityId, targetType: 'meetingDecision', targetId: d.id, details: { meeting: meeting.number, kind: input.kind, refId, outcome, votes, voters: voters?.length ?? null } });
    return d;
  });
  return { decision, poll };
}

/** The voters named with an in-person vote. */
export function votersOfDecision(d: Pick<MeetingDecision, 'voters'>): { personId: string; name: string }[] {
  return d.voters ? (JSON.parse(d.voters) as { personId: string; name: string }[]) : [];
}

/** How the feature words the published minutes (in the community's language). */
export type MinutesRenderer = (meeting: FullMeeting, attendance: AttendanceSummary) => { title: string; period: string; body: string };

/**
 * Publishes the minutes (committee; audited through the disclosure): every agenda item needs its
 * minutes, the meeting must have begun. The meeting is claimed first, so two secretaries pressing
 * at once publish once; a failed publication gives the claim back.
 */
export async function publishMinutes(db: Db, acting: MeetingActing, meetingId: string, render: MinutesRenderer): Promise<{ meeting: FullMeeting; disclosure: Disclosure; version: DisclosureVersion }> {
  const meeting = await getMeeting(db, meetingId);
  requirePermission(acting.actor, 'meeting.manage', meeting.communityId);
  if (meeting.status === 'published') throw new DomainError('meetings.already_published');
  if (meeting.status === 'cancelled') throw new DomainError('meetings.cancelled');
  checkBegun(meeting, acting.now);
  const missing = meeting.agenda.find((i) => !i.minutes);
  if (missing) throw new DomainError('meetings.minutes_missing', { position: missing.position, title: missing.title });
  const summary = await attendanceOf(db, meeting);
  const rendered = render(meeting, summary);
  const { count } = await db.meeting.updateMany({ where: { id: meetingId, status: 'scheduled' }, data: { status: 'published', minutesPublishedAt: acting.now, memberCount: summary.members.length } });
  if (!count) throw new DomainError('meetings.already_published');
  try {
    const { disclosure, version } = await publishDisclosure(db, acting.actor, acting.via, meeting.communityId, { category: MINUTES_CATEGORY, period: rendered.period, title: rendered.title, body: rendered.body, statement: null }, acting.now);
    await db.meeting.update({ where: { id: meetingId }, data: { minutesDisclosureId: disclosure.id } });
    return { meeting: await db.meeting.findUniqueOrThrow({ where: { id: meetingId }, include: FULL_MEETING }), disclosure, version };
  } catch (err) {
    await db.meeting.updateMany({ where: { id: meetingId, status: 'published', minutesDisclosureId: null }, data: { status: 'scheduled', minutesPublishedAt: null, memberCount: null } });
    throw err;
  }
}

/**
 * Corrects the published minutes of an item: a new version of the minutes' disclosure with the
 * reason (committee). The disclosure is corrected first; the item's text changes only if that
 * succeeded, so a refused correction loses nothing.
 */
export async function correctMinutes(db: Db, acting: MeetingActing, itemId: string, raw: string, reason: string, render: MinutesRenderer): Promise<{ disclosure: Disclosure; version: DisclosureVersion }> {
  const item = await itemForSecretary(db, acting, itemId);
  if (item.meeting.status !== 'published' || !item.meeting.minutesDisclosureId) throw new DomainError('meetings.not_published');
  const minutes = checkMinutes(raw);
  const cleanReason = oneLine(reason ?? '');
  if (chars(cleanReason) < 2 || chars(cleanReason) > LIMITS.reason) throw new DomainError('meetings.bad_reason', { max: LIMITS.reason });
  const meeting = await getMeeting(db, item.meetingId);
  const corrected = { ...meeting, agenda: meeting.agenda.map((i) => (i.id === itemId ? { ...i, minutes } : i)) };
  const rendered = render(corrected, await attendanceOf(db, meeting));
  const { disclosure, version } = await correctDisclosure(db, acting.actor, acting.via, item.meeting.minutesDisclosureId, { body: rendered.body, statement: null, reason: cleanReason }, acting.now);
  await db.meetingAgendaItem.update({ where: { id: itemId }, data: { minutes, minutesAt: acting.now } });
  return { disclosure, version };
}
