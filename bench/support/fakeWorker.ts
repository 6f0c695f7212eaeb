/**
 * Worker-thread side of {@link ../support/fakeInWorker.ts}: runs the fake Telegram Bot API
 * (tests/support/fakeBotApi.ts, unchanged) in its own thread, so that its HTTP parsing and
 * bookkeeping are not charged to the bot's core in benchmarks — in production Telegram runs
 * elsewhere. Commands arrive as messages; every answer carries the request's `id`.
 */
import { parentPort } from 'node:worker_threads';
import { startFakeBotApi, type FakeBotApi, type FakeChatInput, type FakeUserInput } from '../../tests/support/fakeBotApi.ts';
import type { FakeRequest } from './fakeInWorker.ts';

const port = parentPort!;
let fake: FakeBotApi | undefined;

/** Counts records incrementally (a cursor per kind), so waiting stays O(n) overall. */
const counters = { sent: { cursor: 0, n: 0 }, answered: { cursor: 0, n: 0 } };
function count(kind: 'sent' | 'answered'): number {
  const f = fake!;
  if (kind === 'sent') return f.sent.length;
  const c = counters.answered;
  for (; c.cursor < f.calls.length; c.cursor++) if (f.calls[c.cursor].method === 'answerCallbackQuery') c.n++;
  return c.n;
}

/** Resolves once `count(kind) >= n` (checked every millisecond; cheap and off the bot's thread). */
function waitCount(kind: 'sent' | 'answered', n: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    const check = () => {
      const now = count(kind);
      if (now >= n || performance.now() - started > timeoutMs) resolve(now);
      else setTimeout(check, 1);
    };
    check();
  });
}

async function handle(req: FakeRequest): Promise<unknown> {
  switch (req.op) {
    case 'start':
      fake = await startFakeBotApi(req.options ?? {});
      return { apiRoot: fake.apiRoot, token: fake.token };
    case 'sendTexts':
      for (const t of req.items as { from: FakeUserInput; chat?: FakeChatInput; text: string }[]) fake!.sendText(t);
      return req.items.length;
    case 'pressButtons':
      for (const p of req.items as Parameters<FakeBotApi['pressButton']>[0][]) fake!.pressButton(p);
      return req.items.length;
    case 'waitForCall':
      await fake!.waitForCall(req.method, { timeoutMs: req.timeoutMs });
      return true;
    case 'waitConfirmed':
      await fake!.waitForUpdatesConfirmed({ timeoutMs: req.timeoutMs });
      return true;
    case 'waitCount':
      return waitCount(req.kind, req.n, req.timeoutMs);
    case 'count':
      return count(req.kind);
    case 'messagesTo':
      return fake!.messagesTo(req.chatId).map((m) => ({ messageId: m.messageId, chatId: m.chatId, text: m.plainText ?? m.text ?? m.caption ?? '', replyMarkup: m.replyMarkup }));
    case 'stats': {
      const byMethod: Record<string, number> = {};
      let failed = 0;
      for (const c of fake!.calls) {
        byMethod[c.method] = (byMethod[c.method] ?? 0) + 1;
        if (c.ok === false) failed++;
      }
      return { sent: fake!.sent.length, calls: fake!.calls.length, failed, byMethod, cpuMs: process.cpuUsage().user / 1000 };
    }
    case 'close':
      await fake?.close();
      return true;
  }
}

port.on('message', (req: FakeRequest) => {
  handle(req).then(
    (result) => port.postMessage({ id: req.id, result }),
    (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
