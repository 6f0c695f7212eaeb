/**
 * Renders Linli's neutral messages with the Bot API: text with an inline keyboard, a photo with
 * the text as its caption (or the text after it when too long for a caption), a document with
 * its caption. Edits change the text, or the caption of a photo card.
 */
import { TelegramError, type Telegram } from 'telegraf';
import type { OutMessage, SentRef } from '../../platform/messages.ts';
import { call, toDeliveryError } from './deliveryErrors.ts';
import { inlineKeyboard } from './keyboard.ts';

/** Telegram's caption limit; longer text goes in its own message after the photo. */
export const CAPTION_LIMIT = 1024;

/** Sends one message; the returned id is the message that carries the buttons. */
export async function sendMessage(telegram: Telegram, chatId: string, message: OutMessage): Promise<SentRef> {
  const reply_markup = inlineKeyboard(message);
  const fits = message.text.length <= CAPTION_LIMIT;
  if (message.image) {
    const photo = { source: Buffer.from(message.image.data), filename: message.image.name };
    const sent = await call(() => telegram.sendPhoto(chatId, photo, fits ? { caption: message.text || undefined, reply_markup } : {}));
    if (fits) return { messageId: String(sent.message_id) };
    const text = await call(() => telegram.sendMessage(chatId, message.text, { reply_markup, link_preview_options: { is_disabled: true } }));
    return { messageId: String(text.message_id) };
  }
  if (message.document) {
    const doc = { source: Buffer.from(message.document.data), filename: message.document.name };
    const sent = await call(() => telegram.sendDocument(chatId, doc, { caption: fits ? message.text : undefined, reply_markup }));
    if (!fits) await call(() => telegram.sendMessage(chatId, message.text));
    return { messageId: String(sent.message_id) };
  }
  const sent = await call(() => telegram.sendMessage(chatId, message.text, { reply_markup, link_preview_options: { is_disabled: true } }));
  return { messageId: String(sent.message_id) };
}

/** Replaces a sent message's text (or caption) and buttons. */
export async function editMessage(telegram: Telegram, chatId: string, messageId: string, message: OutMessage): Promise<void> {
  const reply_markup = inlineKeyboard(message);
  try {
    await telegram.editMessageText(chatId, Number(messageId), undefined, message.text, { reply_markup });
  } catch (err) {
    // Telegram refuses an edit that changes nothing; for us that is success.
    if (err instanceof TelegramError && /message is not modified/i.test(err.description)) return;
    if (err instanceof TelegramError && /there is no text in the message/i.test(err.description)) {
      await call(() => telegram.editMessageCaption(chatId, Number(messageId), undefined, message.text, { reply_markup }));
      return;
    }
    throw toDeliveryError(err);
  }
}
