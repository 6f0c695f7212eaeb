/**
 * Several outbox workers on one SQLite file (WAL): separate PrismaClients (each its own
 * better-sqlite3 connection) and a worker in a child process, sending through the real Telegram
 * adapter to the fake Bot API. Rows are claimed in the database, so no row is sent by two
 * workers; a worker killed between "the platform accepted the message" and "the row records
 * it" costs at most a repeat of what it had in flight; and a duplicate that can be detected (a
 * lease ran out while its call was still under way, another worker sent the same part) is taken
 * down — deleted where the adapter can delete, otherwise voided.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../../src/adapters/telegram/telegramAdapter.ts';
import { openDatabase, type Db } from '../../../src/db/client.ts';
import { createLogger } from '../../../src/log.ts';
import { Outbox } from '../../../src/outbox/outbox.ts';
import { OutboxWorker } from '../../../src/outbox/worker.ts';
import type { Limits } from '../../../src/outbox/rateLimiter.ts';
import type { Adapter } from '../../../src/platform/adapter.ts';
import { startFakeBotApi, type FakeBotApi } from '../../support/fakeBotApi.ts';
import { makeCommunity, bindTelegramGroup } from '../../support/fixtures.ts';
import { freshDatabase, testClock, textOf, type TestClock } from '../../support/harness.ts';

const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
const FAST: Limits = { perChatIntervalMs: 0, perGroupPerMinute: 10_000, globalPerSecond: 10_000 };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface WorkerSetup {
  db: Db;
  outbox: Outbox;
  worker: OutboxWorker;
  telegram: Adapter;
}

/** A worker on its own PrismaClient for `file`. */
async function workerOn(file: string, fake: FakeBotApi, opts: { clock?: () => Date; limits?: Limits; leaseMs?: number; deletes?: boolean; id: string }): Promise<WorkerSetup> {
  const db = await openDatabase(file);
  const clock = opts.clock ?? (() => new Date());
  const outbox = new Outbox(db, clock);
  const real = createTelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, log });
  // The Telegram adapter can delete; `deletes: false` stands for a platform that cannot, where the
  // worker voids a duplicate instead.
  const telegram: Adapter = opts.deletes ? real : new Proxy(real, { get: (target, prop) => (prop === 'deleteMessage' ? undefined : Reflect.get(target, prop)) });
  const worker = new OutboxWorker({ db, outbox, adapters: new Map([['telegram', telegram]]), log, clock, limits: { telegram: opts.limits ?? FAST }, leaseMs: opts.leaseMs ?? 60_000, pollMs: 10, workerId: opts.id });
  cleanups.push(async () => {
    await worker.stop();
    await db.$disconnect();
  });
  return { db, outbox, worker, telegram };
}

async function fakeServer(): Promise<FakeBotApi> {
  const fake = await startFakeBotApi();
  cleanups.push(() => fake.close());
  return fake;
}

/** A worker in a child process on the same file (see support/workerProcess.ts). */
async function workerProcess(file: string, fake: FakeBotApi, opts: { limits: Limits; leaseMs: number; id: string }): Promise<{ child: ChildProcess; sent(): Promise<number>; kill(): Promise<void> }> {
  const script = fileURLToPath(new URL('./support/workerProcess.ts', import.meta.url));
  const child = fork(script, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, OUTBOX_DB: file, FAKE_API_ROOT: fake.apiRoot, FAKE_TOKEN: fake.token, OUTBOX_LIMITS: JSON.stringify(opts.limits), OUTBOX_LEASE_MS: String(opts.leaseMs), OUTBOX_WORKER_ID: opts.id },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onExit = () => reject(new Error(`worker process exited before "${type}"`));
      child.once('exit', onExit);
      child.on('message', function on(m: { type: string }) {
        if (m.type !== type) return;
        child.off('message', on);
        child.off('exit', onExit);
        resolve(m as T);
      });
    });
  await next('ready');
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  cleanups.push(kill);
  return {
    child,
    sent: async () => {
      const p = next<{ sent: number }>('stats');
      child.send({ type: 'stats' });
      return (await p).sent;
    },
    kill,
  };
}

const sendsTo = (fake: FakeBotApi, chatId: number) => fake.messagesTo(chatId).filter((m) => m.kind === 'send');

describe('two workers on one SQLite file', () => {
  it('deliver 50 messages to 20 chats exactly once each, in order per chat (two PrismaClients and a second process)', async () => {
    const fake = await fakeServer();
    const { db, file } = await freshDatabase();
    cleanups.push(() => db.$disconnect());
    const chats = Array.from({ length: 20 }, (_, i) => -400100 - i);
    const outbox = new Outbox(db, () => new Date());
    for (let n = 0; n < 50; n++) {
      const chat = chats[n % chats.length];
      await outbox.enqueue({ key: `m${n}`, platform: 'telegram', chatId: String(chat), message: { text: `${chat}#${Math.floor(n / chats.length)}` } });
    }
    // A per-chat gap keeps every worker busy for a while, so the claims really interleave.
    const limits: Limits = { perChatIntervalMs: 40, perGroupPerMinute: 10_000, globalPerSecond: 10_000 };
    const a = await workerOn(file, fake, { limits, id: 'worker-a' });
    const b = await workerOn(file, fake, { limits, id: 'worker-b' });
    let sentByA = 0;
    let sentByB = 0;
    for (const [w, count] of [[a, () => sentByA++], [b, () => sentByB++]] as const) {
      const send = w.telegram.send.bind(w.telegram);
      w.telegram.send = async (chatId, message) => {
        const ref = await send(chatId, message);
        count();
        return ref;
      };
    }
    const other = await workerProcess(file, fake, { limits, leaseMs: 60_000, id: 'worker-process' });
    const [leftA, leftB] = await Promise.all([a.worker.flush(20_000), b.worker.flush(20_000)]);
    expect([leftA, leftB]).toEqual([0, 0]);
    const sentByProcess = await other.sent();

    for (const chat of chats) {
      const expected = Array.from({ length: 50 }, (_, n) => n).filter((n) => chats[n % chats.length] === chat).map((n) => `${chat}#${Math.floor(n / chats.length)}`);
      expect(sendsTo(fake, chat).map(textOf)).toEqual(expected);
    }
    console.log("DIST", sentByA, sentByB, sentByProcess);
    expect(sentByA + sentByB + sentByProcess).toBe(50);
    // Every worker took part (otherwise this would not test the claims).
    expect([sentByA, sentByB, sentByProcess].filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    expect(await db.outboxMessage.count({ where: { status: 'sent', claimedBy: null } })).toBe(50);
  });

  it('a worker killed with SIGKILL mid-broadcast: only the sends it had under way are repeated, every group gets the notice', async () => {
    const fake = await fakeServer();
    const { db, file } = await freshDatabase();
    cleanups.push(() => db.$disconnect());
    const community = await makeCommunity(db);
    const groups = Array.from({ length: 20 }, (_, i) => -500100 - i);
    for (const g of groups) await bindTelegramGroup(db, community, g);
    // The platform accepts the card for one group but the answer never reaches the worker.
    const held = fake.holdAnswers({ method: 'sendMessage', chatId: groups[7] });
    const doomed = await workerProcess(file, fake, { limits: { perChatIntervalMs: 0, perGroupPerMinute: 10_000, globalPerSecond: 20 }, leaseMs: 1000, id: 'doomed' });
    const outbox = new Outbox(db, () => new Date());
    expect(await outbox.publishToCommunity(community.id, 'poll:kill:card', () => ({ text: '投票：是否更换电梯', buttons: [[{ label: '赞成', action: 'v:1' }]] }))).toBe(20);
    await held.waitForHeld(1, { timeoutMs: 15_000 });
    await doomed.kill();

    const inFlight = await db.outboxMessage.findMany({ where: { status: 'sending' } });
    expect(inFlight.map((r) => r.chatId)).toContain(String(groups[7]));
    expect(inFlight.every((r) => r.claimedBy === 'doomed' && r.attemptStartedAt)).toBe(true);
    const before = new Map(groups.map((g) => [g, sendsTo(fake, g).length]));
    expect([...before.values()].filter((n) => n > 0).length).toBeLessThan(20);

    const survivor = await workerOn(file, fake, { leaseMs: 1000, id: 'survivor' });
    expect(await survivor.worker.flush(20_000)).toBe(0);
    const mayRepeat = new Set(inFlight.map((r) => r.chatId));
    for (const g of groups) {
      const copies = sendsTo(fake, g).length;
      expect(copies, `group ${g}`).toBeGreaterThanOrEqual(1);
      if (!mayRepeat.has(String(g))) expect(copies, `group ${g}`).toBe(1);
    }
    // The held one was accepted before the kill and sent again after it: the documented window.
    expect(sendsTo(fake, groups[7])).toHaveLength(2);
    const rows = await db.outboxMessage.findMany();
    expect(rows.every((r) => r.status === 'sent' && r.claimedBy === null)).toBe(true);
    expect(rows.find((r) => r.chatId === String(groups[7]))!.attempts).toBe(1);
    held.release();
  });
});

describe('a lease that runs out while the call is under way', () => {
  async function twoWorkers(opts: { deletes: boolean }): Promise<{ fake: FakeBotApi; db: Db; clock: TestClock; a: WorkerSetup; b: WorkerSetup }> {
    const fake = await fakeServer();
    const { db, file } = await freshDatabase();
    cleanups.push(() => db.$disconnect());
    const clock = testClock('2026-11-20T02:00:00Z');
    const a = await workerOn(file, fake, { clock, id: 'a', deletes: opts.deletes });
    const b = await workerOn(file, fake, { clock, id: 'b', deletes: opts.deletes });
    await a.outbox.enqueue({ key: 'poll:9:card:telegram:-9001', platform: 'telegram', chatId: '-9001', message: { text: '投票：周末是否开放活动室', buttons: [[{ label: '赞成', action: 'v:9:1' }, { label: '反对', action: 'v:9:2' }]] } });
    return { fake, db, clock, a, b };
  }

  const live = (fake: FakeBotApi, chat: number) => sendsTo(fake, chat).filter((m) => fake.messageState(chat, m.messageId) !== undefined);

  it('the worker that records second deletes its own copy (adapter with deleteMessage)', async () => {
    const { fake, db, clock, a, b } = await twoWorkers({ deletes: true });
    const heldA = fake.holdAnswers({ method: 'sendMessage', chatId: -9001 });
    const flushA = a.worker.flush(20_000);
    await heldA.waitForHeld(1);
    // The platform has A's card; the row says a send is under way.
    expect(await db.outboxMessage.findUnique({ where: { key: 'poll:9:card:telegram:-9001' } })).toMatchObject({ status: 'sending', claimedBy: 'a', partsSent: 0 });
    // A stalls past its lease; B takes the row over and sends it again.
    clock.advance(61_000);
    expect(await b.worker.flush(10_000)).toBe(0);
    const row = await db.outboxMessage.findUnique({ where: { key: 'poll:9:card:telegram:-9001' } });
    const [copyA, copyB] = sendsTo(fake, -9001);
    expect(row).toMatchObject({ status: 'sent', partsSent: 1, platformMessageId: String(copyB.messageId) });
    // A hears back at last: its outcome comes second, so its copy is the duplicate.
    heldA.release();
    expect(await flushA).toBe(0);
    expect(fake.calls.filter((c) => c.method === 'deleteMessage').map((c) => c.params.message_id)).toEqual([copyA.messageId]);
    expect(live(fake, -9001).map((m) => m.messageId)).toEqual([copyB.messageId]);
    expect(await db.outboxMessage.findUnique({ where: { key: 'poll:9:card:telegram:-9001' } })).toMatchObject({ status: 'sent', platformMessageId: String(copyB.messageId) });
  });

  it('the first to record keeps its copy; the other voids its own where the adapter cannot delete', async () => {
    const { fake, db, clock, a, b } = await twoWorkers({ deletes: false });
    const heldA = fake.holdAnswers({ method: 'sendMessage', chatId: -9001 });
    const flushA = a.worker.flush(20_000);
    await heldA.waitForHeld(1);
    clock.advance(61_000);
    const heldB = fake.holdAnswers({ method: 'sendMessage', chatId: -9001 });
    const flushB = b.worker.flush(20_000);
    await heldB.waitForHeld(1);
    // Both calls are under way; A's answer arrives first and A records the card.
    heldA.release();
    await flushA;
    const [copyA, copyB] = sendsTo(fake, -9001);
    expect(await db.outboxMessage.findUnique({ where: { key: 'poll:9:card:telegram:-9001' } })).toMatchObject({ status: 'sent', platformMessageId: String(copyA.messageId), claimedBy: null });
    heldB.release();
    expect(await flushB).toBe(0);
    const voided = fake.messageState(-9001, copyB.messageId) as { text?: string; reply_markup?: unknown };
    expect(voided.text).toBe('【邻里系统提示】本条消息因网络原因重复发送，已作废，请以同一内容的另一条为准。');
    expect(voided.reply_markup).toBeUndefined();
    const kept = fake.messageState(-9001, copyA.messageId) as { text?: string; reply_markup?: { inline_keyboard: unknown[][] } };
    expect(kept.text).toBe('投票：周末是否开放活动室');
    expect(kept.reply_markup?.inline_keyboard[0]).toHaveLength(2);
  });
});

describe('recorded outcomes', () => {
  it('a message whose parts were all recorded is not sent again after a crash, only pinned and closed', async () => {
    const fake = await fakeServer();
    const { db, file } = await freshDatabase();
    cleanups.push(() => db.$disconnect());
    const w = await workerOn(file, fake, { id: 'w' });
    const posted = await createTelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, log }).send('-9100', { text: '停水通知' });
    await w.outbox.enqueue({ key: 'notice', platform: 'telegram', chatId: '-9100', message: { text: '停水通知' }, pin: true });
    // As a crash between recording the last part and pinning left it.
    await db.outboxMessage.update({ where: { key: 'notice' }, data: { partsSent: 1, platformMessageId: posted.messageId, claimedBy: 'dead', leaseUntil: new Date(Date.now() - 1) } });
    expect(await w.worker.flush()).toBe(0);
    expect(sendsTo(fake, -9100)).toHaveLength(1);
    expect(fake.calls.filter((c) => c.method === 'pinChatMessage').map((c) => c.params.message_id)).toEqual([Number(posted.messageId)]);
    expect(await db.outboxMessage.findUnique({ where: { key: 'notice' } })).toMatchObject({ status: 'sent', claimedBy: null });
  });

  it('a claim that has not run out keeps other workers off the row; stopping gives it back', async () => {
    const fake = await fakeServer();
    const { db, file } = await freshDatabase();
    cleanups.push(() => db.$disconnect());
    const a = await workerOn(file, fake, { id: 'a' });
    const b = await workerOn(file, fake, { id: 'b' });
    await a.outbox.enqueue({ key: 'x', platform: 'telegram', chatId: '-9200', message: { text: 'x' } });
    // A claims the row but cannot send (a 429 pause holds it).
    await a.worker.sender.rateLimited('telegram', 60);
    expect(await a.worker.flush(200)).toBe(1);
    expect(await db.outboxMessage.findUnique({ where: { key: 'x' } })).toMatchObject({ status: 'pending', claimedBy: 'a' });
    expect(await b.worker.flush(200)).toBe(1);
    expect(sendsTo(fake, -9200)).toHaveLength(0);
    await a.worker.stop();
    expect(await db.outboxMessage.findUnique({ where: { key: 'x' } })).toMatchObject({ claimedBy: null, leaseUntil: null });
    expect(await b.worker.flush()).toBe(0);
    expect(sendsTo(fake, -9200)).toHaveLength(1);
  });
});
