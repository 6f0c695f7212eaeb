/**
 * End-to-end update throughput: the fake Bot API → telegraf long polling → router (dedup,
 * identity, roles, queue) → database → reply over HTTP. The fake runs in a worker thread
 * (bench/support/fakeInWorker.ts): in production Telegram is elsewhere, so its HTTP parsing and
 * bookkeeping must not be charged to the bot's core. Baseline in the same run: a raw
 * better-sqlite3 loop inserting one row per statement into a WAL database, i.e. the cheapest
 * durable write per update this machine can do.
 */
import { startBenchBot } from './support/benchBot.ts';
import { rawInsertsPerSecond } from './support/rawInserts.ts';
import { startPlainBot } from './support/plainBot.ts';
import { withPostgresRow } from './support/benchEngines.ts';
import type { BenchResult } from './types.ts';

const USERS = 200;
const PER_USER = 15;


type User = { id: number; first_name: string; language_code: string };

/** The same messages against the plain telegraf bot (bench/support/plainBot.ts), after the same warm-up. */
async function plainUpdatesPerSecond(users: User[], postgres?: string): Promise<number> {
  const plain = await startPlainBot({ postgres });
  try {
    await plain.fake.sendTexts(users.map((from) => ({ from, text: '/whoami' })));
    await plain.fake.waitCount('sent', users.length, 120_000);
    const items: { from: User; text: string }[] = [];
    for (let k = 0; k < PER_USER; k++) for (const from of users) items.push({ from, text: '/whoami' });
    const before = await plain.fake.count('sent');
    const start = performance.now();
    await plain.fake.sendTexts(items);
    const handled = (await plain.fake.waitCount('sent', before + items.length, 120_000)) - before;
    return handled / ((performance.now() - start) / 1000);
  } finally {
    await plain.close();
  }
}

/** Linli's messages per second on one engine (SQLite, or the PostgreSQL server given). */
async function linliUpdatesPerSecond(users: User[], postgres?: string): Promise<{ perSecond: number; handled: number }> {
  const bench = await startBenchBot({ postgres });
  const { fake } = bench;
  try {
    // Warm up: every user is created once, so the measured part is steady-state traffic.
    await fake.sendTexts(users.map((from) => ({ from, text: '/whoami' })));
    await bench.settle();
    const before = await fake.count('sent');
    const total = USERS * PER_USER;
    const items: { from: (typeof users)[number]; text: string }[] = [];
    for (let k = 0; k < PER_USER; k++) for (const from of users) items.push({ from, text: '/whoami' });
    const start = performance.now();
    const handled = await bench.measure(async () => {
      await fake.sendTexts(items);
      await bench.settle();
      return (await fake.waitCount('sent', before + total, 120_000)) - before;
    });
    const seconds = (performance.now() - start) / 1000;
    return { perSecond: handled / seconds, handled };
  } finally {
    await bench.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  const users = Array.from({ length: USERS }, (_, i) => ({ id: 700_000 + i, first_name: `U${i}`, language_code: 'zh' }));
  const total = USERS * PER_USER;
  const { perSecond, handled } = await linliUpdatesPerSecond(users);
  const raw = rawInsertsPerSecond(20_000);
  const plain = await plainUpdatesPerSecond(users);
  const results: BenchResult[] = [
      {
        name: 'updates handled end to end',
        value: perSecond,
        unit: 'updates/s',
        baseline: { name: 'raw better-sqlite3 inserts', value: raw, unit: 'rows/s' },
        ratio: perSecond / raw,
        target: '≥ 1000 updates/s',
        pass: perSecond >= 1000 && handled === total,
      },
      {
        name: 'messages: Linli beside the plain telegraf + better-sqlite3 bot, same messages',
        value: perSecond,
        unit: 'updates/s',
        baseline: { name: 'plain telegraf bot', value: plain, unit: 'updates/s' },
        ratio: perSecond / plain,
        target: '≥ 0.8× the plain bot (#19)',
        pass: perSecond / plain >= 0.8,
      },
  ];
  return withPostgresRow('messages', results, async (server) => {
    const onPg = await linliUpdatesPerSecond(users, server);
    const plainPg = await plainUpdatesPerSecond(users, server);
    return {
      name: 'messages on PostgreSQL: Linli beside the plain telegraf + node-postgres bot',
      value: onPg.perSecond,
      unit: 'updates/s',
      baseline: { name: 'plain telegraf bot on PostgreSQL', value: plainPg, unit: 'updates/s' },
      ratio: onPg.perSecond / plainPg,
      target: 'every update handled (no ratio target for PostgreSQL)',
      pass: onPg.handled === total,
    };
  });
}
