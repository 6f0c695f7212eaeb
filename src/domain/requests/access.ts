/**
 * Who may see and act on one request. A request's words and photo are personal: the resident
 * who raised it, the committee of its community and the person it was assigned to see them —
 * nobody else, and never a group. The committee passes requests on and closes them; the
 * assignee (a committee member or a 楼栋长) answers the one assigned to them.
 */
import type { Db, Prisma } from '../../db/client.ts';
import type { ResidentRequest } from '../../generated/prisma/client.ts';
import { DomainError } from '../errors.ts';
import { can, requirePermission } from '../residents/permissions.ts';
import type { Actor } from '../residents/roles.ts';

type Client = Db | Prisma.TransactionClient;
type Ref = Pick<ResidentRequest, 'communityId' | 'requesterId' | 'assigneeKind' | 'assigneeId'>;

/** Roles a request may be assigned to: people who work for the committee in the community. */
export const ASSIGNABLE_ROLES = ['committee', 'building_lead'] as const;

export const isRequester = (actor: Actor, r: Ref) => Boolean(r.requesterId) && r.requesterId === actor.personId;
export const isAssignee = (actor: Actor, r: Ref) => r.assigneeKind === 'person' && r.assigneeId === actor.personId;
export const canHandle = (actor: Actor, r: Ref) => can(actor, 'request.handle', r.communityId);

/** Whether the actor may read the request's words. */
export function canSee(actor: Actor, r: Ref): boolean {
  return isRequester(actor, r) || canHandle(actor, r) || isAssignee(actor, r);
}

/** Refuses anyone who may not read the request (as "no such request": nothing leaks). */
export function requireSee(actor: Actor, r: Ref): void {
  if (!canSee(actor, r)) throw new DomainError('requests.errors.not_found');
}

/** The committee only: assign, refer, close, the queue. */
export function requireHandle(actor: Actor, r: Ref): void {
  requirePermission(actor, 'request.handle', r.communityId);
}

/** The committee or the request's assignee: answer it. */
export function requireAnswer(actor: Actor, r: Ref): void {
  if (canHandle(actor, r) || isAssignee(actor, r)) return;
  if (isRequester(actor, r)) throw new DomainError('requests.errors.not_yours_to_answer');
  throw new DomainError('errors.forbidden');
}

/** Refuses an assignee who is not a committee member or 楼栋长 of the request's community. */
export async function requireAssignable(db: Client, communityId: string, personId: string): Promise<void> {
  const found = await db.membership.findFirst({ where: { personId, communityId, role: { in: [...ASSIGNABLE_ROLES] }, person: { erasedAt: null } } });
  if (!found) throw new DomainError('requests.errors.not_assignable');
}
