/**
 * Who may use the one SQLite connection now.
 *
 * A single connection has a single transaction state: a statement run while an interactive
 * transaction (`db.$transaction(async (tx) => …)`) is open becomes part of it — it sees the
 * transaction's uncommitted rows, and a rollback undoes it. So an open transaction holds this
 * gate from BEGIN to COMMIT/ROLLBACK, across the awaits of its callback, and everything else
 * waits its turn in one first-come queue: plain (top-level) statements and other transactions
 * alike. A plain statement runs synchronously to completion (better-sqlite3 is synchronous), so
 * it never holds the gate across an await; when the gate is free and nobody is queued it runs
 * at once, without a promise.
 *
 * There is no timeout that lets a waiting statement in anyway: that would run it inside the
 * transaction, the very thing the gate prevents. A statement made on `db` inside a
 * `db.$transaction` callback (instead of on `tx`) therefore waits for its own transaction: a
 * deadlock that lasts until Prisma's transaction timeout rolls the transaction back and fails
 * the `$transaction` call. The adapter cannot see which callback a statement came from, so it
 * reports a statement that has waited `stallWarningMs` behind a transaction that stayed idle
 * meanwhile — the shape of that mistake — through `onStall`.
 */

/** Thrown to statements and transactions that wait for (or come after) the closing of the connection. */
export class ConnectionClosedError extends Error {
  constructor() {
    super('the database connection is closed');
  }
}

interface Waiter {
  /** A plain statement to run when its turn comes; absent for a transaction. */
  readonly work?: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly since: number;
  readonly preview: string;
}

export interface GateOptions {
  /** How long a plain statement may wait behind an idle transaction before `onStall` hears of it. */
  stallWarningMs: number;
  onStall: (message: string) => void;
}

export class ConnectionGate {
  readonly #queue: Waiter[] = [];
  readonly #options: GateOptions;
  #held = false;
  /** When the holding transaction last ran a statement. */
  #lastActivity = 0;
  #watchdog: NodeJS.Timeout | undefined;
  /** Holder already reported as stalled (one report per transaction). */
  #reported = false;
  #closed = false;
  /** Statements that had to wait for a transaction (for tests and diagnostics). */
  waited = 0;

  constructor(options: GateOptions) {
    this.#options = options;
  }

  /** True when a plain statement may run at once: no transaction holds the connection, nobody is queued. */
  get free(): boolean {
    return !this.#held && !this.#closed && this.#queue.length === 0;
  }

  /**
   * Runs a plain statement when its turn comes: after the open transaction and whoever came
   * before. (Callers check `free` first and run the statement themselves when it is.)
   */
  later<T>(work: () => T, sql: string): Promise<T> {
    if (this.#closed) return Promise.reject(new ConnectionClosedError());
    if (this.free) {
      try {
        return Promise.resolve(work());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    this.waited++;
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (v: unknown) => void, reject, since: Date.now(), preview: sql.slice(0, 120) });
      this.#watch();
    });
  }

  /** Resolves once the caller holds the connection (for a transaction); `release` hands it on. */
  acquire(): Promise<void> {
    if (this.#closed) return Promise.reject(new ConnectionClosedError());
    if (!this.#held && this.#queue.length === 0) {
      this.#grant();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ resolve: resolve as (v: unknown) => void, reject, since: Date.now(), preview: 'BEGIN' });
    });
  }

  /** The holding transaction ran a statement (it is not idle). */
  touch(): void {
    this.#lastActivity = Date.now();
  }

  /** The holding transaction ended: plain statements queued behind it run, up to the next transaction. */
  release(): void {
    this.#held = false;
    while (this.#queue.length > 0) {
      const next = this.#queue.shift()!;
      if (!next.work) {
        this.#grant();
        next.resolve(undefined);
        return;
      }
      try {
        next.resolve(next.work());
      } catch (error) {
        next.reject(error);
      }
    }
    this.#stopWatching();
  }

  /** Fails everyone still waiting; no one gets the connection after this. */
  close(): void {
    this.#closed = true;
    this.#stopWatching();
    for (const waiter of this.#queue.splice(0)) waiter.reject(new ConnectionClosedError());
  }

  #grant(): void {
    this.#held = true;
    this.#reported = false;
    this.#lastActivity = Date.now();
  }

  #watch(): void {
    if (this.#watchdog) return;
    this.#watchdog = setInterval(() => this.#check(), Math.max(10, this.#options.stallWarningMs / 4));
    this.#watchdog.unref();
  }

  #stopWatching(): void {
    clearInterval(this.#watchdog);
    this.#watchdog = undefined;
  }

  #check(): void {
    const waiting = this.#queue.find((w) => w.work);
    if (!waiting) return this.#stopWatching();
    if (!this.#held || this.#reported) return;
    const now = Date.now();
    const idleSinceItCame = this.#lastActivity <= waiting.since;
    if (idleSinceItCame && now - waiting.since >= this.#options.stallWarningMs) {
      this.#reported = true;
      this.#options.onStall(
        `a query has waited ${now - waiting.since} ms for an open transaction that ran nothing meanwhile (${waiting.preview}). ` +
          'If it was made on `db` inside a `db.$transaction(async (tx) => …)` callback, make it on `tx`: it waits for its own ' +
          'transaction, which will fail at its timeout.',
      );
    }
  }
}
