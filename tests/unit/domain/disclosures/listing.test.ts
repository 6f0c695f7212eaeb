/**
 * Disclosure search and listing behave the same on both engines (issue #19): a keyword ignores
 * the case of Latin letters (PostgreSQL's LIKE does not, src/db/dialect.ts containsText), and
 * disclosures published in the same millisecond come back in one fixed order, page after page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { listDisclosures, publishDisclosure } from '../../../../src/domain/disclosures/disclosures.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import type { Actor } from '../../../../src/domain/residents/roles.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { grantRole, makeCommunity } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';
import { TEST_ENGINE } from '../../../support/testDatabase.ts';

describe(`disclosure listing (${TEST_ENGINE})`, () => {
  let db: Db;
  let community: Community;
  let committee: Actor;
  const at = new Date('2026-11-02T02:00:00Z');

  beforeAll(async () => {
    ({ db } = await freshDatabase());
    community = await makeCommunity(db);
    committee = await loadActor(db, await grantRole(db, community, 301, 'committee'));
    for (let i = 1; i <= 6; i++) {
      // Same period and the same publishing instant: only the number tells them apart.
      await publishDisclosure(db, committee, 'telegram', community.id, { category: 'affairs', period: '2026年11月', title: `第${i}号 LED路灯维修公示`, body: `Wi-Fi 覆盖第${i}期`, statement: null }, at);
    }
  });
  afterAll(() => db?.$disconnect());

  it('finds a keyword whatever the case of its Latin letters', async () => {
    for (const keyword of ['led', 'LED', 'wi-fi', 'WI-FI']) expect((await listDisclosures(db, community.id, { keyword })).total).toBe(6);
    expect((await listDisclosures(db, community.id, { keyword: 'lcd' })).total).toBe(0);
  });

  it('lists ties in one total order, newest number first, with or without a keyword', async () => {
    for (const q of [{}, { keyword: 'led' }]) {
      const pages = [];
      for (let page = 0; page < 3; page++) pages.push(...(await listDisclosures(db, community.id, { ...q, page, pageSize: 2 })).items.map((i) => i.disclosure.number));
      expect(pages).toEqual([6, 5, 4, 3, 2, 1]);
    }
  });
});
