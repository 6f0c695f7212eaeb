/**
 * 楼栋长 in the domain: the permissions the role carries, which buildings a lead may act for,
 * appointment by a one-building code (committee only), leading several buildings, and removal —
 * with the last building goes the role, and a role taken away elsewhere does not bring old
 * buildings back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { applyImport } from '../../../../src/domain/register/apply.ts';
import { issueInPersonCode } from '../../../../src/domain/register/inPerson.ts';
import { accessibleBuildings, issueLeadCode, leadsOf, removeLead, requireBuildingAccess } from '../../../../src/domain/register/leads.ts';
import { buildingDetail, registerProgress } from '../../../../src/domain/register/progress.ts';
import { issueSlips } from '../../../../src/domain/register/slips.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import { can, type Permission } from '../../../../src/domain/residents/permissions.ts';
import type { Actor } from '../../../../src/domain/residents/roles.ts';
import { issueCodes, redeemCode } from '../../../../src/domain/residents/verification.ts';
import type { Building, Community, Person } from '../../../../src/generated/prisma/client.ts';
import { grantRole, makeCommunity, OPERATOR, telegramPerson } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';
import { unitFromCells } from '../../../../src/domain/register/units.ts';

const NOW = new Date('2026-12-01T02:00:00Z');

let db: Db;
let community: Community;
let b1: Building;
let b2: Building;
let committee: Actor;

/** Imports buildings 1 and 2 (two households each) straight from rows. */
async function importRegister(): Promise<void> {
  const rows = [
    ['1', '1', '101', '王芳'],
    ['1', '1', '102', ''],
    ['2', '', '301', '张伟'],
    ['2', '', '302', ''],
  ].map(([building, entrance, room, head], i) => {
    const parts = unitFromCells({ building, entrance, room });
    if ('problem' in parts) throw new Error('bad row');
    return { line: i + 2, unit: parts.unit, building: parts.building, group: null, residents: null, kind: null, headName: head || null };
  });
  await applyImport(db, OPERATOR, 'cli', community.id, { rows, facts: { group: false, residents: false, kind: false, head: true } }, NOW);
}

/** A person appointed lead of a building by redeeming a real code. */
async function appoint(userId: number, building: Building): Promise<Person> {
  const person = await telegramPerson(db, userId);
  const { code } = await issueLeadCode(db, committee, 'telegram', building.id, NOW);
  await redeemCode(db, person, { platform: 'telegram', userId: String(userId) }, code, NOW);
  return person;
}

const actorOf = (person: Person) => loadActor(db, person);

beforeAll(async () => {
  ({ db } = await freshDatabase());
  community = await makeCommunity(db);
  const chair = await grantRole(db, community, 1, 'committee');
  committee = await actorOf(chair);
  await importRegister();
  b1 = await db.building.findUniqueOrThrow({ where: { communityId_name: { communityId: community.id, name: '1栋' } } });
  b2 = await db.building.findUniqueOrThrow({ where: { communityId_name: { communityId: community.id, name: '2栋' } } });
});
afterAll(async () => {
  await db?.$disconnect();
});

describe('the 楼栋长 role', () => {
  it('carries the building permissions, not the committee’s', () => {
    const lead: Actor = { personId: 'l', isAdmin: false, grants: [{ communityId: community.id, role: 'building_lead', householdId: null }] };
    const all: Permission[] = ['register.import', 'register.view', 'register.building', 'register.verify', 'register.lead', 'code.issue', 'member.list', 'poll.create'];
    expect(Object.fromEntries(all.map((p) => [p, can(lead, p, community.id)]))).toEqual({
      'register.import': false,
      'register.view': false,
      'register.building': true,
      'register.verify': true,
      'register.lead': false,
      'code.issue': false,
      'member.list': false,
      'poll.create': false,
    });
    expect(can(lead, 'register.building', 'another-community')).toBe(false);
  });

  it('is appointed by a committee member with a code for one building, and acts only for it', async () => {
    const person = await appoint(11, b1);
    const lead = await actorOf(person);
    expect(lead.grants.map((g) => g.role)).toEqual(['building_lead']);
    expect((await accessibleBuildings(db, lead, community.id)).map((b) => b.name)).toEqual(['1栋']);
    await expect(requireBuildingAccess(db, lead, 'register.building', b1.id)).resolves.toMatchObject({ id: b1.id });
    await expect(requireBuildingAccess(db, lead, 'register.verify', b2.id)).rejects.toMatchObject({ key: 'register.not_your_building', params: { building: '2栋' } });
    await expect(issueSlips(db, lead, 'telegram', { communityId: community.id, buildingId: b2.id }, NOW)).rejects.toMatchObject({ key: 'register.not_your_building' });
    await expect(issueSlips(db, lead, 'telegram', { communityId: community.id }, NOW)).rejects.toMatchObject({ key: 'errors.forbidden' });
    const h2 = await db.household.findFirstOrThrow({ where: { buildingId: b2.id } });
    await expect(issueInPersonCode(db, lead, 'telegram', h2.id, NOW)).rejects.toMatchObject({ key: 'register.not_your_building' });
    expect((await leadsOf(db, committee, b1.id)).map((l) => l.personId)).toEqual([person.id]);
  });

  it('sees progress and unverified units of their buildings, never 户主 names', async () => {
    const lead = await actorOf(await telegramPerson(db, 11));
    const progress = await registerProgress(db, lead, community.id);
    expect(progress).toMatchObject({ scope: 'own', households: 2, inactive: 0, outside: 0 });
    expect(progress.buildings.map((b) => b.name)).toEqual(['1栋']);
    const detail = await buildingDetail(db, lead, b1.id);
    expect(detail.pending.map((p) => [p.unit, p.headName])).toEqual([
      ['1栋-1单元-101', null],
      ['1栋-1单元-102', null],
    ]);
    const asCommittee = await buildingDetail(db, committee, b1.id);
    expect(asCommittee.pending[0].headName).toBe('王芳');
  });

  it('may lead several buildings; removing one keeps the role, removing the last ends it', async () => {
    const person = await appoint(12, b1);
    await appoint(12, b2);
    expect((await accessibleBuildings(db, await actorOf(person), community.id)).map((b) => b.name)).toEqual(['1栋', '2栋']);
    await removeLead(db, committee, 'telegram', b1.id, person.id);
    expect((await accessibleBuildings(db, await actorOf(person), community.id)).map((b) => b.name)).toEqual(['2栋']);
    await removeLead(db, committee, 'telegram', b2.id, person.id);
    expect((await actorOf(person)).grants).toEqual([]);
    await expect(removeLead(db, committee, 'telegram', b2.id, person.id)).rejects.toMatchObject({ key: 'register.not_a_lead' });
    const audit = await db.auditEntry.findMany({ where: { action: 'register.lead_remove', targetId: person.id } });
    expect(audit.map((a) => JSON.parse(a.details!).roleRemoved)).toEqual([false, true]);
  });

  it('does not bring back buildings of a role taken away elsewhere', async () => {
    const person = await appoint(13, b2);
    // The role removed directly (as /members or /forgetme would), leaving the BuildingLead row behind.
    await db.membership.deleteMany({ where: { personId: person.id, role: 'building_lead' } });
    expect(await leadsOf(db, committee, b2.id)).not.toContainEqual(expect.objectContaining({ personId: person.id }));
    await appoint(13, b1);
    expect((await accessibleBuildings(db, await actorOf(person), community.id)).map((b) => b.name)).toEqual(['1栋']);
  });

  it('is appointed only by the committee, and only with a building', async () => {
    const lead = await actorOf(await telegramPerson(db, 11));
    await expect(issueLeadCode(db, lead, 'telegram', b1.id, NOW)).rejects.toMatchObject({ key: 'errors.forbidden' });
    await expect(issueCodes(db, committee, 'telegram', { communityId: community.id, role: 'building_lead', count: 1, expiresInMs: 86_400_000 }, NOW)).rejects.toMatchObject({
      key: 'codes.building_role_from_register',
    });
  });
});
