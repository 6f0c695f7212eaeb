/**
 * A copy the platform accepted twice. When two senders delivered the same part of one outbox
 * message (the first one's lease ran out while its call was still under way, and another took
 * over), the one whose outcome was recorded second holds a duplicate: it takes its own copy down
 * so that a group never keeps two live cards with buttons. Deleting is best; a platform that
 * cannot delete gets the copy edited into a short void notice without buttons.
 */
import type { Adapter } from '../platform/adapter.ts';
import type { Logger } from '../log.ts';

/** An adapter that can delete a message it sent (Telegram can, within 48 hours). */
type Deleting = Adapter & { deleteMessage?: (chatId: string, messageId: string) => Promise<void> };

/** How a duplicate was dealt with. */
export type Retired = 'deleted' | 'voided' | 'left';

/** Deletes the copy `messageId` in `chatId`, or edits it into `notice()` where deleting is not possible. */
export async function retireDuplicate(adapter: Adapter, chatId: string, messageId: string, notice: () => Promise<string>, log: Logger): Promise<Retired> {
  const deleting = adapter as Deleting;
  if (typeof deleting.deleteMessage === 'function') {
    try {
      await deleting.deleteMessage(chatId, messageId);
      return 'deleted';
    } catch (err) {
      log.warn({ err, chat: chatId, messageId }, 'could not delete a duplicate message; voiding it instead');
    }
  }
  try {
    await adapter.edit(chatId, messageId, { text: await notice() });
    return 'voided';
  } catch (err) {
    log.error({ err, chat: chatId, messageId }, 'a duplicate message could be neither deleted nor voided');
    return 'left';
  }
}
