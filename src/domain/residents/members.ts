/**
 * The committee's view of its members: who holds which role, and taking a role or a
 * verification away again (a resident moved out, a council term ended). Units are returned
 * for the committee's private view only; callers must never post them to a group.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import { recordAudit } from './audit.ts';
import { requirePermission } from './permissions.ts';
import { COMMITTEE_GRANTABLE, isRole, ROLES, type Actor, type Role } from './roles.ts';

/** One member of a community with all their roles there. */
export interface MemberView {
  personId: string;
  displayName: string;
  roles: Role[];
  unit: string | null;
  since: Date;
}

/** Members per page in /members. */
export const MEMBERS_PAGE_SIZE = 15;

/** Groups a community's memberships by person, ordered by when they joined. */
async function membersOf(db: Db, communityId: string, personId?: string): Promise<MemberView[]> {
  const rows = await db.membership.findMany({
    where: { communityId, personId },
    include: { person: true, household: true },
    orderBy: [{ grantedAt: 'asc' }, { id: 'asc' }],
  });
  const byPerson = new Map<string, MemberView>();
  for (const m of rows) {
    if (!isRole(m.role)) continue;
    const entry = byPerson.get(m.personId) ?? { personId: m.personId, displayName: m.person.displayName, roles: [], unit: null, since: m.grantedAt };
    entry.roles.push(m.role);
    entry.unit ??= m.household?.unit ?? null;
    byPerson.set(m.personId, entry);
  }
  for (const v of byPerson.values()) v.roles.sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));
  return [...byPerson.values()];
}

/** A page of the community's members. */
export async function listMembers(db: Db, actor: Actor, communityId: string, page: number): Promise<{ members: MemberView[]; page: number; pages: number; total: number }> {
  requirePermission(actor, 'member.list', communityId);
  const all = await membersOf(db, communityId);
  const pages = Math.max(1, Math.ceil(all.length / MEMBERS_PAGE_SIZE));
  const current = Math.min(Math.max(0, Math.trunc(page) || 0), pages - 1);
  return { members: all.slice(current * MEMBERS_PAGE_SIZE, (current + 1) * MEMBERS_PAGE_SIZE), page: current, pages, total: all.length };
}

/** One member, or a "not a member" refusal. */
export async function getMember(db: Db, actor: Actor, communityId: string, personId: string): Promise<MemberView> {
  requirePermission(actor, 'member.list', communityId);
  const [member] = await membersOf(db, communityId, personId);
  if (!member) throw new DomainError('members.not_member');
  return member;
}

/**
 * Takes a role away. Removing `verified` removes the verification: the household link goes
 * from every role the person holds in the community, so they no longer vote for it. Committee
 * members may remove what they may grant (verification, council, invited); committee and
 * staff roles need an administrator, as granting them does.
 */
export async function removeRole(db: Db, actor: Actor, via: string, communityId: string, personId: string, role: string): Promise<void> {
  if (!isRole(role)) throw new DomainError('members.not_member');
  requirePermission(actor, role === 'verified' ? 'verification.remove' : 'role.remove', communityId);
  if (!actor.isAdmin && !COMMITTEE_GRANTABLE.includes(role)) throw new DomainError('members.role_needs_admin', { role });
  await db.$transaction(async (tx) => {
    const { count } = await tx.membership.deleteMany({ where: { personId, communityId, role } });
    if (count === 0) throw new DomainError('members.not_member');
    if (role === 'verified') await tx.membership.updateMany({ where: { personId, communityId }, data: { householdId: null } });
    await recordAudit(tx, {
      actorId: actor.personId,
      via,
      action: role === 'verified' ? 'verification.remove' : 'role.remove',
      communityId,
      targetType: 'person',
      targetId: personId,
      details: { role },
    });
  });
}
