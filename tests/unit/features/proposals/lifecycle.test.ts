/**
 * The proposals domain on a real SQLite file: the transition table (every illegal move refused
 * with a reason), permissions, bad input, seconding rules, 100 concurrent seconds, and the
 * idempotent reactions to poll and rating events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../../../src/domain/errors.ts';
import type { Db } from '../../../../src/db/client.ts';
import { move } from '../../../../src/domain/proposals/lifecycle.ts';
import {
  completeProposal,
  mergeProposal,
  postProgress,
  rejectProposal,
  secondProposal,
  setBudget,
  shortlistProposal,
  startReview,
} from '../../../../src/domain/proposals/proposals.ts';
import { onPollClosed, onPollCreated, onRatingClosed } from '../../../../src/domain/proposals/reactions.ts';
import { findTransition, STATUSES, TRANSITIONS, type Mover, type ProposalStatus } from '../../../../src/domain/proposals/states.ts';
import type { Actor } from '../../../../src/domain/residents/roles.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { createTranslator } from '../../../../src/i18n/i18n.ts';
import { freshDatabase } from '../../../support/harness.ts';
import { makeCommunity } from '../../../support/fixtures.ts';
import { actorFor, submit } from './support.ts';

const NOW = new Date('2026-11-02T02:00:00Z');
const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });

/** Runs `fn` and returns the DomainError key (and text) it threw. */
async function refusal(fn: () => Promise<unknown>): Promise<{ key: string; zh: string; en: string }> {
  try {
    await fn();
  } catch (err) {
    if (!isDomainError(err)) throw err;
    return { key: err.key, zh: i18n.t('zh-CN', err.key, err.params), en: i18n.t('en', err.key, err.params) };
  }
  throw new Error('expected a refusal');
}

let db: Db;
let community: Community;
let author: Actor;
let committee: Actor;
let resident: Actor;
let stranger: Actor;
const acting = (actor: Actor, now = NOW) => ({ actor, via: 'telegram', now });

beforeAll(async () => {
  ({ db } = await freshDatabase());
  community = await makeCommunity(db);
  await db.community.update({ where: { id: community.id }, data: { secondsThreshold: 3, proposalCostCapFen: 10_000_00 } });
  community = await db.community.findUniqueOrThrow({ where: { id: community.id } });
  author = await actorFor(db, community, 101, 'verified');
  committee = await actorFor(db, community, 102, 'committee');
  resident = await actorFor(db, community, 103, 'verified');
  stranger = await actorFor(db, community, 104);
});
afterAll(async () => {
  await db.$disconnect();
});

/** A proposal put directly into a status (fixture for the transition table). */
async function proposalIn(status: ProposalStatus, n: number) {
  const { proposal } = await submit(db, author, community, new Date(NOW.getTime() + n * 1000), { title: `测试提议第${n}号` });
  return db.proposal.update({ where: { id: proposal.id }, data: { status } });
}

describe('the transition table', () => {
  const allowed = new Set(TRANSITIONS.map((x) => `${x.from}>${x.to}`));
  const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const)).filter(([f, t]) => !allowed.has(`${f}>${t}`));

  it.each(pairs)('refuses %s → %s with a reason naming both statuses', (from, to) => {
    let key = '';
    let text = '';
    try {
      findTransition(from, to, 'proposal.review', 'some reason');
    } catch (err) {
      if (!isDomainError(err)) throw err;
      key = err.key;
      text = i18n.t('zh-CN', err.key, err.params);
    }
    expect(key).toBe('proposals.illegal_move');
    expect(text).toContain(i18n.t('zh-CN', `proposals.status.${from}`));
    expect(text).toContain(i18n.t('zh-CN', `proposals.status.${to}`));
    expect(text).not.toContain('$t(');
  });

  it('refuses a person making a move that only the system makes', () => {
    expect(() => findTransition('voting', 'approved', 'proposal.review')).toThrowError('proposals.illegal_move_system');
    expect(() => findTransition('submitted', 'under_review', 'system:seconds')).not.toThrow();
  });

  it('requires a reason for every rejection', () => {
    for (const row of TRANSITIONS.filter((x) => x.to === 'rejected')) {
      expect(row.reasonRequired).toBe(true);
      expect(() => findTransition(row.from, 'rejected', row.by as Mover, '  ')).toThrowError('proposals.reason_required');
    }
  });

  it('refuses committee moves on a real proposal in the wrong status, leaving it unchanged', async () => {
    const cases: [ProposalStatus, (id: string) => Promise<unknown>][] = [
      ['draft', (id) => shortlistProposal(db, acting(committee), id)],
      ['rejected', (id) => shortlistProposal(db, acting(committee), id)],
      ['voting', (id) => rejectProposal(db, acting(committee), id, '不符合要求')],
      ['approved', (id) => completeProposal(db, acting(committee), id)],
      ['completed', (id) => startReview(db, acting(committee), id)],
      ['merged', (id) => shortlistProposal(db, acting(committee), id)],
      ['evaluated', (id) => completeProposal(db, acting(committee), id)],
      ['shortlisted', (id) => postProgress(db, acting(committee), id, { percent: 10, note: '开始施工' })],
    ];
    let n = 100;
    for (const [status, act] of cases) {
      const p = await proposalIn(status, n++);
      const r = await refusal(() => act(p.id));
      expect(r.key, status).toMatch(/illegal_move|progress_wrong_status/);
      expect((await db.proposal.findUniqueOrThrow({ where: { id: p.id } })).status).toBe(status);
    }
    expect(await db.proposalEvent.count({ where: { proposal: { number: { gte: 100 } }, toStatus: { not: 'submitted' } } })).toBe(0);
  });

  it('refuses committee moves to residents without the role', async () => {
    const p = await proposalIn('under_review', 200);
    expect((await refusal(() => shortlistProposal(db, acting(resident), p.id))).key).toBe('errors.forbidden');
    expect((await refusal(() => rejectProposal(db, acting(stranger), p.id, '理由充分'))).key).toBe('errors.forbidden');
    const approved = await proposalIn('approved', 201);
    expect((await refusal(() => setBudget(db, acting(resident), approved.id, 3000, '某物业公司'))).key).toBe('errors.forbidden');
  });

  it('detects a move made meanwhile (status changed under the caller)', async () => {
    const p = await proposalIn('under_review', 202);
    await db.proposal.update({ where: { id: p.id }, data: { status: 'shortlisted' } });
    const r = await refusal(() => db.$transaction((tx) => move(tx, p, 'rejected', { kind: 'person', actor: committee, via: 'telegram' }, { now: NOW, reason: '重复' })));
    expect(r.key).toBe('proposals.moved_meanwhile');
  });
});

describe('submitting', () => {
  it('numbers proposals, records draft → submitted with an audit entry', async () => {
    const { proposal } = await submit(db, author, community, NOW, { title: '中心花园增设休闲座椅' });
    expect(proposal.status).toBe('submitted');
    expect(proposal.costFen).toBe(300000);
    const events = await db.proposalEvent.findMany({ where: { proposalId: proposal.id } });
    expect(events.map((e) => [e.fromStatus, e.toStatus, e.actorId])).toEqual([['draft', 'submitted', author.personId]]);
    expect(await db.auditEntry.count({ where: { targetId: proposal.id, action: 'proposal.submitted' } })).toBe(1);
  });

  it('refuses bad input with clear reasons', async () => {
    const t0 = new Date(NOW.getTime() + 3600_000);
    const cases: [Parameters<typeof submit>[4], string][] = [
      [{ title: '' }, 'proposals.field_empty'],
      [{ title: '   ' }, 'proposals.field_empty'],
      [{ title: '修'.repeat(31) }, 'proposals.field_too_long'],
      [{ description: '太短' }, 'proposals.field_too_short'],
      [{ description: '长'.repeat(1001) }, 'proposals.field_too_long'],
      [{ costYuan: 0 }, 'proposals.cost_not_positive'],
      [{ costYuan: -50 }, 'proposals.cost_not_positive'],
      [{ costYuan: Number.NaN }, 'proposals.cost_not_positive'],
      [{ costYuan: 10_000_000 }, 'proposals.cost_over_cap'],
      [{ category: 'weapons' }, 'proposals.unknown_category'],
      [{ photos: Array.from({ length: 4 }, (_, i) => ({ platform: 'telegram', fileRef: `f${i}`, kind: 'photo' as const })) }, 'proposals.too_many_photos'],
    ];
    for (const [over, key] of cases) {
      const r = await refusal(() => submit(db, author, community, t0, { title: '修缮儿童游乐设施', ...over }));
      expect(r.key, JSON.stringify(over)).toBe(key);
      expect(r.zh).not.toMatch(/\{\{|\$t\(/);
    }
    expect((await refusal(() => submit(db, stranger, community, t0))).key).toBe('errors.not_verified');
    expect((await refusal(() => submit(db, committee, community, t0))).key).toBe('errors.not_verified');
  });

  it('refuses the same title from the same person within a day, not after', async () => {
    const t0 = new Date('2026-11-05T01:00:00Z');
    const first = await submit(db, author, community, t0, { title: '小区东门加装雨棚' });
    const again = await refusal(() => submit(db, author, community, new Date(t0.getTime() + 3600_000), { title: ' 小区东门加装雨棚！' }));
    expect(again.key).toBe('proposals.duplicate_title');
    expect(again.zh).toContain(`#${first.proposal.number}`);
    // Another resident may propose the same thing; the same person may again the next day.
    await expect(submit(db, resident, community, new Date(t0.getTime() + 3600_000), { title: '小区东门加装雨棚' })).resolves.toBeTruthy();
    await expect(submit(db, author, community, new Date(t0.getTime() + 25 * 3600_000), { title: '小区东门加装雨棚' })).resolves.toBeTruthy();
  });
});

describe('seconding', () => {
  it('counts verified residents once, refuses own, repeated, unverified and closed', async () => {
    const { proposal } = await submit(db, author, community, NOW, { title: '楼顶防水层维修' });
    expect((await refusal(() => secondProposal(db, acting(author), proposal.id))).key).toBe('proposals.second_own');
    expect((await refusal(() => secondProposal(db, acting(stranger), proposal.id))).key).toBe('errors.not_verified');
    const first = await secondProposal(db, acting(resident), proposal.id);
    expect(first.seconds).toBe(1);
    expect(first.review).toBeNull();
    expect((await refusal(() => secondProposal(db, acting(resident), proposal.id))).key).toBe('proposals.already_seconded');
    expect(await db.proposalSecond.count({ where: { proposalId: proposal.id } })).toBe(1);
    const rejected = await proposalIn('rejected', 300);
    const closed = await refusal(() => secondProposal(db, acting(resident), rejected.id));
    expect(closed.key).toBe('proposals.second_closed');
    expect(closed.zh).toContain('不予采纳');
  });

  it('moves to review by itself at the threshold, exactly once', async () => {
    const { proposal } = await submit(db, author, community, NOW, { title: '单元门禁系统维修' });
    const others = await Promise.all([201, 202, 203, 204].map((id) => actorFor(db, community, id, 'verified')));
    const results = [];
    for (const a of others) results.push(await secondProposal(db, acting(a), proposal.id));
    expect(results.map((r) => Boolean(r.review))).toEqual([false, false, true, false]);
    const p = await db.proposal.findUniqueOrThrow({ where: { id: proposal.id } });
    expect(p.status).toBe('under_review');
    const ev = await db.proposalEvent.findMany({ where: { proposalId: p.id, toStatus: 'under_review' } });
    expect(ev).toHaveLength(1);
    expect(ev[0].actorId).toBeNull();
  });

  it('counts 100 residents seconding at once exactly 100 times', async () => {
    await db.community.update({ where: { id: community.id }, data: { secondsThreshold: 1000 } });
    const { proposal } = await submit(db, author, community, NOW, { title: '社区篮球场翻新' });
    const actors = [];
    for (let i = 0; i < 100; i++) actors.push(await actorFor(db, community, 10_000 + i, 'verified'));
    // Each presses twice at the same moment: the second press of each must be refused.
    const all = await Promise.allSettled([...actors, ...actors].map((a) => secondProposal(db, acting(a), proposal.id)));
    const ok = all.filter((r) => r.status === 'fulfilled');
    const refused = all.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(ok).toHaveLength(100);
    expect(refused.every((e) => isDomainError(e) && e.key === 'proposals.already_seconded')).toBe(true);
    expect(await db.proposalSecond.count({ where: { proposalId: proposal.id } })).toBe(100);
    await db.community.update({ where: { id: community.id }, data: { secondsThreshold: 3 } });
  });
});

describe('committee work and events', () => {
  it('runs shortlist → vote → approved → progress → completed → evaluated, idempotently', async () => {
    const { proposal } = await submit(db, author, community, NOW, { title: '增设电动车充电桩' });
    await startReview(db, acting(committee), proposal.id);
    expect((await refusal(() => rejectProposal(db, acting(committee), proposal.id, ''))).key).toBe('proposals.reason_required');
    await shortlistProposal(db, acting(committee), proposal.id);
    const created = { pollId: 'poll-1', communityId: community.id, proposalIds: [proposal.id, 'missing'], actorId: committee.personId };
    expect((await onPollCreated(db, created, NOW)).moved).toHaveLength(1);
    expect((await onPollCreated(db, created, NOW)).moved).toHaveLength(0);
    // A poll of another community or another poll id moves nothing.
    expect((await onPollClosed(db, { pollId: 'poll-2', communityId: community.id, status: 'closed', passed: true, approvedProposalIds: [proposal.id], rejectedProposalIds: [] }, NOW)).moved).toHaveLength(0);
    const closed = { pollId: 'poll-1', communityId: community.id, status: 'closed' as const, passed: true, approvedProposalIds: [proposal.id], rejectedProposalIds: [] };
    expect((await onPollClosed(db, closed, NOW)).moved.map((m) => m.to)).toEqual(['approved']);
    expect((await onPollClosed(db, closed, NOW)).moved).toHaveLength(0);
    expect((await refusal(() => setBudget(db, acting(committee), proposal.id, 20_000_000, '某公司'))).key).toBe('proposals.budget_over_cap');
    expect((await refusal(() => setBudget(db, acting(committee), proposal.id, 100, ' '))).key).toBe('proposals.field_empty');
    await setBudget(db, acting(committee), proposal.id, 2800.5, '深圳某某物业服务有限公司');
    const r1 = await postProgress(db, acting(committee), proposal.id, { percent: 40, note: '已完成线路铺设', photo: { platform: 'telegram', fileRef: 'abc' } });
    expect(r1.started?.to).toBe('in_progress');
    expect((await refusal(() => postProgress(db, acting(committee), proposal.id, { percent: 30, note: '倒退了' }))).key).toBe('proposals.progress_backwards');
    expect((await refusal(() => postProgress(db, acting(committee), proposal.id, { percent: 101, note: '超了' }))).key).toBe('proposals.bad_percent');
    await completeProposal(db, acting(committee), proposal.id);
    const rating = { communityId: community.id, targetId: 't1', proposalId: proposal.id, answers: 40, satisfactionRate: 0.85 };
    expect((await onRatingClosed(db, rating, NOW)).moved).toHaveLength(1);
    expect((await onRatingClosed(db, rating, NOW)).moved).toHaveLength(0);
    const p = await db.proposal.findUniqueOrThrow({ where: { id: proposal.id }, include: { events: { orderBy: { at: 'asc' } }, progress: true } });
    expect(p.status).toBe('evaluated');
    expect(p.approvedBudgetFen).toBe(280050);
    expect(p.satisfactionRate).toBe(0.85);
    expect(p.events.map((e) => e.toStatus)).toEqual(['submitted', 'under_review', 'shortlisted', 'voting', 'approved', 'in_progress', 'completed', 'evaluated']);
    const audit = await db.auditEntry.findMany({ where: { targetId: proposal.id } });
    expect(audit.map((a) => a.action).sort()).toEqual(
      ['proposal.approved', 'proposal.budget', 'proposal.completed', 'proposal.evaluated', 'proposal.in_progress', 'proposal.progress', 'proposal.shortlisted', 'proposal.submitted', 'proposal.under_review', 'proposal.voting'].sort(),
    );
  });

  it('hands a cancelled poll’s proposals back to the shortlist, and rejects the not approved', async () => {
    const a = await proposalIn('shortlisted', 400);
    const b = await proposalIn('shortlisted', 401);
    await onPollCreated(db, { pollId: 'poll-9', communityId: community.id, proposalIds: [a.id, b.id], actorId: null }, NOW);
    await onPollClosed(db, { pollId: 'poll-9', communityId: community.id, status: 'cancelled', passed: false, approvedProposalIds: [], rejectedProposalIds: [] }, NOW);
    expect((await db.proposal.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('shortlisted');
    expect((await db.proposal.findUniqueOrThrow({ where: { id: a.id } })).pollId).toBeNull();
    await onPollCreated(db, { pollId: 'poll-10', communityId: community.id, proposalIds: [a.id, b.id], actorId: null }, NOW);
    await onPollClosed(db, { pollId: 'poll-10', communityId: community.id, status: 'closed', passed: true, approvedProposalIds: [a.id], rejectedProposalIds: [b.id] }, NOW);
    expect((await db.proposal.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('approved');
    expect((await db.proposal.findUniqueOrThrow({ where: { id: b.id } })).status).toBe('not_approved');
  });

  it('merges into an alive proposal of the same community only', async () => {
    const original = await proposalIn('under_review', 500);
    const dup = await proposalIn('submitted', 501);
    const dead = await proposalIn('rejected', 502);
    expect((await refusal(() => mergeProposal(db, acting(committee), dup.id, dup.id))).key).toBe('proposals.merge_self');
    expect((await refusal(() => mergeProposal(db, acting(committee), dup.id, dead.id))).key).toBe('proposals.merge_target_closed');
    const r = await mergeProposal(db, acting(committee), dup.id, original.id);
    expect(r.proposal.status).toBe('merged');
    expect(r.proposal.mergedIntoId).toBe(original.id);
    expect((await refusal(() => secondProposal(db, acting(resident), dup.id))).key).toBe('proposals.second_closed');
  });
});
