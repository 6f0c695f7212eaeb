/**
 * A group that got a new id keeps everything that hangs on it. On Telegram this happens when
 * a basic group is upgraded to a supergroup (`migrate_to_chat_id`): same people, same chat
 * history on their screens, but a new chat id — and the old id refuses every call from then on.
 *
 * What moves to the new id, in one transaction:
 * - the ChatGroup row itself (so its id, binding, language and announcement targets stay);
 * - what the group is still to receive: pending outbox messages (their keys, which carry the
 *   chat id, are renamed too, so publishing the same thing again stays a no-op);
 * - the cards of open polls: the old card lives in the old chat, where it can no longer be
 *   edited, so it is posted again in the new group with its latest text and buttons, and from
 *   then on turnout edits go to the new card;
 * - people's open scenes in the group and the numbered choices remembered for it.
 *
 * What stays: messages already sent (they are in the old chat, under ids that mean nothing in
 * the new one — editing "the same id" there could hit another message), and failed or dropped
 * rows, which record what happened. Pending edits of such messages are dropped, with why.
 *
 * Moving is idempotent: the platform announces a move once per id (twice on Telegram), and the
 * second call finds nothing left at the old id.
 */
import type { Db } from '../../db/client.ts';
import type { ChatGroup, OutboxMessage, Prisma } from '../../generated/prisma/client.ts';
import { recordAudit } from './audit.ts';

type Tx = Prisma.TransactionClient;

/** What a move did. */
export interface GroupMove {
  /**
   * moved: the row now has the new id; merged: a placeholder row made for the new id (someone
   * wrote there before the move was known) gave way to it; kept-new: the new id was already bound
   * on its own, so the old row was retired; none: nothing is known under the old id.
   */
  group: 'moved' | 'merged' | 'kept-new' | 'none';
  /** Pending messages now addressed to the new id. */
  pending: number;
  /** Open polls' cards queued to be posted again in the new group. */
  reposted: number;
  /** Pending rows dropped: edits of messages left in the old chat, or duplicates of what the new id already has. */
  dropped: number;
}

/** Moves a group and what hangs on it from one chat id to another (see the file comment). */
export async function moveGroup(db: Db, platform: string, fromChatId: string, toChatId: string, now = new Date()): Promise<GroupMove> {
  if (fromChatId === toChatId) return { group: 'none', pending: 0, reposted: 0, dropped: 0 };
  return db.$transaction(async (tx) => {
    const group = await moveGroupRow(tx, platform, fromChatId, toChatId);
    const outbox = await moveOutbox(tx, platform, fromChatId, toChatId, now);
    await moveConversations(tx, platform, fromChatId, toChatId);
    const moved = group.row;
    if (moved) {
      await recordAudit(tx, {
        actorId: null,
        via: platform,
        action: 'group.migrated',
        communityId: moved.communityId,
        targetType: 'group',
        targetId: moved.id,
        details: { fromChatId, toChatId, group: group.outcome, ...outbox },
      });
    }
    return { group: group.outcome, ...outbox };
  });
}

/** The ChatGroup row: renamed, merged with a placeholder, or retired in favour of a bound new row. */
async function moveGroupRow(tx: Tx, platform: string, fromChatId: string, toChatId: string): Promise<{ outcome: GroupMove['group']; row: ChatGroup | null }> {
  const from = await tx.chatGroup.findUnique({ where: { platform_chatId: { platform, chatId: fromChatId } } });
  if (!from) return { outcome: 'none', row: null };
  const to = await tx.chatGroup.findUnique({ where: { platform_chatId: { platform, chatId: toChatId } } });
  if (to?.communityId) {
    // The new id was bound by someone already: that binding is the newer decision.
    if (from.communityId) {
      await tx.chatGroup.update({ where: { id: from.id }, data: { active: false } });
      await retargetAnnouncements(tx, from.id, to.id);
    } else {
      await tx.chatGroup.delete({ where: { id: from.id } });
    }
    return { outcome: 'kept-new', row: to };
  }
  if (to) await tx.chatGroup.delete({ where: { id: to.id } });
  const row = await tx.chatGroup.update({ where: { id: from.id }, data: { chatId: toChatId, active: true, title: to?.title ?? from.title } });
  return { outcome: to ? 'merged' : 'moved', row };
}

/** Scheduled announcements aimed at the retired row aim at the new one. */
async function retargetAnnouncements(tx: Tx, fromGroupId: string, toGroupId: string): Promise<void> {
  const scheduled = await tx.announcement.findMany({ where: { status: 'scheduled', groupIds: { contains: fromGroupId } }, select: { id: true, groupIds: true } });
  for (const a of scheduled) {
    const ids = (JSON.parse(a.groupIds!) as string[]).map((id) => (id === fromGroupId ? toGroupId : id));
    await tx.announcement.update({ where: { id: a.id }, data: { groupIds: JSON.stringify([...new Set(ids)]) } });
  }
}

/**
 * Outbox keys end in `:<platform>:<chatId>` (edits: `…#edit`), see Outbox.publishToCommunity.
 * The key under the new id, or the same key when it does not name the chat.
 */
function renamedKey(key: string, platform: string, fromChatId: string, toChatId: string): string {
  const tail = `:${platform}:${fromChatId}`;
  for (const end of [tail, `${tail}#edit`]) {
    if (key.endsWith(end)) return `${key.slice(0, key.length - end.length)}:${platform}:${toChatId}${end.slice(tail.length)}`;
  }
  return key;
}

/** The outbox rows of the old id: pending ones move, open polls' cards are posted again. */
async function moveOutbox(tx: Tx, platform: string, fromChatId: string, toChatId: string, now: Date): Promise<Omit<GroupMove, 'group'>> {
  const rows = await tx.outboxMessage.findMany({ where: { platform, chatId: fromChatId, status: { in: ['pending', 'sent'] } }, orderBy: { id: 'asc' } });
  const rename = (key: string) => renamedKey(key, platform, fromChatId, toChatId);
  const taken = new Set((await tx.outboxMessage.findMany({ where: { key: { in: rows.map((r) => rename(r.key)) } }, select: { key: true } })).map((r) => r.key));
  const byKey = new Map(rows.map((r) => [r.key, r]));

  const openPolls = new Set(
    (await tx.poll.findMany({ where: { status: 'open', id: { in: rows.filter((r) => r.refType === 'poll' && r.refId).map((r) => r.refId!) } }, select: { id: true } })).map((p) => p.id),
  );
  const isLiveCard = (r: OutboxMessage) => r.kind === 'send' && r.status === 'sent' && r.refType === 'poll' && !!r.refId && openPolls.has(r.refId) && !!r.platformMessageId;
  const reposting = new Set(rows.filter(isLiveCard).map((r) => r.key));

  const result = { pending: 0, reposted: 0, dropped: 0 };
  const drop = async (row: OutboxMessage, why: string) => {
    await tx.outboxMessage.update({ where: { id: row.id }, data: { status: 'dropped', lastError: why } });
    result.dropped++;
  };

  for (const row of rows) {
    const key = rename(row.key);
    if (key !== row.key && taken.has(key)) {
      // The new id already has this purpose queued or delivered (it was published there too).
      if (row.status === 'pending') await drop(row, `group moved to ${toChatId}, which has this message already`);
      continue;
    }
    if (reposting.has(row.key)) {
      // The latest text of the card is in its edit row when there is one.
      const edit = byKey.get(`${row.key}#edit`);
      const payload = edit ? withoutTarget(edit.payload) : row.payload;
      await tx.outboxMessage.update({
        where: { id: row.id },
        data: { key, chatId: toChatId, payload, status: 'pending', platformMessageId: null, partsSent: 0, attempts: 0, lastError: null, sentAt: null, nextAttemptAt: now },
      });
      result.reposted++;
      continue;
    }
    if (row.status !== 'pending') continue;
    if (row.kind === 'edit') {
      const target = targetOf(row.payload);
      if (!target || !reposting.has(target)) {
        await drop(row, `group moved to ${toChatId}; the message to edit stays in the old chat`);
        continue;
      }
      await tx.outboxMessage.update({ where: { id: row.id }, data: { key, chatId: toChatId, payload: withTarget(row.payload, rename(target)) } });
    } else {
      await tx.outboxMessage.update({ where: { id: row.id }, data: { key, chatId: toChatId } });
    }
    result.pending++;
  }
  // A live card's edit row that was already sent follows its card, so later edits coalesce into it.
  for (const cardKey of reposting) {
    const edit = byKey.get(`${cardKey}#edit`);
    if (edit && edit.status !== 'pending' && !taken.has(rename(edit.key))) {
      await tx.outboxMessage.update({ where: { id: edit.id }, data: { key: rename(edit.key), chatId: toChatId, payload: withTarget(edit.payload, rename(cardKey)) } });
    }
  }
  return result;
}

function targetOf(payload: string): string | undefined {
  return (JSON.parse(payload) as { targetKey?: string }).targetKey;
}

function withTarget(payload: string, targetKey: string): string {
  return JSON.stringify({ ...(JSON.parse(payload) as object), targetKey });
}

function withoutTarget(payload: string): string {
  const { targetKey: _target, ...message } = JSON.parse(payload) as { targetKey?: string };
  return JSON.stringify(message);
}

/** Open scenes in the group and remembered numbered choices follow it (the new id's own win). */
async function moveConversations(tx: Tx, platform: string, fromChatId: string, toChatId: string): Promise<void> {
  const there = await tx.sceneSession.findMany({ where: { platform, chatId: toChatId }, select: { personId: true } });
  if (there.length) await tx.sceneSession.deleteMany({ where: { platform, chatId: fromChatId, personId: { in: there.map((s) => s.personId) } } });
  await tx.sceneSession.updateMany({ where: { platform, chatId: fromChatId }, data: { chatId: toChatId } });
  const memory = await tx.choiceMemory.findUnique({ where: { platform_chatId: { platform, chatId: toChatId } } });
  if (memory) await tx.choiceMemory.deleteMany({ where: { platform, chatId: fromChatId } });
  else await tx.choiceMemory.updateMany({ where: { platform, chatId: fromChatId }, data: { chatId: toChatId } });
}
