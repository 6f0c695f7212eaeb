/**
 * Identity linking, domain level: codes are hashed, expiring, single-use and throttled; a link
 * makes one person of two with one set of memberships; the one-vote rule decides which person
 * is kept and refuses when both took part.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { isUniqueViolation } from '../../../../src/db/client.ts';
import { createLinkCode, LINK_CODE_TTL_MS, redeemLinkCode } from '../../../../src/domain/residents/linking.ts';
import { loadActor, resolvePerson } from '../../../../src/domain/residents/people.ts';
import { issueCodes, redeemCode } from '../../../../src/domain/residents/verification.ts';
import type { Community, Person } from '../../../../src/generated/prisma/client.ts';
import { grantRole, makeCommunity, OPERATOR } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';

const NOW = new Date('2026-11-20T02:00:00Z');
const wechatAccount = (id: string) => ({ platform: 'wechat', userId: id });
const wechatPerson = (db: Db, id: string) => resolvePerson(db, { platform: 'wechat', userId: id, displayName: `微信${id}` }, []);

async function codeFor(db: Db, person: Person, now = NOW): Promise<string> {
  return (await createLinkCode(db, await loadActor(db, person), 'telegram', now)).code;
}

async function vote(db: Db, community: Community, personId: string, pollNumber: number) {
  const poll =
    (await db.poll.findFirst({ where: { communityId: community.id, number: pollNumber } })) ??
    (await db.poll.create({ data: { communityId: community.id, number: pollNumber, shortId: `lk${pollNumber}`, question: 'Q', electorate: 'residents', opensAt: NOW, closesAt: NOW } }));
  return db.pollParticipation.create({ data: { id: randomUUID(), pollId: poll.id, voterKey: `p:${personId}`, personId, castAt: NOW, updatedAt: NOW } });
}

describe('identity linking', () => {
  let db: Db;
  let community: Community;

  beforeEach(async () => {
    ({ db } = await freshDatabase());
    community = await makeCommunity(db);
  });

  it('links a WeChat account to a verified Telegram resident: one person, one membership, audited', async () => {
    const tg = await grantRole(db, community, 101, 'verified', '1栋-1单元-101');
    const code = await codeFor(db, tg);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const stored = await db.identityLinkCode.findFirstOrThrow();
    expect(stored.codeHash).not.toContain(code.replace('-', ''));
    const wx = await wechatPerson(db, 'wx-a');
    const result = await redeemLinkCode(db, wx, wechatAccount('wx-a'), ` ${code.toLowerCase()} `, NOW);
    expect(result.person.id).toBe(tg.id);
    expect(result.platforms).toEqual(['telegram', 'wechat']);
    expect(await db.person.findUnique({ where: { id: wx.id } })).toBeNull();
    // Whichever platform the resident writes from, it is the same person with the same roles.
    const again = await wechatPerson(db, 'wx-a');
    expect(again.id).toBe(tg.id);
    expect((await loadActor(db, again)).grants.map((g) => g.role)).toEqual(['verified']);
    expect(await db.membership.count({ where: { communityId: community.id } })).toBe(1);
    const audit = await db.auditEntry.findMany({ where: { action: { in: ['identity.link_code', 'identity.link'] } }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['identity.link_code', 'identity.link']);
    expect(JSON.parse(audit[1].details!)).toMatchObject({ absorbedPersonId: wx.id, platforms: ['telegram', 'wechat'] });
  });

  it('one vote across platforms: after linking, both accounts vote under the same key', async () => {
    const tg = await grantRole(db, community, 102, 'verified');
    const wx = await wechatPerson(db, 'wx-b');
    await redeemLinkCode(db, wx, wechatAccount('wx-b'), await codeFor(db, tg), NOW);
    await vote(db, community, (await wechatPerson(db, 'wx-b')).id, 1);
    const fromTelegram = await resolvePerson(db, { platform: 'telegram', userId: '102', displayName: 'x' }, []);
    const second = await vote(db, community, fromTelegram.id, 1).catch((e) => e);
    expect(isUniqueViolation(second)).toBe(true);
  });

  it('only verified people make codes; codes are single use, expire, and a new one replaces the old', async () => {
    const stranger = await wechatPerson(db, 'wx-c');
    await expect(codeFor(db, stranger)).rejects.toMatchObject({ key: 'linking.not_verified' });
    const tg = await grantRole(db, community, 103, 'verified');
    const first = await codeFor(db, tg);
    const second = await codeFor(db, tg, new Date(NOW.getTime() + 1000));
    const wx = await wechatPerson(db, 'wx-c2');
    await expect(redeemLinkCode(db, wx, wechatAccount('wx-c2'), first, new Date(NOW.getTime() + 2000))).rejects.toMatchObject({ key: 'linking.expired' });
    const late = new Date(NOW.getTime() + LINK_CODE_TTL_MS + 2000);
    await expect(redeemLinkCode(db, wx, wechatAccount('wx-c2'), second, late)).rejects.toMatchObject({ key: 'linking.expired' });
    const third = await codeFor(db, tg, late);
    await redeemLinkCode(db, wx, wechatAccount('wx-c2'), third, late);
    const other = await wechatPerson(db, 'wx-c3');
    await expect(redeemLinkCode(db, other, wechatAccount('wx-c3'), third, late)).rejects.toMatchObject({ key: 'linking.used' });
    // Redeeming your own code from an already linked account.
    await expect(redeemLinkCode(db, tg, wechatAccount('wx-c2'), await codeFor(db, tg, late), late)).rejects.toMatchObject({ key: 'linking.same_person' });
  });

  it('throttles guessing and creating', async () => {
    const wx = await wechatPerson(db, 'wx-d');
    await expect(redeemLinkCode(db, wx, wechatAccount('wx-d'), '', NOW)).rejects.toMatchObject({ key: 'linking.malformed' });
    await expect(redeemLinkCode(db, wx, wechatAccount('wx-d'), '链接码'.repeat(300), NOW)).rejects.toMatchObject({ key: 'linking.malformed' });
    for (let i = 0; i < 3; i++) await expect(redeemLinkCode(db, wx, wechatAccount('wx-d'), 'ABCD-EFGH', NOW)).rejects.toMatchObject({ key: 'linking.unknown' });
    const tg = await grantRole(db, community, 104, 'verified');
    const good = await codeFor(db, tg);
    await expect(redeemLinkCode(db, wx, wechatAccount('wx-d'), good, NOW)).rejects.toMatchObject({ key: 'codes.throttled' });
    for (let i = 0; i < 4; i++) await codeFor(db, tg, new Date(NOW.getTime() + i));
    await expect(codeFor(db, tg, new Date(NOW.getTime() + 10))).rejects.toMatchObject({ key: 'linking.too_many_codes' });
  });

  it('one account per platform', async () => {
    const tg = await grantRole(db, community, 105, 'verified');
    await redeemLinkCode(db, await wechatPerson(db, 'wx-e1'), wechatAccount('wx-e1'), await codeFor(db, tg), NOW);
    const second = await wechatPerson(db, 'wx-e2');
    await expect(redeemLinkCode(db, second, wechatAccount('wx-e2'), await codeFor(db, tg), NOW)).rejects.toMatchObject({ key: 'linking.platform_taken' });
    expect(await db.identity.count({ where: { personId: tg.id } })).toBe(2);
  });

  it('keeps the person who already voted, and refuses when both did', async () => {
    const tg = await grantRole(db, community, 106, 'verified', '2栋-1单元-201');
    const wx = await wechatPerson(db, 'wx-f');
    const [code] = await issueCodes(db, OPERATOR, 'cli', { communityId: community.id, role: 'verified', unit: '2栋-1单元-202', count: 1, expiresInMs: 86_400_000 });
    await redeemCode(db, wx, wechatAccount('wx-f'), code);
    await vote(db, community, wx.id, 1);
    const result = await redeemLinkCode(db, wx, wechatAccount('wx-f'), await codeFor(db, tg), NOW);
    // The WeChat person voted, so it is kept; its verified membership wins over the duplicate.
    expect(result.person.id).toBe(wx.id);
    expect(await db.person.findUnique({ where: { id: tg.id } })).toBeNull();
    const memberships = await db.membership.findMany({ where: { personId: wx.id }, include: { household: true } });
    expect(memberships.map((m) => m.household?.unit)).toEqual(['2栋-1单元-202']);
    expect((await resolvePerson(db, { platform: 'telegram', userId: '106', displayName: 'x' }, [])).id).toBe(wx.id);

    const tg2 = await grantRole(db, community, 107, 'verified');
    await vote(db, community, tg2.id, 2);
    const wx2 = await wechatPerson(db, 'wx-g');
    await vote(db, community, wx2.id, 3);
    const code2 = await codeFor(db, tg2);
    await expect(redeemLinkCode(db, wx2, wechatAccount('wx-g'), code2, NOW)).rejects.toMatchObject({ key: 'linking.both_active' });
    expect(await db.person.count({ where: { id: { in: [tg2.id, wx2.id] } } })).toBe(2);
    // The refusal rolled back: the code is still unused.
    expect((await db.identityLinkCode.findFirstOrThrow({ where: { personId: tg2.id } })).usedAt).toBeNull();
  });
});
