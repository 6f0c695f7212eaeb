/**
 * Scopes: reading what a committee member types (full-width digits, ranges, groups, 全体), bad
 * input named back, the stored form, the words a card shows, households in scope against a real
 * register, the voter check and which chat groups hear a scoped item.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { applyImport } from '../../../../src/domain/register/apply.ts';
import { isDomainError } from '../../../../src/domain/errors.ts';
import {
  audienceOf,
  describeScope,
  groupHearsScope,
  householdsInScope,
  parseScope,
  readScope,
  requireHouseholdInScope,
  requireScopeOfCommunity,
  scopeLine,
  scopeRegister,
  serializeScope,
  WHOLE_COMMUNITY,
  type Scope,
  type ScopeRegister,
} from '../../../../src/domain/register/scope.ts';
import { unitFromCells } from '../../../../src/domain/register/units.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { createTranslator } from '../../../../src/i18n/i18n.ts';
import { makeCommunity, OPERATOR } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';

const NOW = new Date('2026-12-01T02:00:00Z');
const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });
const zh = i18n.bind('zh-CN');
const en = i18n.bind('en');

let db: Db;
let community: Community;
let other: Community;
let register: ScopeRegister;

function ok(text: string): Scope {
  const parsed = parseScope(text, register);
  if (!parsed.ok) throw new Error(`refused ${text}: ${parsed.reason}`);
  return parsed.scope;
}
const names = (s: Scope) => [...s.buildings, ...s.groups].map((r) => r.name);

beforeAll(async () => {
  ({ db } = await freshDatabase());
  community = await makeCommunity(db);
  other = await makeCommunity(db, 'other', '别的社区');
  // Buildings 1, 2, 3, 5 and 10; 3栋 and 5栋 in 第二居民小组, the rest in 第一居民小组.
  const rows = [
    ['1', '101', '第一居民小组'],
    ['1', '102', '第一居民小组'],
    ['2', '201', '第一居民小组'],
    ['3', '301', '第二居民小组'],
    ['3', '302', '第二居民小组'],
    ['5', '501', '第二居民小组'],
    ['10', '1001', '第一居民小组'],
  ].map(([building, room, group], i) => {
    const parts = unitFromCells({ building, room });
    if ('problem' in parts) throw new Error('bad row');
    return { line: i + 2, unit: parts.unit, building: parts.building, group, residents: null, kind: null, headName: null };
  });
  await applyImport(db, OPERATOR, 'cli', community.id, { rows, facts: { group: true, residents: false, kind: false, head: false } }, NOW);
  register = await scopeRegister(db, community.id);
});

afterAll(async () => {
  await db.$disconnect();
});

describe('parseScope', () => {
  it('reads buildings in the ways people type them, full-width digits too', () => {
    expect(names(ok('3栋、5栋'))).toEqual(['3栋', '5栋']);
    expect(names(ok('３栋，５号楼'))).toEqual(['3栋', '5栋']);
    expect(names(ok('5 3'))).toEqual(['3栋', '5栋']);
    expect(names(ok('三栋和10幢'))).toEqual(['3栋', '10栋']);
    expect(names(ok('范围：1-3栋'))).toEqual(['1栋', '2栋', '3栋']);
    expect(names(ok('3栋、3栋、３栋'))).toEqual(['3栋']);
  });

  it('reads groups with or without 居民小组, and mixes them with buildings', () => {
    expect(ok('第二居民小组').groups.map((g) => g.name)).toEqual(['第二居民小组']);
    expect(ok('第二小组').groups.map((g) => g.name)).toEqual(['第二居民小组']);
    const mixed = ok('10栋、第二居民小组');
    expect(mixed.buildings.map((b) => b.name)).toEqual(['10栋']);
    expect(mixed.groups.map((g) => g.name)).toEqual(['第二居民小组']);
  });

  it('reads 全体 (and all) as the whole community', () => {
    for (const t of ['全体', ' 全部 ', 'all', 'ALL']) expect(ok(t)).toEqual(WHOLE_COMMUNITY);
  });

  it('refuses an unknown building and names it back', () => {
    expect(parseScope('3栋、7栋', register)).toEqual({ ok: false, reason: 'unknown', name: '7栋' });
    expect(parseScope('3-7栋', register)).toEqual({ ok: false, reason: 'unknown', name: '4栋' });
    expect(parseScope('第九居民小组', register)).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('refuses empty, huge and list-bombing text', () => {
    expect(parseScope('   ', register)).toEqual({ ok: false, reason: 'empty' });
    expect(parseScope('、、，', register)).toEqual({ ok: false, reason: 'empty' });
    expect(parseScope('3栋'.repeat(400), register)).toEqual({ ok: false, reason: 'too_long' });
    expect(parseScope(Array.from({ length: 120 }, () => '3').join(' '), register)).toEqual({ ok: false, reason: 'too_many' });
    expect(parseScope('1-5000栋', register)).toEqual({ ok: false, reason: 'too_many' });
  });

  it('without a register only 全体 is possible', () => {
    const empty = { buildings: [], groups: [] };
    expect(parseScope('3栋', empty)).toEqual({ ok: false, reason: 'no_register' });
    expect(parseScope('全体', empty)).toEqual({ ok: true, scope: WHOLE_COMMUNITY });
  });
});

describe('stored form and words', () => {
  it('round-trips, and the whole community is stored as null', () => {
    const scope = ok('3栋、第二居民小组');
    expect(readScope(serializeScope(scope))).toEqual(scope);
    expect(serializeScope(WHOLE_COMMUNITY)).toBeNull();
    expect(readScope(null)).toEqual(WHOLE_COMMUNITY);
    expect(readScope('not json')).toEqual(WHOLE_COMMUNITY);
  });

  it('describes the scope in both languages', () => {
    const scope = ok('5栋、3栋');
    expect(scopeLine(zh, scope)).toBe('范围：3栋、5栋');
    expect(scopeLine(en, scope)).toBe('Scope: 3栋, 5栋');
    expect(scopeLine(zh, WHOLE_COMMUNITY)).toBeNull();
    expect(describeScope(zh, WHOLE_COMMUNITY)).toBe('全体居民');
  });
});

describe('households in scope', () => {
  it('counts the register households of the buildings and groups named', async () => {
    expect((await householdsInScope(db, community.id, ok('3栋'))).count).toBe(2);
    expect((await householdsInScope(db, community.id, ok('3栋、10栋'))).count).toBe(3);
    // 第二居民小组 is 3栋 and 5栋; naming 3栋 as well counts nobody twice.
    expect((await householdsInScope(db, community.id, ok('第二居民小组、3栋'))).count).toBe(3);
    expect((await householdsInScope(db, community.id, WHOLE_COMMUNITY)).count).toBe(7);
  });

  it('refuses a scope naming another community’s building', async () => {
    const scope = ok('3栋');
    await expect(requireScopeOfCommunity(db, other.id, scope)).rejects.toMatchObject({ key: 'register.unknown_scope' });
    expect(await requireScopeOfCommunity(db, community.id, scope)).toEqual(scope);
  });

  it('lets a household in scope vote and refuses one outside with the scope named', async () => {
    const scope = ok('3栋');
    const inside = await db.household.findFirstOrThrow({ where: { communityId: community.id, unit: '3栋-301' } });
    const outside = await db.household.findFirstOrThrow({ where: { communityId: community.id, unit: '5栋-501' } });
    await expect(requireHouseholdInScope(db, scope, inside.id)).resolves.toBeUndefined();
    const refused = await requireHouseholdInScope(db, scope, outside.id, zh).catch((e: unknown) => e);
    expect(isDomainError(refused) && refused.key).toBe('scope.out_of_scope');
    expect(zh((refused as { key: string }).key, (refused as { params: Record<string, unknown> }).params)).toContain('5栋-501');
    await expect(requireHouseholdInScope(db, scope, null)).rejects.toMatchObject({ key: 'scope.out_of_scope_no_household' });
    await expect(requireHouseholdInScope(db, WHOLE_COMMUNITY, null)).resolves.toBeUndefined();
  });
});

describe('audience', () => {
  it('a scoped item reaches community-wide groups and the groups serving its buildings only', async () => {
    const mk = (chatId: string, scope: Scope | null) => db.chatGroup.create({ data: { platform: 'telegram', chatId, communityId: community.id, title: chatId, scope: serializeScope(scope) } });
    const all = await mk('-1', null);
    const b3 = await mk('-3', ok('3栋'));
    const b5 = await mk('-5', ok('5栋'));
    const g2 = await mk('-22', ok('第二居民小组'));
    expect(groupHearsScope(ok('3栋'), ok('5栋'))).toBe(false);
    expect(groupHearsScope(WHOLE_COMMUNITY, ok('5栋'))).toBe(true);
    expect(new Set(await audienceOf(db, community.id, ok('3栋')))).toEqual(new Set([all.id, b3.id]));
    expect(new Set(await audienceOf(db, community.id, ok('5栋、第二居民小组')))).toEqual(new Set([all.id, b5.id, g2.id]));
    expect(await audienceOf(db, community.id, WHOLE_COMMUNITY)).toBeUndefined();
  });
});
