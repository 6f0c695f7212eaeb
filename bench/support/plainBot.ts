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
import pg from 'pg';
import { Telegraf } from 'telegraf';
import { tempDir } from '../../tests/support/harness.ts';
import { newPostgresTestDatabase } from '../../tests/support/testDatabase.ts';
import { FakeInWorker } from './fakeInWorker.ts';

/** A running plain bot and its fake Telegram. */
export interface PlainBot {
  fake: FakeInWorker;
  /** How many ballots are stored. */
  ballots(): Promise<number>;
  /** Posts a message with three vote buttons to a chat; its message id and button data. */
  postPoll(chatId: number): Promise<{ messageId: number; data: string[] }>;
  close(): Promise<void>;
}

/** The three writes a plain bot does, on one engine. */
interface PlainStore {
  /** False when this update_id was seen before (a redelivery). */
  firstSeen(updateId: number): Promise<boolean> | boolean;
  upsertUser(id: number, firstName: string, language: string | null): Promise<unknown> | unknown;
  vote(poll: string, userId: number, choice: string): Promise<unknown> | unknown;
  ballots(): Promise<number>;
  close(): Promise<void>;
}

const TABLES = `
  CREATE TABLE seen (update_id BIGINT PRIMARY KEY);
  CREATE TABLE users (id BIGINT PRIMARY KEY, first_name TEXT, language TEXT, updated_at BIGINT);
  CREATE TABLE ballots (poll TEXT NOT NULL, user_id BIGINT NOT NULL, choice TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (poll, user_id));
`;

function sqliteStore(): PlainStore {
  const db = new Database(join(tempDir('linli-plain-'), 'plain.db'));
  // What the better-sqlite3 README recommends for a server: WAL.
  db.pragma('journal_mode = WAL');
  db.exec(TABLES);
  const seen = db.prepare('INSERT OR IGNORE INTO seen (update_id) VALUES (?)');
  const upsertUser = db.prepare(
    'INSERT INTO users (id, first_name, language, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET first_name = excluded.first_name, language = excluded.language, updated_at = excluded.updated_at',
  );
  const vote = db.prepare('INSERT INTO ballots (poll, user_id, choice, at) VALUES (?, ?, ?, ?) ON CONFLICT(poll, user_id) DO UPDATE SET choice = excluded.choice, at = excluded.at');
  return {
    firstSeen: (id) => seen.run(id).changes > 0,
    upsertUser: (id, name, lang) => upsertUser.run(id, name, lang, Date.now()),
    vote: (poll, user, choice) => vote.run(poll, user, choice, Date.now()),
    ballots: async () => (db.prepare('SELECT count(*) AS n FROM ballots').get() as { n: number }).n,
    close: async () => void db.close(),
  };
}

/** The same tables and statements through node-postgres (a pool of 10, its default). */
async function postgresStore(server: string): Promise<PlainStore> {
  const url = await newPostgresTestDatabase(server);
  const pool = new pg.Pool({ connectionString: url });
  await pool.query(TABLES);
  return {
    firstSeen: async (id) => ((await pool.query('INSERT INTO seen (update_id) VALUES ($1) ON CONFLICT DO NOTHING', [id])).rowCount ?? 0) > 0,
    upsertUser: (id, name, lang) =>
      pool.query(
        'INSERT INTO users (id, first_name, language, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, language = excluded.language, updated_at = excluded.updated_at',
        [id, name, lang, Date.now()],
      ),
    vote: (poll, user, choice) =>
      pool.query('INSERT INTO ballots (poll, user_id, choice, at) VALUES ($1, $2, $3, $4) ON CONFLICT (poll, user_id) DO UPDATE SET choice = excluded.choice, at = excluded.at', [poll, user, choice, Date.now()]),
    ballots: async () => Number((await pool.query('SELECT count(*) AS n FROM ballots')).rows[0].n),
    close: () => pool.end(),
  };
}

/** Starts the plain bot on a temp SQLite file, or with `postgres` (a server URL) on a fresh database there. */
export async function startPlainBot(opts: { postgres?: string } = {}): Promise<PlainBot> {
  const fake = await FakeInWorker.start();
  const store = opts.postgres ? await postgresStore(opts.postgres) : sqliteStore();

  const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
  bot.use(async (ctx, next) => {
    if (!(await store.firstSeen(ctx.update.update_id))) return; // a redelivery
    if (ctx.from) await store.upsertUser(ctx.from.id, ctx.from.first_name, ctx.from.language_code ?? null);
    await next();
  });
  bot.on('text', (ctx) => ctx.reply(`你好，${ctx.from.first_name}`));
  bot.on('callback_query', async (ctx) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : '';
    const [poll, choice] = data.split(':');
    await store.vote(poll, ctx.from.id, choice);
    await ctx.answerCbQuery('已记录');
  });
  bot.catch(() => undefined);
  void bot.launch({ dropPendingUpdates: false });
  await fake.waitForCall('getUpdates');
  return {
    fake,
    ballots: () => store.ballots(),
    async postPoll(chatId) {
      const data = ['p1:yes', 'p1:no', 'p1:abstain'];
      const sent = await bot.telegram.sendMessage(chatId, '投票', { reply_markup: { inline_keyboard: [data.map((d) => ({ text: d, callback_data: d }))] } });
      return { messageId: sent.message_id, data };
    },
    async close() {
      bot.stop();
      await store.close();
      await fake.close();
    },
  };
}
