// /forgetme reaches the records later features keep about a person: a 楼栋长 appointment and a
// web-console session name them and must not outlive the erasure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { forgetPerson } from '../../../../src/domain/residents/privacy.ts';
import { grantRole, makeCommunity } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';

describe('erasure of building leads and console sessions', () => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await freshDatabase());
  });
  afterAll(() => db.$disconnect());

  it('deletes the person’s building-lead appointments and console sessions, and only theirs', async () => {
    const community = await makeCommunity(db);
    const lead = await grantRole(db, community, 7001, 'verified', '3栋-1单元-101');
    const other = await grantRole(db, community, 7002, 'verified', '3栋-1单元-102');
    const building = await db.building.create({ data: { communityId: community.id, name: '3栋' } });
    for (const p of [lead, other]) {
      await db.buildingLead.create({ data: { buildingId: building.id, personId: p.id, communityId: community.id } });
      await db.consoleSession.create({ data: { tokenHash: `hash-${p.id}`, personId: p.id, csrfToken: 'csrf', linkId: `link-${p.id}`, lastSeenAt: new Date() } });
    }
    await forgetPerson(db, lead.id, { via: 'test', placeholder: '已注销居民', privateChats: [], now: new Date() });
    expect(await db.buildingLead.count({ where: { personId: lead.id } })).toBe(0);
    expect(await db.consoleSession.count({ where: { personId: lead.id } })).toBe(0);
    expect(await db.buildingLead.count({ where: { personId: other.id } })).toBe(1);
    expect(await db.consoleSession.count({ where: { personId: other.id } })).toBe(1);
  });
});
