/**
 * Renders a message's buttons as Telegram's inline keyboard. Telegram refuses callback data
 * over 64 bytes with a vague error, so an oversized action is refused here, by name.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import { DeliveryError } from '../../platform/adapter.ts';
import type { OutMessage } from '../../platform/messages.ts';

/** Telegram's limit on a button's callback data, in UTF-8 bytes (a Chinese character takes 3). */
export const CALLBACK_DATA_LIMIT = 64;

/** The inline keyboard of a message, or undefined when it has no buttons. */
export function inlineKeyboard(message: OutMessage): InlineKeyboardMarkup | undefined {
  if (!message.buttons?.length) return undefined;
  const rows: InlineKeyboardButton[][] = message.buttons.map((row) =>
    row.map((b): InlineKeyboardButton => {
      if (b.url) return { text: b.label, url: b.url };
      const data = b.action ?? '';
      if (Buffer.byteLength(data, 'utf8') > CALLBACK_DATA_LIMIT) throw new DeliveryError('permanent', `callback data over ${CALLBACK_DATA_LIMIT} bytes: ${data}`);
      return { text: b.label, callback_data: data };
    }),
  );
  return { inline_keyboard: rows };
}
