/**
 * The PacedSender against a fake Bot API that enforces Telegram's limits (time scaled down: one
 * Telegram second lasts 50 ms, one minute 3 s) through the real Telegram adapter: a burst of
 * replies to one group all arrive, in order, without a single 429; replies and the outbox share
 * one budget; a 429 holds every sender; a refusal reaches the caller as a DeliveryError.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTelegramAdapter } from '../../../src/adapters/telegram/telegramAdapter.ts';
import { createLogger } from '../../../src/log.ts';
import { Outbox } from '../../../src/outbox/outbox.ts';
import { PacedSender } from '../../../src/outbox/pacedSender.ts';
import type { Slot } from '../../../src/outbox/pacing.ts';
import { TELEGRAM_LIMITS, type Limits } from '../../../src/outbox/rateLimiter.ts';
import { OutboxWorker } from '../../../src/outbox/worker.ts';
import { DeliveryError, type Adapter } from '../../../src/platform/adapter.ts';
import { startFakeBotApi, type FakeBotApi } from '../../support/fakeBotApi.ts';
import { freshDatabase, textOf } from '../../support/harness.ts';

const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
const TIME_SCALE = 0.05;
/**
 * Telegram's limits as the bot runs them, scaled like the fake's clock. The fake counts arrivals;
 * the margin (real milliseconds) covers the loopback's jitter between two requests that left
 * exactly one interval apart.
 */
const LIMITS: Limits = { ...TELEGRAM_LIMITS, timeScale: TIME_SCALE, marginMs: 50 };
const GROUP = -100777;

let fake: FakeBotApi;
let telegram: Adapter;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(): Promise<void> {
  fake = await startFakeBotApi({ enforceLimits: true, limits: { timeScale: TIME_SCALE } });
  cleanups.push(() => fake.close());
  telegram = createTelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, log });
}

const sent = (chat: number) => fake.messagesTo(chat).filter((m) => m.kind === 'send').map(textOf);

describe('PacedSender', () => {
  it('answers 30 commands in one group within 2 s: all 30 replies arrive, in order, with no limit violation', async () => {
    await setup();
    const sender = new PacedSender({ limits: { telegram: LIMITS }, log });
    const replies: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      replies.push(sender.send(telegram, String(GROUP), { text: `本社区进行中的投票（第 ${i + 1} 次查询）` }));
      if (i % 2) await new Promise((r) => setTimeout(r, 3)); // the commands arrive over a (scaled) 2 s
    }
    const results = await Promise.allSettled(replies);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(fake.violations).toEqual([]);
    expect(sent(GROUP)).toEqual(Array.from({ length: 30 }, (_, i) => `本社区进行中的投票（第 ${i + 1} 次查询）`));
  });

  it('shares one budget with the outbox worker: replies and a broadcast to the same group stay within the group limit', async () => {
    await setup();
    const { db } = await freshDatabase();
    cleanups.push(() => db.$disconnect());
    const sender = new PacedSender({ limits: { telegram: LIMITS }, log });
    const clock = () => new Date();
    const outbox = new Outbox(db, clock);
    const worker = new OutboxWorker({ db, outbox, adapters: new Map([['telegram', telegram]]), log, clock, sender, pollMs: 10 });
    cleanups.push(() => worker.stop());
    expect(worker.sender).toBe(sender);
    for (let i = 0; i < 15; i++) await outbox.enqueue({ key: `notice:${i}`, platform: 'telegram', chatId: String(GROUP), message: { text: `notice ${i}` } });
    // 15 notices and 15 replies: 30 messages, more than the group's 20 per minute.
    const flushed = worker.flush(30_000);
    const replies = Array.from({ length: 15 }, (_, i) => sender.send(telegram, String(GROUP), { text: `reply ${i}` }));
    await Promise.all(replies);
    expect(await flushed).toBe(0);
    expect(fake.violations).toEqual([]);
    const texts = sent(GROUP);
    expect(texts).toHaveLength(30);
    expect(texts.filter((t) => t.startsWith('notice'))).toEqual(Array.from({ length: 15 }, (_, i) => `notice ${i}`));
    expect(texts.filter((t) => t.startsWith('reply'))).toEqual(Array.from({ length: 15 }, (_, i) => `reply ${i}`));
  });

  it('waits out a 429 and sends again; nothing else goes out during the pause', async () => {
    await setup();
    const sender = new PacedSender({ limits: { telegram: LIMITS }, log });
    fake.failNext({ method: 'sendMessage', chatId: GROUP, errorCode: 429, retryAfter: 0.3 });
    const first = sender.send(telegram, String(GROUP), { text: 'slowed down' });
    await vi.waitFor(async () => expect(await sender.pauseLeft('telegram')).toBeGreaterThan(0));
    const other = sender.send(telegram, '-100778', { text: 'another group' });
    await Promise.all([first, other]);
    expect(sent(GROUP)).toEqual(['slowed down']);
    const calls = fake.calls.filter((c) => c.method === 'sendMessage');
    const refused = calls.find((c) => c.errorCode === 429)!;
    const after = calls.filter((c) => c.seq > refused.seq);
    expect(after.map((c) => c.ok)).toEqual([true, true]);
    for (const c of after) expect(c.at - refused.at).toBeGreaterThanOrEqual(290);
  });

  it('tells the caller when a message cannot be delivered: refused, or no slot in time', async () => {
    await setup();
    const sender = new PacedSender({ limits: { telegram: LIMITS }, log });
    fake.failNext({ method: 'sendMessage', chatId: GROUP, errorCode: 403 });
    const refused = await sender.send(telegram, String(GROUP), { text: 'x' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DeliveryError);
    expect((refused as DeliveryError).kind).toBe('forbidden');

    // A group that had its 20 messages this (scaled) minute: a reply that may wait only 100 ms fails.
    for (let i = 0; i < 20; i++) await sender.answered(await sender.acquire('telegram', '-100779', true));
    const late = await sender.send(telegram, '-100779', { text: 'too late' }, { maxWaitMs: 100 }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(DeliveryError);
    expect((late as DeliveryError).kind).toBe('rate_limited');
    expect(sent(-100779)).toEqual([]);
  });

  it('sends a reply longer than Telegram allows as several messages, buttons under the last', async () => {
    await setup();
    const sender = new PacedSender({ limits: { telegram: LIMITS }, log });
    const text = ['甲'.repeat(3000), '乙'.repeat(3000), '丙'.repeat(3000)].join('\n\n');
    const ref = await sender.send(telegram, '4242', { text, buttons: [[{ label: '更多', action: 'more:1' }]] });
    const messages = fake.messagesTo(4242);
    expect(messages.map((m) => textOf(m).length)).toEqual([3000, 3000, 3000]);
    expect(ref.messageId).toBe(String(messages[2].messageId));
    expect(fake.violations).toEqual([]);
  });

  it('serves a reply waiting for a slot before the outbox asks for the same slot', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-11-20T02:00:00Z'));
      const sender = new PacedSender({ limits: { telegram: { perChatIntervalMs: 0, perGroupPerMinute: 20, globalPerSecond: 1 } }, log });
      const first = await sender.tryAcquire('telegram', '1', false);
      expect(typeof first).toBe('object');
      await sender.answered(first as Slot);
      let replied = false;
      const reply = sender.acquire('telegram', '2', false).then((slot) => ((replied = true), slot));
      await new Promise((r) => setImmediate(r));
      expect(replied).toBe(false); // the global budget (1 a second) is used up
      vi.setSystemTime(Date.now() + 1000);
      // One slot is free again: the waiting reply gets it, the outbox waits.
      expect(typeof (await sender.tryAcquire('telegram', '3', false))).toBe('number');
      expect((await reply).chatId).toBe('2');
    } finally {
      vi.useRealTimers();
    }
  });
});
