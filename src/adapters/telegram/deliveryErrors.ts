/**
 * Maps Telegram's answers to what the outbox does next.
 *
 * A chat the bot can no longer reach is `forbidden`, so the outbox marks the group inactive and
 * stops sending there. Telegram says so with 403 (kicked, blocked, deleted) but also with 400
 * for a chat that does not exist (any more) for the bot: "chat not found", "PEER_ID_INVALID",
 * "bot is not a member of the supergroup chat". A basic group upgraded to a supergroup answers
 * 400 with the new id in `migrate_to_chat_id`: that is reported as `movedToChatId`, not as gone.
 */
import { TelegramError } from 'telegraf';
import { DeliveryError } from '../../platform/adapter.ts';

/** 400 descriptions that mean the chat is gone for the bot, like a 403. */
const GONE = /chat not found|peer_id_invalid|bot was kicked|bot is not a member|bot was blocked|user is deactivated|chat was deleted|group chat was deactivated/i;

/** The DeliveryError for anything a Bot API call threw. */
export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof TelegramError) {
    const { code, description } = err;
    if (code === 429) return new DeliveryError('rate_limited', description, err.parameters?.retry_after ?? 5);
    const movedTo = err.parameters?.migrate_to_chat_id;
    if (movedTo !== undefined) return new DeliveryError('permanent', description, undefined, String(movedTo));
    if (code === 403 || GONE.test(description)) return new DeliveryError('forbidden', description);
    if (code >= 500) return new DeliveryError('transient', description);
    return new DeliveryError('permanent', description);
  }
  return new DeliveryError('transient', err instanceof Error ? err.message : String(err));
}

/** Runs one Bot API call, translating its failure. */
export async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toDeliveryError(err);
  }
}
