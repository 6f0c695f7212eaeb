/**
 * What the deadline job finds: requests whose answer is due within a day (remind whoever holds
 * them) and requests whose deadline passed unanswered (escalate to the committee head). Each is
 * noted on the request once (remindedAt, escalatedAt), so a job run twice sends nothing twice.
 */
import type { Db } from '../../db/client.ts';
import { requestRules } from './rules.ts';

/** A reminder goes this long before the deadline: the last working day's worth. */
export const REMIND_BEFORE_MS = 24 * 3_600_000;

/** Open requests to remind about, and open requests past their deadline. */
export async function dueWork(db: Db, now: Date) {
  const open = { status: { in: ['received', 'assigned'] } };
  const [remind, escalate] = await Promise.all([
    db.residentRequest.findMany({ where: { ...open, remindedAt: null, dueAt: { gt: now, lte: new Date(now.getTime() + REMIND_BEFORE_MS) } }, select: { id: true }, take: 500 }),
    db.residentRequest.findMany({ where: { ...open, escalatedAt: null, dueAt: { lte: now } }, select: { id: true }, take: 500 }),
  ]);
  return { remind: remind.map((r) => r.id), escalate: escalate.map((r) => r.id) };
}

/** The community's committee members (not erased). */
export async function committeeMembers(db: Db, communityId: string): Promise<string[]> {
  const rows = await db.membership.findMany({ where: { communityId, role: 'committee', person: { erasedAt: null } }, select: { personId: true } });
  return [...new Set(rows.map((r) => r.personId))];
}

/**
 * Who hears of a missed deadline: the committee head (主任) named in the community's settings,
 * while they are still on the committee. Linli has no 主任 role of its own, so without one
 * named every committee member is told — a missed deadline must reach someone who can act.
 */
export async function escalationRecipients(db: Db, communityId: string): Promise<string[]> {
  const { headPersonId } = await requestRules(db, communityId);
  const members = await committeeMembers(db, communityId);
  return headPersonId && members.includes(headPersonId) ? [headPersonId] : members;
}

/** Who is reminded of a deadline: the assignee, or the committee when no person holds it. */
export async function reminderRecipients(db: Db, r: { communityId: string; assigneeKind: string | null; assigneeId: string | null }): Promise<string[]> {
  if (r.assigneeKind === 'person' && r.assigneeId) return [r.assigneeId];
  return committeeMembers(db, r.communityId);
}
