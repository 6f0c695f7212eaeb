/**
 * A community runs a full round of 民生微实事 in chat (Telegram, fake Bot API): residents propose
 * and second three proposals, the committee shortlists two and rejects one with a public reason,
 * puts the two to an approval vote with /newpoll, residents vote, the poll closes on time and
 * the real `poll.closed` event decides the proposals, the committee reports progress and marks
 * the approved one completed, the real `proposal.completed` event creates its rating target, a
 * rating campaign runs and closes, and the proposal is evaluated. No event is emitted by hand.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Community } from '../../src/generated/prisma/client.ts';
import { startFakeBotApi, type FakeBotApi, type SentMessage } from '../support/fakeBotApi.ts';
import { buttonsOf, startTestBot, tempDir, testClock, textOf, type TestBot } from '../support/harness.ts';
import { bindTelegramGroup, grantRole, makeCommunity } from '../support/fixtures.ts';
import { reviewOpen } from '../../src/features/proposals/actions.ts';

const GROUP = { id: -100777, type: 'supergroup' as const, title: '巴登社区居民群' };
const committee = { id: 7001, first_name: '李主任', language_code: 'zh-CN' };
const residents = [7002, 7003, 7004, 7005].map((id) => ({ id, first_name: `居民${id}`, language_code: 'zh-CN' }));
const clock = testClock('2026-11-02T02:00:00Z');
const DAY = 86_400_000;
const TITLES = ['更换3栋楼道照明灯', '中心花园增设座椅', '北门垃圾站加装除臭设备'];

let fake: FakeBotApi;
let bot: TestBot;
let community: Community;

const last = (chatId: number) => bot.last(chatId);
const withButton = (chatId: number, label: string | RegExp): SentMessage => {
  const m = fake.messagesTo(chatId).filter((x) => buttonsOf(x).some((b) => (typeof label === 'string' ? b === label : label.test(b)))).at(-1);
  if (!m) throw new Error(`no button ${label} in ${chatId}: ${fake.messagesTo(chatId).map(textOf).slice(-2).join(' | ')}`);
  return m;
};
const press = (who: { id: number }, label: string | RegExp, chatId = who.id) => bot.press(who as never, withButton(chatId, label), label);
const groupSends = (pattern: RegExp) => fake.messagesTo(GROUP.id).filter((m) => m.kind === 'send' && pattern.test(textOf(m)));
const proposal = (number: number) => bot.db.proposal.findFirstOrThrow({ where: { communityId: community.id, number } });

beforeAll(async () => {
  fake = await startFakeBotApi();
  bot = await startTestBot({ fake, dbFile: join(tempDir(), 'linli.db'), clock });
  community = await makeCommunity(bot.db);
  await bot.db.community.update({ where: { id: community.id }, data: { secondsThreshold: 2 } });
  await bindTelegramGroup(bot.db, community, GROUP.id);
  await grantRole(bot.db, community, committee.id, 'committee');
  for (const r of residents) await grantRole(bot.db, community, r.id, 'verified');
});
afterAll(async () => {
  await bot.stop();
  await fake.close();
});

it('runs a full round of 民生微实事 in chat, each publication once and every committee move on record', async () => {
  // 1. Residents propose three projects (in the private scene) and neighbours second each.
  for (const [i, title] of TITLES.entries()) {
    const author = residents[i];
    await bot.say(author, '/propose');
    await bot.say(author, title);
    await press(author, '设施维修');
    await bot.say(author, `${title}：现状问题较多，居民反映强烈，希望尽快办理，惠及全体居民。`);
    await bot.say(author, '小区内');
    await press(author, '跳过');
    await press(author, '不添加照片');
    await press(author, '提交');
    expect(textOf(last(author.id))).toContain('提交成功');
  }
  await bot.flushOutbox();
  for (const [i] of TITLES.entries()) {
    const card = groupSends(new RegExp(`【民生微实事提议｜#${i + 1}】`));
    expect(card).toHaveLength(1);
    for (const r of residents.filter((_, j) => j !== i).slice(0, 2)) await bot.press(r, card[0], /我要附议/);
    expect((await proposal(i + 1)).status).toBe('under_review');
  }

  // 2. The committee shortlists #1 and #2 and rejects #3 with a public reason.
  for (const n of [1, 2]) {
    await bot.say(committee, '/review');
    await press(committee, new RegExp(`#${n} `));
    await press(committee, '列入候选');
  }
  await bot.say(committee, '/review');
  await press(committee, /#3 /);
  await press(committee, '不予采纳');
  await bot.say(committee, '已纳入街道环卫专项整治，由环卫所统一实施');
  await press(committee, '确认');
  expect([(await proposal(1)).status, (await proposal(2)).status, (await proposal(3)).status]).toEqual(['shortlisted', 'shortlisted', 'rejected']);

  // 3. An approval vote on the two shortlisted projects, created in chat.
  await bot.say(committee, '/newpoll');
  await bot.say(committee, '2026年第四季度民生微实事项目表决');
  await press(committee, '跳过');
  await press(committee, '候选民生微实事项目（2个）');
  await bot.say(committee, '1');
  await press(committee, '本社区已认证居民');
  await bot.say(committee, '现在');
  await press(committee, '3天');
  await press(committee, '跳过');
  await press(committee, '得票超过实际投票人数的半数');
  await press(committee, '不记名，截止前可改票');
  await press(committee, '截止后公布结果');
  await press(committee, '确认发布');
  expect(textOf(last(committee.id))).toContain('第1号投票已发布');
  expect([(await proposal(1)).status, (await proposal(2)).status]).toEqual(['voting', 'voting']);
  await bot.flushOutbox();
  const card = groupSends(/【议事投票｜第1号】/);
  expect(card).toHaveLength(1);
  expect(buttonsOf(card[0])).toEqual([`#1 ${TITLES[0]}`, `#2 ${TITLES[1]}`, '议一议']);

  // 4. Residents vote; the poll closes on time and the real poll.closed decides.
  for (const r of residents.slice(0, 3)) await bot.press(r, card[0], `#1 ${TITLES[0]}`);
  await bot.press(residents[3], card[0], `#2 ${TITLES[1]}`);
  clock.advance(3 * DAY + 60_000);
  await bot.linli.scheduler.run('polls-tick');
  await bot.flushOutbox();
  expect(groupSends(/【表决结果｜第1号】/)).toHaveLength(1);
  expect([(await proposal(1)).status, (await proposal(2)).status]).toEqual(['approved', 'not_approved']);

  // 5. Progress and completion of the approved project; proposal.completed makes its rating target.
  fake.pressButton({ from: committee, messageId: 1, data: reviewOpen.pack({ proposal: (await proposal(1)).id }), force: true });
  await bot.settle();
  await press(committee, '发布实施进度');
  await bot.say(committee, '50');
  await bot.say(committee, '灯具已采购，正在安装');
  await press(committee, '跳过');
  expect((await proposal(1)).status).toBe('in_progress');
  fake.pressButton({ from: committee, messageId: 1, data: reviewOpen.pack({ proposal: (await proposal(1)).id }), force: true });
  await bot.settle();
  await press(committee, '标记完成');
  await press(committee, '确认已完成');
  expect((await proposal(1)).status).toBe('completed');
  const target = await bot.db.ratingTarget.findFirstOrThrow({ where: { proposalId: (await proposal(1)).id } });

  // 6. A rating campaign for the project runs and closes: the proposal is evaluated.
  await bot.say(committee, '/ratingcampaign');
  await press(committee, new RegExp(TITLES[0]));
  await bot.say(committee, '7');
  await press(committee, '确认发起');
  await bot.flushOutbox();
  const campaign = await bot.db.ratingCampaign.findFirstOrThrow({ where: { targetId: target.id } });
  expect(campaign.status).toBe('open');
  clock.advance(8 * DAY);
  await bot.linli.scheduler.run('ratings-close-campaigns');
  await bot.flushOutbox();
  expect((await proposal(1)).status).toBe('evaluated');

  // The three publications (proposal, decision, result) reached the group once each, via the outbox.
  for (const n of [1, 2, 3]) expect(groupSends(new RegExp(`【民生微实事提议｜#${n}】`))).toHaveLength(1);
  expect(groupSends(/#1“更换3栋楼道照明灯”经居委会、居民议事会商议，列入候选项目/)).toHaveLength(1);
  expect(groupSends(/#2“中心花园增设座椅”经居委会、居民议事会商议，列入候选项目/)).toHaveLength(1);
  expect(groupSends(/#3“北门垃圾站加装除臭设备”.*暂不予采纳。\n理由：已纳入街道环卫专项整治/s)).toHaveLength(1);
  expect(groupSends(/#1“更换3栋楼道照明灯”经居民表决获得通过/)).toHaveLength(1);
  expect(groupSends(/#2“中心花园增设座椅”经居民表决未获通过/)).toHaveLength(1);
  expect(groupSends(/【民生微实事办理结果】#1/)).toHaveLength(1);
  const rows = await bot.db.outboxMessage.findMany({ where: { chatId: String(GROUP.id), kind: { not: 'edit' }, refType: 'proposal' } });
  // 3 proposals + 3 screening decisions + 2 vote decisions + 1 result.
  expect(rows).toHaveLength(9);
  expect(rows.every((r) => r.status === 'sent')).toBe(true);
  expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);

  // Every committee move is on record with the committee member as actor.
  const member = await bot.db.person.findFirstOrThrow({ where: { identities: { some: { platformUserId: String(committee.id) } } } });
  const audit = await bot.db.auditEntry.findMany({ where: { actorId: member.id } });
  const moves = audit.map((a) => a.action);
  for (const action of ['proposal.shortlisted', 'proposal.rejected', 'proposal.in_progress', 'proposal.completed', 'rating.campaign.launch']) expect(moves).toContain(action);
  expect(moves.filter((a) => a === 'proposal.shortlisted')).toHaveLength(2);
  expect(moves.some((a) => a.startsWith('poll.'))).toBe(true);
  // The system's moves (the vote, the evaluation) are on record too, without a person.
  const system = await bot.db.auditEntry.findMany({ where: { actorId: null, targetType: 'proposal' } });
  expect(system.map((a) => a.action)).toEqual(expect.arrayContaining(['proposal.voting', 'proposal.approved', 'proposal.not_approved', 'proposal.evaluated']));
});
