/**
 * Runs tasks one at a time per key and in parallel across keys.
 *
 * Telegram polling hands the bot a batch of updates at once; two messages from the same person
 * must still be handled in the order they were sent (the second answers the first's question),
 * while other people's messages go ahead in parallel.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  /** Queues `task` behind earlier tasks of the same key; resolves with its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    this.inFlight++;
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
      this.inFlight--;
      if (this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
    });
    return result;
  }

  /** Number of tasks queued or running. */
  get size(): number {
    return this.inFlight;
  }

  /** Resolves when no task is queued or running (used for a graceful shutdown). */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
