import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindTelegramGroup, grantRole, makeCommunity } from '../../support/fixtures.ts';
import { buttonsOf, startTestBot, textOf, type TestBot } from '../../support/harness.ts';

/** /help and the /start menu offer what the commands' declared guards allow here. */
describe('/help and the menu follow the declared guards', () => {
  let bot: TestBot;
  const newcomer = { id: 9201, first_name: 'N', language_code: 'zh-CN' };
  const resident = { id: 9202, first_name: 'R', language_code: 'zh-CN' };
  const committee = { id: 9203, first_name: 'C', language_code: 'zh-CN' };
  const group = { id: -1009200, type: 'supergroup' as const, title: '巴登社区居民群' };
  const commandsIn = (text: string) => [...text.matchAll(/^\/(\w+) —/gm)].map((m) => m[1]);

  beforeAll(async () => {
    bot = await startTestBot();
    const community = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, community, group.id);
    await grantRole(bot.db, community, resident.id, 'verified');
    await grantRole(bot.db, community, committee.id, 'committee');
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('offers a newcomer neither residents’ nor committee commands', async () => {
    await bot.say(newcomer, '/help');
    const offered = commandsIn(textOf(bot.last(newcomer.id)));
    expect(offered).toEqual(expect.arrayContaining(['verify', 'whoami', 'disclosures', 'language']));
    for (const c of ['propose', 'rate', 'codes', 'members', 'publish', 'review', 'export', 'announce', 'ratings']) expect(offered).not.toContain(c);
    await bot.say(newcomer, '/start');
    expect(buttonsOf(bot.last(newcomer.id))).not.toContain('我要提议');
  });

  it('offers a verified resident the residents’ commands only', async () => {
    await bot.say(resident, '/help');
    const offered = commandsIn(textOf(bot.last(resident.id)));
    expect(offered).toEqual(expect.arrayContaining(['propose', 'rate', 'mydata']));
    for (const c of ['codes', 'members', 'publish', 'review', 'export', 'ratings']) expect(offered).not.toContain(c);
    await bot.say(resident, '/start');
    expect(buttonsOf(bot.last(resident.id))).toContain('我要提议');
  });

  it('offers the committee its commands, and in a group only those that work there', async () => {
    await bot.say(committee, '/help');
    const inPrivate = commandsIn(textOf(bot.last(committee.id)));
    expect(inPrivate).toEqual(expect.arrayContaining(['codes', 'members', 'publish', 'review', 'export', 'announce', 'ratings', 'ratingtargets']));
    expect(inPrivate).not.toContain('bind');
    await bot.say(committee, '/help', group);
    const inGroup = commandsIn(textOf(bot.last(group.id)));
    expect(inGroup).toEqual(expect.arrayContaining(['bind', 'publish', 'review']));
    for (const c of ['codes', 'members', 'export', 'ratings', 'mydata', 'community']) expect(inGroup).not.toContain(c);
  });
});
