/**
 * Delivers the outbox within each platform's rate limits.
 *
 * - messages to one chat go out in the order they were enqueued: only the oldest pending message
 *   of a chat is eligible ("head of line"), and a chat never has two sends in flight. A message
 *   that waits only for its scheduled time (`notBefore`) does not hold the line; one that waits
 *   for a retry does, so a later message never overtakes an earlier one that failed once;
 * - a 429 answer pauses the whole queue for `retry_after` (Telegram's instruction applies to
 *   the bot, not to one chat);
 * - transient failures retry with exponential backoff, and give up after MAX_ATTEMPTS;
 * - a chat that removed the bot (403) is marked inactive and its messages dropped, with a log line;
 * - text longer than the platform allows is sent as several messages split at paragraphs, and an
 *   image whose text does not fit a caption goes as its own message first; the worker remembers
 *   how many parts went out, so a restart in between does not repeat them. Every part takes its
 *   own slot in the rate limits.
 *
 * Delivery is at-least-once at the platform boundary: a crash after Telegram accepted a message
 * but before the row was marked sent resends that one message (Telegram has no idempotency key).
 * The window is one HTTP round trip per chat; everything else is exactly once.
 */
import type { Adapter } from '../platform/adapter.ts';
import { DeliveryError } from '../platform/adapter.ts';
import type { OutMessage } from '../platform/messages.ts';
import type { Db } from '../db/client.ts';
import { Prisma, type OutboxMessage } from '../generated/prisma/client.ts';
import type { Logger } from '../log.ts';
import { fromStored, type Outbox, type OutboxPayload } from './outbox.ts';
import { RateLimiter, TELEGRAM_LIMITS, type Limits } from './rateLimiter.ts';
import { splitText } from './split.ts';

/** Attempts before a message that keeps failing transiently is marked failed. */
export const MAX_ATTEMPTS = 8;
/** Caption length assumed for adapters that do not state theirs (Telegram's). */
const DEFAULT_CAPTION_LIMIT = 1024;
const BATCH = 200;

/** Options of the worker. */
export interface WorkerOptions {
  db: Db;
  outbox: Outbox;
  adapters: Map<string, Adapter>;
  log: Logger;
  clock: () => Date;
  /** Per-platform limits; Telegram's by default. */
  limits?: Partial<Record<string, Limits>>;
  /** Idle poll interval when nothing wakes the worker (ms). */
  pollMs?: number;
  /** Sends in flight at once (default 16). */
  concurrency?: number;
}

/** The messages one outbox row is delivered as, in order. */
export function deliveryParts(message: OutMessage, maxText: number, maxCaption = DEFAULT_CAPTION_LIMIT): OutMessage[] {
  const attachment = message.image ? { image: message.image } : message.document ? { document: message.document } : null;
  if (attachment && message.text.length <= maxCaption) return [message];
  const texts = splitText(message.text, maxText);
  const parts: OutMessage[] = texts.map((text, i) => (i === texts.length - 1 && message.buttons ? { text, buttons: message.buttons } : { text }));
  // An attachment whose text is too long for a caption goes first, on its own: one message per
  // slot, so the rate limiter's count matches what the platform sees.
  if (attachment) parts.unshift({ text: '', ...attachment });
  return parts;
}

/** Sends outbox messages in the background. */
export class OutboxWorker {
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly inFlight = new Set<number>();
  private readonly busyChats = new Set<string>();
  private pausedUntil = 0;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  private readonly sends = new Set<Promise<void>>();
  private readonly concurrency: number;
  /** Heads fetched by the last query, not yet started; re-read when stale (see `tick`). */
  private candidates: OutboxMessage[] = [];
  private candidatesAt = 0;
  private stale = true;

  constructor(private readonly opts: WorkerOptions) {
    this.concurrency = opts.concurrency ?? 16;
    opts.outbox.onEnqueue(() => this.wake());
  }

  /** Starts the delivery loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops taking new messages and waits for sends in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.sends]);
  }

  /**
   * Delivers until nothing due is left or `timeoutMs` passes (tests and `linli digest send`).
   * Returns the number of messages still pending and due.
   */
  async flush(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    this.stale = true;
    for (;;) {
      const { started, waitMs } = await this.tick();
      if (!started && this.sends.size === 0) {
        const due = await this.dueCount();
        if (due === 0 || Date.now() > deadline) return due;
      }
      // Wake for whichever comes first: a send finishing or the limiter's next free slot.
      const slot = waitMs > 0 ? sleep(Math.min(250, waitMs)) : null;
      if (this.sends.size) await Promise.race([...this.sends, ...(slot ? [slot] : [])]);
      else await (slot ?? sleep(5));
      if (Date.now() > deadline) return this.dueCount();
    }
  }

  /** Messages that could go now (each chat's head, when due); rows queued behind a retry do not count. */
  private async dueCount(): Promise<number> {
    return (await this.heads(this.opts.clock())).length;
  }

  private limiter(platform: string): RateLimiter {
    let l = this.limiters.get(platform);
    if (!l) {
      l = new RateLimiter(this.opts.limits?.[platform] ?? TELEGRAM_LIMITS);
      this.limiters.set(platform, l);
    }
    return l;
  }

  /** Something was enqueued: re-read the heads and look again. */
  private wake(): void {
    this.stale = true;
    this.nudge();
  }

  /** A send finished: look again (a slot is free; the cached heads are still good). */
  private nudge(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let result = { started: 0, waitMs: 0 };
      this.woken = false;
      try {
        result = await this.tick();
      } catch (err) {
        this.opts.log.error({ err }, 'outbox tick failed');
      }
      if (!this.running) break;
      if (this.woken) continue;
      // Nothing startable: sleep until the limiter frees a slot, a send finishes, something is
      // enqueued, or the idle poll comes round (for messages whose time comes).
      const idle = this.opts.pollMs ?? 1000;
      const wait = result.waitMs > 0 ? Math.min(idle, result.waitMs) : idle;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, wait));
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  /**
   * The oldest pending message of each chat, if it is due: the only ones that may go now.
   * A row blocks its chat when it is due or has been tried (retry backoff, 429); a row that only
   * waits for its scheduled time does not.
   */
  private async heads(now: Date): Promise<OutboxMessage[]> {
    const platforms = [...this.opts.adapters.keys()];
    if (!platforms.length) return [];
    const rows = await this.opts.db.$queryRaw<{ id: number | bigint }[]>`
      SELECT MIN(id) AS id FROM "OutboxMessage"
      WHERE status = 'pending' AND platform IN (${Prisma.join(platforms)})
        AND ("nextAttemptAt" <= ${now} OR attempts > 0 OR "lastError" IS NOT NULL)
      GROUP BY platform, "chatId"
      ORDER BY id
      LIMIT ${BATCH * 4}`;
    const ids = rows.map((r) => Number(r.id)).filter((id) => !this.inFlight.has(id));
    if (!ids.length) return [];
    return this.opts.db.outboxMessage.findMany({ where: { id: { in: ids }, status: 'pending', nextAttemptAt: { lte: now } }, orderBy: { id: 'asc' }, take: BATCH });
  }

  private ticking?: Promise<{ started: number; waitMs: number }>;

  /** Starts as many due sends as the limits allow; one tick at a time (flush and the loop share them). */
  private async tick(): Promise<{ started: number; waitMs: number }> {
    while (this.ticking) await this.ticking.catch(() => undefined);
    this.ticking = this.tickOnce();
    try {
      return await this.ticking;
    } finally {
      this.ticking = undefined;
    }
  }

  /** Says how many sends it started, and how long until the limiter frees the next slot. */
  private async tickOnce(): Promise<{ started: number; waitMs: number }> {
    const pause = this.pausedUntil - Date.now();
    if (pause > 0) return { started: 0, waitMs: pause };
    if (this.inFlight.size >= this.concurrency) return { started: 0, waitMs: 0 };
    // One query serves many sends: the heads are re-read only when something was enqueued or
    // finished, when they are used up or a second old, or when none of them could start.
    if (this.stale || !this.candidates.length || Date.now() - this.candidatesAt > 1000) {
      this.stale = false;
      this.candidates = await this.heads(this.opts.clock());
      this.candidatesAt = Date.now();
    }
    let started = 0;
    let waitMs = Infinity;
    const startedIds = new Set<number>();
    for (const row of this.candidates) {
      if (this.inFlight.size >= this.concurrency || Date.now() < this.pausedUntil) break;
      const chatKey = `${row.platform}:${row.chatId}`;
      if (this.inFlight.has(row.id) || this.busyChats.has(chatKey)) continue;
      const adapter = this.opts.adapters.get(row.platform)!;
      const limiter = this.limiter(row.platform);
      const isGroup = adapter.isGroupChat(row.chatId);
      const delay = limiter.delayFor(row.chatId, isGroup, Date.now());
      if (delay > 0) {
        waitMs = Math.min(waitMs, delay);
        continue;
      }
      limiter.record(row.chatId, isGroup, Date.now());
      this.inFlight.add(row.id);
      this.busyChats.add(chatKey);
      const p = this.deliver(adapter, row, limiter, isGroup).finally(() => {
        this.inFlight.delete(row.id);
        this.busyChats.delete(chatKey);
        this.sends.delete(p);
        this.nudge();
      });
      this.sends.add(p);
      startedIds.add(row.id);
      started++;
    }
    this.candidates = this.candidates.filter((r) => !startedIds.has(r.id));
    // Nothing startable and nothing merely waiting for a slot: the heads must have moved on.
    if (!started && waitMs === Infinity) this.stale = true;
    return { started, waitMs: Number.isFinite(waitMs) ? waitMs : 0 };
  }

  private async deliver(adapter: Adapter, candidate: OutboxMessage, limiter: RateLimiter, isGroup: boolean): Promise<void> {
    const { db, log } = this.opts;
    // The cached candidate may be a moment old: already sent, dropped after a 403, changed by a
    // coalesced edit, or handled by another process. The row itself decides.
    const row = await db.outboxMessage.findUnique({ where: { id: candidate.id } });
    if (!row || row.status !== 'pending') return;
    const payload = JSON.parse(row.payload) as OutboxPayload;
    try {
      if (row.kind === 'edit') {
        await this.deliverEdit(adapter, row, payload);
        return;
      }
      const message = fromStored(payload, row.image, row.imageName);
      const parts = deliveryParts(message, adapter.capabilities.maxTextLength, adapter.capabilities.maxCaptionLength);
      let firstId = row.platformMessageId;
      for (let i = row.partsSent; i < parts.length; i++) {
        if (i > row.partsSent) {
          // Later parts wait for their own slot in the chat's limits (and for a 429 pause).
          let wait: number;
          while ((wait = Math.max(limiter.delayFor(row.chatId, isGroup, Date.now()), this.pausedUntil - Date.now())) > 0) await sleep(wait);
          limiter.record(row.chatId, isGroup, Date.now());
        }
        const sent = await adapter.send(row.chatId, parts[i]);
        firstId ??= sent.messageId;
        const done = i === parts.length - 1;
        if (done && row.pin) await adapter.pin(row.chatId, firstId).catch((err) => log.warn({ err, chat: row.chatId }, 'could not pin'));
        await db.outboxMessage.update({
          where: { id: row.id },
          data: done ? { partsSent: i + 1, platformMessageId: firstId, status: 'sent', sentAt: this.opts.clock(), lastError: null } : { partsSent: i + 1, platformMessageId: firstId },
        });
      }
      if (row.partsSent >= parts.length) {
        await db.outboxMessage.update({ where: { id: row.id }, data: { status: 'sent', sentAt: this.opts.clock(), lastError: null } });
      }
    } catch (err) {
      await this.handleFailure(row, err);
    }
  }

  private async deliverEdit(adapter: Adapter, row: OutboxMessage, payload: OutboxPayload): Promise<void> {
    const { db } = this.opts;
    const target = payload.targetKey ? await db.outboxMessage.findUnique({ where: { key: payload.targetKey } }) : null;
    if (!target?.platformMessageId) {
      if (target && target.status === 'pending') {
        await db.outboxMessage.update({ where: { id: row.id }, data: { nextAttemptAt: new Date(this.opts.clock().getTime() + 2000) } });
        return;
      }
      await db.outboxMessage.update({ where: { id: row.id }, data: { status: 'dropped', lastError: 'target message was never posted' } });
      return;
    }
    const message = fromStored(payload, null, null);
    // An edit replaces the first posted part; a text that grew past the limit is cut there.
    message.text = splitText(message.text, adapter.capabilities.maxTextLength)[0] ?? '';
    await adapter.edit(row.chatId, target.platformMessageId, message);
    // A newer edit may have been coalesced into this row while we were sending: then the row
    // stays pending and the newer text goes out next.
    await db.outboxMessage.updateMany({
      where: { id: row.id, payload: row.payload },
      data: { status: 'sent', sentAt: this.opts.clock(), platformMessageId: target.platformMessageId, lastError: null },
    });
  }

  private async handleFailure(row: OutboxMessage, err: unknown): Promise<void> {
    const { db, log, clock } = this.opts;
    const failure = err instanceof DeliveryError ? err : new DeliveryError('transient', err instanceof Error ? err.message : String(err));
    const now = clock();
    switch (failure.kind) {
      case 'rate_limited': {
        const seconds = failure.retryAfterSec ?? 5;
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + seconds * 1000);
        log.warn({ chat: row.chatId, retryAfter: seconds }, 'rate limited: pausing the outbox');
        // The pause holds the whole queue; the row stays due and keeps its place in its chat.
        await db.outboxMessage.update({ where: { id: row.id }, data: { lastError: failure.message } });
        return;
      }
      case 'forbidden': {
        log.warn({ platform: row.platform, chat: row.chatId, key: row.key }, 'bot removed from chat: marking it inactive and dropping its messages');
        // Cached heads of this chat must not be sent after this.
        this.candidates = this.candidates.filter((r) => !(r.platform === row.platform && r.chatId === row.chatId));
        await db.chatGroup.updateMany({ where: { platform: row.platform, chatId: row.chatId }, data: { active: false } });
        await db.outboxMessage.updateMany({
          where: { platform: row.platform, chatId: row.chatId, status: 'pending' },
          data: { status: 'dropped', lastError: failure.message },
        });
        return;
      }
      case 'permanent': {
        log.error({ chat: row.chatId, key: row.key, err: failure.message }, 'outbox message failed permanently');
        await db.outboxMessage.update({ where: { id: row.id }, data: { status: 'failed', lastError: failure.message, attempts: { increment: 1 } } });
        return;
      }
      case 'transient': {
        const attempts = row.attempts + 1;
        const giveUp = attempts >= MAX_ATTEMPTS;
        const backoffMs = Math.min(2 ** attempts * 1000, 10 * 60_000);
        log.warn({ chat: row.chatId, key: row.key, attempts, err: failure.message }, giveUp ? 'outbox message failed' : 'outbox send failed, will retry');
        await db.outboxMessage.update({
          where: { id: row.id },
          data: { attempts, lastError: failure.message, status: giveUp ? 'failed' : 'pending', nextAttemptAt: new Date(now.getTime() + backoffMs) },
        });
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
