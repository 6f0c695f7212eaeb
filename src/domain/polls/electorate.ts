/**
 * The base a poll counts against (issue 16, item 4). A household poll counts every active
 * household of the register ("应投 3,000 户"), not the households that happened to verify in
 * chat; a residents' poll counts its verified residents and says how much of the register their
 * households cover; a council poll counts the council. Without an imported register a household
 * poll falls back to the verified households, and says so (`base: 'verified'`), so the card, the
 * result, the chart and the export can name the base they used.
 */
import type { Db } from '../../db/client.ts';
import { electorateOf } from '../register/electorate.ts';
import { electorateScope, householdScopeWhere, readScope } from '../register/scope.ts';

/** What a poll's electorate size was counted from. */
export type ElectorateBase = 'register' | 'verified' | 'council';

/** A poll's electorate: its size, what it was counted from, and what a voter is (户 or 人). */
export interface PollElectorate {
  base: ElectorateBase;
  /** Households for a household poll, people otherwise. */
  unit: 'households' | 'people';
  size: number;
  /** Residents' polls with a register: verified households and the register's size. */
  coverage?: { households: number; register: number };
}

type ElectorateDb = Pick<Db, 'household' | 'building' | 'residentGroup' | 'membership'>;

/**
 * The electorate of a poll now. The poll's scope (buildings or 居民小组, src/domain/register/
 * scope.ts) narrows the register and the verified members alike; a poll without a scope counts
 * the whole community.
 */
export async function pollElectorate(db: ElectorateDb, poll: { communityId: string; electorate: string; scope?: string | null }): Promise<PollElectorate> {
  const { communityId } = poll;
  const scope = readScope(poll.scope);
  const inScope = householdScopeWhere(scope);
  const scoped = inScope ? { household: inScope } : {};
  if (poll.electorate === 'council') {
    return { base: 'council', unit: 'people', size: await db.membership.count({ where: { communityId, role: 'council', person: { erasedAt: null } } }) };
  }
  const register = await electorateOf(db, communityId, electorateScope(scope));
  if (poll.electorate === 'households') {
    if (register.base === 'register') return { base: 'register', unit: 'households', size: register.count };
    const rows = await db.membership.findMany({
      where: { communityId, role: 'verified', householdId: { not: null }, person: { erasedAt: null }, ...scoped },
      distinct: ['householdId'],
      select: { householdId: true },
    });
    return { base: 'verified', unit: 'households', size: rows.length };
  }
  const size = await db.membership.count({ where: { communityId, role: 'verified', person: { erasedAt: null }, ...scoped } });
  const out: PollElectorate = { base: 'verified', unit: 'people', size };
  if (register.base === 'register') out.coverage = { households: register.verified, register: register.count };
  return out;
}
