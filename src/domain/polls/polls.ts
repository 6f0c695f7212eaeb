/**
 * Polls in the database: creating one (rules checked, audited), finding it by the short id its
 * buttons carry, counting the electorate, tallying and entering in-person counts. The status
 * moves are in lifecycle.ts (states.ts is their table); rendering and posting live in
 * src/features/polls.
 */
import { randomBytes } from 'node:crypto';
import { DomainError } from '../errors.ts';
import { isUniqueViolation, type Db } from '../../db/client.ts';
import type { Poll, PollOption } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { Actor } from '../residents/roles.ts';
import { householdScopeWhere, isWholeCommunity, readScope, requireScopeOfCommunity, serializeScope, WHOLE_COMMUNITY, type Scope } from '../register/scope.ts';
import { decide, validateDraft, type Electorate, type Outcome, type OptionKind, type PassRule, type PollDraft, type Quorum } from './rules.ts';

/** A poll with its options in order. */
export type PollWithOptions = Poll & { options: PollOption[] };

/** Prisma's `include` that loads a poll's options in order. */
export const POLL_INCLUDE = { options: { orderBy: { position: 'asc' as const } } };

/** Who acts and through what (audit). */
export interface ActorRef {
  actor: Actor;
  via: string;
}

/** The stored result of a closed poll (Poll.result). */
export interface PollResult extends Outcome {
  electorateSize: number;
  /** Counted votes per option id: online, in person, and advisory (never counted). */
  online: Record<string, number>;
  inPerson: Record<string, number>;
  votes: Record<string, number>;
  advisory: Record<string, number>;
  advisoryBallots: number;
  onlineBallots: number;
  inPersonVoters: number;
}

const SHORT_ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A short random id for button data (10 characters, about 50 bits). */
export function newShortId(): string {
  const bytes = randomBytes(10);
  return [...bytes].map((b) => SHORT_ID_ALPHABET[b % SHORT_ID_ALPHABET.length]).join('');
}

/** The quorum as stored on a poll row. */
export function quorumOf(poll: Pick<Poll, 'quorumKind' | 'quorumValue'>): Quorum {
  if (poll.quorumKind === 'count') return { kind: 'count', value: poll.quorumValue };
  if (poll.quorumKind === 'share') return { kind: 'share', value: poll.quorumValue };
  return { kind: 'none' };
}

/** Creates a poll after checking permission and rules; returns it with its options. */
export async function createPoll(db: Db, by: ActorRef, communityId: string, draft: PollDraft, now: Date): Promise<PollWithOptions> {
  requirePermission(by.actor, 'poll.create', communityId);
  const valid = validateDraft(draft, now);
  const proposalIds = valid.options.map((o) => o.proposalId).filter((x): x is string => Boolean(x));
  if (proposalIds.length) {
    const found = await db.proposal.count({ where: { id: { in: proposalIds }, communityId } });
    if (found !== proposalIds.length) throw new DomainError('polls.err_proposal_unknown');
  }
  // Scoped to buildings or groups (src/domain/register/scope.ts); a council poll is the council's, whoever lives where.
  const scope = await requireScopeOfCommunity(db, communityId, draft.scope ?? WHOLE_COMMUNITY);
  if (valid.electorate === 'council' && !isWholeCommunity(scope)) throw new DomainError('scope.err_council');
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const last = await tx.poll.findFirst({ where: { communityId }, orderBy: { number: 'desc' }, select: { number: true } });
        const poll = await tx.poll.create({
          data: {
            shortId: newShortId(),
            communityId,
            number: (last?.number ?? 0) + 1,
            question: valid.question,
            description: valid.description,
            maxChoices: valid.maxChoices,
            electorate: valid.electorate,
            anonymous: valid.anonymous,
            allowChange: valid.allowChange,
            opensAt: valid.opensAt,
            closesAt: valid.closesAt,
            quorumKind: valid.quorum.kind,
            quorumValue: valid.quorum.kind === 'none' ? 0 : valid.quorum.value,
            rule: valid.rule,
            liveResults: valid.liveResults,
            scope: serializeScope(scope),
            status: valid.opensAt.getTime() > now.getTime() ? 'scheduled' : 'open',
            createdById: by.actor.personId,
            createdAt: now,
            options: { create: valid.options.map((o) => ({ position: o.position, label: o.label, kind: o.kind, proposalId: o.proposalId })) },
          },
          include: POLL_INCLUDE,
        });
        await recordAudit(tx, {
          actorId: by.actor.personId,
          via: by.via,
          action: 'poll.create',
          communityId,
          targetType: 'poll',
          targetId: poll.id,
          details: { number: poll.number, electorate: poll.electorate, rule: poll.rule, options: poll.options.length, proposals: proposalIds.length, scope: poll.scope ? readScope(poll.scope) : 'all' },
        });
        return poll;
      });
    } catch (err) {
      // Two polls created at the same moment raced for a number: take the next one.
      if (isUniqueViolation(err) && attempt < 3) continue;
      throw err;
    }
  }
}

/** A poll by its short id (button data), or null. */
export function pollByShortId(db: Db, shortId: string): Promise<PollWithOptions | null> {
  return db.poll.findUnique({ where: { shortId }, include: POLL_INCLUDE });
}

/** A poll by id, short id, or "<number>" within a community. */
export async function findPoll(db: Db, ref: string, communityId?: string): Promise<PollWithOptions | null> {
  const include = POLL_INCLUDE;
  const clean = ref.trim().replace(/^#/, '');
  if (communityId && /^\d{1,9}$/.test(clean)) {
    return db.poll.findUnique({ where: { communityId_number: { communityId, number: Number(clean) } }, include });
  }
  if (!/^[a-z0-9]{1,40}$/i.test(clean)) return null;
  return (await db.poll.findUnique({ where: { id: clean }, include })) ?? (await db.poll.findUnique({ where: { shortId: clean }, include }));
}

/** A poll by reference or a localized "not found". */
export async function requirePoll(db: Db, ref: string, communityId?: string): Promise<PollWithOptions> {
  const poll = await findPoll(db, ref, communityId);
  if (!poll || (communityId && poll.communityId !== communityId)) throw new DomainError('polls.not_found', { ref: ref.slice(0, 20) });
  return poll;
}

/** True while ballots are accepted. */
export function isOpen(poll: Pick<Poll, 'status' | 'opensAt' | 'closesAt'>, now: Date): boolean {
  return poll.status === 'open' && poll.opensAt <= now && poll.closesAt > now;
}

/**
 * How many people (or households) may cast a counted ballot now. Taken live while a poll runs
 * and snapshotted at close.
 */
export async function electorateSize(db: Db, communityId: string, electorate: Electorate | string, scope: Scope = WHOLE_COMMUNITY): Promise<number> {
  // A scoped poll (src/domain/register/scope.ts): only members whose household is in scope count.
  const inScope = householdScopeWhere(scope);
  const scoped = inScope ? { household: inScope } : {};
  if (electorate === 'households') {
    const rows = await db.membership.findMany({
      where: { communityId, role: 'verified', householdId: { not: null }, person: { erasedAt: null }, ...scoped },
      distinct: ['householdId'],
      select: { householdId: true },
    });
    return rows.length;
  }
  const role = electorate === 'council' ? 'council' : 'verified';
  return db.membership.count({ where: { communityId, role, person: { erasedAt: null }, ...scoped } });
}

/** Ballot and vote counts so far (or at close). */
export interface Counts {
  online: Record<string, number>;
  advisory: Record<string, number>;
  onlineBallots: number;
  advisoryBallots: number;
  inPerson: Record<string, number>;
  inPersonVoters: number;
}

/** Counts ballots per option, counted and advisory apart, and the in-person entries. */
export async function countVotes(db: Db, poll: Pick<Poll, 'id' | 'inPersonVoters'>): Promise<Counts> {
  const [byOption, ballots, inPersonRows] = await Promise.all([
    // Quoted identifiers: PostgreSQL folds unquoted ones to lower case.
    db.$queryRaw<{ optionId: string; advisory: number | bigint | boolean; n: number | bigint }[]>`
      SELECT c."optionId" AS "optionId", b."advisory" AS "advisory", COUNT(*) AS "n"
      FROM "BallotChoice" c JOIN "Ballot" b ON b."id" = c."ballotId"
      WHERE b."pollId" = ${poll.id}
      GROUP BY c."optionId", b."advisory"`,
    db.ballot.groupBy({ by: ['advisory'], where: { pollId: poll.id }, _count: { _all: true } }),
    db.inPersonCount.findMany({ where: { pollId: poll.id } }),
  ]);
  const online: Record<string, number> = {};
  const advisory: Record<string, number> = {};
  for (const row of byOption) (Number(row.advisory) ? advisory : online)[row.optionId] = Number(row.n);
  const inPerson: Record<string, number> = {};
  for (const row of inPersonRows) inPerson[row.optionId] = row.count;
  return {
    online,
    advisory,
    onlineBallots: ballots.find((b) => !b.advisory)?._count._all ?? 0,
    advisoryBallots: ballots.find((b) => b.advisory)?._count._all ?? 0,
    inPerson,
    inPersonVoters: poll.inPersonVoters ?? 0,
  };
}

/** Merges counts into a result under the poll's rule. */
export function resultOf(poll: PollWithOptions, counts: Counts, size: number): PollResult {
  const votes: Record<string, number> = {};
  for (const o of poll.options) votes[o.id] = (counts.online[o.id] ?? 0) + (counts.inPerson[o.id] ?? 0);
  const outcome = decide({
    options: poll.options.map((o) => ({ id: o.id, position: o.position, kind: o.kind as OptionKind, proposalId: o.proposalId })),
    votes,
    turnout: counts.onlineBallots + counts.inPersonVoters,
    electorateSize: size,
    maxChoices: poll.maxChoices,
    rule: poll.rule as PassRule,
    quorum: quorumOf(poll),
  });
  return {
    ...outcome,
    electorateSize: size,
    online: counts.online,
    inPerson: counts.inPerson,
    votes,
    advisory: counts.advisory,
    advisoryBallots: counts.advisoryBallots,
    onlineBallots: counts.onlineBallots,
    inPersonVoters: counts.inPersonVoters,
  };
}

/** The tally as it stands (live results, previews). */
export async function currentResult(db: Db, poll: PollWithOptions): Promise<PollResult> {
  const [counts, size] = await Promise.all([countVotes(db, poll), electorateSize(db, poll.communityId, poll.electorate, readScope(poll.scope))]);
  return resultOf(poll, counts, size);
}

/** The stored result of a closed poll. */
export function storedResult(poll: Pick<Poll, 'result'>): PollResult | null {
  return poll.result ? (JSON.parse(poll.result) as PollResult) : null;
}

/**
 * Enters the counts of an in-person council meeting (committee): votes per option in position
 * order and the number of people who voted. Entering again replaces the earlier entry.
 */
export async function enterInPersonCounts(db: Db, by: ActorRef, pollId: string, counts: number[], voters: number | null, note: string | null, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    const poll = await tx.poll.findUnique({ where: { id: pollId }, include: POLL_INCLUDE });
    if (!poll) throw new DomainError('polls.not_found', { ref: '' });
    requirePermission(by.actor, 'poll.manage', poll.communityId);
    if (poll.status !== 'open' && poll.status !== 'scheduled') throw new DomainError('polls.not_open_now');
    if (counts.length !== poll.options.length || counts.some((n) => !Number.isInteger(n) || n < 0 || n > 100_000)) {
      throw new DomainError('polls.inperson_bad_counts', { n: poll.options.length });
    }
    const total = counts.reduce((a, b) => a + b, 0);
    // Single choice: everyone who voted picked exactly one option. Multiple choice: state it.
    const people = poll.maxChoices === 1 ? total : voters;
    if (people === null || !Number.isInteger(people) || people < 0 || people > 100_000) throw new DomainError('polls.inperson_voters_needed');
    if (poll.maxChoices === 1 && voters !== null && voters !== total) throw new DomainError('polls.inperson_bad_counts', { n: poll.options.length });
    if (counts.some((n) => n > people) || total > people * poll.maxChoices) throw new DomainError('polls.inperson_bad_counts', { n: poll.options.length });
    for (const [i, option] of poll.options.entries()) {
      await tx.inPersonCount.upsert({
        where: { pollId_optionId: { pollId, optionId: option.id } },
        create: { pollId, optionId: option.id, count: counts[i], note, enteredById: by.actor.personId, at: now },
        update: { count: counts[i], note, enteredById: by.actor.personId, at: now },
      });
    }
    await tx.poll.update({ where: { id: pollId }, data: { inPersonVoters: people, firstVoteAt: poll.firstVoteAt ?? now } });
    await recordAudit(tx, { actorId: by.actor.personId, via: by.via, action: 'poll.in_person', communityId: poll.communityId, targetType: 'poll', targetId: pollId, details: { counts, voters: people } });
  });
}

/** Linked proposals decided by a result: approved (passed options) and not approved. */
export function proposalDecisions(poll: PollWithOptions, result: PollResult | null): { approved: string[]; rejected: string[] } {
  const passed = new Set(result?.passedOptionIds ?? []);
  const approved: string[] = [];
  const rejected: string[] = [];
  for (const o of poll.options) {
    if (!o.proposalId) continue;
    (passed.has(o.id) ? approved : rejected).push(o.proposalId);
  }
  return { approved, rejected };
}
