/**
 * Linking across platforms, end to end: one bot running Telegram (fake Bot API) and WeChat (mock
 * puppet). A verified Telegram resident makes a code with /link, redeems it on WeChat, and is then
 * one person with one membership whichever platform they write from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURES } from '../../../../src/features.ts';
import { textOf } from '../../../support/harness.ts';
import { grantRole, makeCommunity } from '../../../support/fixtures.ts';
import { startWechatDriver } from '../../../scenarios/wechatDriver.ts';

const tgUser = { id: 4001, first_name: '王', language_code: 'zh-CN' };
const wxUser = { id: 4001, name: '王阿姨' };

describe('linking Telegram and WeChat', () => {
  let driver: Awaited<ReturnType<typeof startWechatDriver>>;

  beforeAll(async () => {
    driver = await startWechatDriver({ features: FEATURES });
  });
  afterAll(async () => {
    await driver.close();
  });

  it('makes one person with one membership and one vote path', async () => {
    const { bot } = driver;
    const community = await makeCommunity(bot.db);
    const tgPerson = await grantRole(bot.db, community, tgUser.id, 'verified', '5栋-1单元-502');

    // On WeChat the resident is a stranger at first.
    await driver.say(wxUser, '/whoami');
    expect(driver.textsTo(wxUser).at(-1)).toContain('尚未');

    // In a group the code is never shown.
    await bot.say(tgUser, '/link', { id: -100500, type: 'supergroup', title: '群' });
    expect(textOf(bot.last(-100500))).toContain('私聊');

    await bot.say(tgUser, '/link');
    const created = textOf(bot.last(tgUser.id));
    const code = /\/link ([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(created)?.[1];
    expect(code, created).toBeDefined();

    await driver.say(wxUser, '/link WRONG-CODE');
    expect(driver.textsTo(wxUser).at(-1)).toContain('格式有误');
    await driver.say(wxUser, `关联 ${code}`);
    expect(driver.textsTo(wxUser).at(-1)).toContain('关联成功');
    expect(driver.textsTo(wxUser).at(-1)).toContain('Telegram和微信');

    await driver.say(wxUser, '/whoami');
    expect(driver.textsTo(wxUser).at(-1)).toContain('巴登社区');
    expect(driver.textsTo(wxUser).at(-1)).toContain('5栋-1单元-502');

    const identities = await bot.db.identity.findMany({ where: { personId: tgPerson.id } });
    expect(identities.map((i) => i.platform).sort()).toEqual(['telegram', 'wechat']);
    expect(await bot.db.membership.count({ where: { personId: tgPerson.id } })).toBe(1);
    expect(await bot.db.person.count({ where: { identities: { some: { platformUserId: { in: [String(tgUser.id), 'wx4001'] } } } } })).toBe(1);

    // The code is spent.
    await driver.say({ id: 4002, name: '别人' }, `/link ${code}`);
    expect(driver.textsTo({ id: 4002, name: '别人' }).at(-1)).toContain('已被使用');
  });
});
