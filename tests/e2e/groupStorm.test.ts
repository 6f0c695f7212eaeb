// Thirty neighbours type commands in a group within two seconds, against a fake Bot API that
// enforces Telegram's limits (time scaled down): the same public list is answered once, answers
// that depend on the asker are each given, and no reply breaks a limit or is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TELEGRAM_LIMITS, type Limits } from '../../src/outbox/rateLimiter.ts';
import { startFakeBotApi, type FakeBotApi } from '../support/fakeBotApi.ts';
import { bindTelegramGroup, makeCommunity } from '../support/fixtures.ts';
import { startTestBot, textOf, type TestBot } from '../support/harness.ts';

const TIME_SCALE = 0.05;
const LIMITS: Limits = { ...TELEGRAM_LIMITS, timeScale: TIME_SCALE, marginMs: 50 };
const GROUP = -100900;

describe('a command storm in a group', () => {
  let fake: FakeBotApi;
  let bot: TestBot;
  beforeAll(async () => {
    fake = await startFakeBotApi({ enforceLimits: true, limits: { timeScale: TIME_SCALE } });
    bot = await startTestBot({ fake, outboxLimits: { telegram: LIMITS } });
    await bindTelegramGroup(bot.db, await makeCommunity(bot.db), GROUP);
  });
  afterAll(async () => {
    await bot.close();
    await fake.close();
  });

  it('answers the same command once and every different one, within the limits', async () => {
    const commands = ['/polls', '/proposals', '/disclosures', '/announcements', '/help'];
    const before = fake.messagesTo(GROUP).length;
    for (let i = 0; i < 30; i++) {
      // Six people type each command; in a group the bot is addressed by its @username.
      fake.sendText({ from: { id: 8000 + i, first_name: `居民${i}` }, chat: { id: GROUP, type: 'supergroup', title: '巴登社区居民群' }, text: `${commands[i % commands.length]}@${fake.botUser.username}` });
    }
    await bot.settle();
    const replies = fake.messagesTo(GROUP).slice(before).map(textOf);
    // Public lists once each; /help depends on who asks, so each of its six askers is answered.
    expect(replies).toHaveLength(4 + 6);
    expect(replies.filter((r) => r.includes('【可办理事项】'))).toHaveLength(6);
    expect(fake.violations).toEqual([]);
  });
});
