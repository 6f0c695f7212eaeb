/**
 * Verification progress against the register: per building, how many active households there
 * are, how many have at least one verified member, the share, and — for one building — which
 * households have not verified yet. A committee member sees every building (and 户主 names); a
 * 楼栋长 sees their own buildings, without names.
 */
import type { Db } from '../../db/client.ts';
import { accessibleBuildings, requireBuildingAccess, seesWholeRegister } from './leads.ts';
import type { Actor } from '../residents/roles.ts';
import { compareUnits } from './units.ts';

/** One building's figures. */
export interface BuildingProgress {
  buildingId: string;
  name: string;
  households: number;
  verified: number;
  /** verified / households, 0 for an empty building. */
  share: number;
}

/** The register's figures as the actor may see them. */
export interface RegisterProgress {
  /** all: the whole community (committee); own: the actor's buildings (楼栋长). */
  scope: 'all' | 'own';
  households: number;
  verified: number;
  share: number;
  buildings: BuildingProgress[];
  /** Whole-community view only: households that left the register, and verified households outside it. */
  inactive: number;
  outside: number;
  lastImportAt: Date | null;
}

/** A household that has not verified yet. */
export interface PendingHousehold {
  id: string;
  unit: string;
  /** 户主, for committee members only (null for a 楼栋长). */
  headName: string | null;
}

/** One building in detail. */
export interface BuildingDetail extends BuildingProgress {
  pending: PendingHousehold[];
}

const share = (verified: number, households: number) => (households ? verified / households : 0);

/** Ids of the community's households with at least one verified member. */
async function verifiedHouseholds(db: Db, communityId: string): Promise<Set<string>> {
  const rows = await db.membership.findMany({ where: { communityId, role: 'verified', householdId: { not: null } }, select: { householdId: true }, distinct: ['householdId'] });
  return new Set(rows.map((r) => r.householdId!));
}

/** The register's progress for the actor: every building for the committee, their own for a 楼栋长. */
export async function registerProgress(db: Db, actor: Actor, communityId: string): Promise<RegisterProgress> {
  const buildings = await accessibleBuildings(db, actor, communityId);
  const whole = seesWholeRegister(actor, communityId);
  const [households, verified] = await Promise.all([
    db.household.findMany({ where: { communityId, ...(whole ? {} : { buildingId: { in: buildings.map((b) => b.id) } }) }, select: { id: true, buildingId: true, active: true, inRegister: true, importedAt: true } }),
    verifiedHouseholds(db, communityId),
  ]);
  const per = new Map(buildings.map((b) => [b.id, { households: 0, verified: 0 }]));
  let inactive = 0;
  let outside = 0;
  let lastImportAt: Date | null = null;
  for (const h of households) {
    if (h.importedAt && (!lastImportAt || h.importedAt > lastImportAt)) lastImportAt = h.importedAt;
    if (!h.active) {
      inactive++;
      continue;
    }
    if (!h.inRegister) {
      if (verified.has(h.id)) outside++;
      continue;
    }
    const entry = h.buildingId ? per.get(h.buildingId) : undefined;
    if (!entry) continue;
    entry.households++;
    if (verified.has(h.id)) entry.verified++;
  }
  const rows: BuildingProgress[] = buildings
    .map((b) => ({ buildingId: b.id, name: b.name, ...per.get(b.id)!, share: share(per.get(b.id)!.verified, per.get(b.id)!.households) }))
    // A building with no active household left (demolished, renamed in a later file) is history.
    .filter((b) => b.households > 0);
  const total = rows.reduce((n, b) => n + b.households, 0);
  const done = rows.reduce((n, b) => n + b.verified, 0);
  return { scope: whole ? 'all' : 'own', households: total, verified: done, share: share(done, total), buildings: rows, inactive: whole ? inactive : 0, outside: whole ? outside : 0, lastImportAt };
}

/** One building with the households that have not verified yet, in natural order. */
export async function buildingDetail(db: Db, actor: Actor, buildingId: string): Promise<BuildingDetail> {
  const building = await requireBuildingAccess(db, actor, 'register.building', buildingId);
  const whole = seesWholeRegister(actor, building.communityId);
  const [households, verified] = await Promise.all([
    db.household.findMany({ where: { buildingId, active: true, inRegister: true }, select: { id: true, unit: true, headName: true } }),
    verifiedHouseholds(db, building.communityId),
  ]);
  const pending = households
    .filter((h) => !verified.has(h.id))
    .map((h) => ({ id: h.id, unit: h.unit, headName: whole ? h.headName : null }))
    .sort((a, b) => compareUnits(a.unit, b.unit));
  const done = households.length - pending.length;
  return { buildingId, name: building.name, households: households.length, verified: done, share: share(done, households.length), pending };
}
