/**
 * Erasure at the domain level: ratings re-keyed (uniqueness still holds), a second erasure of
 * the same person is harmless, and /mydata's collection finds ratings by key or by id.
 */
import { describe, expect, it } from 'vitest';
import { collectPersonalData, forgetPerson, personalKey } from '../../../../src/domain/residents/privacy.ts';
import { grantRole, makeCommunity } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';

describe('forgetPerson', () => {
  it('re-keys ratings, keeps their count and averages, and can run twice', async () => {
    const { db } = await freshDatabase();
    const community = await makeCommunity(db);
    const person = await grantRole(db, community, 4242, 'verified');
    const other = await grantRole(db, community, 4243, 'verified');
    const target = await db.ratingTarget.create({ data: { communityId: community.id, kind: 'service_centre', name: '党群服务中心' } });
    await db.rating.create({ data: { targetId: target.id, period: '2026Q4', raterKey: personalKey(person.id), overall: 5 } });
    await db.rating.create({ data: { targetId: target.id, period: '2026Q3', raterKey: personalKey(person.id), overall: 2 } });
    await db.rating.create({ data: { targetId: target.id, period: '2026Q4', raterKey: personalKey(other.id), overall: 3 } });
    expect((await collectPersonalData(db, person.id)).ratings.map((r) => r.overall)).toEqual([5, 2]);

    const opts = { via: 'test', placeholder: '已注销居民', privateChats: [{ platform: 'telegram', chatId: '4242' }], now: new Date() };
    await db.outboxMessage.create({ data: { key: 'reminder:1:4242', platform: 'telegram', chatId: '4242', payload: '{}' } });
    const summary = await forgetPerson(db, person.id, opts);
    expect(summary).toMatchObject({ identities: 1, memberships: 1, ratings: 2, ballots: 0 });

    const ratings = await db.rating.findMany({ orderBy: { overall: 'asc' } });
    expect(ratings.map((r) => r.overall)).toEqual([2, 3, 5]);
    const mine = ratings.filter((r) => r.overall !== 3);
    expect(mine.every((r) => /^x:[A-Za-z0-9_-]{16}$/.test(r.raterKey))).toBe(true);
    expect(new Set(mine.map((r) => r.raterKey)).size).toBe(2);
    expect(ratings.find((r) => r.overall === 3)!.raterKey).toBe(personalKey(other.id));
    expect(await db.outboxMessage.count({ where: { chatId: '4242' } })).toBe(0);

    // Running it again (a double tap) finds nothing personal left and changes no tally.
    expect(await forgetPerson(db, person.id, opts)).toMatchObject({ identities: 0, memberships: 0, ratings: 0 });
    expect(await db.rating.count()).toBe(3);
    const data = await collectPersonalData(db, person.id);
    expect(data.identities).toEqual([]);
    expect(data.memberships).toEqual([]);
    expect(data.person.displayName).toBe('已注销居民');
    await db.$disconnect();
  });
});
