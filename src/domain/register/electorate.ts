/**
 * The electorate of a household vote: the active households of the register within a scope of
 * buildings and/or 居民小组 (the whole community when the scope is empty). This is the base of
 * "应投 3,000 户" and of percentage quorums for household polls (issue 16, items 4 and 5, which
 * the polls domain will build on).
 *
 * Until a community imports a register, its households are those verification codes created,
 * and the electorate says so (`base: 'households'`), so a result can name the base it used.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import { compareUnits } from './units.ts';

/** Buildings and/or groups; households in any of them are in scope. Empty: the whole community. */
export interface ElectorateScope {
  buildingIds?: string[];
  groupIds?: string[];
}

/** One household of an electorate. */
export interface ElectorHousehold {
  id: string;
  unit: string;
  buildingId: string | null;
  groupId: string | null;
  /** At least one member is verified for it (can vote online). */
  verified: boolean;
}

/** An electorate and its counts. */
export interface Electorate {
  /** register: the imported register; households: no register yet, the households codes created. */
  base: 'register' | 'households';
  households: ElectorHousehold[];
  /** households.length. */
  count: number;
  /** Of them, households with a verified member. */
  verified: number;
  /** Household counts per building id (households without a building under ""). */
  byBuilding: Map<string, number>;
}

/** Reads only; a transaction client works too, so a poll can fix its electorate as it opens. */
type ElectorateDb = Pick<Db, 'household' | 'building' | 'residentGroup' | 'membership'>;

/**
 * The active households of a community within a scope. Refuses a scope naming a building or
 * group of another community (or none at all), rather than silently counting nobody.
 */
export async function electorateOf(db: ElectorateDb, communityId: string, scope: ElectorateScope = {}): Promise<Electorate> {
  const buildingIds = [...new Set(scope.buildingIds ?? [])];
  const groupIds = [...new Set(scope.groupIds ?? [])];
  if (buildingIds.length && (await db.building.count({ where: { communityId, id: { in: buildingIds } } })) !== buildingIds.length) throw new DomainError('register.unknown_scope');
  if (groupIds.length && (await db.residentGroup.count({ where: { communityId, id: { in: groupIds } } })) !== groupIds.length) throw new DomainError('register.unknown_scope');
  const hasRegister = (await db.household.count({ where: { communityId, inRegister: true } })) > 0;
  const inScope = buildingIds.length || groupIds.length ? { OR: [...(buildingIds.length ? [{ buildingId: { in: buildingIds } }] : []), ...(groupIds.length ? [{ groupId: { in: groupIds } }] : [])] } : {};
  const [rows, verified] = await Promise.all([
    db.household.findMany({ where: { communityId, active: true, ...(hasRegister ? { inRegister: true } : {}), ...inScope }, select: { id: true, unit: true, buildingId: true, groupId: true } }),
    db.membership.findMany({ where: { communityId, role: 'verified', householdId: { not: null } }, select: { householdId: true }, distinct: ['householdId'] }),
  ]);
  const verifiedIds = new Set(verified.map((v) => v.householdId!));
  const households = rows.map((h) => ({ ...h, verified: verifiedIds.has(h.id) })).sort((a, b) => compareUnits(a.unit, b.unit));
  const byBuilding = new Map<string, number>();
  for (const h of households) byBuilding.set(h.buildingId ?? '', (byBuilding.get(h.buildingId ?? '') ?? 0) + 1);
  return { base: hasRegister ? 'register' : 'households', households, count: households.length, verified: households.filter((h) => h.verified).length, byBuilding };
}
