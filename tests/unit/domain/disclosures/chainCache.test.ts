/**
 * The dashboard's kept chain check: reused while nothing is published (so a row changed behind
 * Linli's back shows only once the check ages out), checked afresh after a publication or a
 * correction, and after its maximum age; per community.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { CHAIN_CHECK_MAX_AGE_MS, ChainCheckCache } from '../../../../src/domain/disclosures/chainCache.ts';
import { correctDisclosure, publishDisclosure } from '../../../../src/domain/disclosures/disclosures.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { makeCommunity, OPERATOR } from '../../../support/fixtures.ts';
import { freshDatabase, testClock } from '../../../support/harness.ts';

let db: Db;
let community: Community;
let other: Community;
const clock = testClock(new Date('2026-11-18T02:00:00Z'));
const draft = (title: string) => ({ category: 'affairs', period: '2026年第三季度', title, body: '9月议事会讨论了东门快递柜选址、楼道照明改造两项议题，形成决议如下。', statement: null });

beforeAll(async () => {
  ({ db } = await freshDatabase());
  community = await makeCommunity(db);
  other = await makeCommunity(db, 'guiyuan', '桂园社区');
  await publishDisclosure(db, OPERATOR, 'cli', community.id, draft('三季度议事会会议纪要'), clock());
  await publishDisclosure(db, OPERATOR, 'cli', other.id, draft('桂园社区三季度纪要'), clock());
});
afterAll(async () => {
  await db.$disconnect();
});

describe('ChainCheckCache', () => {
  it('keeps a check until something is published, then checks afresh', async () => {
    const cache = new ChainCheckCache(db, clock);
    expect(await cache.check(community.id)).toMatchObject({ links: 1, problems: [] });
    // Changed behind Linli's back: the same fingerprint, so the kept check is reused for now…
    await db.$executeRaw`UPDATE "DisclosureVersion" SET "body" = '改过的内容' WHERE "communityId" = ${community.id}`;
    expect((await cache.check(community.id))?.problems).toEqual([]);
    // …and a publication (a new link) makes the next load check the whole chain again.
    const d = await db.disclosure.findFirstOrThrow({ where: { communityId: community.id } });
    await correctDisclosure(db, OPERATOR, 'cli', d.id, { ...draft('三季度议事会会议纪要'), reason: '更正错别字' }, clock());
    const fresh = await cache.check(community.id);
    expect(fresh?.links).toBe(2);
    expect(fresh?.problems.length).toBeGreaterThan(0);
    // The other community's chain is its own.
    expect(await cache.check(other.id)).toMatchObject({ links: 1, problems: [] });
  });

  it('checks afresh once a kept check is older than its maximum age, or after invalidate', async () => {
    const cache = new ChainCheckCache(db, clock);
    expect((await cache.check(other.id))?.problems).toEqual([]);
    await db.$executeRaw`UPDATE "DisclosureVersion" SET "body" = '改过的内容' WHERE "communityId" = ${other.id}`;
    expect((await cache.check(other.id))?.problems).toEqual([]);
    cache.invalidate(other.id);
    expect((await cache.check(other.id))?.problems.length).toBeGreaterThan(0);

    const aging = new ChainCheckCache(db, clock);
    await db.$executeRaw`UPDATE "DisclosureVersion" SET "body" = ${draft('').body} WHERE "communityId" = ${other.id}`;
    expect((await aging.check(other.id))?.problems).toEqual([]);
    await db.$executeRaw`UPDATE "DisclosureVersion" SET "body" = '又改了' WHERE "communityId" = ${other.id}`;
    clock.set(new Date(clock().getTime() + CHAIN_CHECK_MAX_AGE_MS + 1000));
    expect((await aging.check(other.id))?.problems.length).toBeGreaterThan(0);
  });
});
