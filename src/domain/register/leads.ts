/**
 * 楼栋长 (building leads): who may act for which building. A committee member (or an admin)
 * may act for every building of the community; a 楼栋长 only for the buildings BuildingLead lists
 * for them. The role is handed out with a one-time code made for one building, so it reaches the
 * right person the same way a verification does; taking it away is a committee decision.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import type { Building } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { can, requirePermission, type Permission } from '../residents/permissions.ts';
import type { Actor } from '../residents/roles.ts';
import { issueCodes } from '../residents/verification.ts';
import { compareUnits } from './units.ts';

/** How long a 楼栋长 code stays valid. */
export const LEAD_CODE_VALIDITY_MS = 14 * 86_400_000;

/** The building, or a "no such building" refusal. */
export async function buildingById(db: Db, buildingId: string): Promise<Building> {
  const building = await db.building.findUnique({ where: { id: buildingId } });
  if (!building) throw new DomainError('register.unknown_building');
  return building;
}

/** A building of a community by name as people type it ("3栋", "3", "3号楼"), or a refusal. */
export async function buildingByName(db: Db, communityId: string, raw: string): Promise<Building> {
  const typed = raw.normalize('NFKC').trim();
  const candidates = [typed, /^\d+$/.test(typed) ? `${typed}栋` : typed, typed.replace(/(幢|座|号楼|#|楼)$/, '栋')];
  const building = await db.building.findFirst({ where: { communityId, name: { in: candidates } } });
  if (!building) throw new DomainError('register.unknown_building_name', { name: raw });
  return building;
}

/** True when the actor acts for the whole community's register (committee, admin). */
export function seesWholeRegister(actor: Actor, communityId: string): boolean {
  return can(actor, 'register.view', communityId);
}

/**
 * Refuses unless the actor may do `permission` for this building: committee members for any
 * building of their community, a 楼栋长 for their own. Returns the building.
 */
export async function requireBuildingAccess(db: Db, actor: Actor, permission: Extract<Permission, 'register.building' | 'register.verify'>, buildingId: string): Promise<Building> {
  const building = await buildingById(db, buildingId);
  requirePermission(actor, permission, building.communityId);
  if (seesWholeRegister(actor, building.communityId)) return building;
  const lead = await db.buildingLead.findUnique({ where: { buildingId_personId: { buildingId, personId: actor.personId } } });
  if (!lead) throw new DomainError('register.not_your_building', { building: building.name });
  return building;
}

/** The buildings the actor may act for, in natural order (2栋 before 10栋). */
export async function accessibleBuildings(db: Db, actor: Actor, communityId: string): Promise<Building[]> {
  requirePermission(actor, 'register.building', communityId);
  const where = seesWholeRegister(actor, communityId) ? { communityId } : { communityId, leads: { some: { personId: actor.personId } } };
  const buildings = await db.building.findMany({ where });
  return buildings.sort((a, b) => compareUnits(a.name, b.name));
}

/** Makes a one-time code that appoints its redeemer 楼栋长 of the building. */
export async function issueLeadCode(db: Db, actor: Actor, via: string, buildingId: string, now: Date): Promise<{ code: string; expiresAt: Date; building: Building }> {
  const building = await buildingById(db, buildingId);
  requirePermission(actor, 'register.lead', building.communityId);
  const [code] = await issueCodes(db, actor, via, { communityId: building.communityId, role: 'building_lead', buildingId, count: 1, expiresInMs: LEAD_CODE_VALIDITY_MS }, now);
  return { code, expiresAt: new Date(now.getTime() + LEAD_CODE_VALIDITY_MS), building };
}

/** The building's 楼栋长, for the committee's view. */
export async function leadsOf(db: Db, actor: Actor, buildingId: string): Promise<{ personId: string; displayName: string; since: Date }[]> {
  const building = await buildingById(db, buildingId);
  requirePermission(actor, 'register.lead', building.communityId);
  const rows = await db.buildingLead.findMany({ where: { buildingId }, orderBy: { grantedAt: 'asc' } });
  const memberships = await db.membership.findMany({ where: { communityId: building.communityId, role: 'building_lead', personId: { in: rows.map((r) => r.personId) } }, include: { person: true } });
  const byPerson = new Map(memberships.map((m) => [m.personId, m.person.displayName]));
  // A lead whose role was taken away elsewhere (/members, /forgetme) no longer counts.
  return rows.filter((r) => byPerson.has(r.personId)).map((r) => ({ personId: r.personId, displayName: byPerson.get(r.personId)!, since: r.grantedAt }));
}

/** Takes a building away from a 楼栋长; with their last building goes the role. */
export async function removeLead(db: Db, actor: Actor, via: string, buildingId: string, personId: string): Promise<void> {
  const building = await buildingById(db, buildingId);
  requirePermission(actor, 'register.lead', building.communityId);
  await db.$transaction(async (tx) => {
    const { count } = await tx.buildingLead.deleteMany({ where: { buildingId, personId } });
    if (count === 0) throw new DomainError('register.not_a_lead');
    const left = await tx.buildingLead.count({ where: { personId, communityId: building.communityId } });
    if (!left) await tx.membership.deleteMany({ where: { personId, communityId: building.communityId, role: 'building_lead' } });
    await recordAudit(tx, { actorId: actor.personId, via, action: 'register.lead_remove', communityId: building.communityId, targetType: 'person', targetId: personId, details: { buildingId, building: building.name, roleRemoved: !left } });
  });
}
