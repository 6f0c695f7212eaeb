/**
 * 网上议事厅 end to end: the real bot (telegraf) against the fake Bot API on a real SQLite file.
 * Residents discuss proposals from the group card before they vote on them; comments with and
 * without pre-moderation; a poll's deliberation period that refuses votes until a moved clock
 * opens it; reasons on a named poll's result and none on a secret one; closing statements.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliberationDigest } from '../../src/features/deliberation/digest.ts';
import { giveReason } from '../../src/domain/deliberation/reasons.ts';
import { postComment } from '../../src/domain/deliberation/comments.ts';
import { createPoll, type PollWithOptions } from '../../src/domain/polls/polls.ts';
import type { PollDraft } from '../../src/domain/polls/rules.ts';
import { shortlistProposal, startReview, submitProposal } from '../../src/domain/proposals/proposals.ts';
import { loadActor } from '../../src/domain/residents/people.ts';
import { FEATURES } from '../../src/features.ts';
import { cancelAndAnnounce, closeAndAnnounce, pollsTick, publishPoll } from '../../src/features/polls/lifecycle.ts';
import { deliberationTick } from '../../src/features/deliberation/periods.ts';
import { startPeriod } from '../../src/domain/deliberation/periods.ts';
import { publishProposal } from '../../src/features/proposals/publish.ts';
import type { Community, Proposal } from '../../src/generated/prisma/client.ts';
import { bindTelegramGroup, grantRole, makeCommunity, OPERATOR } from '../support/fixtures.ts';
import { startFakeBotApi, type FakeBotApi, type SentMessage } from '../support/fakeBotApi.ts';
import { buttonsOf, startTestBot, tempDir, testClock, textOf, type TestBot } from '../support/harness.ts';

const GROUP = -100777;
const committee = { id: 1, first_name: '居委会小张', language_code: 'zh-CN' };
const committee2 = { id: 2, first_name: '居委会老陈', language_code: 'zh-CN' };
const stranger = { id: 4, first_name: '路人', language_code: 'zh-CN' };
const residents = [11, 12, 13, 14].map((id) => ({ id, first_name: `居民${id}`, language_code: 'zh-CN' }));
const DAY = 86_400_000;

describe('网上议事厅 end to end', () => {
  let fake: FakeBotApi;
  let bot: TestBot;
  let community: Community;
  const clock = testClock(new Date('2026-12-01T02:00:00Z'));

  const toasts = () => fake.calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => String(c.params.text ?? ''));
  const groupSends = () => fake.messagesTo(GROUP).filter((m) => m.kind === 'send');
  const groupMessage = (needle: string): SentMessage => {
    const m = groupSends().filter((g) => textOf(g).includes(needle)).at(-1);
    if (!m) throw new Error(`no group message with ${needle}`);
    return m;
  };
  /** A group message as people see it now (after edits). */
  const seen = (m: SentMessage) => {
    const state = fake.messageState(GROUP, m.messageId) as { text?: string; caption?: string; reply_markup?: { inline_keyboard: { text: string }[][] } } | undefined;
    return { text: state?.text ?? state?.caption ?? '', buttons: state?.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [] };
  };
  const texts = (id: number) => fake.messagesTo(id).map(textOf);
  const sync = async () => {
    await bot.linli.services.polls.cards.flush();
    await bot.flushOutbox();
  };
  const actorOf = async (userId: number) => loadActor(bot.db, await bot.db.person.findFirstOrThrow({ where: { identities: { some: { platformUserId: String(userId) } } } }));
  const propose = async (title: string): Promise<Proposal> => {
    const actor = await actorOf(residents[0].id);
    const { proposal } = await submitProposal(bot.db, { actor, via: 'telegram', now: clock() }, community.id, '居民11', {
      title,
      category: 'environment',
      description: '小区东门一带夜间照明不足，老人晚上出行不便，希望增设路灯。',
      location: '东门',
      costYuan: null,
      photos: [],
    });
    await publishProposal(bot.linli.services, proposal);
    await bot.flushOutbox();
    return proposal;
  };
  const newPoll = async (over: Partial<PollDraft>): Promise<PollWithOptions> => {
    const poll = await createPoll(
      bot.db,
      { actor: OPERATOR, via: 'test' },
      community.id,
      { question: '是否同意在3栋门前加装休闲座椅？', options: 'standard', maxChoices: 1, electorate: 'residents', anonymous: true, allowChange: true, closesAt: new Date(clock().getTime() + 3 * DAY), quorum: { kind: 'none' }, rule: 'majority', liveResults: false, ...over },
      clock(),
    );
    await publishPoll(bot.linli.services, poll);
    await sync();
    return poll;
  };
  /** Writes a comment through the card's 议一议 button and the private page's 发表意见 button. */
  const comment = async (who: { id: number }, card: SentMessage, text: string) => {
    await bot.press(who, fake.messagesTo(GROUP).find((m) => m.messageId === card.messageId)!, /^议一议/);
    await bot.press(who, bot.last(who.id), '发表意见');
    await bot.say(who, text);
  };

  beforeAll(async () => {
    fake = await startFakeBotApi();
    bot = await startTestBot({ fake, dbFile: join(tempDir(), 'linli.db'), clock, features: FEATURES });
    community = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, community, GROUP);
    await grantRole(bot.db, community, committee.id, 'committee');
    await grantRole(bot.db, community, committee2.id, 'committee');
    for (const r of residents) await grantRole(bot.db, community, r.id, 'verified');
    await bot.say(stranger, '/start');
  });
  afterAll(async () => {
    await bot.close();
  });

  it('residents discuss a proposal from its group card; the count is edited onto the card, not posted', async () => {
    const proposal = await propose('东门增设路灯');
    const card = groupMessage('东门增设路灯');
    expect(textOf(card)).toContain('网上议事厅：欢迎点击“议一议”');
    expect(buttonsOf(card)).toContain('议一议');
    const before = groupSends().length;

    await bot.press(residents[1], card, '议一议');
    expect(toasts().at(-1)).toContain('私聊');
    const page = bot.last(residents[1].id);
    expect(textOf(page)).toContain('#1“东门增设路灯”');
    expect(textOf(page)).toContain('暂无公开意见');
    await bot.press(residents[1], page, '发表意见');
    expect(textOf(bot.last(residents[1].id))).toContain('1000字以内');
    await bot.say(residents[1], '支持！晚上从东门回家确实太黑了，建议路灯用节能灯。');
    expect(textOf(bot.last(residents[1].id))).toContain('意见已公开');
    await sync();

    expect(groupSends().length).toBe(before);
    expect(seen(card).text).toContain('已有1条意见');
    expect(seen(card).buttons).toContain('议一议（1）');
    const stored = await bot.db.comment.findFirstOrThrow({ where: { subjectId: proposal.id } });
    expect(stored).toMatchObject({ subjectKind: 'proposal', status: 'published', authorName: '居民12' });
  });

  it('keeps a 5,000-character draft, refuses empty and repeated comments, and an unverified person', async () => {
    const card = groupMessage('东门增设路灯');
    const long = '路灯'.repeat(2500);
    await comment(residents[2], card, long);
    const refusal = bot.last(residents[2].id);
    expect(textOf(refusal)).toContain('意见最长1000字，您写了5000字。草稿已为您保存');
    expect(await bot.db.sceneSession.count({ where: { scene: 'comment' } })).toBe(1);
    await bot.press(residents[2], refusal, '重新输入（草稿仍保留）');
    expect(JSON.parse((await bot.db.sceneSession.findFirstOrThrow({ where: { scene: 'comment' } })).state).draft).toBe(long);
    await bot.say(residents[2], '好');
    expect(texts(residents[2].id).at(-2)).toContain('至少写2个字');
    await bot.say(residents[2], long);
    await bot.press(residents[2], bot.last(residents[2].id), '只发表前1000字');
    expect(textOf(bot.last(residents[2].id))).toContain('意见已公开');
    const cut = await bot.db.comment.findFirstOrThrow({ where: { authorName: '居民13' } });
    expect([...cut.text]).toHaveLength(1000);

    // The same text again is a repeated submit: refused, the scene (and the text) kept.
    await comment(residents[1], card, '支持！晚上从东门回家确实太黑了，建议路灯用节能灯。');
    expect(textOf(bot.last(residents[1].id))).toContain('已经提交过了');
    expect(await bot.db.comment.count({ where: { authorName: '居民12' } })).toBe(1);
    await bot.say(residents[1], '/cancel');

    // Someone not verified reads, but is offered no write button and is refused the scene.
    await bot.press(stranger, card, /^议一议/);
    expect(buttonsOf(bot.last(stranger.id))).not.toContain('发表意见');
    const proposal = await bot.db.proposal.findFirstOrThrow({ where: { title: '东门增设路灯' } });
    await bot.say(stranger, `/start s-comment-p-${proposal.id}`);
    expect(textOf(bot.last(stranger.id))).toContain('认证');
    expect(await bot.db.comment.count({ where: { authorName: '路人' } })).toBe(0);
  });

  it('pages the discussion newest first', async () => {
    const proposal = await bot.db.proposal.findFirstOrThrow({ where: { title: '东门增设路灯' } });
    for (let i = 1; i <= 5; i++) {
      clock.advance(60_000);
      await postComment(bot.db, { actor: await actorOf(residents[3].id), via: 'test' }, { kind: 'proposal', id: proposal.id }, `第${i}条补充意见`, '居民14', clock());
    }
    await bot.say(residents[0], '议一议 提案 1');
    const first = bot.last(residents[0].id);
    expect(textOf(first)).toContain('第1—5条（共7条，最新在前）');
    expect(textOf(first).indexOf('第5条补充意见')).toBeLessThan(textOf(first).indexOf('第1条补充意见'));
    expect(textOf(first)).not.toContain('节能灯');
    await bot.press(residents[0], first, '更早的意见');
    const second = bot.last(residents[0].id);
    expect(textOf(second)).toContain('第6—7条（共7条');
    expect(textOf(second)).toContain('节能灯');
    expect(buttonsOf(second)).toContain('较新的意见');
  });

  it('holds comments for approval when the community pre-moderates, and tells the author either way', async () => {
    await bot.say(residents[0], '/moderate on');
    expect(textOf(bot.last(residents[0].id))).toContain('权限');
    await bot.say(committee, '/moderate on');
    expect(textOf(bot.last(committee.id))).toContain('已开启先审后发');

    const card = groupMessage('东门增设路灯');
    const countBefore = seen(card).text;
    await comment(residents[3], card, '希望路灯晚上十一点后调暗，避免照进一楼住户窗户。');
    expect(textOf(bot.last(residents[3].id))).toContain('经居委会审核后公开');
    await comment(residents[3], card, '这是一条广告：低价装修请联系');
    await sync();
    expect(seen(card).text).toBe(countBefore);

    await bot.say(committee, '/moderate');
    expect(texts(committee.id).some((t) => t.includes('待审核意见共2条'))).toBe(true);
    const items = fake.messagesTo(committee.id).slice(-2);
    expect(textOf(items[0])).toContain('调暗');
    await bot.press(committee, items[0], '通过');
    expect(textOf(bot.last(committee.id))).toContain('已通过');
    await bot.press(committee, items[1], '不予公开');
    await bot.say(committee, '与议题无关的商业广告');
    expect(textOf(bot.last(committee.id))).toContain('理由已告知发表人');
    // A second moderator's late tap on a decided comment.
    await bot.say(committee2, '/moderate');
    expect(textOf(bot.last(committee2.id))).toContain('暂无待审核的意见');
    await bot.press(committee2, items[1], '通过');
    expect(textOf(bot.last(committee2.id))).toContain('已由其他委员审核');
    await sync();

    const told = texts(residents[3].id);
    expect(told.some((t) => t.includes('已审核通过并公开'))).toBe(true);
    expect(told.some((t) => t.includes('未予公开。理由：与议题无关的商业广告'))).toBe(true);
    expect(seen(card).text).toContain('已有8条意见');
    await bot.say(residents[0], '议一议 提案 1');
    expect(textOf(bot.last(residents[0].id))).toContain('调暗');
    expect(textOf(bot.last(residents[0].id))).not.toContain('广告');

    await bot.say(committee, '/moderate off');
    expect(textOf(bot.last(committee.id))).toContain('已关闭先审后发');
  });

  it('then residents vote on the discussed proposals in a named poll; reasons and the statement go with the result', async () => {
    const other = await propose('西门增设路灯');
    const lamp = await bot.db.proposal.findFirstOrThrow({ where: { title: '东门增设路灯' } });
    const acting = { actor: await actorOf(committee.id), via: 'test', now: clock() };
    for (const p of [lamp, other]) {
      await startReview(bot.db, acting, p.id);
      await shortlistProposal(bot.db, acting, p.id);
    }
    const poll = await newPoll({ question: '路灯先装哪一处？', options: [{ label: '#1 东门增设路灯', proposalId: lamp.id }, { label: '#2 西门增设路灯', proposalId: other.id }], anonymous: false });
    const card = groupMessage('路灯先装哪一处');
    expect(buttonsOf(card)).toEqual(['#1 东门增设路灯', '#2 西门增设路灯', '议一议']);

    await bot.press(residents[1], card, '#1 东门增设路灯');
    const offer = bot.last(residents[1].id);
    expect(textOf(offer)).toContain('补充一句理由');
    await bot.press(residents[1], offer, '补充理由');
    await bot.say(residents[1], '东'.repeat(200));
    expect(texts(residents[1].id).at(-2)).toContain('最长140字');
    await bot.say(residents[1], '东门是老人去菜市场的必经之路');
    expect(textOf(bot.last(residents[1].id))).toContain('理由已记录');
    await bot.press(residents[2], card, '#2 西门增设路灯');

    await bot.say(committee, '/outcome 投票 1');
    await bot.say(committee, '两处路灯均列入明年计划，按得票先后施工。');
    await bot.press(committee, bot.last(committee.id), '确认发布');
    expect(textOf(bot.last(committee.id))).toContain('将随投票结果一并公布');
    await bot.say(committee, '/outcome 投票 1');
    expect(textOf(bot.last(committee.id))).toContain('已发布过议事结论');

    await closeAndAnnounce(bot.linli.services, poll.id, null);
    await sync();
    const result = textOf(groupMessage('路灯先装哪一处'));
    expect(result).toContain('投票理由（记名投票，共1条）');
    expect(result).toContain('居民12（#1 东门增设路灯）：东门是老人去菜市场的必经之路');
    expect(result).toContain('【居委会结论】两处路灯均列入明年计划');
    // A decided poll takes no more reasons, and its discussion no more comments.
    await expect(giveReason(bot.db, { actor: await actorOf(residents[2].id), via: 'test' }, poll.id, '补一句', '居民13', clock())).rejects.toMatchObject({ key: 'deliberation.reason_closed' });
  });

  it('never offers, takes or shows a reason in a secret poll', async () => {
    const poll = await newPoll({ question: '是否同意更换小区门禁系统？', anonymous: true });
    const card = groupMessage('更换小区门禁系统');
    const before = fake.messagesTo(residents[1].id).length;
    await bot.press(residents[1], card, '赞成');
    expect(fake.messagesTo(residents[1].id).length).toBe(before);
    await expect(giveReason(bot.db, { actor: await actorOf(residents[1].id), via: 'test' }, poll.id, '门禁太旧了', '居民12', clock())).rejects.toMatchObject({ key: 'deliberation.reason_secret' });
    // Even a row written behind the domain's back is never shown for a secret ballot.
    await bot.db.voteReason.create({ data: { pollId: poll.id, voterKey: 'p:x', voterName: '居民12', text: '门禁太旧了', createdAt: clock(), updatedAt: clock() } });
    await closeAndAnnounce(bot.linli.services, poll.id, null);
    await sync();
    const result = textOf(groupMessage('更换小区门禁系统'));
    expect(result).toContain('表决结果');
    expect(result).not.toContain('投票理由');
    expect(result).not.toContain('门禁太旧了');
  });

  it('a deliberation period takes comments and refuses votes until the clock reaches it, then the poll opens', async () => {
    await bot.say(committee, '/newpoll');
    await bot.say(committee, '是否同意将小区中心绿地改建为儿童游乐场？');
    await bot.press(committee, bot.last(committee.id), '跳过');
    await bot.press(committee, bot.last(committee.id), '赞成／反对／弃权');
    await bot.press(committee, bot.last(committee.id), '本社区已认证居民');
    expect(textOf(bot.last(committee.id))).toContain('议事3天');
    await bot.say(committee, '议事99天');
    expect(texts(committee.id).at(-2)).toContain('议事期为1至30天');
    await bot.say(committee, '议事3天');
    await bot.press(committee, bot.last(committee.id), '3天');
    await bot.press(committee, bot.last(committee.id), '跳过');
    await bot.press(committee, bot.last(committee.id), '得票超过实际投票人数的半数');
    await bot.press(committee, bot.last(committee.id), '不记名，截止前可改票');
    await bot.press(committee, bot.last(committee.id), '截止后公布结果');
    expect(textOf(bot.last(committee.id))).toContain('议事期：3天');
    await bot.press(committee, bot.last(committee.id), '确认发布');
    expect(textOf(bot.last(committee.id))).toContain('先议事3天');
    await sync();

    const notice = groupMessage('【议事期】');
    expect(textOf(notice)).toContain('儿童游乐场');
    expect(textOf(notice)).toContain('开始投票');
    expect(buttonsOf(notice)).toEqual(['议一议']);
    const poll = await bot.db.poll.findFirstOrThrow({ where: { question: { contains: '儿童游乐场' } } });
    expect(poll.status).toBe('scheduled');

    await comment(residents[1], notice, '赞成，但希望保留几棵大树遮阴。');
    expect(textOf(bot.last(residents[1].id))).toContain('意见已公开');
    await sync();
    expect(seen(notice).text).toContain('已有1条意见');

    await bot.say(residents[1], `/polls ${poll.number} 1`);
    expect(textOf(bot.last(residents[1].id))).toContain('尚未开始，将于');
    expect(await bot.db.pollParticipation.count({ where: { pollId: poll.id } })).toBe(0);

    clock.advance(3 * DAY + 60_000);
    await pollsTick(bot.linli.services, clock());
    await sync();
    expect((await bot.db.poll.findUniqueOrThrow({ where: { id: poll.id } })).status).toBe('open');
    expect(seen(notice).text).toContain('议事期已结束，投票已开始');
    const card = groupSends().filter((m) => textOf(m).includes('儿童游乐场') && !textOf(m).includes('【议事期】')).at(-1)!;
    expect(textOf(card)).toContain('已有1条意见');
    expect(buttonsOf(card)).toEqual(['赞成', '反对', '弃权', '议一议（1）']);
    await bot.press(residents[1], card, '赞成');
    expect(await bot.db.pollParticipation.count({ where: { pollId: poll.id } })).toBe(1);
  });

  it('posts a period notice the job finds unposted, and marks it ended when the poll is cancelled', async () => {
    const opensAt = new Date(clock().getTime() + 2 * DAY);
    const poll = await createPoll(
      bot.db,
      { actor: OPERATOR, via: 'test' },
      community.id,
      { question: '是否同意调整垃圾清运时间？', options: 'standard', maxChoices: 1, electorate: 'residents', anonymous: true, allowChange: true, opensAt, closesAt: new Date(opensAt.getTime() + DAY), quorum: { kind: 'none' }, rule: 'majority', liveResults: false },
      clock(),
    );
    await startPeriod(bot.db, { actor: OPERATOR, via: 'test' }, poll.id, clock());
    // As after a crash between saving the period and posting its notice: the job posts it, once.
    await deliberationTick(bot.linli.services);
    await deliberationTick(bot.linli.services);
    await sync();
    expect(groupSends().filter((m) => textOf(m).includes('调整垃圾清运时间'))).toHaveLength(1);
    const notice = groupMessage('调整垃圾清运时间');
    expect(buttonsOf(notice)).toEqual(['议一议']);
    await cancelAndAnnounce(bot.linli.services, { actor: OPERATOR, via: 'test' }, poll.id, '与物业协商后另行安排');
    await sync();
    expect(seen(notice).text).toContain('已结束或已取消');
    expect(seen(notice).buttons).toEqual([]);
  });

  it('publishes a proposal statement at once and lists the week in the digest', async () => {
    await bot.say(committee, '/outcome 提案 1');
    await bot.say(committee, '已纳入民生微实事项目库，待投票结果确定施工顺序。');
    await bot.press(committee, bot.last(committee.id), '确认发布');
    expect(textOf(bot.last(committee.id))).toContain('已发布到各居民群');
    await sync();
    expect(textOf(groupMessage('【议事结论】#1“'))).toContain('已纳入民生微实事项目库');

    const section = await deliberationDigest(bot.linli.services, { communityId: community.id, from: new Date(clock().getTime() - 7 * DAY), to: new Date(clock().getTime() + 1000), locale: 'zh-CN' });
    expect(section?.title).toBe('网上议事厅');
    expect(section?.lines.join('\n')).toContain('#1“东门增设路灯”：8条');
    expect(section?.lines.join('\n')).toContain('结论｜第1号投票“路灯先装哪一处？”');
  });
});
