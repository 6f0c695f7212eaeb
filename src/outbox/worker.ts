/**
 * Delivers the outbox within each platform's rate limits.
 *
 * - a 429 answer pauses the whole queue for `retry_after` (Telegram's instruction applies to
 *   the bot, not to one chat);
 * - transient failures retry with exponential backoff, and give up after MAX_ATTEMPTS;
 * - a chat that removed the bot (403) is marked inactive and its messages dropped, with a log line;
 * - text longer than the platform allows is sent as several messages split at paragraphs,
 *   remembering how many parts went out so a crash in between does not repeat them.
 */
import type { Adapter } from '../adapters/adapter.ts';
import { DeliveryError } from '../adapters/adapter.ts';
import type { Db } from '../db/client.ts';
import type { OutboxMessage } from '../generated/prisma/client.ts';
import type { Logger } from '../log.ts';
import { fromStored, type Outbox, type OutboxPayload } from './outbox.ts';
import { RateLimiter, TELEGRAM_LIMITS, type Limits } from './rateLimiter.ts';
import { splitText } from './split.ts';

/** Attempts before a message that keeps failing transiently is marked failed. */
export const MAX_ATTEMPTS = 8;
const MAX_IN_FLIGHT = 16;
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
}

/** Sends outbox messages in the background. */
export class OutboxWorker {
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly inFlight = new Set<string>();
  private pausedUntil = 0;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private readonly sends = new Set<Promise<void>>();

  constructor(private readonly opts: WorkerOptions) {
    opts.outbox.onEnqueue(() => this.wakeUp?.());
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
    this.wakeUp?.();
    await this.loop;
    await Promise.allSettled([...this.sends]);
  }

  /**
   * Delivers until nothing due is left or `timeoutMs` passes (tests and `linli digest send`).
   * Returns the number of messages still pending.
   */
  async flush(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const started = await this.tick();
      if (!started && this.sends.size === 0) {
        const due = await this.dueCount();
        if (due === 0 || Date.now() > deadline) return due;
      }
      if (this.sends.size) await Promise.race([...this.sends]);
      else await sleep(Math.min(250, Math.max(10, this.nextWait())));
      if (Date.now() > deadline) return this.dueCount();
    }
  }

  private async dueCount(): Promise<number> {
    return this.opts.db.outboxMessage.count({ where: { status: 'pending', nextAttemptAt: { lte: this.opts.clock() }, platform: { in: [...this.opts.adapters.keys()] } } });
  }

  private limiter(platform: string): RateLimiter {
    let l = this.limiters.get(platform);
    if (!l) {
      l = new RateLimiter(this.opts.limits?.[platform] ?? TELEGRAM_LIMITS);
      this.limiters.set(platform, l);
    }
    return l;
  }

  private nextWait(): number {
    return Math.max(0, this.pausedUntil - Date.now());
  }

  private async run(): Promise<void> {
    while (this.running) {
      let started = 0;
      try {
        started = await this.tick();
      } catch (err) {
        this.opts.log.error({ err }, 'outbox tick failed');
      }
      if (!this.running) break;
      const wait = started ? 20 : Math.max(this.nextWait(), this.opts.pollMs ?? 1000);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  /** Starts as many due sends as the limits allow; returns how many it started. */
  private async tick(): Promise<number> {
    if (Date.now() < this.pausedUntil) return 0;
    const platforms = [...this.opts.adapters.keys()];
    const due = await this.opts.db.outboxMessage.findMany({
      where: { status: 'pending', nextAttemptAt: { lte: this.opts.clock() }, platform: { in: platforms } },
      orderBy: [{ nextAttemptAt: 'asc' }, { createdAt: 'asc' }],
      take: BATCH,
    });
    let started = 0;
    const busyChats = new Set<string>();
    for (const row of due) {
      if (this.inFlight.size >= MAX_IN_FLIGHT || Date.now() < this.pausedUntil) break;
      const chatKey = `${row.platform}:${row.chatId}`;
      if (this.inFlight.has(row.id) || busyChats.has(chatKey)) continue;
      busyChats.add(chatKey);
      const adapter = this.opts.adapters.get(row.platform)!;
      const limiter = this.limiter(row.platform);
      const isGroup = adapter.isGroupChat(row.chatId);
      if (limiter.delayFor(row.chatId, isGroup, Date.now()) > 0) continue;
      limiter.record(row.chatId, isGroup, Date.now());
      this.inFlight.add(row.id);
      const p = this.deliver(adapter, row, limiter, isGroup).finally(() => {
        this.inFlight.delete(row.id);
        this.sends.delete(p);
        this.wakeUp?.();
      });
      this.sends.add(p);
      started++;
    }
    return started;
  }

  private async deliver(adapter: Adapter, row: OutboxMessage, limiter: RateLimiter, isGroup: boolean): Promise<void> {
    const { db, log } = this.opts;
    const payload = JSON.parse(row.payload) as OutboxPayload;
    try {
      if (row.kind === 'edit') {
        const target = payload.targetKey ? await db.outboxMessage.findUnique({ where: { key: payload.targetKey } }) : null;
        if (!target?.platformMessageId) {
          if (target && target.status === 'pending') {
            await db.outboxMessage.update({ where: { id: row.id }, data: { nextAttemptAt: new Date(this.opts.clock().getTime() + 2000) } });
            return;
          }
          await db.outboxMessage.update({ where: { id: row.id }, data: { status: 'dropped', lastError: 'target message was never posted' } });
          return;
        }
        await adapter.edit(row.chatId, target.platformMessageId, fromStored(payload, null, null));
        await this.markSent(row, target.platformMessageId);
        return;
      }
      const message = fromStored(payload, row.image, row.imageName);
      const parts = splitText(message.text, adapter.capabilities.maxTextLength);
      let firstId = row.platformMessageId;
      for (let i = row.partsSent; i < parts.length; i++) {
        if (i > row.partsSent) {
          // Later parts wait for their own slot in the chat's limits.
          let wait: number;
          while ((wait = limiter.delayFor(row.chatId, isGroup, Date.now())) > 0) await sleep(wait);
          limiter.record(row.chatId, isGroup, Date.now());
        }
        const last = i === parts.length - 1;
        const sent = await adapter.send(row.chatId, {
          text: parts[i],
          // Buttons belong under the last part; the image goes with the first.
          buttons: last ? message.buttons : undefined,
          image: i === 0 ? message.image : undefined,
          document: last ? message.document : undefined,
        });
        firstId ??= sent.messageId;
        await db.outboxMessage.update({ where: { id: row.id }, data: { partsSent: i + 1, platformMessageId: firstId } });
      }
      if (row.pin && firstId) await adapter.pin(row.chatId, firstId).catch((err) => log.warn({ err, chat: row.chatId }, 'could not pin'));
      await this.markSent(row, firstId);
    } catch (err) {
      await this.handleFailure(row, err);
    }
  }

  private async markSent(row: OutboxMessage, messageId: string | null): Promise<void> {
    if (row.kind === 'edit') {
      // An edit re-enqueued with newer content while this one was on its way stays pending,
      // so the newer content goes out next instead of being marked sent unseen.
      await this.opts.db.outboxMessage.updateMany({
        where: { id: row.id, payload: row.payload },
        data: { status: 'sent', sentAt: this.opts.clock(), platformMessageId: messageId, lastError: null },
      });
      return;
    }
    await this.opts.db.outboxMessage.update({
      where: { id: row.id },
      data: { status: 'sent', sentAt: this.opts.clock(), platformMessageId: messageId, lastError: null },
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
        await db.outboxMessage.update({ where: { id: row.id }, data: { lastError: failure.message, nextAttemptAt: new Date(now.getTime() + seconds * 1000) } });
        return;
      }
      case 'forbidden': {
        log.warn({ platform: row.platform, chat: row.chatId, key: row.key }, 'bot removed from chat: marking it inactive and dropping its messages');
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
