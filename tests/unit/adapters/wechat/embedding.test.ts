/**
 * Embedding: the package entry builds a WeChat-only bot in-process with an injected mock puppet,
 * exactly as the README shows, and it answers. No Telegram is configured.
 */
import { join } from 'node:path';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { describe, expect, it } from 'vitest';
import { createLinli } from '../../../../src/index.ts';
import { tempDir } from '../../../support/harness.ts';
import { createLogger } from '../../../../src/log.ts';

describe('createLinli from the package entry', () => {
  it('runs on WeChat alone with an injected puppet, and ignores replayed old messages', async () => {
    const mocker = new mock.Mocker();
    const said: string[] = [];
    const bot = await createLinli({
      env: { LINLI_ADMINS: 'wechat:wx-admin' },
      databaseFile: join(tempDir(), 'embedded.db'),
      log: createLogger('silent'),
      wechat: { puppet: new PuppetMock({ mocker }), sendGapMs: 0 },
      schedule: false,
    });
    expect(bot.telegram).toBeUndefined();
    expect(bot.wechat).toBeDefined();
    expect([...bot.services.adapters.keys()]).toEqual(['wechat']);
    const me = mocker.createContact({ id: 'wx-bot', name: '邻里' });
    const resident = mocker.createContact({ id: 'wx-r1', name: '王' });
    mocker.puppet.on('message', ({ messageId }) => {
      const p = mocker.messagePayload(messageId);
      if (p.talkerId === 'wx-bot') said.push(p.text ?? '');
    });
    try {
      await bot.start();
      mocker.login(me);
      while (!bot.wechat!.wechaty.isLoggedIn) await new Promise((r) => setTimeout(r, 5));

      // A message from an hour ago (history a web puppet replays after login) is not acted on.
      const old = mocker.MessageMock.create({ id: 'old-1', talkerId: 'wx-r1', listenerId: 'wx-bot', text: '/help', timestamp: Date.now() - 3600_000, type: 7 });
      mocker.puppet.emit('message', { messageId: old.id });
      resident.say('帮助').to(me);
      const deadline = Date.now() + 5000;
      while (!said.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50));
      expect(said).toHaveLength(1);
      expect(said[0]).toContain('【可办理事项】');
      expect(await bot.db.processedUpdate.count({ where: { updateId: 'old-1' } })).toBe(0);
    } finally {
      await bot.stop();
    }
  });
});
