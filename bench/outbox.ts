/**
 * Broadcast benchmark: one announcement to 1,000 groups against a fake Bot API that enforces
 * Telegram's flood limits (1/s per chat, 20/min per group, 30/s in all), with time scaled down
 * so the run takes seconds. The worker runs Telegram's limits (25/s in all) scaled the same way.
 * Reports throughput as a share of the worker's allowed rate (target ≥ 90%) and the number of
 * limit violations the server saw (target 0).
 */
import { bindTelegramGroup, makeCommunity } from '../tests/support/fixtures.ts';
import { startFakeBotApi } from '../tests/support/fakeBotApi.ts';
import { startTestBot } from '../tests/support/harness.ts';
import { TELEGRAM_LIMITS } from '../src/outbox/rateLimiter.ts';

/** One benchmark figure (bench/run.ts prints them). */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number; unit: string };
  ratio?: number;
  target?: string;
  pass?: boolean;
}

const GROUPS = 1000;
/** 1 Telegram second lasts 100 ms: 1,000 messages at 25/s take 4 s instead of 40 s. */
const TIME_SCALE = 0.1;

export async function run(): Promise<BenchResult[]> {
  const fake = await startFakeBotApi({ enforceLimits: true, limits: { timeScale: TIME_SCALE } });
  const limits = { ...TELEGRAM_LIMITS, timeScale: TIME_SCALE };
  const bot = await startTestBot({ fake, outboxLimits: { telegram: limits } });
  try {
    await bot.linli.outboxWorker.stop(); // measure the delivery alone, driven by flush()
    const community = await makeCommunity(bot.db);
    const chats = Array.from({ length: GROUPS }, (_, i) => -1_000_000_000 - i);
    for (const chatId of chats) await bindTelegramGroup(bot.db, community, chatId);

    const t0 = performance.now();
    const enqueued = await bot.linli.services.outbox.publishToCommunity(community.id, 'bench:broadcast', () => ({ text: '【巴登社区公告】本周六上午9点召开居民议事会。' }));
    const enqueueMs = performance.now() - t0;

    const start = performance.now();
    const left = await bot.linli.outboxWorker.flush(120_000);
    const elapsedMs = performance.now() - start;
    const delivered = chats.filter((c) => fake.messagesTo(c).length === 1).length;
    const duplicates = chats.filter((c) => fake.messagesTo(c).length > 1).length;

    // The first global window is free; after that the rate is the limit.
    const allowedPerSec = limits.globalPerSecond / TIME_SCALE;
    const idealMs = ((delivered - limits.globalPerSecond) / allowedPerSec) * 1000;
    const share = idealMs / elapsedMs;
    const achievedPerSec = (delivered / elapsedMs) * 1000;
    const violations = fake.violations.length;
    return [
      {
        name: `outbox broadcast to ${GROUPS} groups: throughput share of allowed rate (${limits.globalPerSecond}/s, time ×${TIME_SCALE})`,
        value: Math.round(share * 1000) / 10,
        unit: '%',
        baseline: { name: 'allowed rate (scaled)', value: allowedPerSec, unit: 'msg/s' },
        ratio: Math.round((achievedPerSec / allowedPerSec) * 1000) / 1000,
        target: '≥ 90%',
        pass: share >= 0.9 && left === 0 && delivered === GROUPS,
      },
      { name: 'outbox broadcast: limit violations seen by the server', value: violations, unit: 'violations', target: '0', pass: violations === 0 },
      { name: 'outbox broadcast: groups that got the message exactly once', value: delivered, unit: 'groups', target: `${GROUPS}, 0 duplicates`, pass: delivered === GROUPS && duplicates === 0 },
      { name: `outbox broadcast: enqueue ${enqueued} messages`, value: Math.round(enqueueMs), unit: 'ms' },
      { name: 'outbox broadcast: share of Telegram\'s 30/s global limit', value: Math.round(((achievedPerSec * TIME_SCALE) / 30) * 1000) / 10, unit: '%' },
    ];
  } finally {
    await bot.close();
    await fake.close();
  }
}
