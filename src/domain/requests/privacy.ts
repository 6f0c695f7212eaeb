/**
 * A resident's requests in /mydata and /forgetme. The words, photo and location are theirs: on
 * erasure they go, and the request stays only as a numbered, dated record with its category,
 * steps and rating, so the committee's monthly figures stay true.
 */
import type { Db, Prisma } from '../../db/client.ts';

/** The requests part of /mydata. */
export interface PersonalRequest {
  community: string;
  number: number;
  category: string;
  status: string;
  text: string;
  location: string | null;
  hasPhoto: boolean;
  reply: string | null;
  satisfaction: string | null;
  createdAt: Date;
}

/** Everything the person raised, with the words they wrote. */
export async function personalRequests(db: Db, personId: string): Promise<PersonalRequest[]> {
  const rows = await db.residentRequest.findMany({ where: { requesterId: personId }, orderBy: { createdAt: 'asc' }, select: { communityId: true, number: true, category: true, status: true, text: true, location: true, photoName: true, reply: true, satisfaction: true, createdAt: true } });
  const names = new Map((await db.community.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.communityId))] } }, select: { id: true, name: true } })).map((c) => [c.id, c.name]));
  return rows.map((r) => ({ community: names.get(r.communityId) ?? '', number: r.number, category: r.category, status: r.status, text: r.text, location: r.location, hasPhoto: Boolean(r.photoName), reply: r.reply, satisfaction: r.satisfaction, createdAt: r.createdAt }));
}

/** Erases the person's words from their requests, inside the erasure's transaction; how many. */
export async function eraseRequester(tx: Prisma.TransactionClient, personId: string, now: Date): Promise<number> {
  const { count } = await tx.residentRequest.updateMany({ where: { requesterId: personId }, data: { requesterId: null, text: '', photo: null, photoName: null, location: null, erasedAt: now } });
  return count;
}
