/**
 * Group commit of fast-path taps. A polling batch hands the bot up to a hundred taps at once;
 * giving each its own transaction serializes them on the driver's transaction lock and pays a
 * BEGIN/COMMIT (a WAL write) per tap. Taps submitted in the same turn of the event loop are run
 * as ONE batch transaction instead, each tap's statements in submission order, so the outcome is
 * exactly that of running the taps one after another: every statement still checks the state it
 * needs (poll open, participation new, ballot present, other option chosen) and the unique index
 * on (pollId, voterKey) still decides who has voted. Each tap reads its own row counts.
 *
 * If the shared transaction fails, nothing of it was written; each tap then runs again in its own
 * transaction, so one bad tap cannot fail the others.
 */
import type { Db } from '../../db/client.ts';
import type { Prisma } from '../../generated/prisma/client.ts';

/** Most taps committed in one transaction. */
const MAX_TAPS_PER_COMMIT = 100;

type Statements = () => Prisma.PrismaPromise<unknown>[];

/** One per bot (its queue is the bot's taps in flight). */
export class TapCommitter {
  private queue: { build: Statements; resolve: (results: unknown[]) => void; reject: (err: unknown) => void }[] = [];

  constructor(private readonly db: Db) {}

  /**
   * Runs the statements `build` makes (in a transaction shared with other taps); their results.
   * `build` may be called twice (the shared commit, then a tap's own), so it makes new statements each time.
   */
  run(build: Statements): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ build, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const all = this.queue;
    this.queue = [];
    for (let i = 0; i < all.length; i += MAX_TAPS_PER_COMMIT) {
      const taps = all.slice(i, i + MAX_TAPS_PER_COMMIT);
      const statements = taps.map((t) => t.build());
      try {
        const results = await this.db.$transaction(statements.flat());
        let at = 0;
        for (let k = 0; k < taps.length; k++) {
          taps[k].resolve(results.slice(at, at + statements[k].length));
          at += statements[k].length;
        }
      } catch (err) {
        if (taps.length === 1) {
          taps[0].reject(err);
          continue;
        }
        for (const t of taps) {
          try {
            t.resolve(await this.db.$transaction(t.build()));
          } catch (e) {
            t.reject(e);
          }
        }
      }
    }
  }
}
