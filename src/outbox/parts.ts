/**
 * What one outgoing message becomes on a platform: text longer than the platform allows goes as
 * several messages split at paragraphs, and an attachment whose text does not fit a caption goes
 * first, on its own. One part is one platform message, so it takes one slot in the rate limits.
 */
import type { OutMessage } from '../platform/messages.ts';
import { splitText } from './split.ts';

/** Caption length assumed for adapters that do not state theirs (Telegram's). */
export const DEFAULT_CAPTION_LIMIT = 1024;

/** The messages `message` is delivered as, in order; buttons go under the last text part. */
export function deliveryParts(message: OutMessage, maxText: number, maxCaption = DEFAULT_CAPTION_LIMIT): OutMessage[] {
  const attachment = message.image ? { image: message.image } : message.document ? { document: message.document } : null;
  if (attachment && message.text.length <= maxCaption) return [message];
  const texts = splitText(message.text, maxText);
  const parts: OutMessage[] = texts.map((text, i) => (i === texts.length - 1 && message.buttons ? { text, buttons: message.buttons } : { text }));
  // An attachment whose text is too long for a caption goes first, on its own: one message per
  // slot, so the rate limiter's count matches what the platform sees.
  if (attachment) parts.unshift({ text: '', ...attachment });
  return parts;
}
