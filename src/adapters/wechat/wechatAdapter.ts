/**
 * The WeChat adapter: wechaty, confined to this folder. WeChat has no buttons, so a message's
 * buttons become numbered options ("回复 1 赞成，2 反对") and the numbers are remembered per chat
 * (render.ts); there is no message editing, pinning or deep linking, so those are no-ops or
 * undefined and the engine falls back to plain private messages. Charts and exports are sent as
 * files after the text (send.ts). Sends go out one at a time (sendQueue.ts); wechaty's events become
 * Linli's (events.ts); a logout alerts the admins and restarts wechaty (reconnect.ts).
 *
 * The puppet (the protocol wechaty speaks) is chosen by name (WECHATY_PUPPET, the free
 * wechat4u web protocol by default) or injected as an instance (tests, embedding).
 *
 * `start` runs once: a second call rejects (wechaty's event handlers are attached by the first).
 */
import { WechatyBuilder, type Wechaty, type WechatyOptions } from 'wechaty';
import type { Adapter, AdapterLog } from '../../platform/adapter.ts';
import type { NumberedChoice, OutMessage, SentRef } from '../../platform/messages.ts';
import type { NumberedOption } from '../text/renderText.ts';
import { toDeliveryError } from './deliveryErrors.ts';
import { attachEvents } from './events.ts';
import { createReconnector, type WechatAlert } from './reconnect.ts';
import { createConversations, sayMessage } from './send.ts';
import { createSendQueue } from './sendQueue.ts';

export type { WechatAlert } from './reconnect.ts';

/** A wechaty puppet instance (PuppetMock in tests, any wechaty-puppet when embedding). */
export type WechatPuppet = Extract<WechatyOptions, { puppet?: object }>['puppet'];

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
  log: AdapterLog;
  /** The localized line under numbered options, for the language of the chat. */
  replyHint(chatId: string, items: NumberedOption[]): Promise<string>;
  /** Remembers what each number (and label) stood for in a chat (see src/core/choiceMemory.ts). */
  remember(chatId: string, choices: NumberedChoice[]): Promise<void>;
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
  const conversations = createConversations(bot, rooms);
  const sends = createSendQueue(opts.sendGapMs ?? 0);
  const reconnector = createReconnector({
    bot,
    log,
    delayMs: opts.reconnectDelayMs ?? 10_000,
    alert: (a) => void Promise.resolve(opts.onAlert?.(a)).catch((err) => log.error({ err }, 'wechat alert failed')),
  });
  let started = false;
  let nextId = 1;

  return {
    platform: 'wechat',
    capabilities: { buttons: false, deepLinks: false, maxTextLength: 2000 },
    get wechaty() {
      return bot;
    },
    get restarts() {
      return reconnector.restarts;
    },

    async start(sink) {
      if (started) throw new Error('the WeChat adapter was started already');
      started = true;
      attachEvents(bot, { sink, log, rooms, reconnector, qrInTerminal: opts.qrInTerminal, acceptFriends: opts.acceptFriends });
      await bot.start();
      log.info({ puppet: opts.puppet ? 'injected' : opts.puppetName }, 'wechat started; waiting for login');
    },

    async stop() {
      reconnector.stop();
      await sends.idle();
      await bot.stop();
    },

    send(chatId: string, message: OutMessage): Promise<SentRef> {
      return sends.run(async () => {
        try {
          const id = await sayMessage(conversations, chatId, message, opts);
          return { messageId: id ?? `local-${nextId++}` };
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

    isGroupChat: conversations.isGroupChat,
    privateChatId: (userId: string) => userId,
  };
}
