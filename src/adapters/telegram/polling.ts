/**
 * Long polling: telegraf's own loop asks Telegram for updates and hands each batch to the bot's
 * middleware. Used when no webhook URL is configured; any webhook set earlier is removed first,
 * since Telegram refuses getUpdates while one is set.
 */
import type { Telegraf } from 'telegraf';
import type { AdapterLog } from '../../platform/adapter.ts';
import { ALLOWED_UPDATES } from './updates.ts';

/** A running poll loop. */
export interface Polling {
  /** Ends the loop; resolves once the last batch was handed over. */
  stop(): Promise<void>;
}

/** Starts polling; returns at once (the loop runs until `stop`). */
export async function startPolling(bot: Telegraf, log: AdapterLog): Promise<Polling> {
  await bot.telegram.deleteWebhook();
  // launch() resolves only when polling ends, and rejects when it fails: keep it, never await it here.
  const loop = bot.launch({ allowedUpdates: [...ALLOWED_UPDATES] }).catch((err) => log.error({ err }, 'telegram polling stopped'));
  return {
    async stop() {
      try {
        bot.stop('shutdown');
      } catch {
        // Not running yet, or already stopped.
      }
      await loop;
    },
  };
}
