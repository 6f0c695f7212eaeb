/**
 * Counts from a meeting held in person (/inperson), merged into the result. Counts that cannot
 * be true are refused (issue 14, item 2): more voters than the meeting's named attendees, more
 * than the electorate once the online and paper ballots are added, an option above the voters.
 * The attendees are named from the register (units), so nobody is counted twice: in a household
 * poll each attending household gets its participation (source `inperson`), and the unique
 * (pollId, voterKey) refuses a household that voted online or on paper — and later taps of it;
 * in residents' and council polls each verified member (council: seat holder) of an attending
 * household gets one under their own key, with the same effect for persons. A second entry
 * never silently replaces the first: the caller must say `replace`.
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../errors.ts';
import { isUniqueViolation, type Db } from '../../db/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import { electorateOf } from '../register/electorate.ts';
import { canonicalUnit } from '../register/units.ts';
import { pollElectorate } from './electorate.ts';
import { alreadyVotedByHand } from './paperRefusals.ts';
import { countVotes, POLL_INCLUDE, type ActorRef } from './polls.ts';

/** The most attendees one entry names. */
export const MAX_ATTENDEES = 2000;

/** An in-person entry as the committee gives it. */
export interface InPersonEntry {
  /** Votes per option, in position order. */
  counts: number[];
  /** People (households) who voted; single choice: the sum of the counts. */
  voters: number | null;
  /** Units of the attending households as typed; required once the community has a register. */
  attendees: string[];
  /** Replace an earlier entry (asked for explicitly). */
  replace: boolean;
  note?: string | null;
}

/** Enters (or, asked to, replaces) the in-person counts of a poll (committee). */
export async function enterInPersonCounts(db: Db, by: ActorRef, pollId: string, entry: InPersonEntry, now: Date): Promise<{ voters: number; attendees: number; replaced: boolean }> {
  const poll = await db.poll.findUnique({ where: { id: pollId }, include: POLL_INCLUDE });
  if (!poll) throw new DomainError('polls.not_found', { ref: '' });
  requirePermission(by.actor, 'poll.manage', poll.communityId);
  if (poll.status !== 'open' && poll.status !== 'scheduled') throw new DomainError('polls.not_open_now');
  const { counts } = entry;
  const n = poll.options.length;
  if (counts.length !== n || counts.some((c) => !Number.isInteger(c) || c < 0 || c > 100_000)) throw new DomainError('polls.inperson_bad_counts', { n });
  const total = counts.reduce((a, b) => a + b, 0);
  // Single choice: everyone who voted picked exactly one option. Multiple choice: state it.
  const people = poll.maxChoices === 1 ? total : entry.voters;
  if (people === null || !Number.isInteger(people) || people < 0 || people > 100_000) throw new DomainError('polls.inperson_voters_needed');
  if (poll.maxChoices === 1 && entry.voters !== null && entry.voters !== total) throw new DomainError('polls.inperson_bad_counts', { n });
  if (counts.some((c) => c > people) || total > people * poll.maxChoices) throw new DomainError('polls.inperson_bad_counts', { n });

  const earlier = await db.inPersonCount.findMany({ where: { pollId } });
  if (earlier.length && !entry.replace) {
    const at = earlier.reduce((a, r) => (r.at > a ? r.at : a), earlier[0].at);
    const byOption = new Map(earlier.map((r) => [r.optionId, r.count]));
    throw new DomainError(`ballots.inperson_exists_${poll.electorate === 'households' ? 'households' : 'people'}`, { number: poll.number, when: at, counts: poll.options.map((o) => byOption.get(o.id) ?? 0).join(' '), voters: poll.inPersonVoters ?? 0 });
  }

  // The attendees, from the register.
  const register = await electorateOf(db, poll.communityId);
  const attendees: { id: string; unit: string }[] = [];
  if (register.base === 'register') {
    if (!entry.attendees.length) throw new DomainError('ballots.inperson_attendees_needed', { number: poll.number });
    if (entry.attendees.length > MAX_ATTENDEES) throw new DomainError('ballots.inperson_too_many_attendees', { max: MAX_ATTENDEES });
    const byUnit = new Map(register.households.map((h) => [h.unit, h]));
    const seen = new Set<string>();
    for (const typed of entry.attendees) {
      const unit = canonicalUnit(typed);
      const household = unit ? byUnit.get(unit) : undefined;
      if (!household) throw new DomainError('ballots.inperson_unknown_unit', { unit: typed.slice(0, 40) });
      if (seen.has(household.id)) throw new DomainError('ballots.inperson_unit_twice', { unit: household.unit });
      seen.add(household.id);
      attendees.push({ id: household.id, unit: household.unit });
    }
    // Never more voters than attending households in a household poll. A residents' or council
    // poll has no such bound: one household may send several residents (some verifying only
    // later, see inPersonForNewMember); the electorate's size below bounds it.
    if (poll.electorate === 'households' && people > attendees.length) throw new DomainError('ballots.inperson_more_than_attendees_households', { voters: people, attendees: attendees.length });
  }

  // Never more ballots than the electorate, online, paper and meeting together.
  const [electorate, current] = await Promise.all([pollElectorate(db, poll), countVotes(db, { id: poll.id, inPersonVoters: 0 })]);
  const elsewhere = current.onlineBallots + current.paperBallots;
  if (elsewhere + people > electorate.size) {
    throw new DomainError(electorate.unit === 'households' ? 'ballots.inperson_over_electorate_households' : 'ballots.inperson_over_electorate_people', { voters: people, elsewhere, size: electorate.size });
  }

  // Outside household polls the attendee is a person of the unit, whoever it was: every verified
  // member of an attending household (council polls: who holds a council seat) gets an in-person
  // participation under their own key, so the unique (pollId, voterKey) refuses the entry when one
  // voted online already, and their later taps — under concurrency too.
  const members: { key: string; unit: string }[] = [];
  if (poll.electorate !== 'households' && attendees.length) {
    const unitOf = new Map(attendees.map((a) => [a.id, a.unit]));
    const verified = await db.membership.findMany({ where: { communityId: poll.communityId, role: 'verified', householdId: { in: attendees.map((a) => a.id) } }, select: { personId: true, householdId: true } });
    const council = poll.electorate === 'council' ? new Set((await db.membership.findMany({ where: { communityId: poll.communityId, role: 'council', personId: { in: verified.map((m) => m.personId) } }, select: { personId: true } })).map((m) => m.personId)) : null;
    for (const m of verified) if (!council || council.has(m.personId)) members.push({ key: `p:${m.personId}`, unit: unitOf.get(m.householdId!) ?? '' });
  }
  const inPersonParticipation = (voterKey: string, unit: string) => ({ id: randomUUID(), pollId, voterKey, personId: null, voterName: poll.anonymous ? null : unit, source: 'inperson', enteredById: by.actor.personId, castAt: now, updatedAt: now });
  try {
    await db.$transaction(async (tx) => {
      if (entry.replace) {
        await tx.inPersonAttendee.deleteMany({ where: { pollId } });
        await tx.pollParticipation.deleteMany({ where: { pollId, source: 'inperson' } });
      }
      for (const a of attendees) {
        await tx.inPersonAttendee.create({ data: { pollId, householdId: a.id, unit: a.unit, enteredById: by.actor.personId, at: now } });
        if (poll.electorate === 'households') await tx.pollParticipation.create({ data: inPersonParticipation(`h:${a.id}`, a.unit) });
      }
      for (const m of members) await tx.pollParticipation.create({ data: inPersonParticipation(m.key, m.unit) });
      for (const [i, option] of poll.options.entries()) {
        await tx.inPersonCount.upsert({
          where: { pollId_optionId: { pollId, optionId: option.id } },
          create: { pollId, optionId: option.id, count: counts[i], note: entry.note ?? null, enteredById: by.actor.personId, at: now },
          update: { count: counts[i], note: entry.note ?? null, enteredById: by.actor.personId, at: now },
        });
      }
      await tx.poll.update({ where: { id: pollId }, data: { inPersonVoters: people, firstVoteAt: poll.firstVoteAt ?? now } });
      await recordAudit(tx, {
        actorId: by.actor.personId,
        via: by.via,
        action: 'poll.in_person',
        communityId: poll.communityId,
        targetType: 'poll',
        targetId: pollId,
        details: { counts, voters: people, attendees: attendees.map((a) => a.unit), ...(earlier.length ? { replaced: { counts: poll.options.map((o) => earlier.find((r) => r.optionId === o.id)?.count ?? 0), voters: poll.inPersonVoters } } : {}) },
      });
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // An attending household (or member of one) that voted online or on paper, or was named by a concurrent entry.
    const keys = [...attendees.map((a) => ({ key: `h:${a.id}`, unit: a.unit })), ...members];
    const taken = await db.pollParticipation.findMany({ where: { pollId, voterKey: { in: keys.map((k) => k.key) } } });
    const first = taken[0];
    if (!first) throw err;
    throw alreadyVotedByHand(first, keys.find((k) => k.key === first.voterKey)?.unit ?? '');
  }
  return { voters: people, attendees: attendees.length, replaced: earlier.length > 0 };
}

/**
 * A person who verifies for (or moves into) a household a meeting named as attending, after the
 * counts were entered: in the open residents' and council polls of that meeting they get the
 * in-person participation the attendees' verified members got at the entry (council polls: when
 * they hold a seat), so the meeting's count is not joined by a tap of theirs. Household polls
 * need nothing: the household's own key already has it. Runs inside the verification's
 * transaction (redeemCode: any code — a slip, a 楼栋长's in-person code, a role code, a move into
 * another unit) and the account link's (linking.ts: the merged person may hold one account's
 * seat and the other's household); a participation the person has already (they voted before
 * moving, or were counted with the household they left) stays.
 * Returns the polls it applied to.
 */
export async function inPersonForNewMember(tx: Pick<Db, 'inPersonAttendee' | 'membership' | '$executeRaw'>, communityId: string, personId: string, householdId: string, now: Date): Promise<number> {
  const attended = await tx.inPersonAttendee.findMany({
    where: { householdId, poll: { communityId, status: { in: ['open', 'scheduled'] }, electorate: { in: ['residents', 'council'] } } },
    select: { unit: true, enteredById: true, poll: { select: { id: true, electorate: true, anonymous: true } } },
  });
  if (!attended.length) return 0;
  const seat = attended.some((a) => a.poll.electorate === 'council') ? await tx.membership.findUnique({ where: { personId_communityId_role: { personId, communityId, role: 'council' } } }) : null;
  let applied = 0;
  for (const a of attended) {
    if (a.poll.electorate === 'council' && !seat) continue;
    const voterName = a.poll.anonymous ? null : a.unit;
    applied += await tx.$executeRaw`INSERT INTO "PollParticipation" ("id", "pollId", "voterKey", "personId", "voterName", "advisory", "source", "enteredById", "castAt", "updatedAt")
      VALUES (${randomUUID()}, ${a.poll.id}, ${`p:${personId}`}, ${null}, ${voterName}, ${false}, 'inperson', ${a.enteredById}, ${now}, ${now}) ON CONFLICT DO NOTHING`;
  }
  return applied;
}
