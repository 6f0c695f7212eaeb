/**
 * The fake Telegram Bot API (tests/support/fakeBotApi.ts) in a worker thread, for benchmarks.
 *
 * In tests the fake shares the bot's thread, which is fine; in a benchmark that would charge
 * the fake's HTTP parsing, validation and bookkeeping to the bot's single core, while in
 * production Telegram is on other machines. Here the bot still talks real HTTP to the same
 * fake, only the fake runs on another thread. Messages: start → apiRoot, push N updates,
 * wait until N replies/answers arrived, stats.
 */
import { Worker } from 'node:worker_threads';
import type { FakeBotApiOptions, FakeChatInput, FakeUserInput } from '../../tests/support/fakeBotApi.ts';

/** What the bench thread asks the worker (see fakeWorker.ts). */
export type FakeRequest = { id: number } & (
  | { op: 'start'; options?: FakeBotApiOptions }
  | { op: 'sendTexts'; items: { from: FakeUserInput; chat?: FakeChatInput; text: string }[] }
  | { op: 'pressButtons'; items: { from: FakeUserInput; chat?: FakeChatInput; messageId: number; data: string }[] }
  | { op: 'waitForCall'; method: string; timeoutMs: number }
  | { op: 'waitConfirmed'; timeoutMs: number }
  | { op: 'waitCount'; kind: 'sent' | 'answered'; n: number; timeoutMs: number }
  | { op: 'count'; kind: 'sent' | 'answered' }
  | { op: 'messagesTo'; chatId: number | string }
  | { op: 'stats' }
  | { op: 'close' }
);

/** A message the bot sent, as far as a benchmark needs it. */
export interface SentSummary {
  messageId: number;
  chatId: number | string;
  text: string;
  replyMarkup?: { inline_keyboard?: { text: string; callback_data?: string }[][] };
}

/** Counters of the fake: messages sent, calls (by method), failed calls, the worker's CPU time. */
export interface FakeStats {
  sent: number;
  calls: number;
  failed: number;
  byMethod: Record<string, number>;
  cpuMs: number;
}

type Omitted<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A handle on the fake running in a worker thread. */
export class FakeInWorker {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  /** Use as telegraf's `apiRoot` (set by {@link FakeInWorker.start}). */
  apiRoot = '';
  /** The bot token the fake accepts. */
  token = '';

  private constructor(private readonly worker: Worker) {
    worker.on('message', (msg: { id: number; result?: unknown; error?: string }) => this.settleRequest(msg));
    worker.on('error', (err) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  /** Starts the worker and the fake server in it. */
  static async start(options: FakeBotApiOptions = {}): Promise<FakeInWorker> {
    // The .mjs entry registers tsx in the worker, then loads fakeWorker.ts.
    const fake = new FakeInWorker(new Worker(new URL('./fakeWorker.mjs', import.meta.url), { execArgv: [] }));
    const { apiRoot, token } = (await fake.request({ op: 'start', options })) as { apiRoot: string; token: string };
    fake.apiRoot = apiRoot;
    fake.token = token;
    return fake;
  }

  private settleRequest(msg: { id: number; result?: unknown; error?: string }): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.error !== undefined) p.reject(new Error(`fake worker: ${msg.error}`));
    else p.resolve(msg.result);
  }

  private request(req: Omitted<FakeRequest>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  /** Queues text messages (one update each) in one go. */
  sendTexts(items: { from: FakeUserInput; chat?: FakeChatInput; text: string }[]): Promise<number> {
    return this.request({ op: 'sendTexts', items }) as Promise<number>;
  }

  /** Queues button presses (one callback query each) in one go. */
  pressButtons(items: { from: FakeUserInput; chat?: FakeChatInput; messageId: number; data: string }[]): Promise<number> {
    return this.request({ op: 'pressButtons', items }) as Promise<number>;
  }

  /** Resolves once the bot made a call of `method` (e.g. `getUpdates`: polling started). */
  async waitForCall(method: string, timeoutMs = 5000): Promise<void> {
    await this.request({ op: 'waitForCall', method, timeoutMs });
  }

  /** Resolves once every queued update was confirmed (telegraf finished its handlers). */
  async waitConfirmed(timeoutMs = 15_000): Promise<void> {
    await this.request({ op: 'waitConfirmed', timeoutMs });
  }

  /** Resolves with the count once messages sent (`sent`) or answerCallbackQuery calls (`answered`) reach `n`, or at the timeout. */
  waitCount(kind: 'sent' | 'answered', n: number, timeoutMs = 120_000): Promise<number> {
    return this.request({ op: 'waitCount', kind, n, timeoutMs }) as Promise<number>;
  }

  /** Messages sent so far (`sent`) or answerCallbackQuery calls (`answered`). */
  count(kind: 'sent' | 'answered'): Promise<number> {
    return this.request({ op: 'count', kind }) as Promise<number>;
  }

  /** Messages the bot sent to a chat. */
  messagesTo(chatId: number | string): Promise<SentSummary[]> {
    return this.request({ op: 'messagesTo', chatId }) as Promise<SentSummary[]>;
  }

  /** Counters of the fake. */
  stats(): Promise<FakeStats> {
    return this.request({ op: 'stats' }) as Promise<FakeStats>;
  }

  /** Closes the server and ends the worker. */
  async close(): Promise<void> {
    await this.request({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}
