/**
 * The contract every platform adapter fulfils. The rest of Linli only ever sees this
 * interface; telegraf and wechaty stay inside their adapter folders.
 */
import type { Incoming, OutMessage, Platform, SentRef } from './messages.ts';

/** What a platform can render. */
export interface AdapterCapabilities {
  /** Inline buttons (Telegram); otherwise choices are rendered as numbered options. */
  buttons: boolean;
  /** Links that open a private chat with a start payload (t.me/<bot>?start=…). */
  deepLinks: boolean;
  /** Longest text one message may carry. */
  maxTextLength: number;
  /** Longest caption under an image or file; longer text goes in its own message. */
  maxCaptionLength?: number;
}

/** A running platform connection. */
export interface Adapter {
  readonly platform: Platform;
  readonly capabilities: AdapterCapabilities;
  /**
   * Starts receiving; every event is handed to `sink`, which resolves when it was handled.
   * An adapter starts once: a second call rejects (a second sink would silently be ignored).
   */
  start(sink: (incoming: Incoming) => Promise<void>): Promise<void>;
  /**
   * Where the adapter runs when several instances share one database. `any`: every instance
   * starts it (webhook intake), and the leader also calls {@link lead}. `leader` (the default):
   * only the leader starts it — long polling (Telegram allows one getUpdates consumer) and
   * WeChat (one login per account).
   */
  readonly intake?: 'any' | 'leader';
  /** The leader's part of an `any` adapter (Telegram: registering the webhook). */
  lead?(): Promise<void>;
  /** Stops receiving; resolves when no more events will be handed over. */
  stop(): Promise<void>;
  send(chatId: string, message: OutMessage): Promise<SentRef>;
  edit(chatId: string, messageId: string, message: OutMessage): Promise<void>;
  pin(chatId: string, messageId: string): Promise<void>;
  /** Deletes a message the bot sent (Telegram: within 48 hours); absent where the platform cannot. */
  deleteMessage?(chatId: string, messageId: string): Promise<void>;
  /** Answers a button press (a toast on Telegram). Other platforms reply privately instead. */
  answerAction(actionId: string, text?: string, alert?: boolean): Promise<void>;
  /** A link that opens a private chat with the bot starting with `payload`, where supported. */
  deepLink(payload: string): string | undefined;
  /** Downloads a file a person sent. */
  downloadFile(fileId: string): Promise<Buffer>;
  /** Publishes the command menu for a language (Telegram's "/" menu); absent elsewhere. */
  setCommands?(commands: { name: string; description: string }[], languageCode?: string): Promise<void>;
  /** True when the chat id names a group (rate limits differ for groups). */
  isGroupChat(chatId: string): boolean;
  /** The private chat id for a user (Telegram: same as the user id). */
  privateChatId(userId: string): string;
  /**
   * Present when the platform pushes its events over HTTP (Telegram in webhook mode). The
   * adapter does not own a server: the app's HTTP server routes POSTs on `path` here.
   */
  readonly webhook?: AdapterWebhook;
}

/** What a webhook delivery came to: 200, 400 (not an update of this platform) or 503 (not receiving now; the platform retries). */
export type WebhookOutcome = 'handled' | 'invalid' | 'unavailable';

/** The HTTP side of an adapter that receives events by webhook. */
export interface AdapterWebhook {
  /** Local path the platform posts to (the path of the public webhook URL), e.g. `/tg/hook`. */
  readonly path: string;
  /** Request header that must carry `secret` (compared before the body is read). */
  readonly secretHeader: string;
  /** The shared secret; when absent every request is let through (the configuration requires one). */
  readonly secret?: string;
  /** Handles one delivered JSON object; resolves when the event was handled. */
  handle(body: Record<string, unknown>): Promise<WebhookOutcome>;
}

/** The little of a logger an adapter needs (pino's Logger fits). Adapters import nothing else of ours. */
export interface AdapterLog {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Why a delivery failed, in terms the outbox can act on. */
export type DeliveryFailure = 'rate_limited' | 'forbidden' | 'transient' | 'permanent';

/** An adapter's send/edit failed; `kind` tells the outbox whether to wait, retry or give up. */
export class DeliveryError extends Error {
  constructor(
    readonly kind: DeliveryFailure,
    message: string,
    readonly retryAfterSec?: number,
    /** The chat's new id when the platform says it moved (a Telegram group upgraded to a supergroup). */
    readonly movedToChatId?: string,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
