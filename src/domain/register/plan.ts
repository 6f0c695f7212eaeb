/**
 * The preview of an import: which households the file adds, which it changes (and how), which
 * stay as they are, and which active households it no longer lists. Computed from the file and
 * what is stored, without writing anything; its fingerprint lets the import check that what is
 * applied is exactly what the committee member saw.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import type { HouseholdKind, RegisterFacts, RegisterRow } from './table.ts';
import { compareUnits } from './units.ts';

/** What can change about a household. */
export type ChangeField = 'building' | 'group' | 'residents' | 'kind' | 'head' | 'reactivated' | 'joined';

/** A household as stored, in the terms of a register row. */
export interface StoredHousehold {
  id: string;
  unit: string;
  building: string | null;
  group: string | null;
  residents: number | null;
  kind: HouseholdKind | null;
  headName: string | null;
  active: boolean;
  inRegister: boolean;
}

/** A household the file changes. */
export interface PlannedChange {
  id: string;
  row: RegisterRow;
  fields: ChangeField[];
  before: StoredHousehold;
}

/** The preview of an import. */
export interface ImportPlan {
  communityId: string;
  added: RegisterRow[];
  changed: PlannedChange[];
  unchanged: number;
  /** Active households the file does not list: they become inactive (nothing is deleted). */
  missing: { id: string; unit: string }[];
  newBuildings: string[];
  newGroups: string[];
  fingerprint: string;
}

type ReadDb = Pick<Db, 'household' | 'building' | 'residentGroup'>;

/** What an import compares the file against: the community's households, buildings and groups. */
export interface StoredRegister {
  households: StoredHousehold[];
  /** Building and group ids by name. */
  buildings: Map<string, string>;
  groups: Map<string, string>;
}

/** Loads the community's households with their building and group names (three queries). */
export async function loadStoredRegister(db: ReadDb, communityId: string): Promise<StoredRegister> {
  const [rows, buildings, groups] = await Promise.all([
    db.household.findMany({ where: { communityId }, select: { id: true, unit: true, buildingId: true, groupId: true, residents: true, kind: true, headName: true, active: true, inRegister: true } }),
    db.building.findMany({ where: { communityId }, select: { id: true, name: true } }),
    db.residentGroup.findMany({ where: { communityId }, select: { id: true, name: true } }),
  ]);
  const buildingName = new Map(buildings.map((b) => [b.id, b.name]));
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  return {
    households: rows.map((r) => ({
      id: r.id,
      unit: r.unit,
      building: r.buildingId ? (buildingName.get(r.buildingId) ?? null) : null,
      group: r.groupId ? (groupName.get(r.groupId) ?? null) : null,
      residents: r.residents,
      kind: r.kind as HouseholdKind | null,
      headName: r.headName,
      active: r.active,
      inRegister: r.inRegister,
    })),
    buildings: new Map(buildings.map((b) => [b.name, b.id])),
    groups: new Map(groups.map((g) => [g.name, g.id])),
  };
}

/** What differs between a stored household and its row; facts the file does not carry are kept. */
function differences(before: StoredHousehold, row: RegisterRow, facts: RegisterFacts): ChangeField[] {
  const fields: ChangeField[] = [];
  if (!before.inRegister) fields.push('joined');
  else if (!before.active) fields.push('reactivated');
  if (before.building !== row.building) fields.push('building');
  if (facts.group && before.group !== row.group) fields.push('group');
  if (facts.residents && before.residents !== row.residents) fields.push('residents');
  if (facts.kind && before.kind !== row.kind) fields.push('kind');
  if (facts.head && before.headName !== row.headName) fields.push('head');
  return fields;
}

/** Plans an import of `rows` against what is stored; pure, for tests and the benchmark. */
export function planAgainst(communityId: string, stored: StoredRegister, rows: RegisterRow[], facts: RegisterFacts): ImportPlan {
  const byUnit = new Map(stored.households.map((h) => [h.unit, h]));
  const listed = new Set<string>();
  const added: RegisterRow[] = [];
  const changed: PlannedChange[] = [];
  let unchanged = 0;
  for (const row of rows) {
    listed.add(row.unit);
    const before = byUnit.get(row.unit);
    if (!before) {
      added.push(row);
      continue;
    }
    const fields = differences(before, row, facts);
    if (fields.length) changed.push({ id: before.id, row, fields, before });
    else unchanged++;
  }
  const missing = stored.households
    .filter((h) => h.active && !listed.has(h.unit))
    .map((h) => ({ id: h.id, unit: h.unit }))
    .sort((a, b) => compareUnits(a.unit, b.unit));
  const newBuildings = [...new Set(rows.map((r) => r.building))].filter((b) => !stored.buildings.has(b)).sort(compareUnits);
  const newGroups = facts.group ? [...new Set(rows.flatMap((r) => (r.group ? [r.group] : [])))].filter((g) => !stored.groups.has(g)).sort(compareUnits) : [];

  // What will be written, in a stable order: the same file against the same data gives the same print.
  const hash = createHash('sha256');
  hash.update(JSON.stringify(facts));
  for (const r of added) hash.update(`+${JSON.stringify([r.unit, r.building, r.group, r.residents, r.kind, r.headName])}\n`);
  for (const c of changed) hash.update(`~${c.id}${JSON.stringify([c.row.building, c.row.group, c.row.residents, c.row.kind, c.row.headName, c.fields])}\n`);
  for (const m of missing) hash.update(`-${m.id}\n`);
  return { communityId, added, changed, unchanged, missing, newBuildings, newGroups, fingerprint: hash.digest('hex').slice(0, 16) };
}

/** Plans an import of a read file into a community. */
export async function planImport(db: ReadDb, communityId: string, rows: RegisterRow[], facts: RegisterFacts): Promise<ImportPlan> {
  return planAgainst(communityId, await loadStoredRegister(db, communityId), rows, facts);
}
