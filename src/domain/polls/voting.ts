/**
 * Casting a ballot. Who may vote (council, verified residents, one per household; invited
 * members only in an advisory capacity), and recording the choice so that one voter — or one
 * household — holds exactly one ballot. The unique index on (pollId, voterKey) of the
 * participation is the guard: two taps at the same moment can never both create one. In an
 * anonymous poll the ballot is kept apart from the voter (secrecy.ts, ballots.ts).
 */
import { DomainError } from '../errors.ts';
import { engineOf } from '../../db/engine.ts';
import { isUniqueViolation, type Db } from '../../db/client.ts';
import type { Poll, Prisma } from '../../generated/prisma/client.ts';
import { householdIn, rolesIn, type Actor } from '../residents/roles.ts';
import {
  findBallot,
  insertBallot,
  insertChoice,
  insertParticipation,
  lockPollForVote,
  moveChoice,
  newBallotIds,
  pollLockForBatch,
  replaceChoice,
  sameChoice,
  sealLegacyLinks,
  unlinkVoter,
  upsertParticipation,
  type Tap,
} from './ballots.ts';
import { requireHouseholdInScope, readScope } from '../register/scope.ts';
import { correctPaperBallot, enterPaperBallot, storePaperBallots, type BallotRef, type CheckedPaperBallot, type PaperOutcome } from './paper.ts';
import { isOpen, type ActorRef, type PollWithOptions } from './polls.ts';
import { alreadyVotedByHand } from './paperRefusals.ts';
import { ballotLink, type BallotSeal } from './secrecy.ts';
import { TapCommitter } from './tapCommitter.ts';

/** Whose ballot a tap fills in. */
export interface VoterSlot {
  voterKey: string;
  advisory: boolean;
}

/** Why someone may not vote in a poll (i18n keys under polls.). */
export type Ineligible = 'not_council' | 'not_verified' | 'no_household';

/**
 * The ballot slot of an actor in a poll, or the reason they have none. Invited members
 * (特邀委员) outside the electorate get an advisory slot: recorded, shown apart, never counted.
 */
export function voterSlot(actor: Actor, poll: Pick<Poll, 'communityId' | 'electorate'>): VoterSlot | { ineligible: Ineligible } {
  const roles = rolesIn(actor, poll.communityId);
  const advisory = roles.has('invited') ? { voterKey: `a:${actor.personId}`, advisory: true } : null;
  switch (poll.electorate) {
    case 'council':
      if (roles.has('council')) return { voterKey: `p:${actor.personId}`, advisory: false };
      return advisory ?? { ineligible: 'not_council' };
    case 'households': {
      const household = roles.has('verified') ? householdIn(actor, poll.communityId) : null;
      if (household) return { voterKey: `h:${household}`, advisory: false };
      if (advisory) return advisory;
      return { ineligible: roles.has('verified') ? 'no_household' : 'not_verified' };
    }
    default:
      if (roles.has('verified')) return { voterKey: `p:${actor.personId}`, advisory: false };
      return advisory ?? { ineligible: 'not_verified' };
  }
}

/** What a tap did. */
export type VoteEffect = 'recorded' | 'changed' | 'added' | 'removed' | 'unchanged';

/** The ballot after a tap. */
export interface VoteOutcome {
  effect: VoteEffect;
  advisory: boolean;
  /** Positions of the options now on the ballot (empty when `secret`). */
  positions: number[];
  /** True for the poll's very first ballot (rules are frozen from now on). */
  first: boolean;
  /**
   * Set on a tap after the voter's final secret ballot: Linli knows that they voted, not what —
   * nothing ties that ballot to them — so it cannot say what it holds, nor change it.
   */
  secret?: true;
}

/** A tap on an option. */
export interface VoteRequest {
  poll: PollWithOptions;
  actor: Actor;
  /** Name shown in named polls' exports (anonymous polls keep none). */
  voterName: string;
  position: number;
  now: Date;
}

/** Polls remembered as having their first ballot; a bound, not a cache of anything that changes. */
const FROZEN_POLLS_KEPT = 1000;

/**
 * The ballot box of a running bot: casts ballots (taps arriving together are committed
 * together), and keeps the secret link of anonymous ballots in order. One per bot.
 */
export class BallotBox {
  private readonly committer: TapCommitter;
  /** Polls whose first ballot is in: their rules are frozen, no need to claim that again. */
  private readonly frozen = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly seal: BallotSeal,
  ) {
    this.committer = new TapCommitter(db);
  }

  /**
   * Records a tap. Single choice: the option becomes the ballot's choice (changing it only when
   * the poll allows). Multiple choice: the option is added (up to the maximum) or, tapped again,
   * removed. Throws a DomainError for a closed poll, someone outside the electorate, or a change
   * that is not allowed.
   */
  async cast(req: VoteRequest): Promise<VoteOutcome> {
    const { poll, actor, now } = req;
    const option = poll.options.find((o) => o.position === req.position);
    if (!option) throw new DomainError('polls.vote_bad_option');
    if (!isOpen(poll, now)) throw new DomainError(poll.status === 'cancelled' ? 'polls.vote_cancelled' : poll.status === 'scheduled' || poll.opensAt > now ? 'polls.vote_not_yet' : 'polls.vote_closed', { opens: poll.opensAt });
    const slot = voterSlot(actor, poll);
    if ('ineligible' in slot) throw new DomainError(`polls.ineligible_${slot.ineligible}`);
    // A scoped poll: a counted ballot only from a household in scope (an advisory one is not counted anyway).
    if (poll.scope && !slot.advisory) await requireHouseholdInScope(this.db, readScope(poll.scope), householdIn(actor, poll.communityId));

    const link = ballotLink(poll);
    const tap: Tap = {
      pollId: poll.id,
      voterKey: slot.voterKey,
      advisory: slot.advisory,
      personId: actor.personId,
      voterName: link === 'named' ? req.voterName : null,
      optionId: option.id,
      link,
      hash: link === 'sealed' ? await this.sealed(poll.id, slot.voterKey) : null,
      now,
    };
    const fast = await this.fastPath(req, tap);
    if (fast) return fast;
    const again = await this.sameOptionAgain(req, tap);
    if (again) return again;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const outcome = await this.db.$transaction((tx) => this.fullWay(tx as unknown as Db, req, tap));
        if (outcome.effect === 'recorded' && !outcome.advisory) this.remember(poll.id);
        return outcome;
      } catch (err) {
        // Another tap of the same voter (or household) came first: read again.
        if (isUniqueViolation(err)) continue;
        throw err;
      }
    }
    throw new DomainError('polls.vote_retry');
  }

  /** Enters a returned paper ballot of a household (paper.ts), with this bot's ballot key. */
  enterPaper(by: ActorRef, pollId: string, ref: BallotRef, positions: number[], now: Date): Promise<PaperOutcome> {
    return enterPaperBallot(this.db, this.seal, by, pollId, ref, positions, now);
  }

  /**
   * Stores returned paper ballots checked against `poll` by the caller (a file of them,
   * paperBatch.ts), with this bot's ballot key: per ballot null (stored) or its refusal.
   */
  storePaper(by: ActorRef, poll: PollWithOptions, ballots: CheckedPaperBallot[], now: Date): Promise<(DomainError | null)[]> {
    return storePaperBallots(this.db, this.seal, by, poll, ballots, now);
  }

  /** Corrects a paper ballot entered wrongly, with a reason (paper.ts). */
  correctPaper(by: ActorRef, pollId: string, ref: BallotRef, positions: number[], reason: string, now: Date): Promise<PaperOutcome> {
    return correctPaperBallot(this.db, this.seal, by, pollId, ref, positions, reason, now);
  }

  /** Replaces the secret_ballots migration's temporary links by keyed hashes (see ballots.ts). */
  async sealLegacyLinks(): Promise<number> {
    return sealLegacyLinks(this.db, this.seal);
  }

  /** Cuts the link of a person's own sealed ballots (for /forgetme, inside its transaction `tx`). */
  async unlinkVoter(tx: Prisma.TransactionClient, personId: string): Promise<number> {
    return unlinkVoter(tx, this.seal, personId);
  }

  private async sealed(pollId: string, voterKey: string): Promise<string> {
    await this.seal.ready(this.db);
    return this.seal.hash(pollId, voterKey);
  }

  /**
   * The two common cases in plain statements, committed with the other taps of the moment:
   *
   * 1. The voter's first ballot: the participation is inserted only while the poll is open
   *    (checked in the same statement, so a close that committed first wins) and not when the
   *    voter already has one (the unique index decides); the ballot and its choice follow only
   *    when it was.
   * 2. A single-choice poll that allows changes, and a voter who picks another option. Here the
   *    participation insert is an upsert: on conflict it touches the row only when its ballot
   *    holds another option, and returns the row's id (ours: inserted; another: changed; none:
   *    nothing done). The choice is then moved under the same conditions. Right after case 1
   *    inserted the ballot with this very option, that changes nothing.
   *
   * Anything else — the same option again, a multiple-choice poll, a closed poll — changes nothing
   * here and goes the full way. Null then.
   */
  private async fastPath(req: VoteRequest, tap: Tap): Promise<VoteOutcome | null> {
    const { poll } = req;
    const { db } = this;
    const ids = newBallotIds();
    const change = poll.maxChoices === 1 && poll.allowChange;
    let inserted: boolean;
    let changed = false;
    // The poll lock comes first where there is one (PostgreSQL); its result is skipped.
    const locks = engineOf(db) === 'postgresql' ? 1 : 0;
    if (change) {
      const [rows, , , moved] = (
        await this.committer.run(() => [
          ...pollLockForBatch(db, poll.id),
          upsertParticipation(db, tap, ids.participation),
          insertBallot(db, tap, ids),
          insertChoice(db, ids.ballot, tap.optionId),
          moveChoice(db, tap),
        ])
      ).slice(locks);
      const touched = (rows as { id: string }[]).map((r) => r.id);
      inserted = touched.includes(ids.participation);
      changed = !inserted && touched.length === 1 && moved === 1;
    } else {
      const [count] = (
        await this.committer.run(() => [
          ...pollLockForBatch(db, poll.id),
          insertParticipation(db, tap, ids.participation),
          insertBallot(db, tap, ids),
          insertChoice(db, ids.ballot, tap.optionId),
        ])
      ).slice(locks);
      inserted = count === 1;
    }
    if (inserted) {
      const first = await this.claimFirst(db, poll, tap);
      if (!tap.advisory) this.remember(poll.id);
      return { effect: 'recorded', advisory: tap.advisory, positions: [req.position], first };
    }
    if (changed) return { effect: 'changed', advisory: tap.advisory, positions: [req.position], first: false };
    return null;
  }

  /**
   * A single-choice ballot that already holds the tapped option (a double tap, or a tap to check
   * one's vote): nothing to write, so one read answers it instead of a transaction. The answer is
   * the full way's: unchanged — except where another member of the household cast the ballot and
   * changes are not allowed, which the full way refuses (null here, so it does). For a final
   * secret ballot any tap after the first lands here: the voter has voted, what is not known.
   */
  private async sameOptionAgain(req: VoteRequest, tap: Tap): Promise<VoteOutcome | null> {
    const { poll, actor } = req;
    if (poll.maxChoices !== 1) return null;
    const [same] = await sameChoice(this.db, tap);
    if (!same || (same.personId && same.personId !== actor.personId && !poll.allowChange)) return null;
    if (tap.link === 'none') return { effect: 'unchanged', advisory: Boolean(same.advisory), positions: [], first: false, secret: true };
    return { effect: 'unchanged', advisory: Boolean(same.advisory), positions: [req.position], first: false };
  }

  /** Everything else, in one interactive transaction. */
  private async fullWay(tx: Db, req: VoteRequest, tap: Tap): Promise<VoteOutcome> {
    const { poll, actor, now } = req;
    // Re-read inside the transaction, holding the poll row: a close that committed first wins,
    // and a close that comes later waits for this vote to commit (ballots.ts lockPollForVote).
    await lockPollForVote(tx, poll.id);
    const fresh = await tx.poll.findUnique({ where: { id: poll.id }, select: { status: true, closesAt: true, opensAt: true } });
    if (!fresh || !isOpen(fresh, now)) throw new DomainError(fresh?.status === 'cancelled' ? 'polls.vote_cancelled' : 'polls.vote_closed');
    const existing = await tx.pollParticipation.findUnique({ where: { pollId_voterKey: { pollId: poll.id, voterKey: tap.voterKey } } });
    // The household voted on paper or at a meeting: one ballot per household, and a tap never changes that one.
    if (existing && existing.source !== 'online') throw alreadyVotedByHand(existing);
    const positionOf = (id: string) => poll.options.find((o) => o.id === id)!.position;
    if (!existing) {
      const ids = newBallotIds();
      await tx.pollParticipation.create({
        data: { id: ids.participation, pollId: poll.id, voterKey: tap.voterKey, personId: tap.personId, voterName: tap.voterName, advisory: tap.advisory, castAt: now, updatedAt: now },
      });
      await insertBallot(tx, tap, ids);
      await insertChoice(tx, ids.ballot, tap.optionId);
      return { effect: 'recorded', advisory: tap.advisory, positions: [req.position], first: await this.claimFirst(tx, poll, tap) };
    }
    if (existing.personId && existing.personId !== actor.personId && !poll.allowChange) throw new DomainError('polls.household_voted');
    const ballot = await findBallot(tx, tap, existing.id);
    if (!ballot) return { effect: 'unchanged', advisory: existing.advisory, positions: [], first: false, secret: true };
    const has = ballot.optionIds.includes(tap.optionId);
    const touch = () => tx.pollParticipation.update({ where: { id: existing.id }, data: { personId: tap.personId, voterName: tap.voterName, updatedAt: now } });
    if (poll.maxChoices === 1) {
      if (has) return { effect: 'unchanged', advisory: ballot.advisory, positions: [req.position], first: false };
      if (!poll.allowChange) throw new DomainError('polls.no_change', { choice: ballot.optionIds.map(positionOf).join(',') });
      await replaceChoice(tx, ballot.id, tap.optionId);
      await touch();
      return { effect: 'changed', advisory: ballot.advisory, positions: [req.position], first: false };
    }
    if (has) {
      if (!poll.allowChange) throw new DomainError('polls.no_change_multi');
      const left = ballot.optionIds.filter((id) => id !== tap.optionId);
      if (!left.length) {
        // The last option taken off: the vote is withdrawn, participation and all.
        await tx.ballot.delete({ where: { id: ballot.id } });
        await tx.pollParticipation.delete({ where: { id: existing.id } });
      } else {
        await tx.ballotChoice.delete({ where: { ballotId_optionId: { ballotId: ballot.id, optionId: tap.optionId } } });
        await touch();
      }
      return { effect: 'removed', advisory: ballot.advisory, positions: left.map(positionOf).sort((a, b) => a - b), first: false };
    }
    if (ballot.optionIds.length >= poll.maxChoices) throw new DomainError('polls.max_reached', { k: poll.maxChoices });
    await insertChoice(tx, ballot.id, tap.optionId);
    await touch();
    return { effect: 'added', advisory: ballot.advisory, positions: [...ballot.optionIds.map(positionOf), req.position].sort((a, b) => a - b), first: false };
  }

  /** Marks the poll's first counted ballot (rules are frozen from then on); true for the tap that did. */
  private async claimFirst(db: Db, poll: PollWithOptions, tap: Tap): Promise<boolean> {
    if (tap.advisory || poll.firstVoteAt || this.frozen.has(poll.id)) return false;
    const claimed = await db.poll.updateMany({ where: { id: poll.id, firstVoteAt: null }, data: { firstVoteAt: tap.now } });
    return claimed.count === 1;
  }

  /** Remembers (once committed) that a poll has its first ballot. */
  private remember(pollId: string): void {
    if (this.frozen.size >= FROZEN_POLLS_KEPT) this.frozen.clear();
    this.frozen.add(pollId);
  }
}
