/**
 * The Telegram scenario driver: the real bot (telegraf) against the fake Bot API, through the
 * test harness. Options are inline buttons; choosing one presses it.
 */
import type { Feature } from '../../src/core/feature.ts';
import type { FakeUserInput, SentMessage } from '../support/fakeBotApi.ts';
import { startFakeBotApi } from '../support/fakeBotApi.ts';
import { buttonsOf, startTestBot, tempDir, textOf, type TestBot } from '../support/harness.ts';
import type { ScenarioDriver, ScenarioGroup, ScenarioUser, Target } from './driver.ts';
import { join } from 'node:path';

const BOT_USERNAME = 'linli_test_bot';

/** Telegram chat id of a scenario group. */
export const telegramGroupId = (g: ScenarioGroup) => -(1_000_000_000_000 + g.id);

const tgUser = (u: ScenarioUser): FakeUserInput => ({ id: u.id, first_name: u.name, language_code: 'zh-CN' });
const chatIdOf = (t: Target) => ('title' in t ? telegramGroupId(t) : t.id);

/** Starts a Telegram driver with its own fake server and database. */
export async function startTelegramDriver(opts: { features?: Feature[]; clock?: () => Date } = {}): Promise<ScenarioDriver & { bot: TestBot }> {
  const fake = await startFakeBotApi();
  const dbFile = join(tempDir(), 'linli.db');
  let bot = await startTestBot({ fake, dbFile, features: opts.features, clock: opts.clock });
  const messages = (t: Target): SentMessage[] => fake.messagesTo(chatIdOf(t)).filter((m) => m.kind === 'send');

  return {
    platform: 'telegram',
    get db() {
      return bot.db;
    },
    get bot() {
      return bot;
    },
    async say(user, text, o = {}) {
      const chat = o.group ? { id: telegramGroupId(o.group), type: 'supergroup' as const, title: o.group.title } : undefined;
      await bot.say(tgUser(user), o.mention && o.group ? `@${BOT_USERNAME} ${text}` : text, chat);
    },
    async choose(user, label, o = {}) {
      const target = o.group ?? user;
      const withButton = [...messages(target)].reverse().find((m) => buttonsOf(m).includes(label));
      if (!withButton) throw new Error(`no button "${label}" in ${JSON.stringify(messages(target).slice(-3).map(textOf))}`);
      await bot.press(tgUser(user), withButton, label);
    },
    textsTo: (t) => messages(t).map(textOf),
    optionsIn(t) {
      const last = [...messages(t)].reverse().find((m) => buttonsOf(m).length);
      const markup = last?.replyMarkup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined;
      return (markup?.inline_keyboard ?? []).flat().filter((b) => b.callback_data).map((b) => b.text);
    },
    filesTo: (t) => fake.messagesTo(chatIdOf(t)).filter((m) => m.file).map((m) => m.file?.fileName ?? ''),
    async followHandoff(user, group) {
      const last = messages(group).at(-1);
      const markup = last?.replyMarkup as { inline_keyboard?: { url?: string }[][] } | undefined;
      const url = markup?.inline_keyboard?.flat().find((b) => b.url)?.url;
      if (!url) throw new Error('no deep link to the private chat in the group');
      await bot.say(tgUser(user), `/start ${new URL(url).searchParams.get('start')}`);
    },
    async restart() {
      await bot.stop();
      bot = await startTestBot({ fake, dbFile, features: opts.features, clock: opts.clock });
    },
    flushOutbox: () => bot.flushOutbox(),
    accountId: (u) => String(u.id),
    async close() {
      await bot.stop();
      await fake.close();
    },
  };
}
