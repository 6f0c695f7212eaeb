/**
 * The pacing shared through the database: two stores on two connections to one SQLite file
 * stand for two instances of one bot. Together they stay inside one bot's limits (a group's
 * minute, the global second, a chat's message under way), and a 429 pause recorded by one holds
 * the other.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/client.ts';
import { openDatabase } from '../../../src/db/client.ts';
import { SharedPacingStore } from '../../../src/outbox/sharedPacing.ts';
import type { Limits } from '../../../src/outbox/rateLimiter.ts';
import { freshDatabase } from '../../support/harness.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SharedPacingStore', { timeout: 20_000 }, () => {
  const dbs: Db[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.$disconnect();
  });
  /**
   * Two instances' stores on one database file. `sameConnection` for the races: better-sqlite3
   * waits for a lock synchronously, so two connections of one process that race for the write
   * lock would stall each other (two processes do not; the fault tests race two real processes).
   */
  async function twoInstances(limits: Limits, sameConnection = false): Promise<[SharedPacingStore, SharedPacingStore]> {
    const { db, file } = await freshDatabase();
    const other = sameConnection ? db : await openDatabase(file);
    dbs.push(...new Set([db, other]));
    return [new SharedPacingStore(db, { telegram: limits }), new SharedPacingStore(other, { telegram: limits })];
  }

  /** Both stores take slots for `chats` as fast as they can for `ms`; returns the slot times. */
  async function race(stores: SharedPacingStore[], chats: string[], ms: number): Promise<number[]> {
    const taken: number[] = [];
    const end = Date.now() + ms;
    await Promise.all(
      stores.map(async (store, n) => {
        let i = n;
        while (Date.now() < end) {
          const chatId = chats[i++ % chats.length];
          const at = Date.now();
          if ((await store.take('telegram', chatId, chatId.startsWith('-'), at)) === 0) {
            taken.push(at);
            await store.answered({ platform: 'telegram', chatId, isGroup: chatId.startsWith('-'), at }, Date.now());
          } else await sleep(1);
        }
      }),
    );
    return taken.sort((a, b) => a - b);
  }

  it("gives a group no more than its minute's messages, whichever instance asks", async () => {
    // A "minute" of 6 s: five messages to the group in all, not five per instance.
    const stores = await twoInstances({ perChatIntervalMs: 10, perGroupPerMinute: 5, globalPerSecond: 1000, timeScale: 0.1 }, true);
    const taken = await race(stores, ['-1001'], 700);
    expect(taken).toHaveLength(5);
  });

  it('keeps both instances together inside the global second', async () => {
    const stores = await twoInstances({ perChatIntervalMs: 0, perGroupPerMinute: 1000, globalPerSecond: 10 }, true);
    const chats = Array.from({ length: 40 }, (_, i) => String(1000 + i));
    const taken = await race(stores, chats, 1500);
    // Every second-long window holds at most 10 slots of the two together.
    for (let i = 0; i < taken.length; i++) expect(taken.filter((t) => t >= taken[i] && t < taken[i] + 1000).length).toBeLessThanOrEqual(10);
    expect(taken.length).toBeGreaterThanOrEqual(10);
  });

  it('judges takes asked at once one after another: no more than the second and the burst allow, one per chat', async () => {
    const [a, b] = await twoInstances({ perChatIntervalMs: 1000, perGroupPerMinute: 1000, globalPerSecond: 10 }, true);
    const at = Date.now();
    // 30 takes at once from one instance (they share its transactions), 8 of them for chat 7;
    // the other instance asks in between.
    const chats = Array.from({ length: 30 }, (_, i) => String(i < 8 ? 7 : 100 + i));
    const waits = await Promise.all([...chats.map((c) => a.take('telegram', c, false, at)), b.take('telegram', '555', false, at)]);
    const given = waits.flatMap((w, i) => (w === 0 ? [i === chats.length ? '555' : chats[i]] : []));
    // The burst rule: at most PACING_BURST (4) slots in the time the rate refills them.
    expect(given.length).toBe(4);
    // Chat 7 once (its gap), and the first take asked for it got it.
    expect(given.filter((c) => c === '7')).toEqual(['7']);
    expect(waits[0]).toBe(0);
    expect(waits.slice(1, 8).every((w) => w > 0)).toBe(true);
    // Answers reported together are all written: chat 7 is free once its gap has passed.
    const slots = given.map((chatId) => ({ platform: 'telegram', chatId, isGroup: false, at }));
    await Promise.all(slots.map((slot, i) => (slot.chatId === '555' ? b : a).answered(slot, Date.now() + i)));
    await sleep(1100);
    expect(await a.take('telegram', '7', false, Date.now())).toBe(0);
  });

  it("holds a chat while another instance's message to it is under way", async () => {
    const [a, b] = await twoInstances({ perChatIntervalMs: 50, perGroupPerMinute: 20, globalPerSecond: 25 });
    const at = Date.now();
    expect(await a.take('telegram', '42', false, at)).toBe(0);
    await sleep(120);
    // Past the gap, but the message has not been answered yet.
    expect(await b.take('telegram', '42', false, Date.now())).toBeGreaterThan(0);
    await a.answered({ platform: 'telegram', chatId: '42', isGroup: false, at }, Date.now());
    await sleep(60);
    expect(await b.take('telegram', '42', false, Date.now())).toBe(0);
  });

  it("honours another instance's 429 pause, and a shorter one does not shorten it", async () => {
    const [a, b] = await twoInstances({ perChatIntervalMs: 0, perGroupPerMinute: 100, globalPerSecond: 25 });
    const until = Date.now() + 1500;
    await a.pause('telegram', until);
    await a.pause('telegram', Date.now() + 100);
    const wait = await b.take('telegram', '7', false, Date.now());
    expect(wait).toBeGreaterThan(1000);
    expect(await b.pausedUntil('telegram')).toBe(until);
  });
});
