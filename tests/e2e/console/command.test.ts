/**
 * The /console command in chat and the demo's link: only in a private chat (a group is pointed
 * there and gets no link), listed in /help for those who may open the console and not for
 * residents, a button when the console has a public https address; and the terminal demo's
 * clerk, whose link `npm start` prints, signs in.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURES } from '../../../src/features.ts';
import { demoConsoleLink, registerConsole } from '../../../src/features/console/index.ts';
import { ensureDemoCommunity } from '../../../src/features/demo/demo.ts';
import { bindTelegramGroup, grantRole, makeCommunity } from '../../support/fixtures.ts';
import { buttonsOf, startTestBot, textOf, type TestBot } from '../../support/harness.ts';
import { Visitor } from './support/visit.ts';

const GROUP = -100_555;
const committee = { id: 1, first_name: '张丽华', language_code: 'zh-CN' };
const resident = { id: 11, first_name: '王芳', language_code: 'zh-CN' };

describe('/console in chat', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ features: FEATURES, env: { LINLI_PUBLIC_URL: 'https://linli.example.org' } });
    const community = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, community, GROUP);
    await grantRole(bot.db, community, committee.id, 'committee');
    await grantRole(bot.db, community, resident.id, 'verified');
  }, 60_000);
  afterAll(async () => bot?.close());

  it('answers in the private chat only, with a button to the https console', async () => {
    await bot.say(committee, '/console', { id: GROUP, type: 'supergroup', title: '巴登社区居民群' });
    expect(textOf(bot.last(GROUP))).toContain('私聊');
    expect(textOf(bot.last(GROUP))).not.toContain('/console/signin/');
    expect(await bot.db.consoleLink.count()).toBe(0);
    await bot.say(committee, '/console');
    const answer = bot.last(committee.id);
    expect(textOf(answer)).toMatch(/https:\/\/linli\.example\.org\/console\/signin\/[A-Za-z0-9_-]{43}/);
    expect(textOf(answer)).toContain('10分钟内有效');
    expect(buttonsOf(answer)).toEqual(['打开管理后台']);
    expect(await bot.db.consoleLink.count()).toBe(1);
  });

  it('is listed in /help for the committee and not for residents', async () => {
    await bot.say(committee, '/help');
    expect(textOf(bot.last(committee.id))).toContain('打开网页管理后台');
    await bot.say(resident, '/help');
    expect(textOf(bot.last(resident.id))).not.toContain('打开网页管理后台');
    await bot.say(resident, '/console');
    expect(textOf(bot.last(resident.id))).toContain('管理后台仅向社区居委会成员');
  });
});

describe('the terminal demo\'s console link', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ features: FEATURES });
  }, 60_000);
  afterAll(async () => bot?.close());

  it('gives the demo community a clerk whose link signs in, once per start', async () => {
    const community = (await ensureDemoCommunity(bot.db, '演示居民', { userId: 'console-user', groupChatId: 'console-group' }))!;
    const first = await demoConsoleLink(bot.linli.services, community.id, '演示工作人员');
    expect('url' in first && first.url).toMatch(/^http:\/\/localhost:8080\/console\/signin\//);
    const app = Fastify();
    await registerConsole(app, bot.linli.services);
    const v = new Visitor(app);
    expect((await v.signIn((first as { url: string }).url)).statusCode).toBe(303);
    expect((await v.get('/console/c/badeng')).statusCode).toBe(200);
    // Started again: the same clerk, a new link; after five in an hour, a reason instead of a crash.
    for (let i = 0; i < 4; i++) expect('url' in (await demoConsoleLink(bot.linli.services, community.id, '演示工作人员'))).toBe(true);
    const refused = await demoConsoleLink(bot.linli.services, community.id, '演示工作人员');
    expect(refused).toEqual({ refused: expect.stringContaining('一小时内最多可申请5次') });
    expect(await bot.db.identity.count({ where: { platform: 'console', platformUserId: 'demo-clerk' } })).toBe(1);
    await app.close();
  });
});
