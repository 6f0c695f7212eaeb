/**
 * The polls buttons as typed codecs (src/features/polls/actions.ts) and their declared guards:
 * the data fits Telegram's 64 bytes or the button is never made, each action has a prefix of its
 * own (no op letters, no "pv" that meant a poll here and a proposal in deep links), and through
 * the real bot: the card shown privately from /polls, closing early by button (committee only,
 * in the private chat), the reminders opt-out, and old or forged data answered without effect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinli } from '../../../../src/app/createLinli.ts';
import { createPoll, type PollWithOptions } from '../../../../src/domain/polls/polls.ts';
import { closePollAction, confirmClosePollAction, remindersAction, showPollAction, voteAction } from '../../../../src/features/polls/actions.ts';
import { publishPoll } from '../../../../src/features/polls/lifecycle.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { createLogger } from '../../../../src/log.ts';
import { bindTelegramGroup, grantRole, makeCommunity, OPERATOR } from '../../../support/fixtures.ts';
import { buttonsOf, freshDatabase, startTestBot, testClock, textOf, type TestBot } from '../../../support/harness.ts';

const GROUP = -100888;
const committee = { id: 8001, first_name: '居委会小陈', language_code: 'zh-CN' };
const resident = { id: 8002, first_name: '居民小林', language_code: 'zh-CN' };

describe('polls button data', () => {
  const shortId = 'abcdefgh23';

  it('round-trips each action and keeps the vote button as posted on existing cards', () => {
    expect(voteAction.pack({ poll: shortId, option: 3 })).toBe(`v:${shortId}:3`);
    expect(voteAction.parse(`v:${shortId}:3`)).toEqual({ poll: shortId, option: 3 });
    expect(remindersAction.pack({ to: 'off' })).toBe('po:off');
    for (const codec of [showPollAction, closePollAction, confirmClosePollAction]) {
      const data = codec.pack({ poll: shortId });
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(codec.parse(data)).toEqual({ poll: shortId });
    }
    for (const forged of ['v', 'v:', `v:${shortId}`, `v:${shortId}:1:x`, 'v:../../etc:1', `v:${shortId}:一`, 'po:maybe', `pv:${shortId}`, `pm:c:${shortId}`]) {
      for (const codec of [voteAction, showPollAction, closePollAction, confirmClosePollAction, remindersAction]) expect(codec.parse(forged)).toBeNull();
    }
  });

  it('refuses to make a button whose data would not fit Telegram', () => {
    expect(() => showPollAction.pack({ poll: 'x'.repeat(60) })).toThrow(/64 bytes/);
  });

  it('registers one prefix per action, none of them the old pv or pm', async () => {
    const { db } = await freshDatabase();
    const linli = await createLinli({ env: {}, db, log: createLogger('silent'), telegram: false, wechat: false, schedule: false });
    const prefixes = [...linli.registry.actions.keys()];
    for (const p of ['v', 'poll', 'poll-close', 'poll-close-yes', 'po']) expect(prefixes).toContain(p);
    expect(prefixes).not.toContain('pv');
    expect(prefixes).not.toContain('pm');
    await db.$disconnect();
  });
});

describe('polls buttons in chat', () => {
  let bot: TestBot;
  let community: Community;
  let poll: PollWithOptions;
  const clock = testClock(new Date());
  const lastToast = () => String(bot.fake.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)?.params.text ?? '');
  const press = async (from: typeof resident, data: string, chat?: number) => {
    bot.fake.pressButton({ from, chat: chat ? { id: chat } : undefined, messageId: bot.last(chat ?? from.id).messageId, data, force: true });
    await bot.settle();
  };

  beforeAll(async () => {
    bot = await startTestBot({ clock });
    community = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, community, GROUP);
    await grantRole(bot.db, community, committee.id, 'committee');
    await grantRole(bot.db, community, resident.id, 'verified');
    poll = await createPoll(
      bot.db,
      { actor: OPERATOR, via: 'test' },
      community.id,
      { question: '是否同意在中心花园增设健身器材？', options: 'standard', maxChoices: 1, electorate: 'residents', anonymous: true, allowChange: true, closesAt: new Date(clock().getTime() + 86_400_000), quorum: { kind: 'none' }, rule: 'majority', liveResults: false },
      clock(),
    );
    await publishPoll(bot.linli.services, poll);
    await bot.flushOutbox();
  });
  afterAll(async () => bot?.close());

  it('shows the card privately from /polls, and its buttons vote', async () => {
    await bot.say(resident, '/polls');
    expect(buttonsOf(bot.last(resident.id))).toEqual(['第1号 去投票']);
    await bot.press(resident, bot.last(resident.id), '第1号 去投票');
    const card = bot.last(resident.id);
    expect(textOf(card)).toContain('增设健身器材');
    expect(buttonsOf(card)).toEqual(['赞成', '反对', '弃权', '议一议']);
    await bot.press(resident, card, '反对');
    expect(lastToast()).toContain('已投票：反对');
  });

  it('answers old "pv:" data and forged vote data without effect', async () => {
    const before = await bot.db.pollParticipation.count();
    await press(resident, `pv:${poll.shortId}`);
    expect(lastToast()).toContain('无效或已失效');
    await press(resident, `v:${poll.shortId}:x`);
    expect(lastToast()).toContain('无效或已失效');
    await press(resident, 'v:zzzzzzzzzz:1');
    expect(lastToast()).toContain('投票按钮无效');
    expect(await bot.db.pollParticipation.count()).toBe(before);
  });

  it('lets only the committee close early by button, and only in the private chat', async () => {
    await press(resident, closePollAction.pack({ poll: poll.shortId }));
    expect(lastToast()).toContain('没有办理此事项的权限');
    await press(resident, confirmClosePollAction.pack({ poll: poll.shortId }));
    expect(lastToast()).toContain('没有办理此事项的权限');
    await press(committee, confirmClosePollAction.pack({ poll: poll.shortId }), GROUP);
    expect(lastToast()).toContain('私聊');
    expect((await bot.db.poll.findUniqueOrThrow({ where: { id: poll.id } })).status).toBe('open');

    await bot.say(committee, '/polls');
    expect(buttonsOf(bot.last(committee.id))).toEqual(['第1号 去投票', '第1号 提前截止']);
    await bot.press(committee, bot.last(committee.id), '第1号 提前截止');
    expect(textOf(bot.last(committee.id))).toContain('确定提前截止第1号投票');
    await bot.press(committee, bot.last(committee.id), '确定截止');
    expect((await bot.db.poll.findUniqueOrThrow({ where: { id: poll.id } })).status).toBe('closed');
    const audit = await bot.db.auditEntry.findMany({ where: { targetId: poll.id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toContain('poll.close_early');
  });

  it('switches reminders off and on again', async () => {
    const remindersOff = async () => (await bot.db.identity.findFirstOrThrow({ where: { platformUserId: String(resident.id) }, include: { person: true } })).person.remindersOff;
    await press(resident, remindersAction.pack({ to: 'off' }));
    expect(await remindersOff()).toBe(true);
    expect(buttonsOf(bot.last(resident.id))).toEqual(['恢复接收提醒']);
    await bot.press(resident, bot.last(resident.id), '恢复接收提醒');
    expect(await remindersOff()).toBe(false);
  });
});
