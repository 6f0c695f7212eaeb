/**
 * The Telegram adapter: telegraf, confined to this folder. It receives updates by long polling
 * or by webhook, hands them to Linli as neutral events, and renders outgoing messages with
 * inline buttons. Telegram's answers are translated into DeliveryErrors the outbox understands.
 */
import { createServer, type Server } from 'node:http';
import { Telegraf, TelegramError } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import { DeliveryError, type Adapter } from '../../platform/adapter.ts';
import type { Incoming, OutMessage, SentRef } from '../../platform/messages.ts';
import type { Logger } from '../../log.ts';
import { toIncoming } from './toIncoming.ts';

/** Telegram's caption limit; longer text goes in its own message after the photo. */
const CAPTION_LIMIT = 1024;
const CALLBACK_DATA_LIMIT = 64;

/** Settings of the Telegram adapter. */
export interface TelegramOptions {
  token: string;
  apiRoot: string;
  /** When set, updates arrive by webhook at this public URL instead of long polling. */
  webhookUrl?: string;
  webhookSecret?: string;
  port?: number;
  log: Logger;
}

/** Creates the adapter; nothing connects until `start`. */
export function createTelegramAdapter(opts: TelegramOptions): Adapter & { readonly username: string; webhookServer?: Server } {
  const bot = new Telegraf(opts.token, { telegram: { apiRoot: opts.apiRoot, webhookReply: false }, handlerTimeout: Infinity });
  let username = '';
  let botId = 0;
  let server: Server | undefined;
  let polling: Promise<void> | undefined;

  const keyboard = (message: OutMessage) => {
    if (!message.buttons?.length) return undefined;
    const rows: InlineKeyboardButton[][] = message.buttons.map((row) =>
      row.map((b): InlineKeyboardButton => {
        if (b.url) return { text: b.label, url: b.url };
        const data = b.action ?? '';
        if (Buffer.byteLength(data, 'utf8') > CALLBACK_DATA_LIMIT) throw new DeliveryError('permanent', `callback data over 64 bytes: ${data}`);
        return { text: b.label, callback_data: data };
      }),
    );
    return { inline_keyboard: rows };
  };

  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toDeliveryError(err);
    }
  };

  const adapter = {
    platform: 'telegram' as const,
    capabilities: { buttons: true, deepLinks: true, maxTextLength: 4096, maxCaptionLength: CAPTION_LIMIT },
    get username() {
      return username;
    },
    get webhookServer() {
      return server;
    },

    async start(sink: (incoming: Incoming) => Promise<void>) {
      const me = await bot.telegram.getMe();
      bot.botInfo = me;
      username = me.username;
      botId = me.id;
      bot.use(async (tg) => {
        const incoming = toIncoming(tg.update, username, botId);
        if (incoming) await sink(incoming);
      });
      bot.catch((err) => opts.log.error({ err }, 'telegram update failed'));
      const allowedUpdates = ['message', 'callback_query', 'my_chat_member'] as const;
      if (opts.webhookUrl) {
        const url = new URL(opts.webhookUrl);
        const handler = bot.webhookCallback(url.pathname, { secretToken: opts.webhookSecret });
        server = createServer((req, res) => void handler(req, res));
        await new Promise<void>((resolve) => server!.listen(opts.port ?? 8080, resolve));
        await bot.telegram.setWebhook(opts.webhookUrl, { secret_token: opts.webhookSecret, allowed_updates: [...allowedUpdates] });
        opts.log.info({ url: opts.webhookUrl, port: opts.port }, 'telegram webhook listening');
      } else {
        await bot.telegram.deleteWebhook();
        polling = bot.launch({ allowedUpdates: [...allowedUpdates] }).catch((err) => opts.log.error({ err }, 'telegram polling stopped'));
        opts.log.info({ username }, 'telegram long polling started');
      }
    },

    async stop() {
      if (server) {
        await new Promise<void>((resolve) => server!.close(() => resolve()));
        server = undefined;
      } else {
        try {
          bot.stop('shutdown');
        } catch {
          // Not running.
        }
        await polling;
      }
    },

    async send(chatId: string, message: OutMessage): Promise<SentRef> {
      const reply_markup = keyboard(message);
      if (message.image) {
        const photo = { source: Buffer.from(message.image.data), filename: message.image.name };
        const fits = message.text.length <= CAPTION_LIMIT;
        const sent = await call(() =>
          bot.telegram.sendPhoto(chatId, photo, fits ? { caption: message.text || undefined, reply_markup } : {}),
        );
        if (fits) return { messageId: String(sent.message_id) };
        const text = await call(() => bot.telegram.sendMessage(chatId, message.text, { reply_markup, link_preview_options: { is_disabled: true } }));
        return { messageId: String(text.message_id) };
      }
      if (message.document) {
        const doc = { source: Buffer.from(message.document.data), filename: message.document.name };
        const fits = message.text.length <= CAPTION_LIMIT;
        const sent = await call(() => bot.telegram.sendDocument(chatId, doc, { caption: fits ? message.text : undefined, reply_markup }));
        if (!fits) await call(() => bot.telegram.sendMessage(chatId, message.text));
        return { messageId: String(sent.message_id) };
      }
      const sent = await call(() => bot.telegram.sendMessage(chatId, message.text, { reply_markup, link_preview_options: { is_disabled: true } }));
      return { messageId: String(sent.message_id) };
    },

    async edit(chatId: string, messageId: string, message: OutMessage) {
      try {
        await bot.telegram.editMessageText(chatId, Number(messageId), undefined, message.text, { reply_markup: keyboard(message) });
      } catch (err) {
        // Telegram refuses an edit that changes nothing; for us that is success.
        if (err instanceof TelegramError && /message is not modified/i.test(err.description)) return;
        if (err instanceof TelegramError && /there is no text in the message/i.test(err.description)) {
          await call(() => bot.telegram.editMessageCaption(chatId, Number(messageId), undefined, message.text, { reply_markup: keyboard(message) }));
          return;
        }
        throw toDeliveryError(err);
      }
    },

    async pin(chatId: string, messageId: string) {
      await call(() => bot.telegram.pinChatMessage(chatId, Number(messageId), { disable_notification: true }));
    },

    async answerAction(actionId: string, text?: string, alert?: boolean) {
      await call(() => bot.telegram.answerCbQuery(actionId, text?.slice(0, 200), { show_alert: alert ?? false }));
    },

    deepLink(payload: string) {
      return username && /^[A-Za-z0-9_-]{1,64}$/.test(payload) ? `https://t.me/${username}?start=${payload}` : undefined;
    },

    async downloadFile(fileId: string) {
      const link = await call(() => bot.telegram.getFileLink(fileId));
      const res = await fetch(link);
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
  return adapter;
}

/** Maps Telegram's answers to what the outbox does next. */
export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof TelegramError) {
    const code = err.code;
    if (code === 429) return new DeliveryError('rate_limited', err.description, err.parameters?.retry_after ?? 5);
    if (code === 403) return new DeliveryError('forbidden', err.description);
    if (code >= 500) return new DeliveryError('transient', err.description);
    return new DeliveryError('permanent', err.description);
  }
  return new DeliveryError('transient', err instanceof Error ? err.message : String(err));
}
