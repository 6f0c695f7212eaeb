/**
 * The Telegram scenario driver: the real bot (telegraf) against the fake Bot API, through the
 * test harness. Options are inline buttons; choosing one presses it.
 */
import type { Feature } from '../../src/features/feature.ts';
import type { FakeUserInput, SentMessage } from '../support/fakeBotApi.ts';
import { startFakeBotApi } from '../support/fakeBotApi.ts';
import { buttonsOf, startTestBot, tempDir, textOf, type TestBot, type TestClock } from '../support/harness.ts';
import { matches, type UnreadableSample, type ScenarioDriver, type ScenarioGroup, type ScenarioUser, type Target } from './driver.ts';
import { join } from 'node:path';

const BOT_USERNAME = 'linli_test_bot';

/** Telegram chat id of a scenario group. */
export const telegramGroupId = (g: ScenarioGroup) => -(1_000_000_000_000 + g.id);

const tgUser = (u: ScenarioUser): FakeUserInput => ({ id: u.id, first_name: u.name, language_code: 'zh-CN' });
const chatIdOf = (t: Target) => ('title' in t ? telegramGroupId(t) : t.id);

/** Starts a Telegram driver with its own fake server and database. */
export async function startTelegramDriver(opts: { features?: Feature[]; clock?: TestClock } = {}): Promise<ScenarioDriver & { bot: TestBot }> {
  const fake = await startFakeBotApi();
  const dbFile = join(tempDir(), 'linli.db');
  let bot = await startTestBot({ fake, dbFile, features: opts.features, clock: opts.clock });
  const messages = (t: Target): SentMessage[] => fake.messagesTo(chatIdOf(t)).filter((m) => m.kind === 'send');
  // What answered each person's own steps privately: toasts of their presses (answerCallbackQuery
  // carries no user, so they are recorded per press), then private messages of the same step.
  const feedback = new Map<number, string[]>();
  const step = async (user: ScenarioUser, act: () => Promise<void>) => {
    const answered = fake.callbackAnswers.length;
    const privately = messages(user).length;
    await act();
    const toasts = fake.callbackAnswers.slice(answered).map((a) => a.text).filter((t): t is string => typeof t === 'string' && t !== '');
    feedback.set(user.id, [...(feedback.get(user.id) ?? []), ...toasts, ...messages(user).slice(privately).map(textOf)]);
  };

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
      await step(user, () => bot.say(tgUser(user), o.mention && o.group ? `@${BOT_USERNAME} ${text}` : text, chat));
    },
    async choose(user, label, o = {}) {
      const target = o.group ?? user;
      const fits = (b: string) => (typeof label === 'string' ? b === label : label.test(b));
      const withButton = [...messages(target)].reverse().find((m) => buttonsOf(m).some(fits) && (!o.on || matches(textOf(m), o.on)));
      if (!withButton) throw new Error(`no button "${String(label)}" in ${JSON.stringify(messages(target).slice(-3).map(textOf))}`);
      await step(user, () => bot.press(tgUser(user), withButton, label));
    },
    async sendUnreadable(user, kind: UnreadableSample, o = {}) {
      const chat = o.group ? { id: telegramGroupId(o.group), type: 'supergroup' as const, title: o.group.title } : { id: user.id, type: 'private' as const, first_name: user.name };
      const from = { id: user.id, is_bot: false, first_name: user.name, language_code: 'zh-CN' };
      await step(user, async () => {
        if (kind === 'photo') fake.sendPhoto({ from: tgUser(user), chat: o.group ? chat : undefined });
        else {
          const body =
            kind === 'voice'
              ? { voice: { file_id: `voice-${user.id}`, file_unique_id: `v${user.id}`, duration: 3, mime_type: 'audio/ogg' } }
              : kind === 'sticker'
                ? { sticker: { file_id: `sticker-${user.id}`, file_unique_id: `s${user.id}`, type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '👍' } }
                : { location: { latitude: 22.54, longitude: 114.05 } };
          fake.pushUpdate({ message: { message_id: 900_000 + Math.floor(Math.random() * 99_999), from, chat, date: Math.floor(Date.now() / 1000), ...body } });
        }
        await bot.settle();
      });
    },
    feedbackTo: (u) => feedback.get(u.id) ?? [],
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
    advanceClock(ms) {
      if (!opts.clock) throw new Error('this driver was started without a test clock');
      opts.clock.advance(ms);
    },
    runJob: (name) => bot.linli.scheduler.run(name).then(() => undefined),
    accountId: (u) => String(u.id),
    async close() {
      await bot.stop();
      await fake.close();
    },
  };
}
