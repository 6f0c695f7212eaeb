/**
 * The bot a developer would write instead of Linli, as the same-run baseline #19 asks for: plain
 * telegraf over better-sqlite3, polling the same fake Bot API (in its own worker thread) as the
 * Linli bench bot. It does the least a correct bot must do per update — drop a redelivered
 * update_id, upsert the sender, then reply to a message or store one ballot per person for a
 * tap and answer it — and nothing Linli adds (roles, scenes, queues per person, audit, outbox).
 * A figure "× the plain bot" therefore prices Linli's guarantees, not the machine.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Telegraf } from 'telegraf';
import { tempDir } from '../../tests/support/harness.ts';
import { FakeInWorker } from './fakeInWorker.ts';

/** A running plain bot and its fake Telegram. */
export interface PlainBot {
  fake: FakeInWorker;
  db: Database.Database;
  /** Posts a message with three vote buttons to a chat; its message id and button data. */
  postPoll(chatId: number): Promise<{ messageId: number; data: string[] }>;
  close(): Promise<void>;
}

export async function startPlainBot(): Promise<PlainBot> {
  const fake = await FakeInWorker.start();
  const db = new Database(join(tempDir('linli-plain-'), 'plain.db'));
  // What the better-sqlite3 README recommends for a server: WAL.
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE seen (update_id INTEGER PRIMARY KEY);
    CREATE TABLE users (id INTEGER PRIMARY KEY, first_name TEXT, language TEXT, updated_at INTEGER);
    CREATE TABLE ballots (poll TEXT NOT NULL, user_id INTEGER NOT NULL, choice TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (poll, user_id));
  `);
  const seen = db.prepare('INSERT OR IGNORE INTO seen (update_id) VALUES (?)');
  const upsertUser = db.prepare(
    'INSERT INTO users (id, first_name, language, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET first_name = excluded.first_name, language = excluded.language, updated_at = excluded.updated_at',
  );
  const vote = db.prepare('INSERT INTO ballots (poll, user_id, choice, at) VALUES (?, ?, ?, ?) ON CONFLICT(poll, user_id) DO UPDATE SET choice = excluded.choice, at = excluded.at');

  const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
  bot.use(async (ctx, next) => {
    if (seen.run(ctx.update.update_id).changes === 0) return; // a redelivery
    if (ctx.from) upsertUser.run(ctx.from.id, ctx.from.first_name, ctx.from.language_code ?? null, Date.now());
    await next();
  });
  bot.on('text', (ctx) => ctx.reply(`你好，${ctx.from.first_name}`));
  bot.on('callback_query', async (ctx) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : '';
    const [poll, choice] = data.split(':');
    vote.run(poll, ctx.from.id, choice, Date.now());
    await ctx.answerCbQuery('已记录');
  });
  bot.catch(() => undefined);
  void bot.launch({ dropPendingUpdates: false });
  await fake.waitForCall('getUpdates');
  return {
    fake,
    db,
    async postPoll(chatId) {
      const data = ['p1:yes', 'p1:no', 'p1:abstain'];
      const sent = await bot.telegram.sendMessage(chatId, '投票', { reply_markup: { inline_keyboard: [data.map((d) => ({ text: d, callback_data: d }))] } });
      return { messageId: sent.message_id, data };
    },
    async close() {
      bot.stop();
      db.close();
      await fake.close();
    },
  };
}
