/**
 * The secret of a secret ballot (不记名投票). Who took part is on record (PollParticipation);
 * what they chose is on a Ballot that names nobody. Between the two there is, in an anonymous
 * poll, at most one thread — and only while the voter may still change the ballot: a keyed hash
 * of the poll and the voter, which only the running bot can compute, because the key is not in
 * the database. When the poll closes or is cancelled the thread is cut (the hashes are nulled),
 * and from then on nobody, the key's holder included, can tell from the database how a person
 * voted.
 */
import { createHmac } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import type { Poll } from '../../generated/prisma/client.ts';

/** How a ballot is tied to its voter. */
export type BallotLink =
  /** Named poll: the ballot points to its participation (the committee sees who voted what). */
  | 'named'
  /** Anonymous poll whose ballots may still change: found again only through the keyed hash. */
  | 'sealed'
  /** Anonymous, single choice, no changes: nothing ties the ballot to anyone, from the first tap. */
  | 'none';

/** The link a poll's ballots have while it is open. */
export function ballotLink(poll: Pick<Poll, 'anonymous' | 'allowChange' | 'maxChoices'>): BallotLink {
  if (!poll.anonymous) return 'named';
  // A multiple-choice ballot grows tap by tap (up to the maximum) even where changes are not allowed.
  return poll.allowChange || poll.maxChoices > 1 ? 'sealed' : 'none';
}

/** What loading the key may read through: the client, or the transaction the caller is in. */
export type KeyReader = Pick<Db, '$queryRawUnsafe'>;

/** Computes the keyed hash that finds a voter's anonymous ballot again. */
export interface BallotSeal {
  /**
   * Loads the key the first time (a failed load is tried again next time). `db` is what the
   * loader may query — inside a transaction, pass the transaction: a query on the client would
   * wait for it.
   */
  ready(db: KeyReader): Promise<void>;
  /** HMAC-SHA256 of `<pollId>:<voterKey>` under the ballot key, hex. Call `ready` first. */
  hash(pollId: string, voterKey: string): string;
}

/**
 * A seal over a key loaded once, when first needed. The key stays in this closure: it is not a
 * property, so logging or serialising the seal shows nothing of it.
 */
export function createBallotSeal(loadKey: (db: KeyReader) => Promise<Buffer>): BallotSeal {
  let key: Buffer | null = null;
  let loading: Promise<Buffer> | null = null;
  return {
    async ready(db) {
      if (key) return;
      const pending = (loading ??= loadKey(db));
      try {
        key = await pending;
      } finally {
        if (loading === pending) loading = null;
      }
    },
    hash(pollId, voterKey) {
      if (!key) throw new Error('the ballot key is not loaded yet (call ready first)');
      return createHmac('sha256', key).update(`${pollId}:${voterKey}`).digest('hex');
    },
  };
}
