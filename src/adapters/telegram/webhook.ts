/**
 * Telegram's webhook, as seen from the adapter: Telegram POSTs each update to the public URL
 * with the secret in a header; the app's HTTP server checks the header, reads and parses the
 * body, and hands the object here. The adapter only tells Telegram where to post (setWebhook,
 * with the secret) and turns a delivered object into a telegraf update.
 */
import type { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { AdapterWebhook, WebhookOutcome } from '../../platform/adapter.ts';
import { ALLOWED_UPDATES } from './updates.ts';

/** The header Telegram puts the webhook secret in. */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Settings of the webhook side. */
export interface WebhookOptions {
  /** The public HTTPS URL Telegram posts to; its path is the local route. */
  url: string;
  secret?: string;
  /** True while the adapter hands events over (after getMe, before stop). */
  receiving(): boolean;
  /** Runs the update through the bot's middleware; resolves when it was handled. */
  receive(update: Update): Promise<void>;
}

/** The hook the HTTP server routes the webhook path to. */
export function telegramWebhook(opts: WebhookOptions): AdapterWebhook {
  return {
    path: new URL(opts.url).pathname,
    secretHeader: SECRET_HEADER,
    secret: opts.secret,
    async handle(body): Promise<WebhookOutcome> {
      // Before start or while stopping: 503, and Telegram delivers the update again later.
      if (!opts.receiving()) return 'unavailable';
      // Every update has an integer update_id; anything else is not an update.
      if (!Number.isSafeInteger(body.update_id)) return 'invalid';
      await opts.receive(body as unknown as Update);
      return 'handled';
    },
  };
}

/** Tells Telegram to post updates to `url` with `secret` in the header. */
export async function registerWebhook(telegram: Telegram, url: string, secret: string | undefined): Promise<void> {
  await telegram.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
}
