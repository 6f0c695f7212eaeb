/**
 * A vote's toast is answered in the background (ctx.toastInBackground): the handler — and with
 * it telegraf's polling batch — finishes once the vote is committed. The router still counts the
 * answer as pending (settle and shutdown wait for it), and a failed answer is only logged: the
 * vote stands and the person gets no error message for a vote that was recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoll } from '../../../../src/domain/polls/polls.ts';
import { publishPoll } from '../../../../src/features/polls/lifecycle.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { bindTelegramGroup, grantRole, makeCommunity, OPERATOR } from '../../../support/fixtures.ts';
import { startTestBot, testClock, type TestBot } from '../../../support/harness.ts';

const GROUP = -100777;
const residents = [31, 32, 33].map((id) => ({ id, first_name: `居民${id}`, language_code: 'zh-CN' }));

describe('vote toasts in the background', () => {
  let bot: TestBot;
  let community: Community;
  const clock = testClock(new Date());

  beforeAll(async () => {
    bot = await startTestBot({ clock });
    community = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, community, GROUP);
    for (const r of residents) await grantRole(bot.db, community, r.id, 'verified', `2-${r.id}`);
  });
  afterAll(async () => bot?.close());

  const publish = async () => {
    const poll = await createPoll(
      bot.db,
      { actor: OPERATOR, via: 'test' },
      community.id,
      {
        question: '是否同意周六上午开展楼道清理？',
        options: 'standard',
        maxChoices: 1,
        electorate: 'residents',
        anonymous: true,
        allowChange: true,
        closesAt: new Date(clock().getTime() + 86_400_000),
        quorum: { kind: 'none' },
        rule: 'majority',
        liveResults: false,
      },
      clock(),
    );
    await publishPoll(bot.linli.services, poll);
    await bot.flushOutbox();
    return { poll, card: bot.last(GROUP) };
  };
  const answers = () => bot.fake.calls.filter((c) => c.method === 'answerCallbackQuery');

  it('answers every tap once, and settle waits for the answers', async () => {
    const { poll, card } = await publish();
    const before = answers().length;
    for (const r of residents) bot.fake.pressButton({ from: r, chat: { id: GROUP }, messageId: card.messageId, data: `v:${poll.shortId}:1` });
    await bot.settle();
    const mine = answers().slice(before);
    expect(mine).toHaveLength(3);
    expect(mine.every((c) => c.ok === true && String(c.params.text ?? '').length > 0)).toBe(true);
    expect(await bot.db.ballot.count({ where: { pollId: poll.id } })).toBe(3);
    expect(bot.linli.router.pending).toBe(0);
  });

  it('keeps the vote and sends no error message when the answer fails', async () => {
    const { poll, card } = await publish();
    const [r] = residents;
    const privateBefore = bot.fake.messagesTo(r.id).length;
    bot.fake.failNext({ method: 'answerCallbackQuery', errorCode: 400, description: 'Bad Request: query is too old' });
    await bot.press(r, card, /1|同意|赞成/);
    expect(await bot.db.ballot.count({ where: { pollId: poll.id } })).toBe(1);
    expect(answers().at(-1)).toMatchObject({ ok: false, injected: true });
    expect(bot.fake.messagesTo(r.id).length).toBe(privateBefore);
    // The next tap works as usual.
    await bot.press(r, card, /2|反对/);
    expect(answers().at(-1)?.ok).toBe(true);
    const ballot = await bot.db.ballot.findFirstOrThrow({ where: { pollId: poll.id }, include: { choices: { include: { option: true } } } });
    expect(ballot.choices.map((c) => c.option.position)).toEqual([2]);
  });
});
