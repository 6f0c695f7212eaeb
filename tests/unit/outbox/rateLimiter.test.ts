import { describe, expect, it } from 'vitest';
import { RateLimiter, TELEGRAM_LIMITS } from '../../../src/outbox/rateLimiter.ts';

/** Sends as fast as the limiter allows from t=0 for `ms`, to `chats` round-robin; returns send times. */
function drive(limiter: RateLimiter, chats: string[], isGroup: boolean, ms: number): { chat: string; at: number }[] {
  const sent: { chat: string; at: number }[] = [];
  let now = 0;
  let i = 0;
  while (now < ms) {
    const chat = chats[i % chats.length];
    const d = limiter.delayFor(chat, isGroup, now);
    if (d > 0) {
      now += d;
      continue;
    }
    limiter.record(chat, isGroup, now);
    sent.push({ chat, at: now });
    i++;
  }
  return sent;
}

const maxInWindow = (times: number[], window: number) => {
  let max = 0;
  for (let a = 0, b = 0; b < times.length; b++) {
    while (times[b] - times[a] >= window) a++;
    max = Math.max(max, b - a + 1);
  }
  return max;
};

describe('RateLimiter', () => {
  it('keeps one chat to one message per second and a group to 20 per minute', () => {
    const sent = drive(new RateLimiter(TELEGRAM_LIMITS), ['-1'], true, 120_000);
    const times = sent.map((s) => s.at);
    expect(maxInWindow(times, 1000)).toBe(1);
    expect(maxInWindow(times, 60_000)).toBe(20);
    expect(sent.length).toBe(40);
  });

  it('keeps the global rate at 25 per second, spread out rather than in one burst', () => {
    const chats = Array.from({ length: 500 }, (_, i) => String(-i - 1));
    const times = drive(new RateLimiter(TELEGRAM_LIMITS), chats, true, 10_000).map((s) => s.at);
    expect(maxInWindow(times, 1000)).toBe(25);
    expect(times.length).toBeGreaterThanOrEqual(248); // 10 s at 25/s, minus nothing
    // A burst of at most 4, then paced: without pacing all 25 would leave at once.
    expect(maxInWindow(times, 100)).toBeLessThanOrEqual(7);
  });

  it('lets private chats skip the group rule and scales every window with timeScale', () => {
    const priv = drive(new RateLimiter(TELEGRAM_LIMITS), ['42'], false, 60_000);
    expect(priv.length).toBe(60);
    const scaled = drive(new RateLimiter({ ...TELEGRAM_LIMITS, timeScale: 0.01 }), ['-1'], true, 1200);
    expect(scaled.length).toBe(40); // 1.2 s = 2 scaled minutes
    expect(maxInWindow(scaled.map((s) => s.at), 10)).toBe(1);
  });

  it('holds a chat while its message is under way and counts the gap and the group window from the answer', () => {
    const limiter = new RateLimiter({ ...TELEGRAM_LIMITS, perGroupPerMinute: 2 });
    limiter.record('-1', true, 0);
    limiter.sending('-1', 0);
    // Unanswered: however long the call takes, the next message to the chat waits.
    expect(limiter.delayFor('-1', true, 5000)).toBeGreaterThan(0);
    expect(limiter.delayFor('-2', true, 5000)).toBe(0);
    // Answered at 400 ms: the one-second gap runs from then.
    limiter.answered('-1', true, 0, 400);
    expect(limiter.delayFor('-1', true, 1000)).toBe(400);
    limiter.record('-1', true, 1400);
    // The group window holds the first message at its answer time, 400 ms, not 0.
    expect(limiter.delayFor('-1', true, 60_000)).toBe(400);
    expect(limiter.delayFor('-1', true, 60_400)).toBe(0);
  });

  it('with margins, keeps real-millisecond room in the per-chat gap and the group window', () => {
    const limiter = new RateLimiter({ ...TELEGRAM_LIMITS, timeScale: 0.01, marginMs: 50 });
    limiter.record('-1', true, 0);
    expect(limiter.delayFor('-1', true, 10)).toBe(50);
    expect(limiter.delayFor('-1', true, 60)).toBe(0);
  });

  it('counts a message under way in the global window until it is answered', () => {
    const limiter = new RateLimiter({ perChatIntervalMs: 0, perGroupPerMinute: 20, globalPerSecond: 2 });
    limiter.record('1', false, 0);
    limiter.sending('1', 0);
    limiter.record('2', false, 500);
    limiter.sending('2', 500);
    // Long after a second, both are still on their way: nothing more may go.
    expect(limiter.delayFor('3', false, 3000)).toBeGreaterThan(0);
    // The first is answered at 3000: it leaves the window a second later.
    limiter.answered('1', false, 0, 3000);
    expect(limiter.delayFor('3', false, 3500)).toBe(500);
    limiter.answered('2', false, 500, 3100);
    expect(limiter.delayFor('3', false, 4000)).toBe(0);
  });
});
