/**
 * An outbox worker in a process of its own, for the tests that run two workers on one SQLite
 * file or kill one with SIGKILL. It opens the file given in OUTBOX_DB, sends through the real
 * Telegram adapter to the fake Bot API at FAKE_API_ROOT, and counts what it sent (`stats`).
 */
import { createTelegramAdapter } from '../../../../src/adapters/telegram/telegramAdapter.ts';
import { openDatabase } from '../../../../src/db/client.ts';
import { createLogger } from '../../../../src/log.ts';
import { Outbox } from '../../../../src/outbox/outbox.ts';
import { OutboxWorker } from '../../../../src/outbox/worker.ts';
import type { Adapter } from '../../../../src/platform/adapter.ts';

const env = process.env;
const log = createLogger(env.TEST_LOG_LEVEL ?? 'silent');
const db = await openDatabase(env.OUTBOX_DB!);
const clock = () => new Date();
const telegram = createTelegramAdapter({ token: env.FAKE_TOKEN!, apiRoot: env.FAKE_API_ROOT!, log });
let sent = 0;
const counting: Adapter = {
  ...telegram,
  async send(chatId, message) {
    const ref = await telegram.send(chatId, message);
    sent++;
    return ref;
  },
};
const worker = new OutboxWorker({
  db,
  outbox: new Outbox(db, clock),
  adapters: new Map([['telegram', counting]]),
  log,
  clock,
  limits: { telegram: JSON.parse(env.OUTBOX_LIMITS!) },
  leaseMs: Number(env.OUTBOX_LEASE_MS),
  pollMs: 10,
  workerId: env.OUTBOX_WORKER_ID,
});
worker.start();
process.send!({ type: 'ready' });
process.on('message', (msg: { type: string }) => {
  if (msg.type === 'stats') process.send!({ type: 'stats', sent });
  if (msg.type === 'stop') void worker.stop().then(() => db.$disconnect()).then(() => process.exit(0));
});
