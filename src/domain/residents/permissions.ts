/**
 * Who may do what. Every privileged command, button and scene step calls `requirePermission`
 * here (or `can` to decide what to offer); hiding a button is never the check.
 */
import { DomainError } from '../errors.ts';
import { rolesIn, type Actor, type Role } from './roles.ts';

/** Every privileged action in Linli. */
export type Permission =
  | 'community.bind'
  | 'code.issue'
  | 'code.list'
  | 'code.revoke'
  | 'member.list'
  | 'verification.remove'
  | 'role.remove'
  | 'proposal.create'
  | 'proposal.second'
  | 'proposal.review'
  | 'poll.create'
  | 'poll.manage'
  | 'poll.paper'
  | 'comment.create'
  | 'comment.moderate'
  | 'deliberation.manage'
  | 'rating.submit'
  | 'rating.manage'
  | 'rating.report'
  | 'disclosure.publish'
  | 'announcement.create'
  | 'meeting.manage'
  | 'meeting.report'
  | 'request.handle'
  | 'export'
  | 'audit.read'
  | 'register.import'
  | 'register.view'
  | 'register.building'
  | 'register.verify'
  | 'register.lead';

/** Roles that carry each permission. Admins carry every management permission (below). */
const MATRIX: Record<Permission, readonly Role[]> = {
  'community.bind': ['committee'],
  'code.issue': ['committee'],
  'code.list': ['committee'],
  'code.revoke': ['committee'],
  'member.list': ['committee'],
  'verification.remove': ['committee'],
  'role.remove': ['committee'],
  'proposal.create': ['verified'],
  'proposal.second': ['verified'],
  'proposal.review': ['committee'],
  'poll.create': ['committee'],
  'poll.manage': ['committee'],
  // Entering returned paper ballots: a 楼栋长 for their own buildings (checked in paper.ts).
  'poll.paper': ['committee', 'building_lead'],
  // 网上议事厅: verified residents comment; the committee moderates and states the outcome.
  'comment.create': ['verified'],
  'comment.moderate': ['committee'],
  'deliberation.manage': ['committee'],
  'rating.submit': ['verified'],
  'rating.manage': ['committee'],
  'rating.report': ['committee', 'staff'],
  'disclosure.publish': ['committee'],
  'announcement.create': ['committee'],
  // Meetings: committee members schedule them, keep the sign-in and the minutes and set the
  // bodies' membership and frequency; staff of the 社区工作站 read the record too.
  'meeting.manage': ['committee'],
  'meeting.report': ['committee', 'staff'],
  // Residents' requests: anyone raises one (no role needed); the committee passes them on,
  // answers and closes them. An assignee's rights on the one request are checked in
  // src/domain/requests/access.ts.
  'request.handle': ['committee'],
  export: ['committee', 'staff'],
  'audit.read': ['staff'],
  // The household register: committee members import it and see all of it (户主 names too);
  // a 楼栋长 sees their buildings' progress, prints their slips and verifies neighbours in
  // person — which building is theirs is checked in src/domain/register/leads.ts.
  'register.import': ['committee'],
  'register.view': ['committee'],
  'register.building': ['committee', 'building_lead'],
  'register.verify': ['committee', 'building_lead'],
  'register.lead': ['committee'],
};

/** Taking part as a resident is personal: an admin must be verified like anyone else. */
const PARTICIPATION: ReadonlySet<Permission> = new Set(['proposal.create', 'proposal.second', 'rating.submit', 'comment.create']);

/** The permissions that exist, for the permission-matrix test and /help. */
export const PERMISSIONS = Object.keys(MATRIX) as Permission[];

/** Whether the actor may perform the action in the community. */
export function can(actor: Actor, permission: Permission, communityId: string | null | undefined): boolean {
  if (actor.isAdmin && !PARTICIPATION.has(permission)) return true;
  if (!communityId) return false;
  const roles = rolesIn(actor, communityId);
  return MATRIX[permission].some((r) => roles.has(r));
}

/**
 * Whether the actor may perform the action in at least one community. Commands that name a
 * community (/bind <slug>) check this before looking the name up, so someone who may do it
 * nowhere learns nothing from the answer.
 */
export function canAnywhere(actor: Actor, permission: Permission): boolean {
  if (actor.isAdmin && !PARTICIPATION.has(permission)) return true;
  return actor.grants.some((g) => MATRIX[permission].includes(g.role));
}

/** Throws a localized refusal unless the actor may perform the action in the community. */
export function requirePermission(actor: Actor, permission: Permission, communityId: string | null | undefined): void {
  if (can(actor, permission, communityId)) return;
  if (!communityId) throw new DomainError('errors.no_community');
  const needsVerification = MATRIX[permission].includes('verified');
  throw new DomainError(needsVerification ? 'errors.not_verified' : 'errors.forbidden');
}
