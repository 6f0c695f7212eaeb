/**
 * Elderly-friendly verification and non-text messages (#14 item 9), on Telegram and WeChat from
 * one definition: a code typed on its own verifies (any case, with or without the dash,
 * full-width); the 居民认证 button asks for the code and takes the next message; a code for
 * another household asks before moving the person; a voice message, sticker, photo or location
 * sent where the bot waits for something gets a short answer saying what to do — and in a group
 * it stays ignored.
 */
import { expect } from 'vitest';
import { describeOnAllPlatforms } from '../scenarios/platforms.ts';
import type { Scenario, ScenarioGroup, ScenarioUser, World } from '../scenarios/driver.ts';
import { community, issue } from '../scenarios/foundation.ts';
import { issueCodes } from '../../src/domain/residents/verification.ts';
import { OPERATOR } from '../support/fixtures.ts';

const u = (id: number, name: string): ScenarioUser => ({ id, name });
const grandma = u(7001, '张奶奶');
const grandpa = u(7002, '李大爷');
const mover = u(7003, '王叔');
const talker = u(7004, '赵阿姨');
const group: ScenarioGroup = { id: 7, title: '巴登社区邻里群' };

/** The code as an elderly resident might type it: lower case, no dash, full-width, spaces around. */
const fullWidth = (s: string) => [...s].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
/**
 * A code with a digit in it (most are): lower case without the dash, a digit-less code would be
 * an English word to the bot — only the button's question takes it that way.
 */
const issueWithDigit = (name: string, unit: string) => async (w: World) => {
  const c = await community(w);
  for (;;) {
    const [code] = await issueCodes(w.driver.db, OPERATOR, 'cli', { communityId: c.id, role: 'verified', unit, count: 1, expiresInMs: 86_400_000 });
    if (/\d/.test(code)) return void (w.vars[name] = code);
    await w.driver.db.verificationCode.updateMany({ where: { unit, redeemedAt: null }, data: { revokedAt: new Date() } });
  }
};
const unitOf = async (w: World, user: ScenarioUser) => {
  const m = await w.driver.db.membership.findFirst({ where: { role: 'verified', communityId: (await community(w)).id, person: { identities: { some: { platformUserId: w.driver.accountId(user) } } } }, include: { household: true } });
  return m?.household?.unit ?? null;
};

const scenarios: Scenario[] = [
  {
    name: 'a code typed on its own verifies, however it is typed',
    steps: [
      { run: issueWithDigit('c1', '3栋-2单元-501') },
      { say: (w) => `  ${fullWidth(w.vars.c1.toLowerCase().replace('-', ''))} `, as: grandma },
      { expect: grandma, contains: ['认证成功', '3栋-2单元-501'] },
      { run: issue('c2', 'verified', '5栋-1单元-102') },
      { say: (w) => w.vars.c2.toLowerCase().replace('-', ' '), as: grandpa },
      { expect: grandpa, contains: ['认证成功', '5栋-1单元-102'] },
      { run: async (w) => expect(await unitOf(w, grandpa)).toBe('5栋-1单元-102') },
      // A word of eight letters is conversation, not a failed attempt.
      { say: 'whatever', as: talker },
      { expect: talker, lacks: '认证码' },
      { run: async (w) => expect(await w.driver.db.redemptionAttempt.count({ where: { platformUserId: w.driver.accountId(talker) } })).toBe(0) },
    ],
  },
  {
    name: 'the 居民认证 button asks for the code and takes the next message',
    steps: [
      { run: issue('c3', 'verified', '8栋-1单元-301') },
      { say: '/start', as: talker },
      { choose: '居民认证', as: talker },
      { expect: talker, contains: '请发送居委会发给您的认证码' },
      { say: '我没有', as: talker },
      { expect: talker, back: 1, contains: '这不像是认证码' },
      { say: (w) => w.vars.c3.toLowerCase(), as: talker },
      { expect: talker, contains: ['认证成功', '8栋-1单元-301'] },
    ],
  },
  {
    name: 'a code for another household asks before moving the person; keeping leaves the code unused',
    steps: [
      { run: issue('home', 'verified', '2栋-1单元-101') },
      { say: (w) => `/verify ${w.vars.home}`, as: mover },
      { expect: mover, contains: '认证成功' },
      { run: issue('other', 'verified', '9栋-3单元-902') },
      { say: (w) => w.vars.other, as: mover },
      { expect: mover, contains: ['您目前认证的住户是2栋-1单元-101', '9栋-3单元-902'], lacks: '已改为' },
      { run: async (w) => expect(await unitOf(w, mover)).toBe('2栋-1单元-101') },
      { choose: '不改，保持原住户', as: mover },
      { expect: mover, contains: '您仍是2栋-1单元-101住户' },
      { run: async (w) => expect(await w.driver.db.verificationCode.count({ where: { redeemedAt: { not: null }, unit: '9栋-3单元-902' } })).toBe(0) },
      { say: (w) => `/verify ${w.vars.other}`, as: mover },
      { choose: '确认改为9栋-3单元-902', as: mover },
      { expect: mover, contains: ['已改为', '9栋-3单元-902', '2栋-1单元-101的认证已取消'] },
      { run: async (w) => expect(await unitOf(w, mover)).toBe('9栋-3单元-902') },
    ],
  },
  {
    name: 'a voice message, sticker, photo or location gets told what to do; in a group they stay ignored',
    steps: [
      { run: issue('admin', 'committee') },
      { say: (w) => `/verify ${w.vars.admin}`, as: talker },
      { say: '/bind badeng', as: talker, in: group },
      // Nothing asked: type, or tap a button where there are buttons.
      { sendUnreadable: 'voice', as: talker },
      { expect: talker, contains: ['无法识别语音'] },
      {
        run: async (w) => {
          const last = w.driver.textsTo(talker).at(-1)!;
          if (w.driver.platform === 'telegram') expect(last).toContain('点击消息下方的按钮');
          else expect(last).not.toContain('点击');
        },
      },
      { sendUnreadable: 'photo', as: talker },
      { expect: talker, contains: '无法识别图片' },
      // A scene waiting for text says so and asks again.
      { say: '/name', as: talker },
      { sendUnreadable: 'sticker', as: talker },
      { expect: talker, back: 1, contains: '请以文字回复' },
      { expect: talker, contains: '请输入您希望对外显示的称呼' },
      { say: '/cancel', as: talker },
      // A numbered menu just shown (WeChat): reply with the number; buttons (Telegram): tap one.
      { say: '/language', as: talker },
      { sendUnreadable: 'location', as: talker },
      { expect: talker, contains: '无法识别位置' },
      {
        run: async (w) => {
          const last = w.driver.textsTo(talker).at(-1)!;
          expect(last).toContain(w.driver.platform === 'wechat' ? '请回复上面选项前的序号' : '请点击消息下方的按钮');
        },
      },
      // Neighbours' stickers and voice in the group are not the bot's business.
      { sendUnreadable: 'sticker', as: grandma, in: group },
      { silent: group },
      { sendUnreadable: 'voice', as: grandma, in: group },
      { silent: group },
      { silent: grandma },
    ],
  },
];

describeOnAllPlatforms('verification for everyone', scenarios);
