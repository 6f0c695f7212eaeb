/**
 * Where a poll went out: the first posting of its card (which announces the poll once), the
 * cards posted in each group (to edit them as votes come in and when voting ends), and whether
 * the result of a close was announced (an interrupted announcement is redone).
 */
import type { Db } from '../../db/client.ts';

/** Records the poll's first posting; true for the caller that did (announce it then, once). */
export async function markPosted(db: Db, pollId: string, now: Date): Promise<boolean> {
  const { count } = await db.poll.updateMany({ where: { id: pollId, postedAt: null }, data: { postedAt: now } });
  return count === 1;
}

/** A posted card: the outbox key of its message and the language it was written in. */
export interface PostedCard {
  key: string;
  locale: string;
}

/**
 * The cards of a poll posted so far: outbox sends of `refType`/`refId` whose key starts with
 * `keyPrefix`, each with its group's language (else the community's, else `fallbackLocale`).
 */
export async function postedCards(db: Db, ref: { refType: string; refId: string; keyPrefix: string }, fallbackLocale: string): Promise<PostedCard[]> {
  const posted = await db.outboxMessage.findMany({
    where: { refType: ref.refType, refId: ref.refId, kind: 'send', key: { startsWith: ref.keyPrefix } },
    select: { key: true, platform: true, chatId: true, communityId: true },
  });
  if (!posted.length) return [];
  const [groups, community] = await Promise.all([
    db.chatGroup.findMany({ where: { OR: posted.map((p) => ({ platform: p.platform, chatId: p.chatId })) }, select: { platform: true, chatId: true, locale: true } }),
    posted[0].communityId ? db.community.findUnique({ where: { id: posted[0].communityId }, select: { locale: true } }) : null,
  ]);
  return posted.map((p) => ({
    key: p.key,
    locale: groups.find((g) => g.platform === p.platform && g.chatId === p.chatId)?.locale ?? community?.locale ?? fallbackLocale,
  }));
}

/** JobRun marker of a close whose result went out. */
const ANNOUNCED = 'poll-announced';

/** Records that a close's result was announced (idempotent). */
export async function markAnnounced(db: Db, pollId: string): Promise<void> {
  await db.jobRun.upsert({ where: { job_key: { job: ANNOUNCED, key: pollId } }, create: { job: ANNOUNCED, key: pollId }, update: {} });
}

/** Those of `pollIds` whose close was announced. */
export async function announced(db: Db, pollIds: string[]): Promise<Set<string>> {
  if (!pollIds.length) return new Set();
  const rows = await db.jobRun.findMany({ where: { job: ANNOUNCED, key: { in: pollIds } }, select: { key: true } });
  return new Set(rows.map((r) => r.key));
}
