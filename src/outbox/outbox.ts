/**
 * The outbox: everything a group sees — notices, results, digests — and every broadcast is
 * written here first, under an idempotency key, and sent by the OutboxWorker. Enqueuing the same
 * key twice is a no-op, so a job that runs again after a crash never posts twice; a message
 * written before a crash is still sent after the restart.
 */
import type { Button, OutMessage, Platform } from '../platform/messages.ts';
import type { Db } from '../db/client.ts';
import { isUniqueViolation } from '../db/client.ts';
import { notifySql } from '../db/dialect.ts';
import { OUTBOX_CHANNEL } from './listener.ts';
import type { ChatGroup, Prisma } from '../generated/prisma/client.ts';

/** The stored form of a message (the image bytes live in their own column). */
export interface OutboxPayload {
  text: string;
  buttons?: Button[][];
  document?: { data: string; name: string; mimeType: string };
  /** For edits: the key of the outbox message whose posted message is edited. */
  targetKey?: string;
}

/** One message to enqueue. */
export interface OutboxItem {
  key: string;
  platform: Platform | string;
  chatId: string;
  message: OutMessage;
  communityId?: string | null;
  refType?: string;
  refId?: string;
  pin?: boolean;
  /** Earliest time to send (scheduled announcements). */
  notBefore?: Date;
}

/** Persists outgoing public messages; the worker delivers them. */
export class Outbox {
  private listeners: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
  ) {}

  /** Calls `fn` whenever something is enqueued (the worker wakes up). */
  onEnqueue(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** Adds a message; returns false when a message with this key already exists. */
  async enqueue(item: OutboxItem): Promise<boolean> {
    try {
      await this.written(this.db.outboxMessage.create({
        data: {
          key: item.key,
          platform: item.platform,
          chatId: item.chatId,
          communityId: item.communityId ?? null,
          payload: JSON.stringify(toPayload(item.message)),
          image: item.message.image ? Buffer.from(item.message.image.data) : null,
          imageName: item.message.image?.name ?? null,
          refType: item.refType ?? null,
          refId: item.refId ?? null,
          pin: item.pin ?? false,
          nextAttemptAt: item.notBefore ?? this.clock(),
        },
      }));
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
    this.wake();
    return true;
  }

  /**
   * Replaces the text/buttons of an already posted message (e.g. a poll's turnout). Edits of one
   * message coalesce into one row, so a burst of votes causes a few edits, not one per vote.
   */
  async enqueueEdit(targetKey: string, message: OutMessage): Promise<void> {
    const target = await this.db.outboxMessage.findUnique({ where: { key: targetKey } });
    if (!target) return;
    const key = `${targetKey}#edit`;
    const payload = JSON.stringify({ ...toPayload(message), targetKey });
    await this.written(this.db.outboxMessage.upsert({
      where: { key },
      create: { key, platform: target.platform, chatId: target.chatId, communityId: target.communityId, kind: 'edit', payload, refType: target.refType, refId: target.refId, nextAttemptAt: this.clock() },
      update: { payload, status: 'pending', attempts: 0, lastError: null, nextAttemptAt: this.clock() },
    }));
    this.wake();
  }

  /**
   * Posts to every active group of a community, each in its own language. The key of each
   * message is `<keyBase>:<platform>:<chatId>`, so publishing the same thing twice is harmless.
   */
  async publishToCommunity(
    communityId: string,
    keyBase: string,
    render: (locale: string, group: ChatGroup) => OutMessage,
    opts: { refType?: string; refId?: string; pin?: boolean; notBefore?: Date; groupIds?: string[] } = {},
  ): Promise<number> {
    const community = await this.db.community.findUnique({ where: { id: communityId } });
    if (!community) return 0;
    const groups = await this.db.chatGroup.findMany({
      where: { communityId, active: true, ...(opts.groupIds ? { id: { in: opts.groupIds } } : {}) },
    });
    let created = 0;
    for (const group of groups) {
      const message = render(group.locale ?? community.locale, group);
      const ok = await this.enqueue({
        key: `${keyBase}:${group.platform}:${group.chatId}`,
        platform: group.platform,
        chatId: group.chatId,
        communityId,
        message,
        refType: opts.refType,
        refId: opts.refId,
        pin: opts.pin,
        notBefore: opts.notBefore,
      });
      if (ok) created++;
    }
    return created;
  }

  /**
   * Runs the write; on PostgreSQL together with a NOTIFY in one transaction, so the leader's
   * listener (listener.ts) hears of the row when it commits — whichever instance wrote it.
   */
  private async written(write: Prisma.PrismaPromise<unknown>): Promise<void> {
    const notify = notifySql(this.db, OUTBOX_CHANNEL);
    if (notify) await this.db.$transaction([write, this.db.$executeRaw(notify)]);
    else await write;
  }

  private wake(): void {
    for (const fn of this.listeners) fn();
  }
}

function toPayload(message: OutMessage): OutboxPayload {
  const payload: OutboxPayload = { text: message.text };
  if (message.buttons?.length) payload.buttons = message.buttons;
  if (message.document) {
    payload.document = { data: Buffer.from(message.document.data).toString('base64'), name: message.document.name, mimeType: message.document.mimeType };
  }
  return payload;
}

/** Messages per status (pending, sending, sent, failed, dropped), for `linli outbox`. */
export async function outboxCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}

/** Rebuilds the neutral message from a stored row. */
export function fromStored(payload: OutboxPayload, image: Uint8Array | null, imageName: string | null): OutMessage {
  const message: OutMessage = { text: payload.text };
  if (payload.buttons) message.buttons = payload.buttons;
  if (image) message.image = { data: image, name: imageName ?? 'image.png' };
  if (payload.document) message.document = { data: Buffer.from(payload.document.data, 'base64'), name: payload.document.name, mimeType: payload.document.mimeType };
  return message;
}
