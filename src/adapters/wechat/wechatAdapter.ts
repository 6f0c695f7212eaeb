/**
 * The WeChat adapter: wechaty, confined to this folder. WeChat has no buttons, so a message's
 * buttons become numbered options ("回复 1 赞成，2 反对") and the numbers are remembered per chat;
 * there is no message editing, pinning or deep linking, so those are no-ops or undefined and the
 * engine falls back to plain private messages. Charts and exports are sent as files after the text.
 *
 * The puppet (the protocol wechaty speaks) is chosen by name (WECHATY_PUPPET, the free
 * wechat4u web protocol by default) or injected as an instance (tests, embedding).
 */
import { WechatyBuilder, qrcodeValueToImageUrl, types, type Contact, type Room, type Wechaty, type WechatyOptions } from 'wechaty';
import { FileBox } from 'file-box';
import type { Adapter } from '../../platform/adapter.ts';
import { numberedActions } from '../../platform/messages.ts';
import type { Incoming, OutMessage, SentRef } from '../../platform/messages.ts';
import type { Logger } from '../../log.ts';
import { renderText, type NumberedOption } from '../text/renderText.ts';
import { toDeliveryError } from './deliveryErrors.ts';
import { showQrCode } from './qr.ts';
import { messageToIncoming } from './toIncoming.ts';

const HINT_PLACEHOLDER = '\u0000hint\u0000';

/** A wechaty puppet instance (PuppetMock in tests, any wechaty-puppet when embedding). */
export type WechatPuppet = Extract<WechatyOptions, { puppet?: object }>['puppet'];

/** Something the admins must hear about: the account logged out, or came back. */
export interface WechatAlert {
  kind: 'logout' | 'login';
  reason?: string;
  account?: string;
}

/** Settings of the WeChat adapter. */
export interface WechatOptions {
  /** An injected puppet instance; when absent `puppetName` is loaded by wechaty. */
  puppet?: WechatPuppet;
  /** npm name of the puppet (WECHATY_PUPPET). */
  puppetName?: string;
  /** Token of a paid puppet (WECHATY_PUPPET_TOKEN). */
  token?: string;
  /** Name of wechaty's session memory file (keeps a web-protocol login across restarts). */
  name?: string;
  log: Logger;
  /** The localized line under numbered options, for the language of the chat. */
  replyHint(chatId: string, items: NumberedOption[]): Promise<string>;
  /** Remembers what each number stood for in a chat (see src/core/choiceMemory.ts). */
  remember(chatId: string, actions: string[]): Promise<void>;
  /** Told when the account logs out (and when it is back), to alert the admins. */
  onAlert?(alert: WechatAlert): Promise<void> | void;
  /** Wait before restarting wechaty after a logout (default 10 s). */
  reconnectDelayMs?: number;
  /** Minimum gap between two sends of this account, so direct replies never burst (default 0). */
  sendGapMs?: number;
  /** Print the login QR code in the terminal (besides logging its URL). */
  qrInTerminal?: boolean;
  /** Accept friend requests, so residents can continue scenes in a private chat (default true). */
  acceptFriends?: boolean;
}

/** The adapter, plus what tests and operators may want to look at. */
export interface WechatAdapter extends Adapter {
  readonly wechaty: Wechaty;
  /** Times wechaty was restarted after a logout. */
  readonly restarts: number;
}

/** Creates the adapter; nothing connects until `start`. */
export function createWechatAdapter(opts: WechatOptions): WechatAdapter {
  const log = opts.log;
  const buildOptions: WechatyOptions = opts.puppet
    ? { name: opts.name, puppet: opts.puppet }
    : ({ name: opts.name, puppet: opts.puppetName ?? 'wechaty-puppet-wechat4u', puppetOptions: opts.token ? { token: opts.token } : {} } as WechatyOptions);
  const bot = WechatyBuilder.build(buildOptions);
  const rooms = new Set<string>();
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let restarts = 0;
  // Stopping wechaty for a restart may report the logout again; that one is not news.
  let restarting = false;
  let loggedOut = false;
  let nextId = 1;
  // Sends go out one after another: text before its chart, and never a burst from one account.
  let sendChain: Promise<unknown> = Promise.resolve();
  let lastSendAt = 0;

  const alert = (a: WechatAlert) => {
    Promise.resolve(opts.onAlert?.(a)).catch((err) => log.error({ err }, 'wechat alert failed'));
  };

  const isGroupChat = (chatId: string) => rooms.has(chatId) || chatId.endsWith('@chatroom') || chatId.startsWith('@@');

  const conversation = async (chatId: string): Promise<Room | Contact> => {
    const found = isGroupChat(chatId) ? await bot.Room.find({ id: chatId }) : await bot.Contact.find({ id: chatId });
    if (!found) throw new Error(`wechat conversation not found: ${chatId}`);
    return found;
  };

  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = sendChain.then(async () => {
      const gap = (opts.sendGapMs ?? 0) - (Date.now() - lastSendAt);
      if (gap > 0) await new Promise((r) => setTimeout(r, gap));
      try {
        return await fn();
      } finally {
        lastSendAt = Date.now();
      }
    });
    sendChain = run.catch(() => undefined);
    return run;
  };

  const scheduleRestart = () => {
    if (stopping || restartTimer) return;
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (stopping) return;
      restarting = true;
      void (async () => {
        try {
          await bot.stop();
          if (stopping) return;
          await bot.start();
          restarts++;
          log.info({ restarts }, 'wechat restarted after logout; waiting for login');
        } catch (err) {
          log.error({ err }, 'wechat restart failed; trying again');
          scheduleRestart();
        } finally {
          restarting = false;
        }
      })();
    }, opts.reconnectDelayMs ?? 10_000);
  };

  const attachFile = async (target: Room | Contact, data: Uint8Array, name: string) => {
    // Base64 boxes serialise everywhere (the mock puppet cannot serialise buffer boxes).
    await target.say(FileBox.fromBase64(Buffer.from(data).toString('base64'), name));
  };

  const adapter: WechatAdapter = {
    platform: 'wechat',
    capabilities: { buttons: false, deepLinks: false, maxTextLength: 2000 },
    get wechaty() {
      return bot;
    },
    get restarts() {
      return restarts;
    },

    async start(sink: (incoming: Incoming) => Promise<void>) {
      stopping = false;
      bot.on('scan', (qrcode, status) => {
        if (status !== types.ScanStatus.Waiting && status !== types.ScanStatus.Timeout) return;
        const url = qrcodeValueToImageUrl(qrcode);
        log.info({ url, status: types.ScanStatus[status] }, 'scan this QR code with WeChat to log in');
        if (opts.qrInTerminal) void showQrCode(qrcode, url);
      });
      bot.on('login', (user) => {
        log.info({ account: user.name() }, 'wechat logged in');
        if (loggedOut) alert({ kind: 'login', account: user.name() });
        loggedOut = false;
      });
      bot.on('logout', (user, reason) => {
        if (stopping || restarting) return;
        loggedOut = true;
        log.error({ account: user?.name(), reason }, 'wechat logged out; restarting');
        alert({ kind: 'logout', reason: reason ? String(reason) : undefined, account: user?.name() });
        scheduleRestart();
      });
      // Puppets retry on their own and repeat the same error many times a second while the
      // network is down: log each distinct error once a minute.
      const lastErrorAt = new Map<string, number>();
      bot.on('error', (err) => {
        const key = String(err?.message ?? err);
        const seen = lastErrorAt.get(key);
        if (seen !== undefined && Date.now() - seen < 60_000) return void log.debug({ err: key }, 'wechat error repeated');
        if (lastErrorAt.size > 100) lastErrorAt.clear();
        lastErrorAt.set(key, Date.now());
        log.error({ err }, 'wechat error');
      });
      bot.on('message', (message) => {
        void (async () => {
          const incoming = await messageToIncoming(message);
          if (!incoming) return;
          if (incoming.chat.kind === 'group') rooms.add(incoming.chat.chatId);
          await sink(incoming);
        })().catch((err) => log.error({ err }, 'wechat message failed'));
      });
      bot.on('room-join', (room, invitees, inviter) => {
        rooms.add(room.id);
        const added = invitees.some((c) => c.self());
        void (async () => {
          const topic = await room.topic().catch(() => undefined);
          const chat = { platform: 'wechat' as const, chatId: room.id, kind: 'group' as const, title: topic };
          for (const who of added ? [inviter] : invitees) {
            if (who.self()) continue;
            await sink({ type: added ? 'bot_added' : 'member_joined', chat, sender: { platform: 'wechat', userId: who.id, displayName: who.name() } });
          }
        })().catch((err) => log.error({ err }, 'wechat room-join failed'));
      });
      bot.on('room-leave', (room, leavers, remover) => {
        if (!leavers.some((c) => c.self())) return;
        const who = remover ?? leavers[0];
        void sink({ type: 'bot_removed', chat: { platform: 'wechat', chatId: room.id, kind: 'group' }, sender: { platform: 'wechat', userId: who.id, displayName: who.name() } }).catch((err) =>
          log.error({ err }, 'wechat room-leave failed'),
        );
      });
      bot.on('friendship', (friendship) => {
        if (opts.acceptFriends === false || friendship.type() !== types.Friendship.Receive) return;
        friendship.accept().catch((err) => log.warn({ err }, 'could not accept a friend request'));
      });
      await bot.start();
      log.info({ puppet: opts.puppet ? 'injected' : opts.puppetName }, 'wechat started; waiting for login');
    },

    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      restartTimer = undefined;
      await sendChain;
      await bot.stop();
    },

    send(chatId: string, message: OutMessage): Promise<SentRef> {
      return serialized(async () => {
        try {
          const actions = numberedActions(message.buttons);
          // renderText lays the message out; the hint's words depend on the chat's language,
          // which takes a lookup, so a placeholder marks its place first.
          const items: NumberedOption[] = [];
          const text = renderText(message, (_lines, list) => {
            items.push(...list);
            return HINT_PLACEHOLDER;
          });
          const body = items.length ? text.replace(HINT_PLACEHOLDER, await opts.replyHint(chatId, items)) : text;
          const target = await conversation(chatId);
          if (actions.length) await opts.remember(chatId, actions);
          const sent = body.trim() ? await target.say(body) : undefined;
          if (message.image) await attachFile(target, message.image.data, message.image.name);
          if (message.document) await attachFile(target, message.document.data, message.document.name);
          return { messageId: sent?.id ?? `local-${nextId++}` };
        } catch (err) {
          throw toDeliveryError(err);
        }
      });
    },

    async edit(chatId: string, messageId: string) {
      // WeChat cannot edit a sent message; re-posting every turnout update would flood a room.
      log.debug({ chatId, messageId }, 'wechat has no message edits; edit skipped');
    },

    async pin() {},

    async answerAction() {
      // There are no button presses on WeChat: ctx.toast falls back to a private message.
    },

    deepLink: () => undefined,

    async downloadFile(fileId: string) {
      try {
        const message = await bot.Message.find({ id: fileId });
        if (!message) throw new Error(`wechat message not found: ${fileId}`);
        const box = await message.toFileBox();
        return await box.toBuffer();
      } catch (err) {
        throw toDeliveryError(err);
      }
    },

    isGroupChat,
    privateChatId: (userId: string) => userId,
  };
  return adapter;
}
