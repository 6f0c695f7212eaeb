/**
 * On PostgreSQL an enqueue by another instance wakes the leader's sender at once (NOTIFY in the
 * enqueue's transaction, LISTEN on a connection of the sender's own), instead of at its next
 * poll; and the listener comes back after its connection is killed. PostgreSQL only: SQLite has
 * one process writing and sending, woken in memory (worker.test.ts).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/db/client.ts';
import { createLogger } from '../../../src/log.ts';
import { LISTENER_APPLICATION, OutboxListener } from '../../../src/outbox/listener.ts';
import { Outbox } from '../../../src/outbox/outbox.ts';
import { OutboxWorker } from '../../../src/outbox/worker.ts';
import type { Adapter } from '../../../src/platform/adapter.ts';
import type { OutMessage } from '../../../src/platform/messages.ts';
import { freshDatabase } from '../../support/harness.ts';
import { TEST_ENGINE } from '../../support/testDatabase.ts';

/** Far longer than any wake-up may take: a send within it was woken, not polled. */
const POLL_MS = 20_000;

describe.skipIf(TEST_ENGINE !== 'postgresql')('outbox wake-up on PostgreSQL', () => {
  let leaderDb: Db;
  let otherDb: Db;
  let url: string;
  let worker: OutboxWorker;
  let listener: OutboxListener;
  const sent: { text: string; at: number }[] = [];
  const clock = () => new Date();
  const log = createLogger('silent');

  const adapter: Adapter = {
    platform: 'telegram',
    capabilities: { buttons: true, deepLinks: true, maxTextLength: 4096 },
    start: async () => {},
    stop: async () => {},
    send: async (_chat: string, message: OutMessage) => {
      sent.push({ text: message.text, at: Date.now() });
      return { messageId: String(sent.length) };
    },
    edit: async () => {},
    pin: async () => {},
    answerAction: async () => {},
    deepLink: () => undefined,
    downloadFile: async () => Buffer.alloc(0),
    isGroupChat: (chatId) => chatId.startsWith('-'),
    privateChatId: (userId) => userId,
  };

  const until = async (what: () => boolean, ms: number) => {
    const end = Date.now() + ms;
    while (!what()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  /** Enqueues on the other instance's client and returns how long the leader took to send it. */
  const sendFromOtherInstance = async (text: string) => {
    const started = Date.now();
    expect(await new Outbox(otherDb, clock).enqueue({ key: text, platform: 'telegram', chatId: '-1001', message: { text } })).toBe(true);
    await until(() => sent.some((s) => s.text === text), POLL_MS / 2);
    return sent.find((s) => s.text === text)!.at - started;
  };

  beforeAll(async () => {
    const fresh = await freshDatabase();
    leaderDb = fresh.db;
    url = fresh.file;
    otherDb = await openDatabase(url);
    listener = new OutboxListener({ url, log });
    worker = new OutboxWorker({ db: leaderDb, outbox: new Outbox(leaderDb, clock), adapters: new Map([['telegram', adapter]]), log, clock, engine: 'postgresql', pollMs: POLL_MS, wakeups: listener });
    worker.start();
    await until(() => listener.listening, 5000);
    // The worker's first look found nothing: from here on only a wake-up (or the poll) makes it look again.
    await new Promise((r) => setTimeout(r, 200));
  });
  afterAll(async () => {
    await worker?.stop();
    await otherDb?.$disconnect();
    await leaderDb?.$disconnect();
  });

  it('sends a message another instance enqueued at once, not at the next poll', async () => {
    const ms = await sendFromOtherInstance('from-the-standby');
    expect(ms).toBeLessThan(1000);
  });

  it('listens again after its connection is terminated, and is woken as before', async () => {
    const killed = listener.backendPid!;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ done: boolean }>(
        'SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        [LISTENER_APPLICATION],
      );
      expect(rows).toEqual([{ done: true }]);
    } finally {
      await admin.end();
    }
    await until(() => listener.listening && listener.backendPid !== killed, 5000);
    const ms = await sendFromOtherInstance('after-the-cut');
    expect(ms).toBeLessThan(1000);
    expect(sent.map((s) => s.text)).toEqual(['from-the-standby', 'after-the-cut']);
  });
});
