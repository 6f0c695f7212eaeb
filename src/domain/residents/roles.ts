/**
 * Roles a person can hold in a community, and the actor: who is acting, with which roles.
 *
 * "resident" is implicit — anyone Linli meets is one; the others are granted by a verification
 * code or by an administrator. A 楼栋长 (building_lead) holds the role for the buildings listed
 * in BuildingLead (src/domain/register/leads.ts decides which building an action concerns).
 * Admin is global (LINLI_ADMINS or a grant) and concerns running the deployment, not taking
 * part: an admin does not vote or propose unless verified.
 */

/** Roles stored as memberships. */
export const ROLES = ['verified', 'council', 'invited', 'building_lead', 'committee', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Roles a committee member may hand out with a code from /codes; committee and staff need an
 * admin. The 楼栋长 role is handed out per building from /register (it needs a building).
 */
export const COMMITTEE_GRANTABLE: readonly Role[] = ['verified', 'council', 'invited'];

/** Roles whose code must name a building. */
export const BUILDING_ROLES: readonly Role[] = ['building_lead'];

/** One membership as the actor carries it. */
export interface RoleGrant {
  communityId: string;
  role: Role;
  householdId: string | null;
}

/** Who is acting, as every permission check sees it. */
export interface Actor {
  personId: string;
  isAdmin: boolean;
  grants: RoleGrant[];
}

/** The roles an actor holds in one community. */
export function rolesIn(actor: Actor, communityId: string): Set<Role> {
  return new Set(actor.grants.filter((g) => g.communityId === communityId).map((g) => g.role));
}

/** Communities in which the actor holds any role. */
export function communitiesOf(actor: Actor): string[] {
  return [...new Set(actor.grants.map((g) => g.communityId))];
}

/** The household through which the actor is verified in a community, if any. */
export function householdIn(actor: Actor, communityId: string): string | null {
  return actor.grants.find((g) => g.communityId === communityId && g.householdId)?.householdId ?? null;
}

/** True for a role name Linli knows. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
