/**
 * The scene-expiry sweep tells the person through the outbox (issue 19: "scene-expiry notices
 * bypass the outbox"): the notice is an outbox row under the session's key, so a sweep run by
 * two instances, or run again after a crash, tells nobody twice, and the notice is paced and
 * retried like every other message.
 */
import { describe, expect, it } from 'vitest';
import { startTestBot, testClock } from '../../../support/harness.ts';

describe('scene-expiry job', () => {
  it('queues one outbox notice per expired scene, also when the sweep runs twice', async () => {
    const clock = testClock('2026-11-22T02:00:00Z');
    const bot = await startTestBot({ clock });
    try {
      const person = { id: 2101, first_name: '王阿姨', language_code: 'zh' };
      await bot.say(person, '/name');
      const session = await bot.db.sceneSession.findFirstOrThrow();
      clock.advance(31 * 60_000);
      await bot.linli.scheduler.run('scene-expiry');
      await bot.linli.scheduler.run('scene-expiry');
      const rows = await bot.db.outboxMessage.findMany({ where: { refType: 'scene-expiry' } });
      expect(rows).toHaveLength(1);
      expect(rows[0].key).toBe(`scene-expired:${session.id}:telegram:${person.id}`);
      await bot.fake.waitFor({ chatId: person.id, text: '自动结束' });
      expect(bot.fake.messagesTo(person.id).filter((m) => (m.text ?? '').includes('自动结束'))).toHaveLength(1);
    } finally {
      await bot.close();
    }
  });
});
