/**
 * The committee's follow-up, one step away: /review lists every proposal that needs a committee
 * move (to deliberate, to put to the vote, to follow through) with what it needs next; progress
 * is typed as people write it (50%, ５０％, 50); a committee member who wrote a proposal is
 * recused from deliberating it — not offered the moves, refused by the domain, the attempt
 * audited — while another member can; the digest's proposals section counts what it lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Community } from '../../src/generated/prisma/client.ts';
import { startFakeBotApi, type FakeBotApi } from '../support/fakeBotApi.ts';
import { buttonsOf, startTestBot, testClock, textOf, type TestBot } from '../support/harness.ts';
import { grantRole, makeCommunity } from '../support/fixtures.ts';
import { shortlistProposal, startReview, submitProposal, type Acting } from '../../src/domain/proposals/proposals.ts';
import { loadActor } from '../../src/domain/residents/people.ts';
import { reviewOpen, reviewShortlist, reviewStart } from '../../src/features/proposals/actions.ts';
import { proposalsDigest } from '../../src/features/proposals/digest.ts';

const chair = { id: 3101, first_name: '李主任', language_code: 'zh-CN' };
const member = { id: 3102, first_name: '陈委员', language_code: 'zh-CN' };
const resident = { id: 3103, first_name: '王阿姨', language_code: 'zh-CN' };
const clock = testClock('2026-11-02T02:00:00Z');
const draft = { category: 'environment', description: '小区垃圾分类投放点异味严重，希望加装除臭设备并定期清洗。', location: '北门垃圾站', costYuan: null, photos: [] };

describe('the committee follow-up', () => {
  let fake: FakeBotApi;
  let bot: TestBot;
  let community: Community;
  const ids: Record<string, string> = {};
  const actingAs = async (userId: number): Promise<Acting> => {
    const person = await bot.db.person.findFirstOrThrow({ where: { identities: { some: { platformUserId: String(userId) } } } });
    return { actor: await loadActor(bot.db, person), via: 'telegram', now: clock() };
  };
  /** The refusal the engine sent before asking again. */
  const lastTwo = (id: number) => fake.messagesTo(id).slice(-2).map(textOf).join('\n');
  const lastToast = () => String(fake.calls.filter((c) => c.method === 'answerCallbackQuery' && c.params.text).at(-1)?.params.text ?? '');
  const open = async (who: typeof chair, id: string) => {
    fake.pressButton({ from: who, messageId: 1, data: reviewOpen.pack({ proposal: id }), force: true });
    await bot.settle();
    return bot.last(who.id);
  };

  beforeAll(async () => {
    fake = await startFakeBotApi();
    bot = await startTestBot({ fake, clock });
    community = await makeCommunity(bot.db);
    await bot.db.community.update({ where: { id: community.id }, data: { secondsThreshold: 3 } });
    await grantRole(bot.db, community, chair.id, 'committee');
    await grantRole(bot.db, community, member.id, 'committee', '7栋-2单元-701');
    await grantRole(bot.db, community, member.id, 'verified', '7栋-2单元-701');
    await grantRole(bot.db, community, resident.id, 'verified');
    const res = await actingAs(resident.id);
    const mine = await actingAs(member.id);
    const submit = (a: Acting, title: string) => submitProposal(bot.db, a, community.id, '居民', { ...draft, title });
    ids.submitted = (await submit(res, '北门垃圾站加装除臭设备')).proposal.id;
    ids.shortlisted = (await submit(res, '中心花园增设座椅')).proposal.id;
    ids.approved = (await submit(res, '3栋楼道更换照明灯')).proposal.id;
    ids.own = (await submit(mine, '7栋门前修补路面')).proposal.id;
    const chairActs = await actingAs(chair.id);
    for (const id of [ids.shortlisted, ids.approved]) {
      await startReview(bot.db, chairActs, id);
      await shortlistProposal(bot.db, chairActs, id);
    }
    await bot.linli.services.events.emit('poll.created', { pollId: 'poll-1', communityId: community.id, proposalIds: [ids.approved], actorId: null });
    await bot.linli.services.events.emit('poll.closed', { pollId: 'poll-1', communityId: community.id, status: 'closed', passed: true, approvedProposalIds: [ids.approved], rejectedProposalIds: [] });
  });
  afterAll(async () => {
    await bot.stop();
    await fake.close();
  });

  it('lists in /review every proposal that needs a committee move, with what it needs next', async () => {
    await bot.say(chair, '/review');
    const text = textOf(bot.last(chair.id));
    expect(text).toContain('【需要居委会办理的提议】共4项');
    expect(text).toMatch(/中心花园增设座椅[^\n]*\n {2}待办：发起居民表决/);
    expect(text).toMatch(/3栋楼道更换照明灯[^\n]*\n {2}待办：核定预算和实施单位/);
    expect(text).toMatch(/北门垃圾站加装除臭设备[^\n]*\n {2}待办：受理审议/);
    // Deliberation first, then the vote, then the build.
    expect(text.indexOf('北门垃圾站')).toBeLessThan(text.indexOf('中心花园'));
    expect(text.indexOf('中心花园')).toBeLessThan(text.indexOf('3栋楼道'));
    expect(buttonsOf(bot.last(chair.id))).toHaveLength(4);
  });

  it('takes progress as people write it: 50%, ５０％ and 50; refuses 55.5 and 120 with the reason', async () => {
    const panel = await open(chair, ids.approved);
    await bot.press(chair, panel, '发布实施进度');
    expect(textOf(bot.last(chair.id))).toContain('如“50%”');
    await bot.say(chair, '120');
    expect(lastTwo(chair.id)).toContain('0至100之间的整数');
    await bot.say(chair, '55.5');
    expect(lastTwo(chair.id)).toContain('0至100之间的整数');
    await bot.say(chair, '50%');
    await bot.say(chair, '座椅已采购');
    await bot.say(chair, '跳过');
    expect(textOf(bot.last(chair.id))).toContain('50%');
    expect((await bot.db.proposal.findUniqueOrThrow({ where: { id: ids.approved } })).progressPercent).toBe(50);

    await bot.press(chair, await open(chair, ids.approved), '发布实施进度');
    await bot.say(chair, '６０％');
    await bot.say(chair, '已安装一半');
    await bot.say(chair, '跳过');
    await bot.press(chair, await open(chair, ids.approved), '发布实施进度');
    await bot.say(chair, '70');
    await bot.say(chair, '基本完工');
    await bot.say(chair, '跳过');
    const rows = await bot.db.proposalProgress.findMany({ where: { proposalId: ids.approved }, orderBy: { at: 'asc' } });
    expect(rows.map((r) => r.percent)).toEqual([50, 60, 70]);
    await bot.say(chair, '/review');
    expect(textOf(bot.last(chair.id))).toMatch(/3栋楼道更换照明灯[^\n]*\n {2}待办：跟进实施，当前进度70%/);
  });

  it('recuses a committee member from deliberating their own proposal: not offered, refused, audited', async () => {
    await bot.say(member, '/review');
    expect(textOf(bot.last(member.id))).toMatch(/7栋门前修补路面[^\n]*\n {2}本人提出的提议，按规定回避审议/);
    const panel = await open(member, ids.own);
    expect(textOf(panel)).toContain('按回避规定');
    for (const move of ['受理审议', '列入候选', '不予采纳', '合并办理']) expect(buttonsOf(panel)).not.toContain(move);

    // A forged button, and the domain called directly, are refused all the same.
    for (const codec of [reviewStart, reviewShortlist]) {
      fake.pressButton({ from: member, messageId: 1, data: codec.pack({ proposal: ids.own }), force: true });
      await bot.settle();
      expect(lastToast()).toContain('回避');
    }
    await expect(startReview(bot.db, await actingAs(member.id), ids.own)).rejects.toMatchObject({ key: 'proposals.recused' });
    expect((await bot.db.proposal.findUniqueOrThrow({ where: { id: ids.own } })).status).toBe('submitted');
    const me = (await actingAs(member.id)).actor.personId;
    const audited = await bot.db.auditEntry.findMany({ where: { action: 'proposal.recused', targetId: ids.own, actorId: me } });
    expect(audited.length).toBeGreaterThanOrEqual(3);

    // Another committee member deliberates it; the author may still review everyone else's.
    await bot.press(chair, await open(chair, ids.own), '受理审议');
    expect((await bot.db.proposal.findUniqueOrThrow({ where: { id: ids.own } })).status).toBe('under_review');
    await bot.press(member, await open(member, ids.submitted), '受理审议');
    expect((await bot.db.proposal.findUniqueOrThrow({ where: { id: ids.submitted } })).status).toBe('under_review');
  });

  it('counts in the digest exactly what the proposals section lists', async () => {
    const from = new Date('2026-10-26T16:00:00Z');
    const to = new Date('2026-11-09T16:00:00Z');
    const section = (await proposalsDigest(bot.linli.services, { communityId: community.id, from, to, locale: 'zh-CN' }))!;
    const listed = section.lines.filter((l) => !l.startsWith('……'));
    const summed = section.lines.filter((l) => l.startsWith('……')).map((l) => Number(/另有(\d+)项/.exec(l)![1]));
    expect(section.items).toBe(listed.length + summed.reduce((a, b) => a + b, 0));
    const moves = await bot.db.proposalEvent.count({ where: { at: { gte: from, lt: to }, fromStatus: { not: 'draft' } } });
    expect(section.items).toBe(4 + moves + (await bot.db.proposal.count({ where: { status: 'submitted' } })));
    expect(section.title).toBe('民生微实事');
    // No sub-headings or second bullets inside a section: every line says what it is.
    expect(section.lines.every((l) => !/^[·■【]/.test(l) && !l.endsWith('：'))).toBe(true);
    expect(listed.filter((l) => l.startsWith('新提议：'))).toHaveLength(4);
  });
});
