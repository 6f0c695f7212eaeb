/**
 * Every adapter starts once: a second `start` rejects (it would attach a second sink that is
 * silently ignored, or double every event), and the first start keeps working after it.
 */
import type { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { createConsoleAdapter } from '../../../src/adapters/console/consoleAdapter.ts';
import { createTelegramAdapter } from '../../../src/adapters/telegram/telegramAdapter.ts';
import { createWechatAdapter } from '../../../src/adapters/wechat/wechatAdapter.ts';
import { createLogger } from '../../../src/log.ts';
import type { Incoming } from '../../../src/platform/messages.ts';
import { startFakeBotApi } from '../../support/fakeBotApi.ts';

const log = createLogger('silent');

describe('start() runs once', () => {
  it('Telegram: the second start rejects, updates still arrive once', async () => {
    const fake = await startFakeBotApi();
    const adapter = createTelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, log });
    const seen: Incoming[] = [];
    try {
      await adapter.start(async (i) => void seen.push(i));
      await fake.waitForCall('getUpdates');
      await expect(adapter.start(async () => undefined)).rejects.toThrow(/started already/);
      fake.sendText({ from: { id: 77 }, text: 'hello' });
      await fake.waitForUpdatesConfirmed();
      expect(seen.map((i) => i.type === 'text' && i.text)).toEqual(['hello']);
      // getMe ran once: the second call gave up before touching the API.
      expect(fake.calls.filter((c) => c.method === 'getMe')).toHaveLength(1);
    } finally {
      await adapter.stop();
      await fake.close();
    }
  });

  it('WeChat: the second start rejects', async () => {
    const mocker = new mock.Mocker();
    mocker.createContact({ id: 'wx-bot', name: '邻里' });
    const adapter = createWechatAdapter({ puppet: new PuppetMock({ mocker }), log, replyHint: async () => '', remember: async () => undefined });
    try {
      await adapter.start(async () => undefined);
      await expect(adapter.start(async () => undefined)).rejects.toThrow(/started already/);
      expect((adapter.wechaty as unknown as EventEmitter).listenerCount('message')).toBe(1);
    } finally {
      await adapter.stop();
    }
  });

  it('console: the second start rejects, each line arrives once', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const adapter = createConsoleAdapter({ input, output, t: (k) => k, remember: async () => undefined });
    const seen: string[] = [];
    await adapter.start(async (i) => void (i.type === 'text' && seen.push(i.text)));
    await expect(adapter.start(async (i) => void (i.type === 'text' && seen.push(`again ${i.text}`)))).rejects.toThrow(/started already/);
    input.write('你好\n');
    await new Promise((r) => setImmediate(r));
    await adapter.stop();
    expect(seen).toEqual(['你好']);
  });
});
