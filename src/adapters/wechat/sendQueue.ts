/**
 * One account's sends, one after another: a text goes out before its chart, and an account
 * never bursts (WeChat flags accounts that send too fast). A failed send does not hold up the
 * ones behind it.
 */

/** The queue of an account's sends. */
export interface SendQueue {
  /** Runs `send` after every earlier one finished and at least the gap after the last. */
  run<T>(send: () => Promise<T>): Promise<T>;
  /** Resolves when every send queued so far has finished. */
  idle(): Promise<void>;
}

/** A queue with at least `gapMs` between the end of one send and the start of the next. */
export function createSendQueue(gapMs: number): SendQueue {
  let chain: Promise<unknown> = Promise.resolve();
  let lastSendAt = 0;
  return {
    run<T>(send: () => Promise<T>): Promise<T> {
      const next = chain.then(async () => {
        const wait = gapMs - (Date.now() - lastSendAt);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        try {
          return await send();
        } finally {
          lastSendAt = Date.now();
        }
      });
      chain = next.catch(() => undefined);
      return next;
    },
    async idle() {
      await chain;
    },
  };
}
