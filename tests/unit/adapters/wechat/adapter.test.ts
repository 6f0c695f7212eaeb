/**
 * The WeChat adapter on wechaty's mock puppet, end to end through the real bot: numbered options
 * and their hint, numbered replies outside scenes in private chats and rooms, the toast fallback,
 * notices through the outbox into a room, files, being added to a room, and a logout that alerts
 * the admins and reconnects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../../src/platform/adapter.ts';
import { toDeliveryError } from '../../../../src/adapters/wechat/deliveryErrors.ts';
import { onAction } from '../../../../src/core/feature.ts';
import type { Feature } from '../../../../src/features/feature.ts';
import { defineAction } from '../../../../src/core/actionCodec.ts';
import { FEATURES } from '../../../../src/features.ts';
import { RateLimiter, wechatLimits } from '../../../../src/outbox/rateLimiter.ts';
import { makeCommunity } from '../../../support/fixtures.ts';
import { startTestBot, tempDir, type TestBot } from '../../../support/harness.ts';
import { startFakeBotApi, type FakeBotApi } from '../../../support/fakeBotApi.ts';
import { createMockWechat, loginMock, parseOptions, waitHandled, wechatRoomId, type MockWechat } from '../../../scenarios/wechatDriver.ts';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { showQrCode } from '../../../../src/adapters/wechat/qr.ts';

/** A feature with a three-way vote, a long-label choice and a document, only for these tests. */
const testFeature: Feature = {
  name: 'wx-test',
  commands: [
    {
      name: 'ballot',
      description: 'commands.help',
      run: async (ctx) =>
        void (await ctx.reply({
          text: '是否同意在3栋门前加装休闲座椅？',
          buttons: [[{ label: '赞成', action: 'tv:yes' }, { label: '反对', action: 'tv:no' }, { label: '弃权', action: 'tv:abstain' }]],
        })),
    },
    {
      name: 'pick',
      description: 'commands.help',
      run: async (ctx) =>
        void (await ctx.reply({ text: '请选择', buttons: [[{ label: '这是一个特别特别长的选项标签', action: 'tv:long' }], [{ label: '短', action: 'tv:short' }]] })),
    },
    {
      name: 'doc',
      description: 'commands.help',
      run: (ctx) => ctx.reply({ text: '导出文件', document: { data: Buffer.from('a,b\n1,2\n'), name: 'export.csv', mimeType: 'text/csv' } }).then(() => undefined),
    },
  ],
  actions: [
    onAction(defineAction('tv', { choice: 'str' }), async (ctx, { choice }) => {
      await ctx.toast(`已记录：${choice}`);
      if (ctx.chat.kind === 'private') await ctx.reply(`choice ${choice}`);
    }),
  ],
};

const admin = { tg: 9001, wx: 'wx9002' };

describe('WeChat adapter on the mock puppet', () => {
  let fake: FakeBotApi;
  let bot: TestBot;
  let wx: MockWechat;
  const dbFile = join(tempDir(), 'linli.db');
  const texts = (chatId: string) => wx.said.filter((s) => s.chatId === chatId && s.text !== undefined).map((s) => s.text!);
  const lastText = (chatId: string) => texts(chatId).at(-1) ?? '';
  const say = async (from: ReturnType<MockWechat['contact']>, text: string, room?: ReturnType<MockWechat['room']>, mention = false) => {
    if (room) from.say(mention ? `@邻里 ${text}` : text, mention ? [wx.botContact] : []).to(room);
    else from.say(text).to(wx.botContact);
    await waitHandled(bot, wx.lastIncomingId());
  };

  beforeAll(async () => {
    fake = await startFakeBotApi();
    wx = createMockWechat();
    bot = await startTestBot({
      fake,
      dbFile,
      features: [...FEATURES, testFeature],
      env: { LINLI_ADMINS: `telegram:${admin.tg},wechat:${admin.wx}` },
      wechat: { puppet: wx.newPuppet(), reconnectDelayMs: 20 },
    });
    await loginMock(bot, wx);
  });
  afterAll(async () => {
    await bot.stop();
    await fake.close();
  });

  it('renders buttons as numbered options with a short inline hint, and maps a reply back', async () => {
    const resident = wx.contact({ id: 3001, name: '王' });
    await say(resident, '/ballot');
    expect(lastText(resident.id)).toBe('是否同意在3栋门前加装休闲座椅？\n\n回复 1 赞成，2 反对，3 弃权');
    await say(resident, '２'); // a full-width digit from a Chinese keyboard
    expect(texts(resident.id).slice(-2)).toEqual(['已记录：no', 'choice no']);
    // A number that stands for nothing is not taken as a choice.
    await say(resident, '7');
    expect(lastText(resident.id)).toContain('没能理解');
  });

  it('lists long options one per line', async () => {
    const resident = wx.contact({ id: 3002, name: '李' });
    await say(resident, '/pick');
    expect(lastText(resident.id)).toBe('请选择\n\n请回复序号：\n1. 这是一个特别特别长的选项标签\n2. 短');
    expect(parseOptions(lastText(resident.id)).map((o) => o.label)).toEqual(['这是一个特别特别长的选项标签', '短']);
  });

  it('takes Chinese keywords only when mentioned in a room, commands always', async () => {
    const resident = wx.contact({ id: 3003, name: '赵' });
    const room = wx.room({ id: 31, title: '测试群' });
    await say(resident, '帮助', room);
    expect(texts(room.id)).toHaveLength(0);
    await say(resident, '帮助', room, true);
    expect(lastText(room.id)).toContain('可办理事项');
    await say(resident, '／ballot', room); // full-width slash
    expect(texts(room.id)).toHaveLength(2);
    expect(lastText(room.id)).toContain('回复 1 赞成');
  });

  it('delivers a community notice to a bound room through the outbox; a number replied in the room acts, the toast goes private', async () => {
    const c = await makeCommunity(bot.db, 'wxnotice', '福田社区');
    const room = wx.room({ id: 32, title: '福田社区居民群' });
    await bot.db.chatGroup.create({ data: { platform: 'wechat', chatId: room.id, title: '福田社区居民群', communityId: c.id } });
    await bot.linli.services.outbox.publishToCommunity(c.id, 'notice-1', () => ({ text: '议事通知', buttons: [[{ label: '赞成', action: 'tv:yes' }, { label: '反对', action: 'tv:no' }]] }));
    await bot.flushOutbox();
    expect(lastText(room.id)).toBe('议事通知\n\n回复 1 赞成，2 反对');
    const row = await bot.db.outboxMessage.findUniqueOrThrow({ where: { key: `notice-1:wechat:${room.id}` } });
    expect(row.status).toBe('sent');
    const voter = wx.contact({ id: 3004, name: '孙' });
    await say(voter, '1', room);
    expect(lastText(voter.id)).toBe('已记录：yes');
    expect(texts(room.id)).toHaveLength(1);
  });

  it('sends documents as files after the text', async () => {
    const resident = wx.contact({ id: 3005, name: '周' });
    await say(resident, '/doc');
    const mine = wx.said.filter((s) => s.chatId === resident.id);
    expect(mine.slice(-2)).toEqual([{ chatId: resident.id, text: '导出文件' }, { chatId: resident.id, file: 'export.csv' }]);
  });

  it('greets a room it is added to and asks for /bind', async () => {
    const inviter = wx.contact({ id: 3006, name: '吴' });
    const room = wx.room({ id: 33, title: '新群' });
    room.add(wx.botContact).by(inviter);
    const deadline = Date.now() + 5000;
    while (!texts(room.id).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(lastText(room.id)).toContain('/bind');
    expect(await bot.db.chatGroup.findUnique({ where: { platform_chatId: { platform: 'wechat', chatId: wechatRoomId({ id: 33, title: '' }) } } })).not.toBeNull();
  });

  it('alerts the admins on logout and reconnects', async () => {
    const adapter = bot.wechat!;
    await adapter.wechaty.puppet.logout();
    const deadline = Date.now() + 5000;
    while (adapter.restarts < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(adapter.restarts).toBe(1);
    const alerts = await bot.db.outboxMessage.findMany({ where: { key: { startsWith: 'wechat-alert:logout' } } });
    expect(alerts.map((a) => `${a.platform}:${a.chatId}`).sort()).toEqual([`telegram:${admin.tg}`, `wechat:${admin.wx}`]);
    await bot.linli.outboxWorker.flush(2000);
    expect(fake.messagesTo(admin.tg).at(-1)?.text).toContain('退出登录');

    await loginMock(bot, wx);
    const resident = wx.contact({ id: 3007, name: '郑' });
    await say(resident, '/help');
    expect(lastText(resident.id)).toContain('【可办理事项】');
    expect(await bot.db.outboxMessage.count({ where: { key: { startsWith: 'wechat-alert:login' } } })).toBe(2);
  });
});

describe('WeChat login QR code', () => {
  it('prints the QR code in the terminal and its URL', async () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    await showQrCode('https://login.weixin.qq.com/l/abc', 'https://wechaty.js.org/qrcode/x', sink);
    expect(out).toContain('WeChat login QR code: https://wechaty.js.org/qrcode/x');
    expect(out.split('\n').length).toBeGreaterThan(10);
  });
});

describe('WeChat delivery rules', () => {
  it('maps puppet failures to what the outbox does next', () => {
    expect(toDeliveryError(new Error('not logged in')).kind).toBe('transient');
    expect(toDeliveryError(new Error('wechat conversation not found: x@chatroom')).kind).toBe('forbidden');
    const limited = toDeliveryError(new Error('操作太频繁'));
    expect([limited.kind, limited.retryAfterSec]).toEqual(['rate_limited', 60]);
    const given = new DeliveryError('permanent', 'x');
    expect(toDeliveryError(given)).toBe(given);
    expect(toDeliveryError('weird').kind).toBe('transient');
  });

  it('paces WeChat per minute across all chats', () => {
    const limiter = new RateLimiter(wechatLimits(3));
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(limiter.delayFor(`c${i}`, false, t0 + i * 1000)).toBe(0);
      limiter.record(`c${i}`, false, t0 + i * 1000);
    }
    // A fourth message waits until the first leaves the one-minute window.
    expect(limiter.delayFor('c9', false, t0 + 3000)).toBe(57_000);
    expect(limiter.delayFor('c9', false, t0 + 60_001)).toBe(0);
    // The same chat waits 60/3 = 20 s after its last message.
    expect(limiter.delayFor('c2', false, t0 + 60_001)).toBe(0);
    expect(wechatLimits(20).perChatIntervalMs).toBe(3000);
  });
});
