/**
 * The Telegram adapter: telegraf, confined to this folder. It receives updates by long polling
 * (polling.ts) or by webhook (webhook.ts, served by the app's HTTP server), hands them to Linli
 * as neutral events (toIncoming.ts), and renders outgoing messages with inline buttons
 * (send.ts, keyboard.ts). Telegram's answers become DeliveryErrors (deliveryErrors.ts).
 *
 * `start` runs once: a second call rejects, since the bot's middleware and its one sink are
 * set up by the first.
 */
import { Telegraf } from 'telegraf';
import { DeliveryError, type Adapter, type AdapterLog } from '../../platform/adapter.ts';
import { numberedChoices, type Incoming, type NumberedChoice, type OutMessage, type SentRef } from '../../platform/messages.ts';
import { call } from './deliveryErrors.ts';
import { startPolling, type Polling } from './polling.ts';
import { CAPTION_LIMIT, editMessage, sendMessage } from './send.ts';
import { toIncoming } from './toIncoming.ts';
import { registerWebhook, telegramWebhook } from './webhook.ts';

export { toDeliveryError } from './deliveryErrors.ts';

/** Settings of the Telegram adapter. */
export interface TelegramOptions {
  token: string;
  apiRoot: string;
  /** When set, updates arrive by webhook at this public URL instead of long polling. */
  webhookUrl?: string;
  webhookSecret?: string;
  log: AdapterLog;
  /**
   * Remembers the options of the last message with buttons in a private chat, so that typing
   * "English" or "2" under them is taken as a tap (src/core/choiceMemory.ts, as on WeChat).
   */
  remember?(chatId: string, choices: NumberedChoice[]): Promise<void>;
}

/** The adapter, plus the bot's username (known after `start`). */
export interface TelegramAdapter extends Adapter {
  readonly username: string;
}

/** Creates the adapter; nothing connects until `start`. */
export function createTelegramAdapter(opts: TelegramOptions): TelegramAdapter {
  const bot = new Telegraf(opts.token, { telegram: { apiRoot: opts.apiRoot, webhookReply: false }, handlerTimeout: Infinity });
  const { log } = opts;
  let username = '';
  let botId = 0;
  let started = false;
  let receiving = false;
  let sink: ((incoming: Incoming) => Promise<void>) | undefined;
  let polling: Polling | undefined;

  bot.use(async (tg) => {
    const incoming = toIncoming(tg.update, username, botId);
    if (incoming && sink) await sink(incoming);
  });
  bot.catch((err) => log.error({ err }, 'telegram update failed'));

  const webhook = opts.webhookUrl
    ? telegramWebhook({ url: opts.webhookUrl, secret: opts.webhookSecret, receiving: () => receiving, receive: (update) => bot.handleUpdate(update) })
    : undefined;

  return {
    platform: 'telegram',
    capabilities: { buttons: true, deepLinks: true, maxTextLength: 4096, maxCaptionLength: CAPTION_LIMIT },
    get username() {
      return username;
    },
    webhook,
    // By webhook, any instance takes deliveries and only the leader registers the URL; long
    // polling has one consumer, so the whole adapter runs on the leader.
    intake: opts.webhookUrl ? 'any' : 'leader',

    async start(handler) {
      if (started) throw new Error('the Telegram adapter was started already');
      started = true;
      const me = await bot.telegram.getMe();
      bot.botInfo = me;
      username = me.username;
      botId = me.id;
      sink = handler;
      receiving = true;
      if (!opts.webhookUrl) {
        polling = await startPolling(bot, log);
        log.info({ username }, 'telegram long polling started');
      }
    },

    async lead() {
      if (!opts.webhookUrl) return;
      // The HTTP server is listening already; Telegram starts posting once this returns.
      await registerWebhook(bot.telegram, opts.webhookUrl, opts.webhookSecret);
      log.info({ url: opts.webhookUrl }, 'telegram webhook set');
    },

    async stop() {
      // A webhook delivery from now on answers 503; Telegram keeps it and delivers it again.
      receiving = false;
      await polling?.stop();
      polling = undefined;
    },

    send: async (chatId: string, message: OutMessage): Promise<SentRef> => {
      const sent = await sendMessage(bot.telegram, chatId, message);
      // Private chats only (Telegram gives groups negative ids): in a group, neighbours talk among
      // themselves and a "2" or "好的" there is conversation, not an answer to the bot's last card.
      // WeChat remembers group menus too because its only way to answer there is typing.
      const choices = numberedChoices(message.buttons);
      if (opts.remember && choices.length && !chatId.startsWith('-')) await opts.remember(chatId, choices);
      return sent;
    },

    edit: (chatId: string, messageId: string, message: OutMessage) => editMessage(bot.telegram, chatId, messageId, message),

    async pin(chatId: string, messageId: string) {
      await call(() => bot.telegram.pinChatMessage(chatId, Number(messageId), { disable_notification: true }));
    },

    async deleteMessage(chatId: string, messageId: string) {
      await call(() => bot.telegram.deleteMessage(chatId, Number(messageId)));
    },

    async answerAction(actionId: string, text?: string, alert?: boolean) {
      await call(() => bot.telegram.answerCbQuery(actionId, text?.slice(0, 200), { show_alert: alert ?? false }));
    },

    deepLink(payload: string) {
      return username && /^[A-Za-z0-9_-]{1,64}$/.test(payload) ? `https://t.me/${username}?start=${payload}` : undefined;
    },

    async downloadFile(fileId: string) {
      const link = await call(() => bot.telegram.getFileLink(fileId));
      const res = await call(() => fetch(link));
      if (!res.ok) throw new DeliveryError('transient', `file download failed: ${res.status}`);
      return Buffer.from(await res.arrayBuffer());
    },

    async setCommands(commands: { name: string; description: string }[], languageCode?: string) {
      await call(() =>
        bot.telegram.setMyCommands(
          commands.map((c) => ({ command: c.name, description: c.description.slice(0, 256) })),
          languageCode ? { language_code: languageCode } : {},
        ),
      );
    },

    isGroupChat: (chatId: string) => chatId.startsWith('-'),
    privateChatId: (userId: string) => userId,
  };
}
