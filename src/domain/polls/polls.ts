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
import { isWholeCommunity, readScope, requireScopeOfCommunity, serializeScope, WHOLE_COMMUNITY, type Scope } from '../register/scope.ts';
import { pollElectorate, type ElectorateBase, type PollElectorate } from './electorate.ts';
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
  /**
   * What electorateSize was counted from and what a voter is (户 or 人); with a register, how
   * much of it a residents' poll covers. Absent from results stored before the register.
   */
  base?: ElectorateBase;
  unit?: PollElectorate['unit'];
  coverage?: PollElectorate['coverage'];
  /** Counted votes per option id: online, on paper, in person, and advisory (never counted). */
  online: Record<string, number>;
  /** Returned paper ballots (household polls); absent from results stored before paper ballots. */
  paper?: Record<string, number>;
  paperBallots?: number;
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
 * How many people (or households) may cast a counted ballot now — for a household poll the
 * register's active households (electorate.ts). Taken live while a poll runs and snapshotted at
 * close.
 */
export async function electorateSize(db: Db, communityId: string, electorate: Electorate | string, scope: Scope = WHOLE_COMMUNITY): Promise<number> {
  return (await pollElectorate(db, { communityId, electorate, scope: serializeScope(scope) })).size;
}

/** Ballot and vote counts so far (or at close). */
export interface Counts {
  online: Record<string, number>;
  paper: Record<string, number>;
  advisory: Record<string, number>;
  onlineBallots: number;
  paperBallots: number;
  advisoryBallots: number;
  inPerson: Record<string, number>;
  inPersonVoters: number;
}

/** Counts ballots per option, counted and advisory apart, and the in-person entries. */
export async function countVotes(db: Db, poll: Pick<Poll, 'id' | 'inPersonVoters'>): Promise<Counts> {
  const [byOption, ballots, inPersonRows] = await Promise.all([
    // Quoted identifiers: PostgreSQL folds unquoted ones to lower case.
    db.$queryRaw<{ optionId: string; advisory: number | bigint | boolean; source: string; n: number | bigint }[]>`
      SELECT c."optionId" AS "optionId", b."advisory" AS "advisory", b."source" AS "source", COUNT(*) AS "n"
      FROM "BallotChoice" c JOIN "Ballot" b ON b."id" = c."ballotId"
      WHERE b."pollId" = ${poll.id}
      GROUP BY c."optionId", b."advisory", b."source"`,
    db.ballot.groupBy({ by: ['advisory', 'source'], where: { pollId: poll.id }, _count: { _all: true } }),
    db.inPersonCount.findMany({ where: { pollId: poll.id } }),
  ]);
  const online: Record<string, number> = {};
  const paper: Record<string, number> = {};
  const advisory: Record<string, number> = {};
  for (const row of byOption) {
    const into = Number(row.advisory) ? advisory : row.source === 'paper' ? paper : online;
    into[row.optionId] = (into[row.optionId] ?? 0) + Number(row.n);
  }
  const inPerson: Record<string, number> = {};
  for (const row of inPersonRows) inPerson[row.optionId] = row.count;
  const ballotsOf = (advisory: boolean, source?: string) => ballots.filter((b) => b.advisory === advisory && (!source || b.source === source)).reduce((n, b) => n + b._count._all, 0);
  return {
    online,
    paper,
    advisory,
    onlineBallots: ballotsOf(false, 'online'),
    paperBallots: ballotsOf(false, 'paper'),
    advisoryBallots: ballotsOf(true),
    inPerson,
    inPersonVoters: poll.inPersonVoters ?? 0,
  };
}

/** Merges counts into a result under the poll's rule, against the electorate (a size: a base of unknown kind). */
export function resultOf(poll: PollWithOptions, counts: Counts, electorate: PollElectorate | number): PollResult {
  const base: PollElectorate = typeof electorate === 'number' ? { base: poll.electorate === 'council' ? 'council' : 'verified', unit: poll.electorate === 'households' ? 'households' : 'people', size: electorate } : electorate;
  const size = base.size;
  const votes: Record<string, number> = {};
  for (const o of poll.options) votes[o.id] = (counts.online[o.id] ?? 0) + (counts.paper[o.id] ?? 0) + (counts.inPerson[o.id] ?? 0);
  const outcome = decide({
    options: poll.options.map((o) => ({ id: o.id, position: o.position, kind: o.kind as OptionKind, proposalId: o.proposalId })),
    votes,
    turnout: counts.onlineBallots + counts.paperBallots + counts.inPersonVoters,
    electorateSize: size,
    maxChoices: poll.maxChoices,
    rule: poll.rule as PassRule,
    quorum: quorumOf(poll),
  });
  return {
    ...outcome,
    electorateSize: size,
    base: base.base,
    unit: base.unit,
    ...(base.coverage ? { coverage: base.coverage } : {}),
    online: counts.online,
    paper: counts.paper,
    paperBallots: counts.paperBallots,
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
  const [counts, electorate] = await Promise.all([countVotes(db, poll), pollElectorate(db, poll)]);
  return resultOf(poll, counts, electorate);
}

/** The stored result of a closed poll. */
export function storedResult(poll: Pick<Poll, 'result'>): PollResult | null {
  return poll.result ? (JSON.parse(poll.result) as PollResult) : null;
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
