/**
 * Paper ballots of household polls (issue 16, item 5): one printed ballot per household of the
 * electorate, each with a code; a returned ballot entered by a committee member or the
 * building's 楼栋长 (by its code or its unit); corrections with a reason. A paper vote is the
 * household's participation like an online one (voterKey `h:<household>`, source `paper`), so
 * the unique (pollId, voterKey) of the database refuses a second ballot of a household whichever
 * came first; the refusal says when and how it voted. In an anonymous poll the paper ballot is
 * found again for a correction only through the keyed hash (secrecy.ts), cut at the close.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import { recordAudit, recordAudits } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import { electorateOf } from '../register/electorate.ts';
import { seesWholeRegister } from '../register/leads.ts';
import { electorateScope, readScope } from '../register/scope.ts';
import { canonicalUnit, compareUnits } from '../register/units.ts';
import { findBallot, insertChoice, insertPaperBallots, insertPaperParticipations, lockPollForVote, type Tap } from './ballots.ts';
import { alreadyVotedByHand } from './paperRefusals.ts';
import { isOpen, POLL_INCLUDE, type ActorRef, type PollWithOptions } from './polls.ts';
import type { BallotSeal } from './secrecy.ts';

/** The letters of a ballot code: no 0/O, 1/I/L, so a clerk reads a smudged ballot right. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** Longest reason of a correction (characters). */
const MAX_REASON = 200;

/** A printed ballot: the household's unit and its code. */
export interface PrintedBallot {
  householdId: string;
  unit: string;
  code: string;
}

/** "P3-7KQM-2XHD": the poll's number, then eight random letters. */
function newBallotCode(pollNumber: number): string {
  const letters = [...randomBytes(8)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
  return `P${pollNumber}-${letters.slice(0, 4)}-${letters.slice(4)}`;
}

/** A code as typed or scanned: any case, full-width, with or without dashes and spaces. */
export function normalizeBallotCode(raw: string): string | null {
  const s = raw.normalize('NFKC').toUpperCase().replace(/[\s\-—_]/g, '');
  const m = /^P(\d{1,6})([2-9A-HJKMNP-Z]{4})([2-9A-HJKMNP-Z]{4})$/.exec(s);
  return m ? `P${m[1]}-${m[2]}-${m[3]}` : null;
}

export function requireHouseholdPoll(poll: PollWithOptions): void {
  if (poll.electorate !== 'households') throw new DomainError('ballots.not_household_poll', { number: poll.number });
}

/**
 * The ballots to print for a household poll (committee): one per household of the electorate,
 * in unit order. A household printed before keeps its code, so a reprint never makes a second
 * valid ballot. Refused without a register (there is nobody to print for) and after the close.
 */
export async function printPaperBallots(db: Db, by: ActorRef, pollId: string, now: Date): Promise<{ poll: PollWithOptions; ballots: PrintedBallot[]; created: number; buildings: string[] | null }> {
  const poll = await db.poll.findUnique({ where: { id: pollId }, include: POLL_INCLUDE });
  if (!poll) throw new DomainError('polls.not_found', { ref: '' });
  // Whoever enters the returned ballots may print them: the committee all, a 楼栋长 their buildings'.
  requirePermission(by.actor, 'poll.paper', poll.communityId);
  requireHouseholdPoll(poll);
  if (poll.status !== 'open' && poll.status !== 'scheduled') throw new DomainError('ballots.poll_over', { number: poll.number });
  const electorate = await pollHouseholds(db, poll);
  if (electorate.base !== 'register' || !electorate.count) throw new DomainError('ballots.no_register');
  let households = electorate.households;
  let buildings: string[] | null = null;
  if (!seesWholeRegister(by.actor, poll.communityId)) {
    const leads = await db.buildingLead.findMany({ where: { personId: by.actor.personId, building: { communityId: poll.communityId } }, include: { building: true } });
    const own = new Set(leads.map((l) => l.buildingId));
    households = households.filter((h) => h.buildingId && own.has(h.buildingId));
    buildings = leads.map((l) => l.building.name).sort(compareUnits);
    if (!households.length) throw new DomainError('ballots.print_none');
  }
  const existing = new Map((await db.paperBallot.findMany({ where: { pollId } })).map((b) => [b.householdId, b.code]));
  const fresh = households.filter((h) => !existing.has(h.id)).map((h) => ({ id: randomUUID(), pollId, householdId: h.id, code: newBallotCode(poll.number), printedAt: now, printedById: by.actor.personId }));
  await db.$transaction(async (tx) => {
    if (fresh.length) await tx.paperBallot.createMany({ data: fresh });
    await recordAudit(tx, { actorId: by.actor.personId, via: by.via, action: 'poll.ballots_print', communityId: poll.communityId, targetType: 'poll', targetId: poll.id, details: { number: poll.number, ballots: households.length, new: fresh.length, ...(buildings ? { buildings } : {}) } });
  });
  for (const f of fresh) existing.set(f.householdId, f.code);
  return { poll, ballots: households.map((h) => ({ householdId: h.id, unit: h.unit, code: existing.get(h.id)! })), created: fresh.length, buildings };
}

/** The households a poll counts: the register within the poll's scope (buildings, 居民小组). */
export function pollHouseholds(db: Db, poll: { communityId: string; scope?: string | null }) {
  return electorateOf(db, poll.communityId, electorateScope(readScope(poll.scope)));
}

/** Which household a returned ballot is: its printed code, or its unit as typed. */
export type BallotRef = { code: string } | { unit: string };

/** The household of a returned ballot, checked against the poll, the electorate and the enterer. */
export async function householdOfBallot(db: Db, by: ActorRef, poll: PollWithOptions, ref: BallotRef): Promise<{ id: string; unit: string; buildingId: string | null }> {
  let householdId: string;
  if ('code' in ref) {
    const code = normalizeBallotCode(ref.code);
    const printed = code ? await db.paperBallot.findUnique({ where: { code } }) : null;
    if (!printed) throw new DomainError('ballots.bad_code', { code: ref.code.slice(0, 20) });
    if (printed.pollId !== poll.id) throw new DomainError('ballots.code_other_poll', { code: printed.code, number: poll.number });
    householdId = printed.householdId;
  } else {
    const unit = canonicalUnit(ref.unit);
    const found = unit ? await db.household.findUnique({ where: { communityId_unit: { communityId: poll.communityId, unit } } }) : null;
    if (!found) throw new DomainError('ballots.unknown_unit', { unit: ref.unit.slice(0, 40) });
    householdId = found.id;
  }
  const electorate = await pollHouseholds(db, poll);
  const household = electorate.households.find((h) => h.id === householdId);
  if (!household) {
    const row = await db.household.findUnique({ where: { id: householdId } });
    throw new DomainError('ballots.not_in_electorate', { unit: row?.unit ?? '' });
  }
  if (!seesWholeRegister(by.actor, poll.communityId)) {
    const lead = household.buildingId ? await db.buildingLead.findUnique({ where: { buildingId_personId: { buildingId: household.buildingId, personId: by.actor.personId } } }) : null;
    if (!lead) throw new DomainError('ballots.not_your_building', { unit: household.unit });
  }
  return household;
}

/** The options a ballot marks, by position: at least one, none twice, at most maxChoices. */
export function optionIdsOf(poll: PollWithOptions, positions: number[]): string[] {
  const unique = [...new Set(positions)];
  const options = unique.map((p) => poll.options.find((o) => o.position === p));
  if (!unique.length || unique.length !== positions.length || options.some((o) => !o) || unique.length > poll.maxChoices) {
    throw new DomainError('ballots.bad_choice', { n: poll.options.length, k: poll.maxChoices });
  }
  return options.map((o) => o!.id);
}

/** Refuses an entry outside the voting time, naming the close. */
export function requireVotingTime(poll: PollWithOptions, now: Date): void {
  if (isOpen(poll, now)) return;
  if (poll.status === 'scheduled' || (poll.status === 'open' && poll.opensAt > now)) throw new DomainError('ballots.not_yet', { number: poll.number, when: poll.opensAt });
  throw new DomainError('ballots.after_close', { number: poll.number, when: poll.closedAt ?? poll.closesAt });
}

/** What entering a ballot did. */
export interface PaperOutcome {
  unit: string;
  positions: number[];
}

/**
 * What entering and correcting a returned ballot both check first: the poll (a household poll,
 * open), the enterer's right, the ballot's household and the marked options.
 */
async function returnedBallot(db: Db, by: ActorRef, pollId: string, ref: BallotRef, positions: number[], now: Date): Promise<{ poll: PollWithOptions; household: { id: string; unit: string }; optionIds: string[]; voterKey: string }> {
  const poll = await db.poll.findUnique({ where: { id: pollId }, include: POLL_INCLUDE });
  if (!poll) throw new DomainError('polls.not_found', { ref: '' });
  requirePermission(by.actor, 'poll.paper', poll.communityId);
  requireHouseholdPoll(poll);
  requireVotingTime(poll, now);
  const household = await householdOfBallot(db, by, poll, ref);
  const optionIds = optionIdsOf(poll, positions);
  const voterKey = `h:${household.id}`;
  return { poll, household, optionIds, voterKey };
}

/**
 * Enters a returned paper ballot. The participation insert is the guard: a household that voted
 * already (online, on paper, at a meeting) has one, and the unique index refuses a second — the
 * answer then says when and how it voted.
 */
export async function enterPaperBallot(db: Db, seal: BallotSeal, by: ActorRef, pollId: string, ref: BallotRef, positions: number[], now: Date): Promise<PaperOutcome> {
  const { poll, household } = await returnedBallot(db, by, pollId, ref, positions, now);
  const [refused] = await storePaperBallots(db, seal, by, poll, [{ household, positions, by: 'code' in ref ? 'code' : 'unit' }], now);
  if (refused) throw refused;
  return { unit: household.unit, positions: [...positions].sort((a, b) => a - b) };
}

/** A returned ballot checked against its poll, the electorate and the enterer, ready to store. */
export interface CheckedPaperBallot {
  household: { id: string; unit: string };
  /** The options marked, by position. */
  positions: number[];
  /** How the clerk named it (the audit says): its printed code or its unit. */
  by: 'code' | 'unit';
}

/** Ballots stored per transaction: a close, a tap or a reader waits for one chunk at most. */
const STORE_CHUNK = 250;

/**
 * Stores returned paper ballots that the caller checked against `poll` — one ballot from
 * enterPaperBallot, a whole file from paperBatch.ts, which reads the register, the electorate
 * and who voted once for all its rows instead of once per row. Per ballot the rows a single
 * entry has always written: the participation (source paper, enteredById), the ballot and its
 * choices, an audit entry. The unique (pollId, voterKey) of the participation stays the guard:
 * a household that has one — voted online or on paper meanwhile, or twice in `ballots` — is
 * refused with when and how it voted, the others are stored. Written a chunk per transaction,
 * each first checking that the poll is open (holding its row on PostgreSQL, as a tap does), so
 * a close that commits first refuses the rest. Returns, in order, null for a ballot stored or
 * its refusal.
 */
export async function storePaperBallots(db: Db, seal: BallotSeal, by: ActorRef, poll: PollWithOptions, ballots: CheckedPaperBallot[], now: Date): Promise<(DomainError | null)[]> {
  requirePermission(by.actor, 'poll.paper', poll.communityId);
  requireHouseholdPoll(poll);
  // Sealed even in a final anonymous poll: a correction must find the ballot until the close.
  const link = poll.anonymous ? 'sealed' : 'named';
  if (poll.anonymous) await seal.ready(db);
  const rows = ballots.map((b) => {
    const voterKey = `h:${b.household.id}`;
    return {
      ballot: b,
      rows: {
        participationId: randomUUID(),
        ballotId: randomUUID(),
        voterKey,
        voterName: poll.anonymous ? null : b.household.unit,
        hash: poll.anonymous ? seal.hash(poll.id, voterKey) : null,
        optionIds: optionIdsOf(poll, b.positions),
      },
    };
  });
  const out: (DomainError | null)[] = [];
  for (let i = 0; i < rows.length; i += STORE_CHUNK) {
    const chunk = rows.slice(i, i + STORE_CHUNK);
    out.push(
      ...(await db.$transaction(async (tx) => {
        await lockPollForVote(tx, poll.id);
        const fresh = await tx.poll.findUnique({ where: { id: poll.id }, select: { status: true, opensAt: true, closesAt: true } });
        if (!fresh || !isOpen(fresh, now)) return chunk.map(() => new DomainError('ballots.after_close', { number: poll.number, when: poll.closesAt }));
        const inserted = new Set((await insertPaperParticipations(tx, poll.id, by.actor.personId, now, chunk.map((c) => c.rows))).map((r) => r.id));
        const stored = chunk.filter((c) => inserted.has(c.rows.participationId));
        if (stored.length) {
          await insertPaperBallots(tx, poll.id, link, stored.map((c) => c.rows));
          await tx.poll.updateMany({ where: { id: poll.id, firstVoteAt: null }, data: { firstVoteAt: now } });
          await recordAudits(
            tx,
            stored.map(({ ballot }) => ({
              actorId: by.actor.personId,
              via: by.via,
              action: 'poll.paper_entry',
              communityId: poll.communityId,
              targetType: 'poll',
              targetId: poll.id,
              // An anonymous poll's audit never says what the household chose.
              details: { number: poll.number, unit: ballot.household.unit, by: ballot.by, ...(poll.anonymous ? {} : { positions: ballot.positions }) },
            })),
          );
        }
        const refused = chunk.filter((c) => !inserted.has(c.rows.participationId));
        const existing = refused.length ? new Map((await tx.pollParticipation.findMany({ where: { pollId: poll.id, voterKey: { in: refused.map((c) => c.rows.voterKey) } } })).map((p) => [p.voterKey, p])) : new Map();
        return chunk.map((c) => {
          if (inserted.has(c.rows.participationId)) return null;
          const had = existing.get(c.rows.voterKey);
          // Not inserted, yet no participation to name: it went again meanwhile (/forgetme). Rare; entered again by hand.
          return had ? alreadyVotedByHand(had, c.ballot.household.unit) : new DomainError('ballots.enter_again', { unit: c.ballot.household.unit });
        });
      })),
    );
  }
  return out;
}

/**
 * Corrects a paper ballot entered wrongly (the clerk ticked the wrong box), while the poll is
 * open; the reason and who corrected it are audited. A household's online ballot is the
 * household's own and is never corrected by hand.
 */
export async function correctPaperBallot(db: Db, seal: BallotSeal, by: ActorRef, pollId: string, ref: BallotRef, positions: number[], reason: string, now: Date): Promise<PaperOutcome> {
  const clean = reason.replace(/[\p{Cc}\p{Cf}]/gu, ' ').trim();
  if ([...clean].length < 2) throw new DomainError('ballots.reason_needed');
  if ([...clean].length > MAX_REASON) throw new DomainError('ballots.reason_long', { max: MAX_REASON });
  const { poll, household, optionIds, voterKey } = await returnedBallot(db, by, pollId, ref, positions, now);
  const existing = await db.pollParticipation.findUnique({ where: { pollId_voterKey: { pollId, voterKey } } });
  if (!existing) throw new DomainError('ballots.nothing_to_correct', { unit: household.unit });
  if (existing.source !== 'paper') throw alreadyVotedByHand(existing, household.unit);
  if (poll.anonymous) await seal.ready(db);
  const tap: Tap = { pollId, voterKey, advisory: false, personId: by.actor.personId, voterName: null, optionId: optionIds[0], link: poll.anonymous ? 'sealed' : 'named', hash: poll.anonymous ? seal.hash(pollId, voterKey) : null, now, source: 'paper' };
  await db.$transaction(async (tx) => {
    const ballot = await findBallot(tx as unknown as Db, tap, existing.id);
    if (!ballot) throw new DomainError('ballots.nothing_to_correct', { unit: household.unit });
    const before = poll.options.filter((o) => ballot.optionIds.includes(o.id)).map((o) => o.position);
    await tx.ballotChoice.deleteMany({ where: { ballotId: ballot.id } });
    for (const optionId of optionIds) await insertChoice(tx, ballot.id, optionId);
    await tx.pollParticipation.update({ where: { id: existing.id }, data: { enteredById: by.actor.personId, updatedAt: now } });
    await recordAudit(tx, {
      actorId: by.actor.personId,
      via: by.via,
      action: 'poll.paper_correct',
      communityId: poll.communityId,
      targetType: 'poll',
      targetId: pollId,
      details: { number: poll.number, unit: household.unit, reason: clean, ...(poll.anonymous ? {} : { from: before, to: positions }) },
    });
  });
  return { unit: household.unit, positions: [...positions].sort((a, b) => a - b) };
}
