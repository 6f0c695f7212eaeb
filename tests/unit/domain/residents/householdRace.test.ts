/**
 * Simultaneous /verify for one household (issue #19): eight neighbours of one flat redeem their
 * codes at the same moment. On PostgreSQL the redemptions run side by side and Prisma's upsert
 * (find, then create) let all but one fail on the unique (community, unit); every one must
 * succeed into the same household, on either engine (LINLI_TEST_DATABASE picks PostgreSQL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { issueCodes, redeemCode } from '../../../../src/domain/residents/verification.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { makeCommunity, OPERATOR, telegramPerson } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';
import { TEST_ENGINE } from '../../../support/testDatabase.ts';

const NEIGHBOURS = 8;

describe(`simultaneous verification of one household (${TEST_ENGINE})`, () => {
  let db: Db;
  let community: Community;

  beforeAll(async () => {
    ({ db } = await freshDatabase());
    community = await makeCommunity(db);
  });
  afterAll(() => db?.$disconnect());

  for (const unit of ['3栋-2单元-501', '5栋-1单元-1201']) {
    it(`verifies all ${NEIGHBOURS} people of ${unit} into one household`, async () => {
      const codes = await issueCodes(db, OPERATOR, 'test', { communityId: community.id, unit, role: 'verified', count: NEIGHBOURS, expiresInMs: 86_400_000 });
      const people = await Promise.all(codes.map((_, i) => telegramPerson(db, 70_000 + i + (unit.startsWith('5') ? 100 : 0))));
      const results = await Promise.allSettled(people.map((p, i) => redeemCode(db, p, { platform: 'telegram', userId: String(70_000 + i) }, codes[i])));
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      const households = await db.household.findMany({ where: { communityId: community.id, unit } });
      expect(households).toHaveLength(1);
      const members = await db.membership.findMany({ where: { communityId: community.id, role: 'verified', personId: { in: people.map((p) => p.id) } } });
      expect(members.map((m) => m.householdId)).toEqual(Array(NEIGHBOURS).fill(households[0].id));
    });
  }
});
