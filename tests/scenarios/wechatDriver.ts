/**
 * The WeChat scenario driver: the real bot with the real WeChat adapter (wechaty) on
 * `wechaty-puppet-mock`. Residents are mock contacts, groups are mock rooms, a mention is a real
 * @mention; choosing an option replies with its number, read from the hint the bot printed.
 */
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { FileBox } from 'file-box';
import { types } from 'wechaty';
import type { Feature } from '../../src/features/feature.ts';
import { startFakeBotApi, type FakeBotApi } from '../support/fakeBotApi.ts';
import { startTestBot, tempDir, type TestBot, type TestClock } from '../support/harness.ts';
import { matches, type UnreadableSample, type ScenarioDriver, type ScenarioGroup, type ScenarioUser, type Target } from './driver.ts';
import { join } from 'node:path';

/** The bot's own WeChat account in the mock. */
export const BOT_CONTACT_ID = 'wx-linli-bot';
export const BOT_NAME = '邻里';

/** WeChat ids of scenario people and groups. */
export const wechatUserId = (u: ScenarioUser) => `wx${u.id}`;
export const wechatRoomId = (g: ScenarioGroup) => `room${g.id}@chatroom`;
const chatIdOf = (t: Target) => ('title' in t ? wechatRoomId(t) : wechatUserId(t));

/** The engine's hint under an optional step on text platforms (zh-CN and en). */
const SKIP_HINT = /回复“跳过”|reply "skip"/i;

interface Said {
  chatId: string;
  text?: string;
  file?: string;
}

/** What the bot said, parsed back into options: "回复 1 确认，2 修改", "Reply 1 for Yes, …" or a numbered list. */
export function parseOptions(text: string): { n: number; label: string }[] {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const zh = /^回复 (\d.*)$/.exec(lines[i]);
    if (zh) return zh[1].split('，').map((p) => /^(\d+) (.+)$/.exec(p)!).map((m) => ({ n: Number(m[1]), label: m[2] }));
    const en = /^Reply (\d.*)$/.exec(lines[i]);
    if (en) return en[1].split(', ').map((p) => /^(\d+) for (.+)$/.exec(p)!).map((m) => ({ n: Number(m[1]), label: m[2] }));
  }
  const listed = lines.map((l) => /^(\d+)\. (.+)$/.exec(l)).filter((m): m is RegExpExecArray => !!m);
  return listed.map((m) => ({ n: Number(m[1]), label: m[2] }));
}

/** A mock WeChat world: the mocker, the bot's contact, and everything the bot said. */
export interface MockWechat {
  mocker: mock.Mocker;
  /** A fresh puppet on the same mocker (one per wechaty instance). */
  newPuppet(): PuppetMock;
  botContact: mock.ContactMock;
  said: Said[];
  /** The id of the last message a person (not the bot) sent. */
  lastIncomingId(): string | undefined;
  contact(u: ScenarioUser): mock.ContactMock;
  room(g: ScenarioGroup): mock.RoomMock;
}

/** Creates the mock world and records what the bot says. */
export function createMockWechat(): MockWechat {
  const mocker = new mock.Mocker();
  const said: Said[] = [];
  let lastIncoming: string | undefined;
  const newPuppet = () => {
    // A wechaty instance takes a puppet once; a restarted bot gets a new puppet on the same
    // mocker (contacts, rooms and messages stay). The mocker refuses a second puppet unless told.
    (mocker as unknown as { _puppet?: PuppetMock })._puppet = undefined;
    const puppet = new PuppetMock({ mocker });
    puppet.on('message', ({ messageId }) => {
      const p = mocker.messagePayload(messageId);
      if (p.talkerId !== BOT_CONTACT_ID) {
        lastIncoming = messageId;
        return;
      }
      const chatId = ('roomId' in p && p.roomId) || ('listenerId' in p && p.listenerId) || '';
      const box = mocker.cacheFileBoxPayload.get(messageId) as { name?: string } | undefined;
      said.push(box ? { chatId, file: box.name } : { chatId, text: p.text ?? '' });
    });
    return puppet;
  };
  const botContact = mocker.createContact({ id: BOT_CONTACT_ID, name: BOT_NAME });
  const contacts = new Map<number, mock.ContactMock>();
  const rooms = new Map<number, mock.RoomMock>();
  return {
    mocker,
    newPuppet,
    botContact,
    said,
    lastIncomingId: () => lastIncoming,
    contact(u) {
      let c = contacts.get(u.id);
      if (!c) {
        c = mocker.createContact({ id: wechatUserId(u), name: u.name });
        contacts.set(u.id, c);
      }
      return c;
    },
    room(g) {
      let r = rooms.get(g.id);
      if (!r) {
        r = mocker.createRoom({ id: wechatRoomId(g), topic: g.title, memberIdList: [BOT_CONTACT_ID] });
        rooms.set(g.id, r);
      }
      return r;
    },
  };
}

/** Logs the bot in and waits until wechaty knows it. */
export async function loginMock(bot: TestBot, wx: MockWechat): Promise<void> {
  wx.mocker.login(wx.botContact);
  const deadline = Date.now() + 5000;
  while (!bot.wechat?.wechaty.isLoggedIn) {
    if (Date.now() > deadline) throw new Error('mock wechat did not log in');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Waits until the router handled the message with this id (it is recorded as a processed update). */
export async function waitHandled(bot: TestBot, messageId: string | undefined): Promise<void> {
  if (!messageId) throw new Error('no message was sent');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const done = await bot.db.processedUpdate.findUnique({ where: { platform_updateId: { platform: 'wechat', updateId: messageId } } });
    if (done && bot.linli.router.pending === 0) return;
    if (Date.now() > deadline) throw new Error(`wechat message ${messageId} was not handled`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Starts a WeChat driver (the bot also runs Telegram on a fake, unused here). */
export async function startWechatDriver(opts: { features?: Feature[]; clock?: TestClock; fake?: FakeBotApi; env?: Record<string, string> } = {}): Promise<ScenarioDriver & { bot: TestBot; wx: MockWechat }> {
  const fake = opts.fake ?? (await startFakeBotApi());
  const dbFile = join(tempDir(), 'linli.db');
  const wx = createMockWechat();
  const boot = async () => {
    const b = await startTestBot({ fake, dbFile, features: opts.features, clock: opts.clock, env: opts.env, wechat: { puppet: wx.newPuppet() } });
    await loginMock(b, wx);
    return b;
  };
  let bot = await boot();
  const texts = (t: Target) => wx.said.filter((s) => s.chatId === chatIdOf(t) && s.text !== undefined).map((s) => s.text!);

  const say = async (user: ScenarioUser, text: string, o: { group?: ScenarioGroup; mention?: boolean } = {}) => {
    const contact = wx.contact(user);
    if (o.group) {
      const room = wx.room(o.group);
      if (!room.payload.memberIdList.includes(contact.id)) room.payload.memberIdList.push(contact.id);
      if (o.mention) contact.say(`@${BOT_NAME} ${text}`, [wx.botContact]).to(room);
      else contact.say(text).to(room);
    } else {
      contact.say(text).to(wx.botContact);
    }
    await waitHandled(bot, wx.lastIncomingId());
  };

  return {
    platform: 'wechat',
    get db() {
      return bot.db;
    },
    get bot() {
      return bot;
    },
    wx,
    say,
    async choose(user, label, o = {}) {
      // Replies with the number the chosen message printed; what the number means is the bot's business.
      const target = o.group ?? user;
      const fits = (x: { label: string }) => (typeof label === 'string' ? x.label === label : label.test(x.label));
      const withOptions = [...texts(target)]
        .reverse()
        .filter((t) => !o.on || matches(t, o.on))
        .map(parseOptions)
        .find((opts) => opts.some(fits));
      const option = withOptions?.find(fits);
      // An optional step's skip/done is a button on Telegram; on WeChat the prompt says to reply 跳过.
      if (!option && SKIP_HINT.test(texts(target).at(-1) ?? '')) return say(user, '跳过', { group: o.group });
      if (!option) throw new Error(`no option "${String(label)}" in ${JSON.stringify(texts(target).slice(-3))}`);
      await say(user, String(option.n), { group: o.group });
    },
    async sendUnreadable(user, kind: UnreadableSample, o = {}) {
      const contact = wx.contact(user);
      const room = o.group ? wx.room(o.group) : undefined;
      if (room && !room.payload.memberIdList.includes(contact.id)) room.payload.memberIdList.push(contact.id);
      if (kind === 'photo') {
        contact.say(FileBox.fromBase64(Buffer.from('fake jpeg').toString('base64'), 'photo.jpg')).to(room ?? wx.botContact);
      } else {
        // The mock makes voice, stickers and locations from no file box: the message is made as contact.say makes one.
        const type = kind === 'voice' ? types.Message.Audio : kind === 'sticker' ? types.Message.Emoticon : types.Message.Location;
        const where = room ? { roomId: room.id, mentionIdList: [] } : { listenerId: BOT_CONTACT_ID };
        const msg = wx.mocker.MessageMock.create({ id: `m-${kind}-${user.id}-${Date.now()}`, talkerId: contact.id, timestamp: Date.now(), type, ...where } as never);
        (wx.mocker as unknown as { puppet: PuppetMock }).puppet.emit('message', { messageId: msg.id });
      }
      await waitHandled(bot, wx.lastIncomingId());
    },
    // WeChat has no toasts: answers to a choice arrive in the private chat.
    feedbackTo: (u) => texts(u),
    textsTo: texts,
    optionsIn(t) {
      const last = [...texts(t)].reverse().map(parseOptions).find((x) => x.length);
      return (last ?? []).map((x) => x.label);
    },
    filesTo: (t) => wx.said.filter((s) => s.chatId === chatIdOf(t) && s.file).map((s) => s.file!),
    async followHandoff() {
      // WeChat has no deep links: the bot already continued in the private chat.
    },
    async restart() {
      await bot.stop();
      bot = await boot();
    },
    flushOutbox: () => bot.flushOutbox(),
    advanceClock(ms) {
      if (!opts.clock) throw new Error('this driver was started without a test clock');
      opts.clock.advance(ms);
    },
    runJob: (name) => bot.linli.scheduler.run(name).then(() => undefined),
    accountId: (u) => wechatUserId(u),
    async close() {
      await bot.stop();
      if (!opts.fake) await fake.close();
    },
  };
}
