/**
 * Open polls by the short id their buttons carry, kept in memory so that a burst of taps does
 * not read the same poll a thousand times. A poll's options, times and rules never change once
 * it is open, and its status is checked again inside the vote's own statements (a poll closed
 * meanwhile refuses the vote), so a cached copy is safe. Entries are never changed in place.
 */
import type { Db } from '../../db/client.ts';
import { pollByShortId, type PollWithOptions } from './polls.ts';

/** Most polls kept; the oldest entry goes first. */
const DEFAULT_LIMIT = 200;

/** One per bot. */
export class OpenPollCache {
  private readonly polls = new Map<string, PollWithOptions>();

  constructor(
    private readonly db: Db,
    private readonly limit = DEFAULT_LIMIT,
  ) {}

  /** The poll with this short id (from the cache while it is open), or null. */
  async get(shortId: string, now: Date): Promise<PollWithOptions | null> {
    const hit = this.polls.get(shortId);
    if (hit && hit.closesAt > now) return hit;
    const poll = await pollByShortId(this.db, shortId);
    if (poll?.status === 'open') {
      if (this.polls.size >= this.limit) this.polls.delete(this.polls.keys().next().value!);
      this.polls.set(shortId, poll);
    } else this.polls.delete(shortId);
    return poll;
  }
}
