/**
 * Delivers the outbox within each platform's rate limits, exactly once wherever the platform
 * lets us know, and with a documented window where it cannot.
 *
 * - Rows are claimed in the database before they are sent (see claims.ts): several workers —
 *   two processes on one SQLite file, several instances on PostgreSQL — never send one row
 *   twice, and a crashed worker's rows are taken over when its lease passes.
 * - Messages to one chat go out in the order they were enqueued: only the head of a chat can be
 *   claimed, and a chat never has two sends in flight. A message that waits only for its
 *   scheduled time (`notBefore`) does not hold the line; one that waits for a retry does.
 * - Every send takes its slot from the PacedSender it shares with direct replies; a 429 pauses
 *   every send on that platform for `retry_after` (Telegram's instruction applies to the bot).
 * - Transient failures retry with exponential backoff and give up after MAX_ATTEMPTS; a chat that
 *   removed the bot (403) is marked inactive and its messages dropped, with a log line.
 * - Text longer than the platform allows goes as several messages (see parts.ts), each with its
 *   own slot; an image whose text does not fit a caption goes as its own message first.
 *
 * Each part is sent in three steps: (1) the row is marked "sending" with the attempt's start
 * time, (2) the platform is called, (3) the part's outcome — message id, parts done — is recorded,
 * conditional on the parts count not having moved. The next part, or the next message to the
 * chat, starts only after (3) committed; a pin comes after the last part is recorded, and the
 * row is "sent" after the pin. Edits are not marked: sending the same text again changes nothing.
 *
 * What remains (the platform has no idempotency key and no way to ask what was posted):
 * a worker that dies — or whose connection drops, or whose database write fails — after the
 * platform accepted a part and before (3) committed leaves the row "sending"; once its lease
 * passes, the part is sent again and the first copy stays in the chat undetected. That is at
 * most one part per chat with a call under way at that instant (at most `concurrency` parts per
 * worker). The duplicates that can be detected are taken down (see duplicates.ts): when a
 * worker's lease ran out while its call was still under way and another worker sent the same part,
 * whichever records second deletes (or voids) its own copy. A row whose outcome was recorded is
 * never sent again. On SQLite the record survives a killed process; against a power cut it is as
 * durable as the database's `synchronous` setting makes the last commits.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Adapter } from '../platform/adapter.ts';
import { DeliveryError } from '../platform/adapter.ts';
import type { SentRef } from '../platform/messages.ts';
import type { Db } from '../db/client.ts';
import type { OutboxMessage, Prisma } from '../generated/prisma/client.ts';
import { createTranslator, type Translator } from '../i18n/i18n.ts';
import type { Logger } from '../log.ts';
import { claimHeadsSql, dueHeadsCountSql, OPEN_STATUSES, type SqlEngine } from './claims.ts';
import { retireDuplicate } from './duplicates.ts';
import type { WakeSource } from './listener.ts';
import { fromStored, type Outbox, type OutboxPayload } from './outbox.ts';
import { PacedSender } from './pacedSender.ts';
import type { Slot } from './pacing.ts';
import { deliveryParts } from './parts.ts';
import type { Limits } from './rateLimiter.ts';
import { splitText } from './split.ts';

export { deliveryParts } from './parts.ts';

/** Attempts before a message that keeps failing transiently (or keeps being interrupted) is marked failed. */
export const MAX_ATTEMPTS = 8;
/** Rows one worker holds claimed at most (claimed, not yet started). */
const BATCH = 200;
/** How long a claim holds without renewal; a dead worker's rows are free again after it. */
const DEFAULT_LEASE_MS = 60_000;
/** Waits before trying again to record a delivered part when the database refused the write. */
const RECORD_RETRY_MS = [100, 500, 2000];

/** Options of the worker. */
export interface WorkerOptions {
  db: Db;
  outbox: Outbox;
  adapters: Map<string, Adapter>;
  log: Logger;
  clock: () => Date;
  /** The sender shared with direct replies. Without it the worker makes its own from `limits`. */
  sender?: PacedSender;
  /** Per-platform limits for a sender of the worker's own; Telegram's by default. */
  limits?: Partial<Record<string, Limits>>;
  /** Idle poll interval when nothing wakes the worker (ms; default 1 s, or 5 s with `wakeups`). */
  pollMs?: number;
  /**
   * Wakes the worker for enqueues made elsewhere (another instance on PostgreSQL: listener.ts),
   * started and stopped with the worker. The poll stays as the fallback, at a longer interval.
   */
  wakeups?: WakeSource;
  /** Sends in flight at once (default 16). */
  concurrency?: number;
  /** How long a claim holds (ms, default 60 s): the delay before a crashed worker's rows are sent by another. */
  leaseMs?: number;
  /** This worker's name in `claimedBy` (default: host, process id and a random suffix). */
  workerId?: string;
  /** The database engine, for the claim SQL (default sqlite). */
  engine?: SqlEngine;
  /** Translations for the notice that voids a duplicate where the platform cannot delete it. */
  i18n?: Translator;
}

/** Sends outbox messages in the background. */
export class OutboxWorker {
  /** The pacing shared with direct replies. */
  readonly sender: PacedSender;
  /** The name this worker claims rows under. */
  readonly workerId: string;
  private readonly inFlight = new Set<number>();
  private readonly busyChats = new Set<string>();
  /** Rows claimed and not yet started, by id, as read right after the claim. */
  private readonly held = new Map<number, OutboxMessage>();
  private claimedAt = 0;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  private readonly sends = new Set<Promise<void>>();
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly engine: SqlEngine;
  private stale = true;
  private i18n?: Translator;

  constructor(private readonly opts: WorkerOptions) {
    this.concurrency = opts.concurrency ?? 16;
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.engine = opts.engine ?? 'sqlite';
    this.sender = opts.sender ?? new PacedSender({ limits: opts.limits, log: opts.log });
    this.workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.i18n = opts.i18n;
    opts.outbox.onEnqueue(() => this.wake());
  }

  /** Starts the delivery loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.opts.wakeups?.start(() => this.wake());
    this.loop = this.run();
  }

  /** Stops taking new messages, waits for sends in flight and gives the rows it holds back. */
  async stop(): Promise<void> {
    this.running = false;
    await this.opts.wakeups?.stop();
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.sends]);
    await this.release();
  }

  /**
   * Delivers until nothing due is left or `timeoutMs` passes (tests and `linli digest send`).
   * Returns the number of messages still due (rows another worker is sending count too).
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

  /** Heads of chats that could go now, whoever holds them; rows queued behind a retry do not count. */
  private async dueCount(): Promise<number> {
    const platforms = [...this.opts.adapters.keys()];
    if (!platforms.length) return 0;
    const [row] = await this.opts.db.$queryRaw<{ n: number | bigint }[]>(dueHeadsCountSql(platforms, this.opts.clock()));
    return Number(row?.n ?? 0);
  }

  /** Something was enqueued: claim again and look. */
  private wake(): void {
    this.stale = true;
    this.nudge();
  }

  /** A send finished: look again (a slot is free; the rows held are still good). */
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
      // enqueued, or the idle poll comes round (for messages whose time comes, and rows a dead
      // worker's lease frees).
      const idle = this.opts.pollMs ?? (this.opts.wakeups ? 5000 : 1000);
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

  /** Says how many sends it started, and how long until the next slot frees up. */
  private async tickOnce(): Promise<{ started: number; waitMs: number }> {
    if (this.inFlight.size >= this.concurrency) return { started: 0, waitMs: 0 };
    // One claim serves many sends: claim again only when something was enqueued or nothing
    // could start, when the rows held are used up, or a second after the last claim.
    if (this.stale || !this.held.size || Date.now() - this.claimedAt > 1000) {
      this.stale = false;
      await this.claim();
      this.claimedAt = Date.now();
    }
    await this.renewLeases();
    let started = 0;
    let waitMs = Infinity;
    const pauses = new Map<string, number>();
    for (const row of [...this.held.values()].sort((a, b) => a.id - b.id)) {
      if (this.inFlight.size >= this.concurrency) break;
      let pause = pauses.get(row.platform);
      if (pause === undefined) pauses.set(row.platform, (pause = await this.sender.pauseLeft(row.platform)));
      if (pause > 0) {
        waitMs = Math.min(waitMs, pause);
        continue;
      }
      const chatKey = `${row.platform}:${row.chatId}`;
      const adapter = this.opts.adapters.get(row.platform);
      if (!adapter || this.busyChats.has(chatKey)) continue;
      const isGroup = adapter.isGroupChat(row.chatId);
      const slot = await this.sender.tryAcquire(row.platform, row.chatId, isGroup);
      if (typeof slot === 'number') {
        waitMs = Math.min(waitMs, slot);
        continue;
      }
      this.held.delete(row.id);
      this.inFlight.add(row.id);
      this.busyChats.add(chatKey);
      const p = this.deliver(adapter, row, slot)
        .catch((err) => this.opts.log.error({ err, id: row.id }, 'outbox delivery failed'))
        .finally(() => {
          void this.sender.answered(slot);
          this.inFlight.delete(row.id);
          this.busyChats.delete(chatKey);
          this.sends.delete(p);
          this.nudge();
        });
      this.sends.add(p);
      started++;
    }
    // Nothing startable and nothing merely waiting for a slot: the heads must have moved on.
    if (!started && waitMs === Infinity) this.stale = true;
    return { started, waitMs: Number.isFinite(waitMs) ? waitMs : 0 };
  }

  private leaseEnd(): Date {
    return new Date(this.opts.clock().getTime() + this.leaseMs);
  }

  /** Claims due heads up to the batch size (see claims.ts). */
  private async claim(): Promise<void> {
    const platforms = [...this.opts.adapters.keys()];
    const limit = BATCH - this.held.size;
    if (!platforms.length || limit <= 0) return;
    const { db } = this.opts;
    const sql = claimHeadsSql(this.engine, { platforms, workerId: this.workerId, now: this.opts.clock(), leaseUntil: this.leaseEnd(), limit });
    const ids = (await db.$queryRaw<{ id: number | bigint }[]>(sql)).map((r) => Number(r.id)).filter((id) => !this.inFlight.has(id));
    if (!ids.length) return;
    // Read once here, not again before each send: a claimed send row changes only by its
    // claimant, and the conditional "sending" mark notices a takeover. The slot taken for a row
    // and its API call are then only one write apart.
    const rows = await db.outboxMessage.findMany({ where: { id: { in: ids }, claimedBy: this.workerId } });
    for (const row of rows) this.held.set(row.id, row);
  }

  /** Keeps the claims on rows held (waiting for their slot) from running out. */
  private async renewLeases(): Promise<void> {
    if (!this.held.size) return;
    const now = this.opts.clock().getTime();
    let earliest = Infinity;
    for (const row of this.held.values()) earliest = Math.min(earliest, row.leaseUntil?.getTime() ?? 0);
    if (earliest - now > this.leaseMs / 2) return;
    const ids = [...this.held.keys()];
    const leaseUntil = this.leaseEnd();
    const { count } = await this.opts.db.outboxMessage.updateMany({ where: { id: { in: ids }, claimedBy: this.workerId }, data: { leaseUntil } });
    if (count < ids.length) {
      // Some were taken over (this process stalled past its lease): forget those.
      const still = new Set((await this.opts.db.outboxMessage.findMany({ where: { id: { in: ids }, claimedBy: this.workerId }, select: { id: true } })).map((r) => r.id));
      for (const id of ids) if (!still.has(id)) this.held.delete(id);
    }
    for (const row of this.held.values()) row.leaseUntil = leaseUntil;
  }

  /** Gives back the rows held but not started, so another worker need not wait for the lease. */
  private async release(): Promise<void> {
    const ids = [...this.held.keys()];
    this.held.clear();
    if (!ids.length) return;
    await this.opts.db.outboxMessage
      .updateMany({ where: { id: { in: ids }, claimedBy: this.workerId }, data: { claimedBy: null, leaseUntil: null } })
      .catch((err) => this.opts.log.warn({ err }, 'could not release outbox claims; they free up when the lease passes'));
  }

  /** Delivers one claimed row; `slot` was taken for its first call (answered as soon as that call returns). */
  private async deliver(adapter: Adapter, held: OutboxMessage, slot: Slot): Promise<void> {
    const { id } = held;
    // An edit row changes while claimed (newer edits coalesce into it): read it again.
    const row = held.kind === 'edit' ? await this.opts.db.outboxMessage.findUnique({ where: { id } }) : held;
    if (!row || row.claimedBy !== this.workerId || !(OPEN_STATUSES as readonly string[]).includes(row.status)) return;
    let attempts = row.attempts;
    try {
      if (row.kind === 'edit') {
        await this.deliverEdit(adapter, row, slot);
        return;
      }
      if (row.status === 'sending') {
        // Found in "sending" after its sender's lease passed: that call may or may not have
        // reached the platform, and the platform cannot tell. Send again (a duplicate is
        // better than a lost notice), and count it as an attempt so a message that crashes
        // the sender every time does not loop for ever.
        attempts++;
        this.opts.log.warn({ key: row.key, chat: row.chatId, part: row.partsSent, since: row.attemptStartedAt }, 'sending again a message whose earlier attempt may have reached the platform');
        if (attempts >= MAX_ATTEMPTS) {
          await this.opts.db.outboxMessage.updateMany({
            where: { id, claimedBy: this.workerId },
            data: { status: 'failed', attempts, lastError: 'interrupted while sending too often', claimedBy: null, leaseUntil: null },
          });
          return;
        }
      }
      await this.deliverSend(adapter, row, slot, attempts);
    } catch (err) {
      await this.handleFailure(row, err, attempts);
    }
  }

  private async deliverSend(adapter: Adapter, row: OutboxMessage, firstSlot: Slot, attempts: number): Promise<void> {
    const { db, log, clock } = this.opts;
    const message = fromStored(JSON.parse(row.payload) as OutboxPayload, row.image, row.imageName);
    const parts = deliveryParts(message, adapter.capabilities.maxTextLength, adapter.capabilities.maxCaptionLength);
    let firstId = row.platformMessageId;
    for (let i = row.partsSent; i < parts.length; i++) {
      // The first part's slot was taken when the row started; later parts wait for their own.
      const slot = i === row.partsSent ? firstSlot : await this.sender.acquire(row.platform, row.chatId, firstSlot.isGroup, { priority: 'outbox' });
      let sent: SentRef;
      try {
        const marked = await db.outboxMessage.updateMany({
          where: { id: row.id, claimedBy: this.workerId, partsSent: i, status: { in: [...OPEN_STATUSES] } },
          data: { status: 'sending', attemptStartedAt: clock(), leaseUntil: this.leaseEnd(), attempts },
        });
        if (!marked.count) return; // taken over by another worker: it carries on from here
        if ((await this.sender.pauseLeft(row.platform)) > 0) {
          // A 429 came back while this part got ready: nothing new starts in the pause. Undo
          // the mark and give the row back; it is claimed again (and read afresh) afterwards.
          const first = i === row.partsSent;
          await db.outboxMessage.updateMany({
            where: { id: row.id, claimedBy: this.workerId, partsSent: i, status: 'sending' },
            data: { status: first ? row.status : 'pending', attempts: row.attempts, attemptStartedAt: first ? row.attemptStartedAt : null, claimedBy: null, leaseUntil: null },
          });
          this.stale = true;
          return;
        }
        sent = await adapter.send(row.chatId, parts[i]);
      } finally {
        await this.sender.answered(slot);
      }
      firstId ??= sent.messageId;
      const finished = i === parts.length - 1 && !row.pin;
      const outcome = await this.record(row, i, {
        partsSent: i + 1,
        platformMessageId: firstId,
        status: finished ? 'sent' : 'pending',
        ...(finished ? { sentAt: clock(), lastError: null, claimedBy: null, leaseUntil: null } : { claimedBy: this.workerId, leaseUntil: this.leaseEnd() }),
      });
      if (outcome !== 'recorded') {
        if (outcome === 'lost') await this.retire(adapter, row, i, sent);
        return;
      }
      if (finished) return;
    }
    // Every part is out (now or before a crash): pin if asked, then the row is done.
    if (row.pin && firstId) await adapter.pin(row.chatId, firstId).catch((err) => log.warn({ err, chat: row.chatId }, 'could not pin'));
    await db.outboxMessage.updateMany({
      where: { id: row.id, claimedBy: this.workerId },
      data: { status: 'sent', sentAt: clock(), lastError: null, claimedBy: null, leaseUntil: null },
    });
  }

  /**
   * Records that part `part` of `row` went out — only if nobody recorded it first (the parts
   * count has not moved). The write is retried when the database refuses it: the message did go
   * out, and a row left "sending" would be sent again.
   */
  private async record(row: OutboxMessage, part: number, data: Prisma.OutboxMessageUncheckedUpdateManyInput): Promise<'recorded' | 'lost' | 'unknown'> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { count } = await this.opts.db.outboxMessage.updateMany({ where: { id: row.id, partsSent: part, status: { in: ['pending', 'sending', 'failed'] } }, data });
        return count ? 'recorded' : 'lost';
      } catch (err) {
        if (attempt >= RECORD_RETRY_MS.length) {
          this.opts.log.error({ err, key: row.key, chat: row.chatId, part }, 'a part went out but could not be recorded: it will be sent again');
          return 'unknown';
        }
        await sleep(RECORD_RETRY_MS[attempt]);
      }
    }
  }

  /** Our copy of a part another sender recorded first: take it down. */
  private async retire(adapter: Adapter, row: OutboxMessage, part: number, sent: SentRef): Promise<void> {
    const now = await this.opts.db.outboxMessage.findUnique({ where: { id: row.id }, select: { partsSent: true } });
    // Gone (erased) or never recorded by anyone: ours is the only copy, nothing to take down.
    if (!now || now.partsSent <= part) return;
    const how = await retireDuplicate(adapter, row.chatId, sent.messageId, () => this.voidNotice(row), this.opts.log);
    this.opts.log.warn({ key: row.key, chat: row.chatId, part, messageId: sent.messageId, how }, 'another sender delivered this part first: our copy was taken down');
  }

  /** The void notice in the chat's language. */
  private async voidNotice(row: OutboxMessage): Promise<string> {
    const { db } = this.opts;
    const group = await db.chatGroup.findUnique({ where: { platform_chatId: { platform: row.platform, chatId: row.chatId } }, include: { community: true } });
    const community = group?.community ?? (row.communityId ? await db.community.findUnique({ where: { id: row.communityId } }) : null);
    this.i18n ??= createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    return this.i18n.t(group?.locale ?? community?.locale ?? 'zh-CN', 'outbox.duplicate_void');
  }

  private async deliverEdit(adapter: Adapter, row: OutboxMessage, slot: Slot): Promise<void> {
    const { db } = this.opts;
    const payload = JSON.parse(row.payload) as OutboxPayload;
    const release = { claimedBy: null, leaseUntil: null };
    const target = payload.targetKey ? await db.outboxMessage.findUnique({ where: { key: payload.targetKey } }) : null;
    if (!target?.platformMessageId) {
      if (target && (OPEN_STATUSES as readonly string[]).includes(target.status)) {
        await db.outboxMessage.updateMany({ where: { id: row.id, claimedBy: this.workerId }, data: { nextAttemptAt: new Date(this.opts.clock().getTime() + 2000), ...release } });
        return;
      }
      await db.outboxMessage.updateMany({ where: { id: row.id, claimedBy: this.workerId }, data: { status: 'dropped', lastError: 'target message was never posted', ...release } });
      return;
    }
    const message = fromStored(payload, null, null);
    // An edit replaces the first posted part; a text that grew past the limit is cut there.
    message.text = splitText(message.text, adapter.capabilities.maxTextLength)[0] ?? '';
    try {
      await adapter.edit(row.chatId, target.platformMessageId, message);
    } finally {
      await this.sender.answered(slot);
    }
    // A newer edit may have been coalesced into this row while we were sending: then the row
    // stays pending (given back) and the newer text goes out next.
    const done = await db.outboxMessage.updateMany({
      where: { id: row.id, payload: row.payload, claimedBy: this.workerId },
      data: { status: 'sent', sentAt: this.opts.clock(), platformMessageId: target.platformMessageId, lastError: null, ...release },
    });
    if (!done.count) await db.outboxMessage.updateMany({ where: { id: row.id, claimedBy: this.workerId }, data: release });
  }

  private async handleFailure(row: OutboxMessage, err: unknown, attempts: number): Promise<void> {
    const { db, log, clock } = this.opts;
    const failure = err instanceof DeliveryError ? err : new DeliveryError('transient', err instanceof Error ? err.message : String(err));
    const mine = { id: row.id, claimedBy: this.workerId };
    const release = { claimedBy: null, leaseUntil: null };
    switch (failure.kind) {
      case 'rate_limited': {
        await this.sender.rateLimited(row.platform, failure.retryAfterSec); // logs the pause
        // The pause holds every send; the row stays due and keeps its place in its chat.
        await db.outboxMessage.updateMany({ where: mine, data: { status: 'pending', lastError: failure.message, ...release } });
        this.stale = true;
        return;
      }
      case 'forbidden': {
        log.warn({ platform: row.platform, chat: row.chatId, key: row.key }, 'bot removed from chat: marking it inactive and dropping its messages');
        for (const held of this.held.values()) if (held.platform === row.platform && held.chatId === row.chatId) this.held.delete(held.id);
        await db.chatGroup.updateMany({ where: { platform: row.platform, chatId: row.chatId }, data: { active: false } });
        await db.outboxMessage.updateMany({
          where: { platform: row.platform, chatId: row.chatId, status: { in: [...OPEN_STATUSES] } },
          data: { status: 'dropped', lastError: failure.message, ...release },
        });
        return;
      }
      case 'permanent': {
        log.error({ chat: row.chatId, key: row.key, err: failure.message }, 'outbox message failed permanently');
        await db.outboxMessage.updateMany({ where: mine, data: { status: 'failed', lastError: failure.message, attempts: attempts + 1, ...release } });
        return;
      }
      case 'transient': {
        const next = attempts + 1;
        const giveUp = next >= MAX_ATTEMPTS;
        const backoffMs = Math.min(2 ** next * 1000, 10 * 60_000);
        log.warn({ chat: row.chatId, key: row.key, attempts: next, err: failure.message }, giveUp ? 'outbox message failed' : 'outbox send failed, will retry');
        await db.outboxMessage.updateMany({
          where: mine,
          data: { attempts: next, lastError: failure.message, status: giveUp ? 'failed' : 'pending', nextAttemptAt: new Date(clock().getTime() + backoffMs), ...release },
        });
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
