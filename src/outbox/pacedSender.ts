/**
 * One limiter for every message the bot sends: direct replies, cards, announcements, digests.
 * Telegram counts them all against the same limits (about 1 per second per chat, 20 per minute
 * per group, about 30 per second in all), and a 429 holds the whole bot, so the outbox worker
 * and `ctx.reply` share one PacedSender and with it one budget.
 *
 * - `send` is for callers that wait for their answer (replies): it waits for a slot, sends,
 *   waits out a 429's `retry_after` and tries again, and throws a DeliveryError when it cannot
 *   deliver — it never drops a message silently. Replies to one chat leave in the order they were
 *   sent. A text longer than the platform allows goes as several messages, each with its own slot.
 * - `tryAcquire` / `acquire` / `rateLimited` are for the outbox worker, which keeps its own
 *   durable retry state and must not block on one row while others could go.
 *
 * Whoever is waiting in `acquire` (replies first, then the outbox's later parts) is served
 * before the worker's non-blocking `tryAcquire`, so a broadcast that uses the whole budget does
 * not starve a person waiting for an answer.
 */
import { DeliveryError, type Adapter } from '../platform/adapter.ts';
import type { OutMessage, SentRef } from '../platform/messages.ts';
import type { Logger } from '../log.ts';
import { LocalPacingStore, type PacingStore, type Slot } from './pacing.ts';
import { deliveryParts } from './parts.ts';
import type { Limits } from './rateLimiter.ts';

/** Who waits for a slot: replies are served before outbox parts. */
export type SlotPriority = 'reply' | 'outbox';

/** Options of the PacedSender. */
export interface PacedSenderOptions {
  /** Per-platform limits for the in-process store; Telegram's by default. Ignored with `store`. */
  limits?: Partial<Record<string, Limits>>;
  /** Where the pacing state lives (this process by default; a shared store for several instances). */
  store?: PacingStore;
  log?: Logger;
  /** Longest a `send` may take in all — slots, 429 pauses, retries — before it fails (ms). Default 120 s. */
  maxWaitMs?: number;
  /** Retries of a transient failure (network, 5xx) in `send`, one second apart. Default 1. */
  transientRetries?: number;
}

/** Options of one `send`. */
export interface PacedSendOptions {
  maxWaitMs?: number;
  transientRetries?: number;
}

interface Waiter {
  chatId: string;
  isGroup: boolean;
  priority: number;
  seq: number;
  deadline: number;
  resolve(slot: Slot): void;
  reject(err: Error): void;
}

interface PlatformQueue {
  waiters: Waiter[];
  timer?: ReturnType<typeof setTimeout>;
  timerAt?: number;
  running?: Promise<void>;
  again?: boolean;
}

const DEFAULT_MAX_WAIT_MS = 120_000;
const TRANSIENT_RETRY_MS = 1000;

/** Sends within the platform's limits; shared by replies and the outbox worker. */
export class PacedSender {
  readonly store: PacingStore;
  private readonly queues = new Map<string, PlatformQueue>();
  /** The last send queued for each chat: replies to one chat go one after another. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly done = new WeakSet<Slot>();
  private seq = 0;

  constructor(private readonly opts: PacedSenderOptions = {}) {
    this.store = opts.store ?? new LocalPacingStore(opts.limits);
  }

  /**
   * Sends `message` to `chatId` within the limits. Resolves with the platform's id of the part
   * that carries the buttons (else the first part); rejects with a DeliveryError when the
   * platform refused it (forbidden, permanent), kept failing, or no slot was free in time.
   */
  send(adapter: Adapter, chatId: string, message: OutMessage, opts: PacedSendOptions = {}): Promise<SentRef> {
    const key = `${adapter.platform}:${chatId}`;
    // The wait counts from now, including the time spent behind earlier replies to this chat.
    const deadline = Date.now() + (opts.maxWaitMs ?? this.opts.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
    const previous = this.chains.get(key) ?? Promise.resolve();
    const mine = previous.then(() => this.sendParts(adapter, chatId, message, deadline, opts));
    const settled = mine.catch(() => undefined);
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    return mine;
  }

  /**
   * Takes a slot for one message now if the limits allow it; else returns the ms until one may
   * be free. Those waiting in {@link acquire} are served first. Report the platform's answer
   * with {@link answered}.
   */
  async tryAcquire(platform: string, chatId: string, isGroup: boolean): Promise<Slot | number> {
    const paused = await this.pauseLeft(platform);
    if (paused > 0) return paused;
    if (this.queue(platform).waiters.length) await this.pump(platform);
    const at = Date.now();
    const wait = await this.store.take(platform, chatId, isGroup, at);
    return wait > 0 ? wait : { platform, chatId, isGroup, at };
  }

  /** Waits until a slot for one message to `chatId` is taken; rejects at `deadline` (epoch ms). */
  acquire(platform: string, chatId: string, isGroup: boolean, opts: { priority?: SlotPriority; deadline?: number } = {}): Promise<Slot> {
    return new Promise<Slot>((resolve, reject) => {
      const waiter: Waiter = { chatId, isGroup, priority: opts.priority === 'outbox' ? 1 : 0, seq: this.seq++, deadline: opts.deadline ?? Infinity, resolve, reject };
      const { waiters } = this.queue(platform);
      let at = waiters.length;
      while (at > 0 && waiters[at - 1].priority > waiter.priority) at--;
      waiters.splice(at, 0, waiter);
      void this.pump(platform);
    });
  }

  /**
   * The platform answered the message sent in `slot` (or the call failed): the chat's next
   * message may follow. Call it once the call returned, before anything else; repeated calls are ignored.
   */
  async answered(slot: Slot): Promise<void> {
    if (this.done.has(slot)) return;
    this.done.add(slot);
    await this.store.answered(slot, Date.now());
    if (this.queue(slot.platform).waiters.length) void this.pump(slot.platform);
  }

  /** The platform answered 429: hold every send on it for `retryAfterSec` (Telegram's rule is per bot). */
  async rateLimited(platform: string, retryAfterSec: number | undefined): Promise<void> {
    const seconds = retryAfterSec ?? 5;
    await this.store.pause(platform, Date.now() + seconds * 1000);
    this.opts.log?.warn({ platform, retryAfter: seconds }, 'rate limited: pausing every send');
    void this.pump(platform);
  }

  /** Milliseconds left of a 429 pause on `platform` (0 when none). */
  async pauseLeft(platform: string): Promise<number> {
    return Math.max(0, (await this.store.pausedUntil(platform)) - Date.now());
  }

  private async sendParts(adapter: Adapter, chatId: string, message: OutMessage, deadline: number, opts: PacedSendOptions): Promise<SentRef> {
    const parts = deliveryParts(message, adapter.capabilities.maxTextLength, adapter.capabilities.maxCaptionLength);
    let result: SentRef | undefined;
    for (const part of parts) {
      const sent = await this.sendOne(adapter, chatId, part, deadline, opts.transientRetries ?? this.opts.transientRetries ?? 1);
      if (!result || part.buttons?.length) result = sent;
    }
    return result!;
  }

  private async sendOne(adapter: Adapter, chatId: string, part: OutMessage, deadline: number, transientRetries: number): Promise<SentRef> {
    const isGroup = adapter.isGroupChat(chatId);
    let retries = transientRetries;
    for (;;) {
      const slot = await this.acquire(adapter.platform, chatId, isGroup, { priority: 'reply', deadline });
      let sent: SentRef | undefined;
      let error: unknown;
      try {
        sent = await adapter.send(chatId, part);
      } catch (err) {
        error = err;
      }
      await this.answered(slot);
      if (sent) return sent;
      const failure = error instanceof DeliveryError ? error : new DeliveryError('transient', error instanceof Error ? error.message : String(error));
      if (failure.kind === 'rate_limited') {
        await this.rateLimited(adapter.platform, failure.retryAfterSec);
        if (Date.now() + (failure.retryAfterSec ?? 5) * 1000 <= deadline) continue;
      } else if (failure.kind === 'transient' && retries > 0 && Date.now() + TRANSIENT_RETRY_MS <= deadline) {
        retries--;
        await new Promise((r) => setTimeout(r, TRANSIENT_RETRY_MS));
        continue;
      }
      throw failure;
    }
  }

  private queue(platform: string): PlatformQueue {
    let q = this.queues.get(platform);
    if (!q) {
      q = { waiters: [] };
      this.queues.set(platform, q);
    }
    return q;
  }

  /** Serves the waiters of a platform; one pass at a time, another one after it when asked meanwhile. */
  private pump(platform: string): Promise<void> {
    const q = this.queue(platform);
    if (q.running) {
      q.again = true;
      return q.running;
    }
    q.running = (async () => {
      try {
        do {
          q.again = false;
          await this.pass(platform, q);
        } while (q.again);
      } finally {
        q.running = undefined;
      }
    })();
    return q.running;
  }

  private async pass(platform: string, q: PlatformQueue): Promise<void> {
    if (!q.waiters.length) return;
    const paused = await this.pauseLeft(platform);
    let next = paused > 0 ? paused : Infinity;
    const tried = new Set<string>();
    // The takes of one pass are asked for in queue order all at once: the store judges them in
    // that order (a shared store in one transaction, see sharedPacing.ts), so waiting for each
    // answer before asking the next would only add round trips.
    const asked: { w: Waiter; at: number; wait: Promise<number> }[] = [];
    for (const w of [...q.waiters]) {
      const now = Date.now();
      if (now > w.deadline) {
        remove(q.waiters, w);
        w.reject(new DeliveryError('rate_limited', `no free slot for chat ${w.chatId} in time`));
        continue;
      }
      next = Math.min(next, w.deadline - now + 1);
      // One waiter per chat per pass, the earliest: a chat's messages keep their order.
      if (paused > 0 || tried.has(w.chatId)) continue;
      tried.add(w.chatId);
      const at = Date.now();
      asked.push({ w, at, wait: this.store.take(platform, w.chatId, w.isGroup, at) });
    }
    const waits = await Promise.allSettled(asked.map((a) => a.wait));
    let failed: unknown;
    asked.forEach(({ w, at }, i) => {
      const result = waits[i];
      if (result.status === 'rejected') return void (failed ??= result.reason);
      if (result.value === 0) {
        remove(q.waiters, w);
        w.resolve({ platform, chatId: w.chatId, isGroup: w.isGroup, at });
      } else {
        next = Math.min(next, result.value);
      }
    });
    // As before: a store that fails ends the pass with its error (every slot it did give is handed out).
    if (failed !== undefined) throw failed;
    if (q.waiters.length) this.wakeAt(platform, q, Date.now() + Math.max(1, next));
  }

  private wakeAt(platform: string, q: PlatformQueue, at: number): void {
    if (q.timer && q.timerAt !== undefined && q.timerAt <= at) return;
    if (q.timer) clearTimeout(q.timer);
    q.timerAt = at;
    q.timer = setTimeout(() => {
      q.timer = undefined;
      q.timerAt = undefined;
      void this.pump(platform);
    }, Math.max(1, at - Date.now()));
  }
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
