import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyPerson } from '../../../src/features/notify.ts';
import type { Community } from '../../../src/generated/prisma/client.ts';
import { makeCommunity, telegramPerson } from '../../support/fixtures.ts';
import { startTestBot, textOf, type TestBot } from '../../support/harness.ts';

describe('notifyPerson: private notices through the outbox', () => {
  let bot: TestBot;
  let english: Community;
  const expired = { refType: 'test', message: (t: (k: string) => string) => ({ text: t('scene.expired') }) };
  const textsTo = (id: number) => bot.fake.messagesTo(id).map(textOf);

  beforeAll(async () => {
    bot = await startTestBot();
    english = await makeCommunity(bot.db, 'yuanling', 'Yuanling');
    await bot.db.community.update({ where: { id: english.id }, data: { locale: 'en' } });
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('writes in the person’s language, else their client’s, else the community’s, else the deployment’s', async () => {
    const saved = await telegramPerson(bot.db, 9101);
    await bot.db.person.update({ where: { id: saved.id }, data: { locale: 'en', clientLanguage: 'zh-hans' } });
    const client = await telegramPerson(bot.db, 9102);
    await bot.db.person.update({ where: { id: client.id }, data: { clientLanguage: 'en-GB' } });
    const plain = await telegramPerson(bot.db, 9103);
    const services = bot.linli.services;
    expect(await notifyPerson(services, saved.id, { key: 'n1', communityId: null, ...expired })).toBe(1);
    expect(await notifyPerson(services, client.id, { key: 'n1', ...expired })).toBe(1);
    expect(await notifyPerson(services, plain.id, { key: 'n1', communityId: english.id, ...expired })).toBe(1);
    expect(await notifyPerson(services, plain.id, { key: 'n2', ...expired })).toBe(1);
    await bot.flushOutbox();
    expect(textsTo(9101).join()).toContain('no reply for a while');
    expect(textsTo(9102).join()).toContain('no reply for a while');
    expect(textsTo(9103)[0]).toContain('no reply for a while');
    expect(textsTo(9103)[1]).toContain('自动结束');
  });

  it('sends once per key, only on running platforms, and never to the erased', async () => {
    const services = bot.linli.services;
    const both = await telegramPerson(bot.db, 9104);
    await bot.db.identity.create({ data: { personId: both.id, platform: 'wechat', platformUserId: 'wx-9104' } });
    expect(await notifyPerson(services, both.id, { key: 'once', ...expired })).toBe(1);
    expect(await notifyPerson(services, both.id, { key: 'once', ...expired })).toBe(0);
    expect(await notifyPerson(services, both.id, { key: 'first', reach: 'first', ...expired })).toBe(1);
    expect(await notifyPerson(services, both.id, { key: 'elsewhere', platform: 'wechat', ...expired })).toBe(0);
    const rows = await bot.db.outboxMessage.findMany({ where: { key: { startsWith: 'once:' } } });
    expect(rows.map((r) => r.key)).toEqual(['once:telegram:9104']);

    const gone = await telegramPerson(bot.db, 9105);
    await bot.db.person.update({ where: { id: gone.id }, data: { erasedAt: new Date() } });
    expect(await notifyPerson(services, gone.id, { key: 'gone', ...expired })).toBe(0);
    expect(await notifyPerson(services, 'no-such-person', { key: 'gone', ...expired })).toBe(0);
  });

  it('finds a running adapter by a stored platform name', () => {
    expect(bot.linli.services.adapterFor('telegram')?.platform).toBe('telegram');
    expect(bot.linli.services.adapterFor('wechat')).toBeUndefined();
    expect(bot.linli.services.adapterFor('fax')).toBeUndefined();
  });
});
