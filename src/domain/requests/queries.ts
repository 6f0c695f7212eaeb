/**
 * Reading requests: a resident's own, the committee's queue, an assignee's, one request with
 * its steps, the people a request may be assigned to, and the rows of the export.
 */
import type { Db } from '../../db/client.ts';
import type { ResidentRequest } from '../../generated/prisma/client.ts';
import { DomainError } from '../errors.ts';
import { requireHandle, requireSee, ASSIGNABLE_ROLES } from './access.ts';
import type { Actor } from '../residents/roles.ts';

/** A request without its photo bytes (lists never need them). */
export type RequestSummary = Omit<ResidentRequest, 'photo'> & { hasPhoto: boolean };

const SUMMARY = {
  id: true, communityId: true, number: true, requesterId: true, category: true, text: true, photoName: true, location: true, status: true,
  assigneeKind: true, assigneeId: true, unitName: true, reply: true, satisfaction: true, dueAt: true, remindedAt: true, escalatedAt: true,
  proposalId: true, meetingId: true, createdAt: true, assignedAt: true, repliedAt: true, closedAt: true, ratedAt: true, erasedAt: true,
} as const;

const summarize = (r: Omit<RequestSummary, 'hasPhoto'>): RequestSummary => ({ ...r, hasPhoto: Boolean(r.photoName) });

/** Requests shown per page of a list. */
export const PAGE_SIZE = 8;

/** The resident's own requests, newest first. */
export async function myRequests(db: Db, personId: string, page = 0): Promise<{ items: RequestSummary[]; total: number }> {
  const where = { requesterId: personId };
  const [rows, total] = await Promise.all([db.residentRequest.findMany({ where, select: SUMMARY, orderBy: { createdAt: 'desc' }, skip: page * PAGE_SIZE, take: PAGE_SIZE }), db.residentRequest.count({ where })]);
  return { items: rows.map(summarize), total };
}

/** The committee's queue: open requests (oldest deadline first), then answered ones awaiting closure. */
export async function committeeQueue(db: Db, actor: Actor, communityId: string): Promise<RequestSummary[]> {
  requireHandle(actor, { communityId, requesterId: null, assigneeKind: null, assigneeId: null });
  const rows = await db.residentRequest.findMany({ where: { communityId, status: { in: ['received', 'assigned', 'replied'] } }, select: SUMMARY, orderBy: [{ dueAt: 'asc' }], take: 50 });
  const rank: Record<string, number> = { received: 0, assigned: 1, replied: 2 };
  return rows.map(summarize).sort((a, b) => rank[a.status] - rank[b.status] || a.dueAt.getTime() - b.dueAt.getTime());
}

/** Requests assigned to a person (a committee member or 楼栋长), still to answer. */
export async function assignedTo(db: Db, personId: string): Promise<RequestSummary[]> {
  const rows = await db.residentRequest.findMany({ where: { assigneeKind: 'person', assigneeId: personId, status: 'assigned' }, select: SUMMARY, orderBy: { dueAt: 'asc' }, take: 50 });
  return rows.map(summarize);
}

/** One request with its steps, for someone allowed to read it. */
export async function requestDetail(db: Db, actor: Actor, id: string) {
  const r = await db.residentRequest.findUnique({ where: { id }, include: { events: { orderBy: { at: 'asc' } } } });
  if (!r) throw new DomainError('requests.errors.not_found');
  requireSee(actor, r);
  const assignee = r.assigneeKind === 'person' && r.assigneeId ? await db.person.findUnique({ where: { id: r.assigneeId }, select: { displayName: true } }) : null;
  const proposal = r.proposalId ? await db.proposal.findUnique({ where: { id: r.proposalId }, select: { number: true, title: true } }) : null;
  return { request: r, assigneeName: assignee?.displayName ?? null, proposal };
}

/** A request by its public number in a community. */
export async function requestByNumber(db: Db, communityId: string, number: number): Promise<ResidentRequest> {
  const r = await db.residentRequest.findUnique({ where: { communityId_number: { communityId, number } } });
  if (!r) throw new DomainError('requests.errors.no_number', { number });
  return r;
}

/** People a request may be assigned to: the community's committee members and 楼栋长. */
export async function assignees(db: Db, communityId: string): Promise<{ personId: string; name: string; role: string }[]> {
  const rows = await db.membership.findMany({
    where: { communityId, role: { in: [...ASSIGNABLE_ROLES] }, person: { erasedAt: null } },
    include: { person: { select: { displayName: true } } },
    orderBy: [{ role: 'desc' }, { grantedAt: 'asc' }],
  });
  const seen = new Map<string, { personId: string; name: string; role: string }>();
  // Committee first: someone who is both is offered as a committee member.
  for (const m of rows.sort((a, b) => (a.role === 'committee' ? -1 : 0) - (b.role === 'committee' ? -1 : 0))) {
    if (!seen.has(m.personId)) seen.set(m.personId, { personId: m.personId, name: m.person.displayName, role: m.role });
  }
  return [...seen.values()].slice(0, 20);
}

/** The request the proposal came from, if any (the link from the proposal's side). */
export function requestForProposal(db: Db, proposalId: string) {
  return db.residentRequest.findFirst({ where: { proposalId }, select: { id: true, number: true, communityId: true } });
}

/** Every request of a community for the export, oldest first, without words or photos. */
export function exportRows(db: Db, communityId: string) {
  return db.residentRequest.findMany({
    where: { communityId },
    select: { number: true, category: true, status: true, assigneeKind: true, unitName: true, satisfaction: true, dueAt: true, createdAt: true, assignedAt: true, repliedAt: true, closedAt: true, escalatedAt: true, proposalId: true },
    orderBy: { number: 'asc' },
  });
}
