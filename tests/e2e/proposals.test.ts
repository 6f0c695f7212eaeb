/**
 * 民生微实事 end to end through the fake Bot API: a resident proposes in private (with bad
 * answers on the way), the proposal is published in the group, residents second it to the
 * threshold, the committee reviews and shortlists, poll events decide it, progress is reported,
 * it is completed and evaluated — each publication reaching the group exactly once through the
 * outbox. Also: resuming a draft after a restart, a burst of seconds, permissions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { DomainEvents } from '../../src/core/events.ts';
import type { Community } from '../../src/generated/prisma/client.ts';
import { startFakeBotApi, type FakeBotApi, type SentMessage } from '../support/fakeBotApi.ts';
import { buttonsOf, startTestBot, tempDir, testClock, textOf, type TestBot } from '../support/harness.ts';
import { bindTelegramGroup, grantRole, makeCommunity } from '../support/fixtures.ts';
import { submitProposal } from '../../src/domain/proposals/proposals.ts';
import { loadActor } from '../../src/domain/residents/people.ts';
import { reviewCompleteYes, reviewOpen, viewProposal } from '../../src/features/proposals/actions.ts';

const GROUP = { id: -100123, type: 'supergroup' as const, title: '巴登社区居民群' };
const author = { id: 2001, first_name: '王阿姨', language_code: 'zh-CN' };
const residents = [2002, 2003, 2004].map((id) => ({ id, first_name: `居民${id}`, language_code: 'zh-CN' }));
const unverified = { id: 2005, first_name: '路人', language_code: 'zh-CN' };
const committee = { id: 2009, first_name: '李主任', language_code: 'zh-CN' };
const clock = testClock('2026-11-02T02:00:00Z');

let fake: FakeBotApi;
let bot: TestBot;
let community: Community;
const dbFile = join(tempDir(), 'linli.db');
const completed: DomainEvents['proposal.completed'][] = [];

/** The last toast (answerCallbackQuery text) the bot gave. */
function lastToast(): string {
  const calls = fake.calls.filter((c) => c.method === 'answerCallbackQuery' && c.params.text);
  return String(calls[calls.length - 1]?.params.text ?? '');
}

/** New messages (not edits) the group received whose text matches. */
function groupSends(pattern: RegExp): SentMessage[] {
  return fake.messagesTo(GROUP.id).filter((m) => m.kind === 'send' && pattern.test(textOf(m)));
}

/** The latest message sent to a chat with a button of that label. */
function withButton(chatId: number, label: string | RegExp): SentMessage {
  const list = fake.messagesTo(chatId).filter((m) => buttonsOf(m).some((b) => (typeof label === 'string' ? b === label : label.test(b))));
  if (!list.length) throw new Error(`no message with button ${label} in ${chatId}: ${fake.messagesTo(chatId).map(textOf).slice(-3).join(' | ')}`);
  return list[list.length - 1];
}

async function start(): Promise<TestBot> {
  const b = await startTestBot({ fake, dbFile, clock });
  b.linli.services.events.on('proposal.completed', async (e) => void completed.push(e));
  return b;
}

beforeAll(async () => {
  fake = await startFakeBotApi();
  bot = await start();
  community = await makeCommunity(bot.db);
  await bot.db.community.update({ where: { id: community.id }, data: { secondsThreshold: 3, proposalCostCapFen: 5_000_000 } });
  await bindTelegramGroup(bot.db, community, GROUP.id);
  await grantRole(bot.db, community, author.id, 'verified');
  for (const r of residents) await grantRole(bot.db, community, r.id, 'verified');
  await grantRole(bot.db, community, committee.id, 'committee');
});
afterAll(async () => {
  await bot.stop();
  await fake.close();
});

describe('a full round of 民生微实事', () => {
  let proposalId = '';

  it('starts /propose from the group in the private chat and answers bad input clearly', async () => {
    await bot.say(author, '/propose', GROUP);
    const inGroup = bot.last(GROUP.id);
    const url = (inGroup.replyMarkup as { inline_keyboard: { url?: string }[][] }).inline_keyboard[0][0].url!;
    expect(url).toBe('https://t.me/linli_test_bot?start=newproposal');
    await bot.say(author, '/start newproposal');
    expect(textOf(bot.last(author.id))).toContain('项目名称');

    await bot.say(author, '修'.repeat(31));
    expect(fake.messagesTo(author.id).slice(-2).map(textOf)[0]).toContain('请控制在30字以内');
    await bot.say(author, '更换3栋楼道照明灯');
    await bot.press(author, bot.last(author.id), '设施维修');
    await bot.say(author, '灯坏了');
    expect(fake.messagesTo(author.id).slice(-2).map(textOf)[0]).toContain('至少输入10个字');
    await bot.say(author, '3栋1单元楼道灯坏了两个月，老人晚上上下楼很不方便，希望更换为声控节能灯。');
    await bot.say(author, '3栋1单元楼道');
    await bot.say(author, '大概三千');
    expect(fake.messagesTo(author.id).slice(-2).map(textOf)[0]).toContain('未能识别为数字');
    await bot.say(author, '-5');
    expect(fake.messagesTo(author.id).slice(-2).map(textOf)[0]).toContain('大于0');
    await bot.say(author, '80000');
    expect(fake.messagesTo(author.id).slice(-2).map(textOf)[0]).toContain('上限');
    await bot.say(author, '3,000元');
    expect(textOf(bot.last(author.id))).toContain('照片');

    fake.sendDocument({ from: author, fileName: '预算.pdf', mimeType: 'application/pdf' });
    await bot.settle();
    expect(fake.messagesTo(author.id).slice(-2).map(textOf)[0]).toContain('暂不支持该文件格式');
    fake.sendPhoto({ from: author });
    await bot.settle();
    expect(textOf(bot.last(author.id))).toContain('已添加1张照片');
    await bot.press(author, bot.last(author.id), '完成');
    const preview = textOf(bot.last(author.id));
    expect(preview).toContain('更换3栋楼道照明灯');
    expect(preview).toContain('¥3,000');
    expect(preview).toContain('照片：1张');
    // Nothing reached the group before confirming.
    expect(groupSends(/民生微实事提议/)).toHaveLength(0);
    await bot.press(author, bot.last(author.id), '提交');
    expect(textOf(bot.last(author.id))).toContain('提交成功');
    const p = await bot.db.proposal.findFirstOrThrow({ include: { photos: true } });
    proposalId = p.id;
    expect(p.status).toBe('submitted');
    expect(p.costFen).toBe(300000);
    expect(p.photos).toHaveLength(1);
  });

  it('publishes the proposal in the group with a 附议 button, once', async () => {
    await bot.flushOutbox();
    const cards = groupSends(/【民生微实事提议｜#1】/);
    expect(cards).toHaveLength(1);
    expect(buttonsOf(cards[0])).toContain('我要附议（已0人）');
    expect(textOf(cards[0])).toContain('0/3');
    // The same title again within a day is refused.
    await bot.say(author, '/propose');
    await bot.say(author, '更换3栋楼道照明灯');
    expect(fake.messagesTo(author.id).slice(-2).map(textOf)[0]).toContain('24小时内已提交过同名提议（#1）');
    await bot.say(author, '/cancel');
  });

  it('takes seconds privately (toasts), refuses own, repeated and unverified, moves to review at the threshold', async () => {
    const card = groupSends(/【民生微实事提议｜#1】/)[0];
    const before = fake.messagesTo(GROUP.id).filter((m) => m.kind === 'send').length;
    await bot.press(author, card, /我要附议/);
    expect(lastToast()).toContain('本人提出');
    await bot.press(unverified, card, /我要附议/);
    expect(lastToast()).toContain('已认证居民');
    await bot.press(residents[0], card, /我要附议/);
    expect(lastToast()).toContain('已有1人附议');
    await bot.press(residents[0], card, /我要附议/);
    expect(lastToast()).toContain('只能附议一次');
    await bot.press(residents[1], card, /我要附议/);
    await bot.press(residents[2], card, /我要附议/);
    expect(lastToast()).toContain('转入居委会审议');
    // Seconding never posts in the group.
    expect(fake.messagesTo(GROUP.id).filter((m) => m.kind === 'send').length).toBe(before);
    expect((await bot.db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('under_review');
    await bot.flushOutbox();
    expect(fake.messagesTo(author.id).map(textOf).join('\n')).toContain('已获得3位居民附议');
    // The card was edited: no more 附议 button, review noted.
    const state = fake.messageState(GROUP.id, card.messageId)!;
    expect((state as { text?: string }).text).toContain('正在审议中');
  });

  it('lets only the committee review; shortlisting publishes the decision', async () => {
    await bot.say(residents[0], '/review');
    expect(textOf(bot.last(residents[0].id))).toContain('没有办理此事项的权限');
    await bot.say(committee, '/review');
    expect(textOf(bot.last(committee.id))).toContain('需要居委会办理的提议');
    await bot.press(committee, bot.last(committee.id), /#1 /);
    await bot.press(committee, withButton(committee.id, '列入候选'), '列入候选');
    expect(lastToast()).toContain('列入候选项目');
    // A forged committee button from a resident is refused by the domain.
    fake.pressButton({ from: residents[0], messageId: 1, data: reviewCompleteYes.pack({ proposal: proposalId }), force: true });
    await bot.settle();
    expect(lastToast()).toMatch(/权限|不能/);
    await bot.flushOutbox();
    expect(groupSends(/列入候选项目，将提请居民表决/)).toHaveLength(1);
  });

  it('follows the poll: voting, then approved (published once even if the event repeats)', async () => {
    const events = bot.linli.services.events;
    await events.emit('poll.created', { pollId: 'poll-1', communityId: community.id, proposalIds: [proposalId], actorId: null });
    expect((await bot.db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('voting');
    const closed = { pollId: 'poll-1', communityId: community.id, status: 'closed' as const, passed: true, approvedProposalIds: [proposalId], rejectedProposalIds: [] };
    await events.emit('poll.closed', closed);
    await events.emit('poll.closed', closed);
    await bot.flushOutbox();
    expect((await bot.db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('approved');
    expect(groupSends(/经居民表决获得通过/)).toHaveLength(1);
  });

  it('records budget, progress with a photo, completion (result published, event emitted) and evaluation', async () => {
    await bot.say(committee, '/start');
    fake.pressButton({ from: committee, messageId: 1, data: reviewOpen.pack({ proposal: proposalId }), force: true });
    await bot.settle();
    await bot.press(committee, withButton(committee.id, '核定预算和实施单位'), '核定预算和实施单位');
    await bot.say(committee, '0');
    expect(fake.messagesTo(committee.id).slice(-2).map(textOf)[0]).toContain('大于0');
    await bot.say(committee, '2800');
    await bot.say(committee, '深圳某某物业服务有限公司');
    expect(textOf(bot.last(committee.id))).toContain('¥2,800');

    await bot.press(committee, withButton(committee.id, '发布实施进度'), '发布实施进度');
    await bot.say(committee, '150');
    await bot.say(committee, '60');
    await bot.say(committee, '灯具已采购，正在安装');
    fake.sendPhoto({ from: committee });
    await bot.settle();
    expect(textOf(bot.last(committee.id))).toContain('60%');
    const p = await bot.db.proposal.findUniqueOrThrow({ where: { id: proposalId }, include: { progress: true } });
    expect(p.status).toBe('in_progress');
    expect(p.progress[0].photoRef).toBeTruthy();

    // The proposer's and the progress photo can be looked at: fetched from Telegram, sent privately.
    fake.pressButton({ from: author, messageId: 1, data: viewProposal.pack({ proposal: proposalId }), force: true });
    await bot.settle();
    const photosBefore = fake.messagesTo(author.id).filter((m) => m.method === 'sendPhoto').length;
    await bot.press(author, withButton(author.id, '查看照片（2张）'), '查看照片（2张）');
    const photos = fake.messagesTo(author.id).filter((m) => m.method === 'sendPhoto').slice(photosBefore);
    expect(photos.map(textOf)).toEqual(['#1 更换3栋楼道照明灯 现场照片', '#1 实施进度60%现场照片']);
    expect(photos.every((m) => (m.file?.bytes?.length ?? 0) > 0)).toBe(true);

    fake.pressButton({ from: committee, messageId: 1, data: reviewOpen.pack({ proposal: proposalId }), force: true });
    await bot.settle();
    await bot.press(committee, withButton(committee.id, '标记完成'), '标记完成');
    await bot.press(committee, bot.last(committee.id), '确认已完成');
    await bot.flushOutbox();
    expect(groupSends(/【民生微实事办理结果】#1/)).toHaveLength(1);
    expect(textOf(groupSends(/办理结果/)[0])).toContain('深圳某某物业服务有限公司');
    expect(completed).toEqual([{ proposalId, communityId: community.id, title: '更换3栋楼道照明灯' }]);

    const rating = { communityId: community.id, targetId: 'target-1', proposalId, answers: 35, satisfactionRate: 0.9 };
    await bot.linli.services.events.emit('rating.campaignClosed', rating);
    await bot.linli.services.events.emit('rating.campaignClosed', rating);
    expect((await bot.db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('evaluated');
  });

  it('shows every publication in the group exactly once, through the outbox', async () => {
    await bot.flushOutbox();
    const sends = fake.messagesTo(GROUP.id).filter((m) => m.kind === 'send').map(textOf);
    const publications = sends.filter((t) => t.startsWith('【民生微实事'));
    expect(publications).toHaveLength(4);
    const rows = await bot.db.outboxMessage.findMany({ where: { refId: proposalId, chatId: String(GROUP.id), kind: { not: 'edit' } } });
    expect(rows.map((r) => r.key.split(':').slice(2, 4).join(':')).sort()).toEqual(['decision:approved', 'decision:shortlisted', 'published:telegram', 'result:telegram'].sort());
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  });

  it('lists, filters and shows the proposal with its history; /myproposals', async () => {
    await bot.say(residents[0], '/proposals');
    expect(textOf(bot.last(residents[0].id))).toContain('#1 更换3栋楼道照明灯');
    await bot.press(residents[0], bot.last(residents[0].id), '按状态筛选');
    await bot.press(residents[0], bot.last(residents[0].id), '实施中');
    expect(textOf(bot.last(residents[0].id))).toContain('暂无符合条件');
    await bot.press(residents[0], bot.last(residents[0].id), '按状态筛选');
    await bot.press(residents[0], bot.last(residents[0].id), '已评议');
    await bot.press(residents[0], bot.last(residents[0].id), /#1 /);
    const page = textOf(bot.last(residents[0].id));
    for (const s of ['已评议', '附议：3人', '核定预算：¥2,800', '【实施进度】100%', '灯具已采购', '审议中', '表决通过', '满意率：90%']) expect(page).toContain(s);
    await bot.say(author, '/myproposals');
    expect(textOf(bot.last(author.id))).toContain('#1 更换3栋楼道照明灯｜已评议');
  });
});

describe('permissions and staff export', () => {
  it('refuses /propose to people who are not verified residents', async () => {
    await bot.say(unverified, '/propose');
    expect(textOf(bot.last(unverified.id))).toContain('/verify');
    await bot.say(unverified, '/propose', GROUP);
    expect(textOf(bot.last(GROUP.id))).toContain('仅限本社区已认证居民');
    await bot.say(committee, '/propose');
    expect(textOf(bot.last(committee.id))).toContain('仅限本社区已认证居民');
    expect(await bot.db.sceneSession.count({ where: { scene: 'propose' } })).toBe(0);
  });

  it('answers a proposal button pressed in the group in the private chat only', async () => {
    const p = await bot.db.proposal.findFirstOrThrow({ where: { number: 1 } });
    const before = fake.messagesTo(GROUP.id).length;
    fake.pressButton({ from: residents[1], chat: { id: GROUP.id }, messageId: 1, data: viewProposal.pack({ proposal: p.id }), force: true });
    await bot.settle();
    expect(lastToast()).toContain('私聊');
    expect(fake.messagesTo(GROUP.id).length).toBe(before);
    expect(textOf(bot.last(residents[1].id))).toContain('【办理记录】');
  });

  it('offers the proposals export in /export to the committee', async () => {
    await bot.say(committee, '/export');
    await bot.press(committee, bot.last(committee.id), '民生微实事提议');
    const files = fake.messagesTo(committee.id).filter((m) => m.method === 'sendDocument');
    expect(files.map((f) => f.file?.fileName)).toEqual(['民生微实事-巴登社区.csv', '民生微实事-巴登社区.xlsx']);
    expect(String(files[0].file?.bytes?.toString('utf8'))).toContain('更换3栋楼道照明灯');
  });
});

describe('rejecting and merging in chat', () => {
  it('rejects with a public reason (scene) and merges into a chosen proposal, each published once', async () => {
    const now = clock();
    const actor = await loadActor(bot.db, await bot.db.person.findFirstOrThrow({ where: { identities: { some: { platformUserId: String(residents[0].id) } } } }));
    const draft = { category: 'environment', description: '小区垃圾分类投放点异味严重，希望加装除臭设备并定期清洗。', location: '北门垃圾站', costYuan: null, photos: [] };
    const a = await submitProposal(bot.db, { actor, via: 'telegram', now }, community.id, '居民2002', { ...draft, title: '垃圾站加装除臭设备' });
    const b = await submitProposal(bot.db, { actor, via: 'telegram', now }, community.id, '居民2002', { ...draft, title: '垃圾站定期清洗消毒' });
    await submitProposal(bot.db, { actor, via: 'telegram', now }, community.id, '居民2002', { ...draft, title: '北门垃圾站环境整治' });

    fake.pressButton({ from: committee, messageId: 1, data: reviewOpen.pack({ proposal: a.proposal.id }), force: true });
    await bot.settle();
    await bot.press(committee, withButton(committee.id, '不予采纳'), '不予采纳');
    await bot.say(committee, '垃');
    expect(fake.messagesTo(committee.id).slice(-2).map(textOf)[0]).toContain('至少输入2个字');
    await bot.say(committee, '已纳入街道环卫专项整治，由环卫所统一实施');
    await bot.press(committee, bot.last(committee.id), '确认');
    expect(textOf(bot.last(committee.id))).toContain('不予采纳');

    fake.pressButton({ from: committee, messageId: 1, data: reviewOpen.pack({ proposal: b.proposal.id }), force: true });
    await bot.settle();
    await bot.press(committee, withButton(committee.id, '合并办理'), '合并办理');
    const choices = buttonsOf(bot.last(committee.id));
    expect(choices.some((c) => c.includes('垃圾站加装除臭设备'))).toBe(false);
    await bot.press(committee, bot.last(committee.id), /北门垃圾站环境整治/);
    expect(textOf(bot.last(committee.id))).toContain('已合并至');

    await bot.flushOutbox();
    expect(groupSends(/暂不予采纳。\n理由：已纳入街道环卫专项整治/)).toHaveLength(1);
    expect(groupSends(/垃圾站定期清洗消毒.*北门垃圾站环境整治.*已合并办理/)).toHaveLength(1);
    expect(fake.messagesTo(residents[0].id).map(textOf).join('\n')).toContain('有了新进展：不予采纳');
    const merged = await bot.db.proposal.findUniqueOrThrow({ where: { id: b.proposal.id } });
    expect(merged.status).toBe('merged');
    expect(merged.mergedIntoId).toBeTruthy();
  });
});

describe('drafts and bursts', () => {
  it('offers to resume a draft after a restart', async () => {
    const r = residents[1];
    await bot.say(r, '/propose');
    await bot.say(r, '小区东门加装雨棚');
    await bot.stop();
    bot = await start();
    await bot.say(r, '/propose');
    expect(textOf(bot.last(r.id))).toContain('尚未提交的提议草稿（小区东门加装雨棚）');
    await bot.press(r, bot.last(r.id), '继续填写');
    expect(textOf(bot.last(r.id))).toContain('请选择项目类别');
    await bot.press(r, bot.last(r.id), '环境整治');
    expect(textOf(bot.last(r.id))).toContain('描述项目内容');
    await bot.say(r, '/propose');
    await bot.press(r, bot.last(r.id), '重新开始');
    expect(textOf(bot.last(r.id))).toContain('请填写项目名称');
    await bot.say(r, '/cancel');
  });

  it('counts a burst of seconds from the group exactly', async () => {
    await bot.db.community.update({ where: { id: community.id }, data: { secondsThreshold: 100 } });
    const proposer = residents[2];
    await bot.say(proposer, '/propose');
    for (const answer of ['社区篮球场翻新', '2', '篮球场地面开裂，篮架生锈，存在安全隐患，希望整体翻新。', '中心球场', '跳过', '不添加照片']) {
      if (answer === '不添加照片') await bot.press(proposer, bot.last(proposer.id), answer);
      else await bot.say(proposer, answer);
    }
    expect(textOf(bot.last(proposer.id))).toContain('预估费用：待评估');
    // Changing one field from the preview comes back to the preview.
    await bot.press(proposer, bot.last(proposer.id), '修改');
    await bot.press(proposer, bot.last(proposer.id), '预估费用');
    await bot.say(proposer, '12000.5');
    expect(textOf(bot.last(proposer.id))).toContain('预估费用：¥12,000.50');
    await bot.press(proposer, bot.last(proposer.id), '提交');
    await bot.flushOutbox();
    const card = groupSends(/社区篮球场翻新/)[0];
    expect(textOf(card)).toContain('¥12,000.50');
    const people = Array.from({ length: 20 }, (_, i) => ({ id: 3000 + i, first_name: `邻居${i}`, language_code: 'zh-CN' }));
    for (const p of people) await grantRole(bot.db, community, p.id, 'verified');
    for (const p of people) {
      fake.pressButton({ from: p, chat: { id: GROUP.id }, messageId: card.messageId, buttonText: buttonsOf(card)[0] });
      fake.pressButton({ from: p, chat: { id: GROUP.id }, messageId: card.messageId, buttonText: buttonsOf(card)[0] });
    }
    await bot.settle();
    const p = await bot.db.proposal.findFirstOrThrow({ where: { title: '社区篮球场翻新' } });
    expect(await bot.db.proposalSecond.count({ where: { proposalId: p.id } })).toBe(20);
    await bot.flushOutbox();
    const state = fake.messageState(GROUP.id, card.messageId) as { text?: string };
    expect(state.text).toContain('20/100');
  });
});
