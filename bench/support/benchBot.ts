/**
 * A real Linli bot for benchmarks, talking HTTP to the fake Bot API running in a worker thread
 * (see fakeInWorker.ts). Built exactly like tests/support/harness.ts builds its test bot — the
 * same `createLinli` factory `npm start` uses, a migrated temp SQLite file, fast outbox limits —
 * only the fake is elsewhere.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { createLinli, type Linli } from '../../src/app/createLinli.ts';
import { createLogger } from '../../src/log.ts';
import type { Limits } from '../../src/outbox/rateLimiter.ts';
import { tempDir } from '../../tests/support/harness.ts';
import { newPostgresTestDatabase, TEST_BALLOT_KEY } from '../../tests/support/testDatabase.ts';
import { FakeInWorker } from './fakeInWorker.ts';

const FAST: Limits = { perChatIntervalMs: 0, perGroupPerMinute: 10_000, globalPerSecond: 10_000 };

/** A running bot and its fake Telegram in a worker thread. */
export interface BenchBot {
  bot: Linli;
  fake: FakeInWorker;
  /** Waits until every pushed update was handled and the router is idle. */
  settle(): Promise<void>;
  /** Delivers everything due in the outbox. */
  flushOutbox(): Promise<void>;
  /**
   * Runs `fn`, the measured part. With BENCH_CPU_PROFILE=<file> set, the bot thread's CPU
   * profile of just this part is written there (open it in Chrome DevTools or aggregate it).
   */
  measure<T>(fn: () => Promise<T>): Promise<T>;
  /** Stops the bot, then the fake and its worker. */
  close(): Promise<void>;
}

/**
 * Starts a bot against a fake Bot API in a worker thread: on a temp SQLite file, or with
 * `postgres` (a server URL) on a fresh migrated database of that server.
 */
export async function startBenchBot(opts: { postgres?: string } = {}): Promise<BenchBot> {
  const fake = await FakeInWorker.start();
  const dbFile = opts.postgres ? undefined : join(tempDir('linli-bench-'), 'linli.db');
  const url = opts.postgres ? await newPostgresTestDatabase(opts.postgres) : `file:${dbFile}`;
  const bot = await createLinli({
    env: {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATABASE_URL: url,
      LOG_LEVEL: 'silent',
      ...(opts.postgres ? { LINLI_BALLOT_KEY: TEST_BALLOT_KEY } : {}),
    },
    ...(dbFile ? { databaseFile: dbFile } : {}),
    log: createLogger(process.env.BENCH_LOG_LEVEL ?? 'silent'),
    wechat: false,
    outboxLimits: { telegram: FAST, wechat: FAST },
    schedule: false,
  });
  await bot.start();
  await fake.waitForCall('getUpdates');
  const router = bot.router;
  return {
    bot,
    fake,
    async settle() {
      await fake.waitConfirmed(120_000);
      while (router.pending > 0) await new Promise((r) => setTimeout(r, 5));
    },
    async flushOutbox() {
      const left = await bot.outboxWorker.flush(15_000);
      if (left) throw new Error(`${left} outbox messages still pending`);
    },
    async measure(fn) {
      const out = process.env.BENCH_CPU_PROFILE;
      if (!out) return fn();
      const session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      try {
        return await fn();
      } finally {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(out, JSON.stringify(profile));
        session.disconnect();
      }
    },
    async close() {
      await bot.stop();
      await fake.close();
    },
  };
}
