/**
 * A scope (范围): the part of a community a poll, an announcement or a rating campaign concerns —
 * one or more buildings (楼栋) and/or 居民小组 of the register, or the whole community (全体).
 * The electorate follows it (only households of those buildings or groups vote), and so does the
 * audience (see {@link groupHearsScope}).
 *
 * A scope is stored as JSON on the record it belongs to, with the names beside the ids: a name is
 * what a card shows ("范围：3栋、5栋"), and a building keeps its name across re-imports (names are
 * the canonical form the register gives them), so a card renders without another query.
 *
 * Parsing is pure against the community's buildings and groups ({@link scopeRegister}), so a
 * scene can load them once when it begins and check every answer without the database.
 */
import type { Db } from '../../db/client.ts';
import { DomainError } from '../errors.ts';
import { electorateOf, type Electorate, type ElectorateScope } from './electorate.ts';
import { compareUnits, unitFromCells } from './units.ts';

/** A building or group as a scope names it. */
export interface ScopeRef {
  id: string;
  name: string;
}

/** Buildings and groups in scope; both empty means the whole community. */
export interface Scope {
  buildings: ScopeRef[];
  groups: ScopeRef[];
}

/** The whole community. */
export const WHOLE_COMMUNITY: Scope = Object.freeze({ buildings: [], groups: [] }) as Scope;

/** What a scope may name: the community's buildings and 居民小组. */
export interface ScopeRegister {
  buildings: ScopeRef[];
  groups: ScopeRef[];
}

/** Longest scope text accepted (characters): a long list of buildings fits easily. */
export const MAX_SCOPE_TEXT = 500;
/** Most buildings and groups one scope names. */
export const MAX_SCOPE_PARTS = 100;

/** Why a typed scope was refused (i18n keys scope.err_<reason>). */
export type ScopeProblem = 'empty' | 'too_long' | 'too_many' | 'unknown' | 'no_register';

/** The result of reading a typed scope. */
export type ScopeParse = { ok: true; scope: Scope } | { ok: false; reason: ScopeProblem; name?: string };

/** Words meaning "everyone", in both languages. */
const WHOLE_WORDS = new Set(['全体', '全部', '全体居民', '全社区', '全小区', '所有', '所有人', 'ALL', 'EVERYONE', 'WHOLE COMMUNITY']);
/** Separators people put between names: 、，, ; / 和 及 与 and spaces. */
const SEPARATORS = /[\s、,，;；/]+|和|及|与/;
/** "3-5栋", "3至5号楼", "3~5": a run of numbered buildings. */
const RANGE = /^(\d{1,4})\s*(?:-|~|～|至|到|—)\s*(\d{1,4})\s*(?:栋|幢|座|号楼|#|楼)?$/;
/** Suffixes that name a group without changing which one it is. */
const GROUP_SUFFIX = /(居民小组|小组|网格|组)$/;

/** The community's buildings and groups, in natural order. */
export async function scopeRegister(db: Pick<Db, 'building' | 'residentGroup'>, communityId: string): Promise<ScopeRegister> {
  const [buildings, groups] = await Promise.all([
    db.building.findMany({ where: { communityId }, select: { id: true, name: true } }),
    db.residentGroup.findMany({ where: { communityId }, select: { id: true, name: true } }),
  ]);
  const order = (a: ScopeRef, b: ScopeRef) => compareUnits(a.name, b.name);
  return { buildings: buildings.sort(order), groups: groups.sort(order) };
}

/** True when the register has anything to scope to (otherwise a scope step is not offered). */
export function canScope(register: ScopeRegister): boolean {
  return register.buildings.length > 0 || register.groups.length > 0;
}

/** True for the whole community. */
export function isWholeCommunity(scope: Scope): boolean {
  return scope.buildings.length === 0 && scope.groups.length === 0;
}

/** The canonical building name a token can mean ("3", "３号楼", "三栋" → "3栋"), or null. */
function buildingName(token: string): string | null {
  const parts = unitFromCells({ building: token, room: '1' });
  return 'building' in parts && typeof parts.building === 'string' ? parts.building : null;
}

const key = (s: string) => s.normalize('NFKC').trim().toUpperCase();

/**
 * Reads a scope as a committee member types it: "全体", "3栋、5栋", "３号楼 ５号楼", "1-3栋",
 * "第二居民小组", "3栋和第二小组". Every name must be the community's: an unknown one is named
 * back rather than dropped, so nobody is left out by a typo.
 */
export function parseScope(text: string, register: ScopeRegister): ScopeParse {
  const raw = text.normalize('NFKC').trim();
  if (!raw) return { ok: false, reason: 'empty' };
  if ([...raw].length > MAX_SCOPE_TEXT) return { ok: false, reason: 'too_long' };
  const cleaned = raw.replace(/^(范围|scope)\s*[:：]\s*/i, '');
  if (WHOLE_WORDS.has(key(cleaned))) return { ok: true, scope: WHOLE_COMMUNITY };
  if (!canScope(register)) return { ok: false, reason: 'no_register' };
  const tokens = cleaned.split(SEPARATORS).map((t) => t.trim()).filter(Boolean);
  if (!tokens.length) return { ok: false, reason: 'empty' };
  if (tokens.length > MAX_SCOPE_PARTS) return { ok: false, reason: 'too_many' };

  const buildingsByName = new Map(register.buildings.map((b) => [key(b.name), b]));
  const groupsByName = new Map<string, ScopeRef>();
  for (const g of register.groups) {
    groupsByName.set(key(g.name), g);
    groupsByName.set(key(g.name).replace(GROUP_SUFFIX, ''), g);
  }
  const buildings = new Map<string, ScopeRef>();
  const groups = new Map<string, ScopeRef>();
  for (const token of tokens) {
    const group = groupsByName.get(key(token)) ?? groupsByName.get(key(token).replace(GROUP_SUFFIX, ''));
    if (group) {
      groups.set(group.id, group);
      continue;
    }
    const range = RANGE.exec(token);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])].sort((a, b) => a - b);
      if (to - from + 1 > MAX_SCOPE_PARTS) return { ok: false, reason: 'too_many' };
      for (let n = from; n <= to; n++) {
        const b = buildingsByName.get(key(`${n}栋`));
        if (!b) return { ok: false, reason: 'unknown', name: `${n}栋` };
        buildings.set(b.id, b);
      }
      continue;
    }
    const name = buildingName(token);
    const building = (name && buildingsByName.get(key(name))) || buildingsByName.get(key(token));
    if (!building) return { ok: false, reason: 'unknown', name: [...token].slice(0, 20).join('') };
    buildings.set(building.id, building);
  }
  const order = (a: ScopeRef, b: ScopeRef) => compareUnits(a.name, b.name);
  return { ok: true, scope: { buildings: [...buildings.values()].sort(order), groups: [...groups.values()].sort(order) } };
}

/**
 * Reads a typed scope against the community's register as it is now, refusing in the parser's
 * words (scope.err_<reason>, the unknown name repeated back). Every path that takes a scope as
 * typed text — /groupscope, the console's forms — goes through here.
 */
export async function scopeFromText(db: Pick<Db, 'building' | 'residentGroup'>, communityId: string, text: string): Promise<Scope> {
  const parsed = parseScope(text, await scopeRegister(db, communityId));
  if (!parsed.ok) throw new DomainError(`scope.err_${parsed.reason}`, { name: parsed.name });
  return parsed.scope;
}

/** The stored form: JSON, or null for the whole community (what every record had before scopes). */
export function serializeScope(scope: Scope | null | undefined): string | null {
  if (!scope || isWholeCommunity(scope)) return null;
  return JSON.stringify({ buildings: scope.buildings.map(({ id, name }) => ({ id, name })), groups: scope.groups.map(({ id, name }) => ({ id, name })) });
}

/** Reads a stored scope; null, empty or unreadable text is the whole community. */
export function readScope(stored: string | null | undefined): Scope {
  if (!stored) return WHOLE_COMMUNITY;
  try {
    const value = JSON.parse(stored) as Partial<Scope>;
    const refs = (list: unknown): ScopeRef[] =>
      Array.isArray(list) ? list.filter((r): r is ScopeRef => typeof r?.id === 'string' && typeof r?.name === 'string').map(({ id, name }) => ({ id, name })) : [];
    return { buildings: refs(value.buildings), groups: refs(value.groups) };
  } catch {
    return WHOLE_COMMUNITY;
  }
}

/** Translate function as the domain sees it. */
type T = (key: string, params?: Record<string, unknown>) => string;

/** The scope in words: "3栋、5栋、第二居民小组", or "全体居民". */
export function describeScope(t: T, scope: Scope): string {
  if (isWholeCommunity(scope)) return t('scope.whole');
  return [...scope.buildings, ...scope.groups].map((r) => r.name).join(t('scope.separator'));
}

/** The line a card or notice carries ("范围：3栋、5栋"), or null for the whole community. */
export function scopeLine(t: T, scope: Scope): string | null {
  return isWholeCommunity(scope) ? null : t('scope.line', { names: describeScope(t, scope) });
}

/** The scope as electorateOf takes it. */
export function electorateScope(scope: Scope): ElectorateScope {
  return { buildingIds: scope.buildings.map((b) => b.id), groupIds: scope.groups.map((g) => g.id) };
}

/**
 * A Prisma filter on Household for the scope, or undefined for the whole community. Households
 * of any named building or group are in scope.
 */
export function householdScopeWhere(scope: Scope): { OR: ({ buildingId: { in: string[] } } | { groupId: { in: string[] } })[] } | undefined {
  if (isWholeCommunity(scope)) return undefined;
  return {
    OR: [
      ...(scope.buildings.length ? [{ buildingId: { in: scope.buildings.map((b) => b.id) } }] : []),
      ...(scope.groups.length ? [{ groupId: { in: scope.groups.map((g) => g.id) } }] : []),
    ],
  };
}

/** The active households in scope (the register when there is one), with their counts. */
export function householdsInScope(db: Parameters<typeof electorateOf>[0], communityId: string, scope: Scope): Promise<Electorate> {
  return electorateOf(db, communityId, electorateScope(scope));
}

/** Checks a typed-in scope against the community once more before it is stored (a building may have gone since). */
export async function requireScopeOfCommunity(db: Pick<Db, 'building' | 'residentGroup'>, communityId: string, scope: Scope): Promise<Scope> {
  if (isWholeCommunity(scope)) return WHOLE_COMMUNITY;
  if ([...scope.buildings, ...scope.groups].length > MAX_SCOPE_PARTS) throw new DomainError('scope.err_too_many');
  const ids = (refs: ScopeRef[]) => [...new Set(refs.map((r) => r.id))];
  const [buildings, groups] = await Promise.all([
    db.building.findMany({ where: { communityId, id: { in: ids(scope.buildings) } }, select: { id: true, name: true } }),
    db.residentGroup.findMany({ where: { communityId, id: { in: ids(scope.groups) } }, select: { id: true, name: true } }),
  ]);
  if (buildings.length !== ids(scope.buildings).length || groups.length !== ids(scope.groups).length) throw new DomainError('register.unknown_scope');
  const order = (a: ScopeRef, b: ScopeRef) => compareUnits(a.name, b.name);
  return { buildings: buildings.sort(order), groups: groups.sort(order) };
}

/**
 * Refuses a voter whose household is outside the scope, with the scope named. A voter with no
 * household on record cannot be placed in any building, so a scoped vote refuses them too.
 */
export async function requireHouseholdInScope(db: Pick<Db, 'household'>, scope: Scope, householdId: string | null, t?: T): Promise<void> {
  if (isWholeCommunity(scope)) return;
  const names = [...scope.buildings, ...scope.groups].map((r) => r.name).join('、');
  if (!householdId) throw new DomainError('scope.out_of_scope_no_household', { scope: names });
  const household = await db.household.findUnique({ where: { id: householdId }, select: { buildingId: true, groupId: true, unit: true } });
  const inScope = Boolean(household && ((household.buildingId && scope.buildings.some((b) => b.id === household.buildingId)) || (household.groupId && scope.groups.some((g) => g.id === household.groupId))));
  if (!inScope) throw new DomainError('scope.out_of_scope', { scope: t ? describeScope(t, scope) : names, unit: household?.unit ?? '' });
}

/**
 * Who hears a scoped item. A chat group may be tagged with the buildings or groups it serves
 * (a 3栋 楼栋群); untagged groups serve the whole community. An item for the whole community goes
 * to every group, as before scopes. A scoped item goes to every community-wide group — with the
 * scope line, so residents elsewhere see it is not theirs — and to the tagged groups that serve
 * a building or group in the scope; a 5栋 group does not hear a notice for 3栋 only.
 */
export function groupHearsScope(groupScope: Scope, itemScope: Scope): boolean {
  if (isWholeCommunity(itemScope) || isWholeCommunity(groupScope)) return true;
  const buildings = new Set(itemScope.buildings.map((b) => b.id));
  const groups = new Set(itemScope.groups.map((g) => g.id));
  return groupScope.buildings.some((b) => buildings.has(b.id)) || groupScope.groups.some((g) => groups.has(g.id));
}

/**
 * The ids of the community's active groups that hear an item with this scope, or undefined when
 * every group does (the outbox's "all groups").
 */
export async function audienceOf(db: Pick<Db, 'chatGroup'>, communityId: string, scope: Scope): Promise<string[] | undefined> {
  if (isWholeCommunity(scope)) return undefined;
  const groups = await db.chatGroup.findMany({ where: { communityId, active: true }, select: { id: true, scope: true } });
  return groups.filter((g) => groupHearsScope(readScope(g.scope), scope)).map((g) => g.id);
}
