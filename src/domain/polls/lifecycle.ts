/**
 * Moves a poll through its life (states.ts): opening at its time, closing (at its time or early)
 * with the result computed and stored once, cancelling with a reason. Every move goes through
 * `move`, which checks the table and the mover's permission, changes the status only if nobody
 * moved the poll meanwhile, cuts an anonymous poll's secret links when voting ends, and writes
 * the audit entry — all in the caller's transaction.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import type { Poll, Prisma } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import { dropSecretLinks, shuffleBallotRows } from './ballots.ts';
import { pollElectorate } from './electorate.ts';
import { countVotes, POLL_INCLUDE, resultOf, type ActorRef, type PollResult, type PollWithOptions } from './polls.ts';
import { findTransition, RUNNING_STATUSES, type PollStatus } from './states.ts';

type Tx = Prisma.TransactionClient;

/** What a move changes besides the status, and what its audit entry adds. */
interface MoveOptions {
  now: Date;
  reason?: string | null;
  data?: Prisma.PollUpdateManyMutationInput;
  /** Details for the audit entry, computed once the poll is claimed (the result of a close). */
  details?: () => Promise<Record<string, unknown>>;
}

/**
 * Makes one move inside a transaction; false when someone else moved the poll first. `by` is a
 * committee member, or null for the clock (the scheduler).
 */
async function move(tx: Tx, poll: Poll, to: PollStatus, by: ActorRef | null, opts: MoveOptions): Promise<boolean> {
  if (by) requirePermission(by.actor, 'poll.manage', poll.communityId);
  const row = findTransition(poll.status, to, by ? 'poll.manage' : 'system:clock', opts.reason);
  const claimed = await tx.poll.updateMany({ where: { id: poll.id, status: poll.status }, data: { ...opts.data, status: to } });
  if (claimed.count === 0) return false;
  // Voting is over: nobody may change a secret ballot now, so nothing may find one again.
  if (to === 'closed' || to === 'cancelled') {
    await dropSecretLinks(tx, poll.id);
    // PostgreSQL keeps rows in insertion order: rewrite the secret ballots in random order.
    if (poll.anonymous) await shuffleBallotRows(tx, poll.id);
  }
  const details = opts.details ? await opts.details() : {};
  await recordAudit(tx, {
    actorId: by?.actor.personId ?? null,
    via: by?.via ?? 'scheduler',
    action: row.audit,
    communityId: poll.communityId,
    targetType: 'poll',
    targetId: poll.id,
    details: { number: poll.number, from: poll.status, to, ...(opts.reason ? { reason: opts.reason } : {}), ...details },
  });
  return true;
}

const isRunning = (status: string) => (RUNNING_STATUSES as readonly string[]).includes(status);

/** Opens a scheduled poll whose time came (the scheduler); null when it was not scheduled any more. */
export async function openPoll(db: Db, pollId: string, now: Date): Promise<PollWithOptions | null> {
  return db.$transaction(async (tx) => {
    const poll = await tx.poll.findUnique({ where: { id: pollId }, include: POLL_INCLUDE });
    if (!poll || poll.status !== 'scheduled') return null;
    if (!(await move(tx, poll, 'open', null, { now }))) return null;
    return { ...poll, status: 'open' };
  });
}

/**
 * Closes a poll: snapshots the electorate, computes and stores the result once. Returns null
 * when the poll was not open (already closed or cancelled by someone else) — so a job that runs
 * twice closes once. `by` is null for the scheduler; a person closes early.
 */
export async function closePoll(db: Db, pollId: string, now: Date, by: ActorRef | null): Promise<{ poll: PollWithOptions; result: PollResult } | null> {
  return db.$transaction(async (tx) => {
    const poll = await tx.poll.findUnique({ where: { id: pollId }, include: POLL_INCLUDE });
    if (!poll || !isRunning(poll.status)) return null;
    const computed: { result?: PollResult } = {};
    const moved = await move(tx, poll, 'closed', by, {
      now,
      data: { closedAt: now },
      details: async () => {
        const txDb = tx as unknown as Db;
        const [counts, electorate] = await Promise.all([countVotes(txDb, poll), pollElectorate(txDb, poll)]);
        const result = (computed.result = resultOf(poll, counts, electorate));
        await tx.poll.update({ where: { id: pollId }, data: { electorateSize: electorate.size, result: JSON.stringify(result) } });
        return { turnout: result.turnout, electorate: electorate.size, base: electorate.base, online: counts.onlineBallots, paper: counts.paperBallots, inPerson: counts.inPersonVoters, quorumMet: result.quorumMet, passed: result.passed };
      },
    });
    if (!moved || !computed.result) return null;
    return { poll: await tx.poll.findUniqueOrThrow({ where: { id: pollId }, include: POLL_INCLUDE }), result: computed.result };
  });
}

/** Longest cancellation reason (characters). */
const MAX_CANCEL_REASON = 300;

/** Cancels an open or scheduled poll with a public reason (committee). */
export async function cancelPoll(db: Db, by: ActorRef, pollId: string, reason: string, now: Date): Promise<PollWithOptions> {
  const clean = reason.replace(/[\p{Cc}\p{Cf}]/gu, ' ').trim();
  if ([...clean].length < 2) throw new DomainError('polls.cancel_reason_needed');
  if ([...clean].length > MAX_CANCEL_REASON) throw new DomainError('polls.cancel_reason_long', { max: MAX_CANCEL_REASON });
  return db.$transaction(async (tx) => {
    const poll = await tx.poll.findUnique({ where: { id: pollId } });
    if (!poll) throw new DomainError('polls.not_found', { ref: '' });
    if (!(await move(tx, poll, 'cancelled', by, { now, reason: clean, data: { cancelReason: clean, closedAt: now } }))) throw new DomainError('polls.not_open_now');
    return tx.poll.findUniqueOrThrow({ where: { id: pollId }, include: POLL_INCLUDE });
  });
}
