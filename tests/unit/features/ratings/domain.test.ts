// Ratings rules on a real database: default and project targets, one rating per person per
// target and period (changeable), who may rate what, campaigns and their periods, moderation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import type { Actor } from '../../../../src/domain/residents/roles.ts';
import { launchCampaign, markClosed } from '../../../../src/domain/ratings/campaigns.ts';
import { MAX_COMMENT, reviewComment, submitRating } from '../../../../src/domain/ratings/ratings.ts';
import { addTarget, ensureDefaultTargets, ensureProjectTarget, listTargets, renameTarget, setTargetActive } from '../../../../src/domain/ratings/targets.ts';
import { grantRole, makeCommunity, telegramPerson } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';

const TZ = 'Asia/Shanghai';
const Q4 = new Date('2026-11-10T10:00:00+08:00');

describe('ratings domain', () => {
  let db: Db;
  let badeng: Community;
  let other: Community;
  let resident: Actor;
  let resident2: Actor;
  let committee: Actor;
  let outsider: Actor;
  let centreId: string;

  const actorOf = async (userId: number, community: Community, role: 'verified' | 'committee') => {
    const person = await grantRole(db, community, userId, role);
    return loadActor(db, person);
  };

  beforeAll(async () => {
    ({ db } = await freshDatabase());
    badeng = await makeCommunity(db);
    other = await makeCommunity(db, 'xiangmihu', '香蜜湖社区');
    resident = await actorOf(101, badeng, 'verified');
    resident2 = await actorOf(102, badeng, 'verified');
    committee = await actorOf(201, badeng, 'committee');
    outsider = await actorOf(301, other, 'verified');
    await ensureDefaultTargets(db, badeng.id);
    centreId = (await listTargets(db, badeng.id)).find((t) => t.kind === 'service_centre')!.id;
  });
  afterAll(() => db.$disconnect());

  it('creates the default targets once, even when asked concurrently', async () => {
    const fresh = await makeCommunity(db, 'fresh', '新社区');
    await Promise.all([ensureDefaultTargets(db, fresh.id), ensureDefaultTargets(db, fresh.id), ensureDefaultTargets(db, fresh.id)]);
    await ensureDefaultTargets(db, fresh.id);
    const targets = await listTargets(db, fresh.id);
    expect(targets.map((t) => t.kind)).toEqual(['service_centre', 'workstation']);
    expect(targets.every((t) => t.name === null && t.active)).toBe(true);
  });

  it('creates one project target per completed proposal', async () => {
    const a = await ensureProjectTarget(db, { communityId: badeng.id, proposalId: 'prop-1', title: '  3栋加装扶手  ' });
    const b = await ensureProjectTarget(db, { communityId: badeng.id, proposalId: 'prop-1', title: 'renamed later' });
    expect(b.id).toBe(a.id);
    expect(a).toMatchObject({ kind: 'project', name: '3栋加装扶手', proposalId: 'prop-1' });
  });

  it('keeps one rating per person per target and period, and lets it change', async () => {
    const first = await submitRating(db, resident, { communityId: badeng.id, targetId: centreId, overall: 2 }, Q4, TZ);
    expect(first).toMatchObject({ changed: false, period: '2026Q4' });
    const second = await submitRating(db, resident, { communityId: badeng.id, targetId: centreId, overall: 5, dimensions: { attitude: 5 } }, Q4, TZ);
    expect(second.changed).toBe(true);
    expect(second.rating.id).toBe(first.rating.id);
    const rows = await db.rating.findMany({ where: { targetId: centreId, period: '2026Q4' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ overall: 5, dimensions: '{"attitude":5}' });
    // Next quarter is a new rating.
    const next = await submitRating(db, resident, { communityId: badeng.id, targetId: centreId, overall: 4 }, new Date('2027-01-05T10:00:00+08:00'), TZ);
    expect(next).toMatchObject({ changed: false, period: '2027Q1' });
  });

  it('stores one row when the same person submits twice at once', async () => {
    const t = await addTarget(db, { actor: committee, via: 'test' }, badeng.id, 'property', '万科物业');
    await Promise.all([1, 2, 3].map((n) => submitRating(db, resident2, { communityId: badeng.id, targetId: t.id, overall: n + 2 }, Q4, TZ)));
    expect(await db.rating.count({ where: { targetId: t.id } })).toBe(1);
  });

  it('refuses people who may not rate and targets of another community', async () => {
    const stranger = await loadActor(db, await telegramPerson(db, 999));
    await expect(submitRating(db, stranger, { communityId: badeng.id, targetId: centreId, overall: 4 }, Q4, TZ)).rejects.toThrow('errors.not_verified');
    await expect(submitRating(db, outsider, { communityId: badeng.id, targetId: centreId, overall: 4 }, Q4, TZ)).rejects.toThrow('errors.not_verified');
    await ensureDefaultTargets(db, other.id);
    const otherCentre = (await listTargets(db, other.id))[0];
    await expect(submitRating(db, resident, { communityId: badeng.id, targetId: otherCentre.id, overall: 4 }, Q4, TZ)).rejects.toThrow('ratings.target_other_community');
    // An admin is not a resident: no rating without verification.
    await expect(submitRating(db, { personId: 'admin', isAdmin: true, grants: [] }, { communityId: badeng.id, targetId: centreId, overall: 4 }, Q4, TZ)).rejects.toThrow('errors.not_verified');
  });

  it('refuses bad answers', async () => {
    const base = { communityId: badeng.id, targetId: centreId };
    for (const overall of [0, 6, 3.5, Number.NaN]) await expect(submitRating(db, resident2, { ...base, overall }, Q4, TZ)).rejects.toThrow('ratings.bad_score');
    await expect(submitRating(db, resident2, { ...base, overall: 4, dimensions: { smell: 3 } }, Q4, TZ)).rejects.toThrow('ratings.bad_dimension');
    await expect(submitRating(db, resident2, { ...base, overall: 4, dimensions: { attitude: 7 } }, Q4, TZ)).rejects.toThrow('ratings.bad_score');
    await expect(submitRating(db, resident2, { ...base, overall: 4, comment: '很'.repeat(MAX_COMMENT + 1) }, Q4, TZ)).rejects.toThrow('ratings.comment_too_long');
    await expect(submitRating(db, resident2, { ...base, targetId: 'nope', overall: 4 }, Q4, TZ)).rejects.toThrow('ratings.unknown_target');
    const ok = await submitRating(db, resident2, { ...base, overall: 4, comment: '   ' }, Q4, TZ);
    expect(ok.rating).toMatchObject({ comment: null, commentStatus: 'none' });
  });

  it('lets committee members manage targets, and nobody else', async () => {
    const by = { actor: committee, via: 'test' };
    await expect(addTarget(db, { actor: resident, via: 'test' }, badeng.id, 'municipal', '环卫所')).rejects.toThrow('errors.forbidden');
    await expect(addTarget(db, by, badeng.id, 'project', '手工项目')).rejects.toThrow('ratings.bad_kind');
    await expect(addTarget(db, by, badeng.id, 'municipal', ' ')).rejects.toThrow('ratings.target_name_short');
    await expect(addTarget(db, by, badeng.id, 'municipal', '环'.repeat(41))).rejects.toThrow('ratings.target_name_long');
    const t = await addTarget(db, by, badeng.id, 'municipal', '南园环卫所');
    await expect(addTarget(db, by, badeng.id, 'municipal', '南园环卫所')).rejects.toThrow('ratings.target_exists');
    expect((await renameTarget(db, by, badeng.id, t.id, '南园街道环卫所')).name).toBe('南园街道环卫所');
    await setTargetActive(db, by, badeng.id, t.id, false);
    await expect(submitRating(db, resident, { communityId: badeng.id, targetId: t.id, overall: 3 }, Q4, TZ)).rejects.toThrow('ratings.target_inactive');
    const audit = await db.auditEntry.findMany({ where: { targetId: t.id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['rating.target.add', 'rating.target.rename', 'rating.target.deactivate']);
  });

  it('rates into the campaign period while it runs and refuses after it closed', async () => {
    const by = { actor: committee, via: 'test' };
    const t = await addTarget(db, by, badeng.id, 'service_item', '长者饭堂');
    const start = new Date('2026-12-20T10:00:00+08:00');
    await expect(launchCampaign(db, { actor: resident, via: 'test' }, { communityId: badeng.id, targetId: t.id, days: 14 }, start, TZ)).rejects.toThrow('errors.forbidden');
    for (const days of [0, 91, 2.5]) await expect(launchCampaign(db, by, { communityId: badeng.id, targetId: t.id, days }, start, TZ)).rejects.toThrow('ratings.bad_days');
    const campaign = await launchCampaign(db, by, { communityId: badeng.id, targetId: t.id, days: 30 }, start, TZ);
    expect(campaign.period).toBe('2026Q4');
    await expect(launchCampaign(db, by, { communityId: badeng.id, targetId: t.id, days: 5 }, start, TZ)).rejects.toThrow('ratings.campaign_exists');
    // In January the campaign still collects for 2026Q4.
    const jan = new Date('2027-01-10T10:00:00+08:00');
    expect((await submitRating(db, resident, { communityId: badeng.id, targetId: t.id, overall: 4 }, jan, TZ)).period).toBe('2026Q4');
    expect(await markClosed(db, campaign.id, jan)).toBe(true);
    expect(await markClosed(db, campaign.id, jan)).toBe(false);
    // Closed campaign of the current period: refused. (Q4 rating attempt in December after closing.)
    await expect(submitRating(db, resident2, { communityId: badeng.id, targetId: t.id, overall: 4 }, new Date('2026-12-25T10:00:00+08:00'), TZ)).rejects.toThrow('ratings.campaign_closed');
    // The next quarter has no campaign: ratings go on.
    expect((await submitRating(db, resident2, { communityId: badeng.id, targetId: t.id, overall: 4 }, jan, TZ)).period).toBe('2027Q1');
  });

  it('lets only committee members of the community review comments, resetting a changed comment', async () => {
    const r = await submitRating(db, resident, { communityId: badeng.id, targetId: centreId, overall: 1, comment: '窗口排队太久' }, Q4, TZ);
    expect(r.rating.commentStatus).toBe('pending');
    const otherCommittee = await actorOf(401, other, 'committee');
    await expect(reviewComment(db, { actor: otherCommittee, via: 'test' }, r.rating.id, 'approved', Q4)).rejects.toThrow('errors.forbidden');
    await expect(reviewComment(db, { actor: resident, via: 'test' }, r.rating.id, 'approved', Q4)).rejects.toThrow('errors.forbidden');
    await expect(reviewComment(db, { actor: committee, via: 'test' }, 'missing', 'approved', Q4)).rejects.toThrow('ratings.unknown_comment');
    expect((await reviewComment(db, { actor: committee, via: 'test' }, r.rating.id, 'approved', Q4)).commentStatus).toBe('approved');
    // Same comment again keeps the approval; a new comment goes back to the queue.
    const same = await submitRating(db, resident, { communityId: badeng.id, targetId: centreId, overall: 2, comment: '窗口排队太久' }, Q4, TZ);
    expect(same.rating.commentStatus).toBe('approved');
    const changed = await submitRating(db, resident, { communityId: badeng.id, targetId: centreId, overall: 2, comment: '窗口排队还是太久' }, Q4, TZ);
    expect(changed.rating.commentStatus).toBe('pending');
  });
});
