/**
 * Importing the register into a real database: the preview's four counts, re-imports that update
 * and never delete (missing → inactive, verifications and ballots kept, unused slips withdrawn),
 * the fingerprint that ties the import to the preview, permissions and the audit entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { isDomainError } from '../../../../src/domain/errors.ts';
import { applyImport } from '../../../../src/domain/register/apply.ts';
import { electorateOf } from '../../../../src/domain/register/electorate.ts';
import { previewImport } from '../../../../src/domain/register/import.ts';
import { issueSlips } from '../../../../src/domain/register/slips.ts';
import type { Actor } from '../../../../src/domain/residents/roles.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { grantRole, makeCommunity, OPERATOR } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';
import { registerCsv, type TestCell } from './files.ts';

const NOW = new Date('2026-12-01T02:00:00Z');
const LATER = new Date('2026-12-08T02:00:00Z');

const HEADER = ['楼栋', '单元', '房号', '常住人数', '户别', '户主'];
const FIRST: TestCell[][] = [
  HEADER,
  ['1', '1', '101', 3, '户籍', '王芳'],
  ['1', '1', '102', 2, '租住', ''],
  ['1', '2', '101', 1, '非户籍', '李娜'],
  ['2', '', '301', 4, '户籍', '张伟'],
  ['5', '1', '302', 2, '户籍', ''],
];

let db: Db;
let community: Community;

async function importRows(rows: TestCell[][], actor: Actor = OPERATOR, now = NOW) {
  const { table, plan } = await previewImport(db, actor, community, { name: '名册.csv', bytes: registerCsv(rows) });
  const result = await applyImport(db, actor, 'cli', community.id, { rows: table.rows, facts: table.facts, expectedFingerprint: plan.fingerprint, fileName: '名册.csv' }, now);
  return { plan, result };
}

const household = (unit: string) => db.household.findUniqueOrThrow({ where: { communityId_unit: { communityId: community.id, unit } }, include: { building: true } });

beforeAll(async () => {
  ({ db } = await freshDatabase());
  community = await makeCommunity(db);
});
afterAll(async () => {
  await db?.$disconnect();
});

describe('importing the register', () => {
  it('adds every household of a first import, with its building, and joins a household verified before', async () => {
    // A resident verified with a typed code before the register existed.
    await grantRole(db, community, 501, 'verified', '5栋 1单元 302');
    const before = await household('5栋-1单元-302');
    expect(before.inRegister).toBe(false);

    const { plan } = await importRows(FIRST);
    expect(plan.added.map((r) => r.unit)).toEqual(['1栋-1单元-101', '1栋-1单元-102', '1栋-2单元-101', '2栋-301']);
    expect(plan.changed.map((c) => [c.row.unit, c.fields])).toEqual([['5栋-1单元-302', ['joined', 'building', 'residents', 'kind']]]);
    expect(plan.unchanged).toBe(0);
    expect(plan.missing).toEqual([]);
    expect(plan.newBuildings).toEqual(['1栋', '2栋', '5栋']);

    const joined = await household('5栋-1单元-302');
    expect(joined).toMatchObject({ id: before.id, inRegister: true, active: true, residents: 2, kind: 'registered', headName: null });
    expect(joined.building?.name).toBe('5栋');
    expect(await household('1栋-1单元-101')).toMatchObject({ residents: 3, kind: 'registered', headName: '王芳', inRegister: true });
    expect(await db.building.count({ where: { communityId: community.id } })).toBe(3);
  });

  it('audits the import with counts only, never units or names', async () => {
    const [entry] = await db.auditEntry.findMany({ where: { action: 'register.import', communityId: community.id } });
    expect(JSON.parse(entry.details!)).toMatchObject({ file: '名册.csv', rows: 5, added: 4, changed: 1, unchanged: 0, deactivated: 0 });
    expect(entry.details).not.toMatch(/101|王芳|1栋/);
  });

  it('finds nothing to do when the same file comes again, with the same fingerprint', async () => {
    const again = await previewImport(db, OPERATOR, community, { name: '名册.csv', bytes: registerCsv(FIRST) });
    expect(again.plan).toMatchObject({ added: [], changed: [], unchanged: 5, missing: [] });
    const twice = await previewImport(db, OPERATOR, community, { name: '名册.csv', bytes: registerCsv(FIRST) });
    expect(twice.plan.fingerprint).toBe(again.plan.fingerprint);
  });

  it('updates on re-import and makes a missing household inactive, keeping its verification and withdrawing its slip', async () => {
    const resident = await grantRole(db, community, 502, 'verified', '1-1-102');
    const slips = await issueSlips(db, OPERATOR, 'cli', { communityId: community.id, buildingId: (await household('1栋-1单元-102')).buildingId }, NOW);
    expect(slips.slips.map((s) => s.unit)).toEqual(['1栋-1单元-101', '1栋-1单元-102', '1栋-2单元-101']);

    const second = [
      HEADER,
      ['1', '1', '101', 4, '户籍', '王芳'], // one more resident
      // 1-1-102 moved out
      ['1', '2', '101', 1, '租住', '李娜'], // now rented
      ['2', '', '301', 4, '户籍', '张伟'],
      ['5', '1', '302', 2, '户籍', ''],
      ['3', '1', '101', 2, '户籍', ''], // new building
    ];
    const { plan, result } = await importRows(second, OPERATOR, LATER);
    expect(plan.added.map((r) => r.unit)).toEqual(['3栋-1单元-101']);
    expect(plan.changed.map((c) => [c.row.unit, c.fields])).toEqual([
      ['1栋-1单元-101', ['residents']],
      ['1栋-2单元-101', ['kind']],
    ]);
    expect(plan.unchanged).toBe(2);
    expect(plan.missing.map((m) => m.unit)).toEqual(['1栋-1单元-102']);
    expect(plan.newBuildings).toEqual(['3栋']);

    const gone = await household('1栋-1单元-102');
    expect(gone).toMatchObject({ active: false, inRegister: true });
    expect(gone.deactivatedAt).toEqual(LATER);
    // The household row and its verified member stay; only the electorate no longer counts it.
    expect(await db.membership.count({ where: { personId: resident.id, householdId: gone.id, role: 'verified' } })).toBe(1);
    expect(result.revokedSlips).toBe(1);
    const slip = await db.verificationCode.findFirstOrThrow({ where: { householdId: gone.id, purpose: 'slip' } });
    expect(slip.revokedAt).toEqual(LATER);
    const electorate = await electorateOf(db, community.id);
    expect(electorate.base).toBe('register');
    expect(electorate.households.map((h) => h.unit)).toEqual(['1栋-1单元-101', '1栋-2单元-101', '2栋-301', '3栋-1单元-101', '5栋-1单元-302']);
    expect(electorate.verified).toBe(1);
  });

  it('keeps facts a file leaves out, and reactivates a household that comes back', async () => {
    const { plan } = await importRows(
      [['地址'], ['1-1-101'], ['1-1-102'], ['1-2-101'], ['2-301'], ['3-1-101'], ['5-1-302']],
      OPERATOR,
      LATER,
    );
    expect(plan.changed.map((c) => [c.row.unit, c.fields])).toEqual([['1栋-1单元-102', ['reactivated']]]);
    expect(plan.unchanged).toBe(5);
    expect(await household('1栋-1单元-101')).toMatchObject({ residents: 4, kind: 'registered', headName: '王芳' });
    expect(await household('1栋-1单元-102')).toMatchObject({ active: true, deactivatedAt: null, residents: 2, kind: 'tenant' });
  });

  it('refuses to apply a preview that no longer matches what is stored, changing nothing', async () => {
    const { table, plan } = await previewImport(db, OPERATOR, community, { name: '名册.csv', bytes: registerCsv([HEADER, ['1', '1', '101', 9, '户籍', '王芳']]) });
    // Meanwhile another import lands.
    await importRows([['地址'], ['1-1-101'], ['1-1-102'], ['1-2-101'], ['2-301'], ['3-1-101'], ['5-1-302'], ['6-1-101']], OPERATOR, LATER);
    const count = await db.household.count();
    await expect(applyImport(db, OPERATOR, 'cli', community.id, { rows: table.rows, facts: table.facts, expectedFingerprint: plan.fingerprint }, LATER)).rejects.toMatchObject({
      key: 'register.changed_since_preview',
    });
    expect(await db.household.count()).toBe(count);
    expect(await household('1栋-1单元-101')).toMatchObject({ residents: 4, active: true });
  });

  it('lets only committee members and admins import', async () => {
    const resident = await grantRole(db, community, 503, 'verified', '1-1-101');
    const actor: Actor = { personId: resident.id, isAdmin: false, grants: [{ communityId: community.id, role: 'verified', householdId: null }] };
    const refusal = await previewImport(db, actor, community, { name: '名册.csv', bytes: registerCsv(FIRST) }).catch((e: unknown) => e);
    expect(isDomainError(refusal) && refusal.key).toBe('errors.forbidden');
    await expect(applyImport(db, actor, 'telegram', community.id, { rows: [], facts: { group: false, residents: false, kind: false, head: false } }, NOW)).rejects.toMatchObject({ key: 'errors.forbidden' });
  });
});

describe('the electorate of a scope', () => {
  it('counts the active households of buildings and groups, and refuses a scope of another community', async () => {
    const other = await makeCommunity(db, 'lianhua', '莲花社区');
    const buildings = await db.building.findMany({ where: { communityId: community.id } });
    const id = (name: string) => buildings.find((b) => b.name === name)!.id;
    const one = await electorateOf(db, community.id, { buildingIds: [id('1栋')] });
    expect(one.households.map((h) => h.unit)).toEqual(['1栋-1单元-101', '1栋-1单元-102', '1栋-2单元-101']);
    expect(one.count).toBe(3);
    const two = await electorateOf(db, community.id, { buildingIds: [id('1栋'), id('5栋')] });
    expect(two.count).toBe(4);
    expect(two.byBuilding.get(id('5栋'))).toBe(1);
    await expect(electorateOf(db, other.id, { buildingIds: [id('1栋')] })).rejects.toMatchObject({ key: 'register.unknown_scope' });
    // Before a register, the electorate is the households codes created, and says so.
    await grantRole(db, other, 601, 'verified', '9-9-909');
    expect(await electorateOf(db, other.id)).toMatchObject({ base: 'households', count: 1, verified: 1 });
  });

  it('scopes by 居民小组', async () => {
    await importRows(
      [['地址', '网格'], ['1-1-101', '第一网格'], ['1-1-102', '第一网格'], ['1-2-101', '第二网格'], ['2-301', '第二网格'], ['3-1-101', ''], ['5-1-302', '第一网格'], ['6-1-101', '']],
      OPERATOR,
      LATER,
    );
    const groups = await db.residentGroup.findMany({ where: { communityId: community.id }, orderBy: { name: 'asc' } });
    expect(groups.map((g) => g.name)).toEqual(['第一网格', '第二网格']);
    const first = await electorateOf(db, community.id, { groupIds: [groups.find((g) => g.name === '第一网格')!.id] });
    expect(first.households.map((h) => h.unit)).toEqual(['1栋-1单元-101', '1栋-1单元-102', '5栋-1单元-302']);
  });
});
