/**
 * Builds a real Linli bot for end-to-end tests: a temp SQLite file migrated like production,
 * the real telegraf adapter talking HTTP to the fake Bot API, and the same `createLinli`
 * factory `npm start` uses. Feature tests reuse it; nothing of ours is mocked.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinli, type Linli, type WechatOptions } from '../../src/app/createLinli.ts';
import type { WechatAdapter } from '../../src/adapters/wechat/wechatAdapter.ts';
import type { Adapter } from '../../src/platform/adapter.ts';
import type { Config } from '../../src/config.ts';
import type { Feature } from '../../src/features/feature.ts';
import { openDatabase, type Db } from '../../src/db/client.ts';
import { isPostgresUrl } from '../../src/db/engine.ts';
import { migrateDatabase } from '../../src/db/migrations.ts';
import { createLogger } from '../../src/log.ts';
import type { Limits } from '../../src/outbox/rateLimiter.ts';
import { newTestDatabase, TEST_BALLOT_KEY, testDatabaseUrl } from './testDatabase.ts';
import { startFakeBotApi, type FakeBotApi, type FakeChatInput, type FakeUserInput, type SentMessage } from './fakeBotApi.ts';

/** A fresh temp folder for one test file's databases. */
export function tempDir(prefix = 'linli-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A migrated, open database: a new temp file, or on a PostgreSQL run (LINLI_TEST_DATABASE,
 * tests/support/testDatabase.ts) a new database cloned from the template, `file` then being its URL.
 */
export async function freshDatabase(file?: string): Promise<{ db: Db; file: string }> {
  const target = file ?? (await newTestDatabase(join(tempDir(), 'linli.db')));
  if (isPostgresUrl(target)) return { db: await openDatabase(target), file: target };
  await migrateDatabase(testDatabaseUrl(target));
  return { db: await openDatabase(target), file: target };
}

/** A clock tests can move. */
export interface TestClock {
  (): Date;
  set(date: Date | string): void;
  advance(ms: number): void;
}

/** Creates a movable clock starting at `start` (default: now). */
export function testClock(start: Date | string = new Date()): TestClock {
  let now = new Date(start).getTime();
  const clock = (() => new Date(now)) as TestClock;
  clock.set = (d) => {
    now = new Date(d).getTime();
  };
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}

/** Options of a test bot. */
export interface TestBotOptions {
  /** Reuse a fake server (for restarts and several bots). */
  fake?: FakeBotApi;
  /** Reuse a database file, or on PostgreSQL its URL (restart in the middle of a scene). */
  dbFile?: string;
  env?: Record<string, string>;
  clock?: () => Date;
  features?: Feature[];
  outboxLimits?: Partial<Record<string, Limits>>;
  /** Extra adapters. */
  extraAdapters?: Adapter[];
  /** Also run WeChat, on this (mock) puppet. */
  wechat?: WechatOptions;
}

const FAST: Limits = { perChatIntervalMs: 0, perGroupPerMinute: 10_000, globalPerSecond: 10_000 };

/** A running bot and the fake Telegram around it. */
export interface TestBot {
  linli: Linli;
  /** The WeChat adapter when the bot runs WeChat too. */
  wechat?: WechatAdapter;
  fake: FakeBotApi;
  db: Db;
  dbFile: string;
  config: Config;
  /** Sends a text as `from` (in `chat`, default private) and waits until the bot handled it. */
  say(from: FakeUserInput, text: string, chat?: FakeChatInput): Promise<void>;
  /** Presses a button of a message the bot sent and waits until it was handled. */
  press(from: FakeUserInput, message: SentMessage, label: string | RegExp): Promise<void>;
  /** Waits until every pushed update was handled and the router is idle. */
  settle(): Promise<void>;
  /** The last message the bot sent to a chat. */
  last(chatId: number | string): SentMessage;
  /** Delivers everything due in the outbox. */
  flushOutbox(): Promise<void>;
  /** Stops the bot (the fake and the database file stay, for a restart). */
  stop(): Promise<void>;
  /** Stops the bot and the fake server. */
  close(): Promise<void>;
}

/** Starts a bot against a fake Bot API. */
export async function startTestBot(opts: TestBotOptions = {}): Promise<TestBot> {
  const fake = opts.fake ?? (await startFakeBotApi());
  const dbFile = opts.dbFile ?? (await newTestDatabase(join(tempDir(), 'linli.db')));
  const onPostgres = isPostgresUrl(dbFile);
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  // The same factory `npm start` and embedders use: it migrates the file and builds the adapters.
  const built = await createLinli({
    env: {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATABASE_URL: testDatabaseUrl(dbFile),
      LOG_LEVEL: 'silent',
      ...(onPostgres ? { LINLI_BALLOT_KEY: TEST_BALLOT_KEY } : {}),
      ...opts.env,
    },
    databaseFile: onPostgres ? undefined : dbFile,
    log,
    clock: opts.clock,
    adapters: opts.extraAdapters,
    wechat: opts.wechat ? { sendGapMs: 0, reconnectDelayMs: 50, ...opts.wechat } : false,
    features: opts.features,
    outboxLimits: opts.outboxLimits ?? { telegram: FAST, wechat: FAST },
    schedule: false,
  });
  const linli = built;
  const { db, config } = built;
  await linli.start();
  if (!config.TELEGRAM_WEBHOOK_URL) await fake.waitForCall('getUpdates');

  const settle = async () => {
    await fake.waitForUpdatesConfirmed({ timeoutMs: 15_000 });
    while (linli.router.pending > 0) await new Promise((r) => setTimeout(r, 5));
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await built.stop();
  };
  return {
    linli,
    wechat: built.wechat,
    fake,
    db,
    dbFile,
    config,
    async say(from, text, chat) {
      fake.sendText({ from, chat, text });
      await settle();
    },
    async press(from, message, label) {
      const buttons = (message.replyMarkup && 'inline_keyboard' in message.replyMarkup ? message.replyMarkup.inline_keyboard.flat() : []) as { text: string; callback_data?: string }[];
      const button = buttons.find((b) => (typeof label === 'string' ? b.text === label : label.test(b.text)));
      if (!button?.callback_data) throw new Error(`no button ${label} in message ${message.messageId}: ${buttons.map((b) => b.text).join(', ')}`);
      const chatId = Number(message.chatId);
      fake.pressButton({ from, chat: chatId === from.id ? undefined : { id: chatId }, messageId: message.messageId, data: button.callback_data });
      await settle();
    },
    settle,
    last(chatId) {
      const list = fake.messagesTo(chatId);
      if (!list.length) throw new Error(`nothing was sent to ${chatId}`);
      return list[list.length - 1];
    },
    async flushOutbox() {
      const left = await linli.outboxWorker.flush(15_000);
      if (left) throw new Error(`${left} outbox messages still pending`);
    },
    stop,
    async close() {
      await stop();
      if (!opts.fake) await fake.close();
    },
  };
}

/** The visible text of a sent message (text or caption). */
export function textOf(m: SentMessage): string {
  return m.plainText ?? m.text ?? m.caption ?? '';
}

/** The labels of a sent message's inline buttons. */
export function buttonsOf(m: SentMessage): string[] {
  const markup = m.replyMarkup;
  return markup && 'inline_keyboard' in markup ? markup.inline_keyboard.flat().map((b) => b.text) : [];
}
