/**
 * Broadcast benchmark: one announcement to 1,000 groups against a fake Bot API that enforces
 * Telegram's flood limits (1/s per chat, 20/min per group, 30/s in all), with time scaled down
 * so the run takes seconds. The worker runs Telegram's limits (25/s in all) scaled the same way.
 * Reports throughput as a share of the worker's allowed rate (target ≥ 90%) and the number of
 * limit violations the server saw (target 0).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinli } from '../src/app/createLinli.ts';
import { createTelegramAdapter } from '../src/adapters/telegram/telegramAdapter.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { TELEGRAM_LIMITS } from '../src/outbox/rateLimiter.ts';
import { makeCommunity } from '../tests/support/fixtures.ts';
import { freshDatabase } from '../tests/support/harness.ts';
import type { BenchResult } from './types.ts';


const GROUPS = Number(process.env.BENCH_GROUPS ?? 1000);
/** 1 Telegram second lasts 400 ms: 1,000 messages at 25/s take 16 s instead of 40 s. */
const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? 0.4);

interface ServerStats {
  violations: string[];
  perChat: Record<string, number>;
  refused: number;
}

/** Starts the fake server in a child process; resolves with its address and a stats query. */
async function startServer(timeScale: number): Promise<{ apiRoot: string; token: string; stats(): Promise<ServerStats>; close(): Promise<void> }> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const child: ChildProcess = fork(join(here, 'support', 'fakeServerProcess.ts'), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, FAKE_TIME_SCALE: String(timeScale) } });
  const next = <T>(type: string) => new Promise<T>((resolve) => child.on('message', function on(m: { type: string }) {
    if (m.type !== type) return;
    child.off('message', on);
    resolve(m as T);
  }));
  const ready = await next<{ apiRoot: string; token: string }>('ready');
  return {
    apiRoot: ready.apiRoot,
    token: ready.token,
    stats: () => {
      const p = next<ServerStats>('stats');
      child.send({ type: 'stats' });
      return p;
    },
    close: () => new Promise((resolve) => { child.once('exit', () => resolve()); child.send({ type: 'close' }); }),
  };
}

/** The broadcast with the pacing kept in this process, then kept in the database (several instances), in one run. */
export async function run(): Promise<BenchResult[]> {
  const local = await runWith('single');
  const shared = await runWith('shared');
  return [...local, ...shared];
}

async function runWith(instances: 'single' | 'shared'): Promise<BenchResult[]> {
  const label = instances === 'shared' ? ' [pacing in the database, LINLI_INSTANCES=shared]' : '';
  const server = await startServer(TIME_SCALE);
  const limits = { ...TELEGRAM_LIMITS, timeScale: TIME_SCALE };
  const { db, file } = await freshDatabase();
  const log = createLogger('silent');
  const config = loadConfig({ DATABASE_URL: `file:${file}`, LOG_LEVEL: 'silent', LINLI_INSTANCES: instances });
  // The adapter is not started: the worker only sends, nothing needs to be received.
  const telegram = createTelegramAdapter({ token: server.token, apiRoot: server.apiRoot, log });
  const linli = await createLinli({ config, db, log, telegram: false, wechat: false, adapters: [telegram], outboxLimits: { telegram: limits }, schedule: false });
  try {
    const community = await makeCommunity(db);
    const chats = Array.from({ length: GROUPS }, (_, i) => -1_000_000_000 - i);
    await db.chatGroup.createMany({ data: chats.map((c) => ({ platform: 'telegram', chatId: String(c), title: `group ${c}`, communityId: community.id })) });

    const t0 = performance.now();
    const enqueued = await linli.services.outbox.publishToCommunity(community.id, 'bench:broadcast', () => ({ text: '【巴登社区公告】本周六上午9点召开居民议事会。' }));
    const enqueueMs = performance.now() - t0;

    const start = performance.now();
    const left = await linli.outboxWorker.flush(120_000);
    const elapsedMs = performance.now() - start;
    const stats = await server.stats();
    const delivered = chats.filter((c) => stats.perChat[String(c)] === 1).length;
    const duplicates = chats.filter((c) => (stats.perChat[String(c)] ?? 0) > 1).length;

    // A perfect sender at exactly the allowed rate needs (N - 1) intervals from first to last.
    const allowedPerSec = limits.globalPerSecond / TIME_SCALE;
    const idealMs = ((delivered - 1) / allowedPerSec) * 1000;
    const share = idealMs / elapsedMs;
    const achievedPerSec = (delivered / elapsedMs) * 1000;
    const violations = stats.violations.length;
    return [
      {
        name: `outbox broadcast to ${GROUPS} groups: throughput share of allowed rate (${limits.globalPerSecond}/s, time ×${TIME_SCALE})${label}`,
        value: Math.round(share * 1000) / 10,
        unit: '%',
        baseline: { name: 'allowed rate (scaled)', value: allowedPerSec, unit: 'msg/s' },
        ratio: Math.round((achievedPerSec / allowedPerSec) * 1000) / 1000,
        // The shared pacing pays a database transaction per slot; it is for several instances.
        target: instances === 'shared' ? '≥ 80%' : '≥ 90%',
        pass: share >= (instances === 'shared' ? 0.8 : 0.9) && left === 0 && delivered === GROUPS,
      },
      { name: `outbox broadcast${label}: limit violations seen by the server${violations ? ` (${[...new Set(stats.violations)].join(', ')})` : ''}`, value: violations, unit: 'violations', target: '0', pass: violations === 0 },
      { name: `outbox broadcast${label}: groups that got the message exactly once`, value: delivered, unit: 'groups', target: `${GROUPS}, 0 duplicates`, pass: delivered === GROUPS && duplicates === 0 },
      { name: `outbox broadcast${label}: enqueue ${enqueued} messages`, value: Math.round(enqueueMs), unit: 'ms' },
      { name: `outbox broadcast${label}: share of Telegram's 30/s global limit`, value: Math.round(((achievedPerSec * TIME_SCALE) / 30) * 1000) / 10, unit: '%' },
    ];
  } finally {
    await linli.outboxWorker.stop();
    await db.$disconnect();
    await server.close();
  }
}
