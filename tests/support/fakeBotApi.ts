/**
 * Fake Telegram Bot API server for end-to-end tests and benchmarks.
 *
 * A local `node:http` server (no extra dependencies) that speaks enough of the
 * Bot API for the REAL telegraf client to run against it:
 *
 * ```ts
 * const fake = await startFakeBotApi();
 * const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
 * bot.catch((err) => { throw err; });          // see pitfall 4
 * bot.start((ctx) => ctx.reply('Welcome'));
 * const running = bot.launch();                 // do NOT await: see pitfall 1
 * await fake.waitForCall('getUpdates');         // polling really started
 * fake.sendText({ from: { id: 7 }, text: '/start' });
 * await fake.waitFor({ chatId: 7, text: 'Welcome' });
 * bot.stop();
 * await running;                                // resolves once polling stopped
 * await fake.close();
 * ```
 *
 * What the fake does, in short:
 * - `POST`/`GET /bot<token>/<method>` with JSON, urlencoded or multipart bodies
 *   (plus query-string parameters); method names are case-insensitive like Telegram's.
 * - Long polling (`getUpdates` with `offset`/`limit`/`timeout`/`allowed_updates`),
 *   webhooks (`setWebhook`, `deliverWebhook`, webhook replies), files (`getFile`
 *   and `GET /file/bot<token>/<path>`).
 * - Sent messages get per-chat incrementing `message_id`s (shared with the
 *   messages injected by the test, as in real chats) and are recorded in
 *   {@link FakeBotApi.sent}; every call is recorded in {@link FakeBotApi.calls}.
 * - Telegram-like validation: text/caption length (counted after entity parsing,
 *   in UTF-16 code units), empty text, `parse_mode` syntax (HTML, MarkdownV2,
 *   Markdown), inline keyboard buttons (`callback_data` 1-64 UTF-8 bytes,
 *   "text buttons", URLs), edits of unknown/undeletable messages and
 *   "message is not modified", unknown callback query ids, unknown file ids.
 * - Failure injection ({@link FakeBotApi.failNext}), answers held back after a call
 *   took effect ({@link FakeBotApi.holdAnswers}, the crash window of a sender) and an
 *   optional rate-limit enforcement mode ({@link FakeBotApiOptions.enforceLimits}).
 *
 * Telegram behaviours that the fake reproduces on purpose (they surprise people):
 * - `editMessageText`/`editMessageCaption` WITHOUT `reply_markup` removes the
 *   inline keyboard of the message.
 * - Editing a message to identical text+keyboard answers 400 "message is not modified".
 * - `allowed_updates` is remembered between `getUpdates` calls, and by default
 *   `chat_member`, `message_reaction` and `message_reaction_count` updates are
 *   NOT delivered: they are dropped (see {@link FakeBotApi.droppedUpdates}).
 * - `setWebhook` requires an `https://` URL; `getUpdates` answers 409 while a
 *   webhook is set; a second concurrent `getUpdates` terminates the first with 409.
 * - The returned `Message` contains the text AFTER entity parsing (no HTML tags)
 *   and `reply_markup` only for inline keyboards.
 *
 * Pitfalls found in telegraf 4.16.3 (read node_modules/telegraf/lib/...):
 * 1. `bot.launch()` only resolves when polling STOPS (it awaits the polling loop),
 *    so never await it before `bot.stop()`. Keep the promise and await it after
 *    `stop()`; attach a `.catch` if the test may end otherwise, because it REJECTS
 *    when polling fails (401, 409, or a handler error with the default handler).
 * 2. `bot.stop()` throws "Bot is not running!" until `launch()` has passed
 *    `getMe` and `deleteWebhook` and created the poller. The `onLaunch` callback
 *    fires after `getMe` but BEFORE that, so it is not a readiness signal; use
 *    `await fake.waitForCall('getUpdates')` instead.
 * 3. `launch()` calls `deleteWebhook` (with `drop_pending_updates` when
 *    `dropPendingUpdates: true`, which deletes updates pushed before launch).
 * 4. The default `bot.catch` handler sets `process.exitCode = 1` and rethrows, which
 *    ends polling and rejects the `launch()` promise: one throwing handler kills
 *    the bot. Always install `bot.catch(...)` in tests.
 * 5. Polling asks for `timeout: 50` (seconds); the fake caps the wait at
 *    `longPollCapMs` (1 s by default) and answers immediately when an update is pushed.
 * 6. The polling loop awaits ALL handlers of a batch (`Promise.all`) before asking
 *    for the next batch: updates of one batch run concurrently, and a handler that
 *    waits for a later update deadlocks until `handlerTimeout` (90 s). This also
 *    means an update is confirmed (offset) only after its handler finished, which
 *    {@link FakeBotApi.waitForUpdatesConfirmed} relies on.
 * 7. On 429 and 5xx the polling loop sleeps `retry_after` seconds (5 s when absent)
 *    with a NON-abortable timer, so injecting failures into `getUpdates` stalls the
 *    bot and delays `stop()`. `failNext` rules without `method` therefore never
 *    match `getUpdates`.
 * 8. For HTTP status >= 500 telegraf ignores the JSON body: the error description
 *    is the HTTP status text ("Internal Server Error") and there are no parameters.
 * 9. Multipart bodies (any payload with `{ source }`/`{ url }` media) are written as
 *    `content-disposition:form-data; name="x"` (no space after the colon), file parts
 *    have no Content-Type, every scalar becomes a string ("42", "true"),
 *    `reply_markup` is JSON-stringified, a `method` field is added to the form,
 *    and default file names are `photo.jpg` / `document.dat`. The fake coerces
 *    these back (numbers, booleans, JSON) so records look the same for both paths.
 * 10. `Input.fromURL(...)`/`{ url }` media are downloaded by telegraf itself and
 *    uploaded as multipart; pass a plain string URL to let "Telegram" fetch it.
 * 11. The API URL is built with `new URL('./bot<token>/<method>', apiRoot)`: a path
 *    in `apiRoot` without a trailing slash is silently dropped.
 * 12. With an `http://` apiRoot telegraf drops its keep-alive https agent and uses
 *    Node's global agent (keep-alive in Node 20): `fake.close()` therefore closes
 *    all sockets forcibly. Stop bots BEFORE closing the fake, otherwise their
 *    polling loop hits ECONNREFUSED and sleeps 5 s (pitfall 7).
 * 13. Webhooks: `webhookCallback` compares `req.url` to the path EXACTLY (no query
 *    string) and answers 403 on path/secret mismatch. With `webhookReply` (default
 *    true) the FIRST `answerCallbackQuery`/`deleteMessage`/`sendChatAction`/
 *    `leaveChat`/`answerInlineQuery` of a handler is written into the webhook HTTP
 *    response (it resolves `true` at once) and the response is ended then, so
 *    `deliverWebhook` may return BEFORE the handler finished. The fake executes
 *    such webhook replies (they appear in `calls` with `via: 'webhook-reply'`).
 * 14. `Telegram#getUpdates(timeout, limit, offset, allowedUpdates)` takes positional
 *    arguments in that order (not the API's object).
 *
 * Timers: the fake captures `setTimeout`/`clearTimeout`/`performance.now` when it
 * is imported, so tests using `vi.useFakeTimers()` afterwards do not freeze long
 * polling or `waitFor`. `date` fields and record timestamps use `Date.now()` at
 * call time (they follow a faked clock, like the bot's own code does).
 */
import http from 'node:http';
import https from 'node:https';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type {
  ForceReply,
  InlineKeyboardMarkup,
  Message,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
  Update,
  User,
} from 'telegraf/types';

// Captured at import time so that vi.useFakeTimers() in a test does not stop the server's clock.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const monotonicNow: () => number = performance.now.bind(performance);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/** Default bot token used by {@link startFakeBotApi}. */
export const DEFAULT_FAKE_TOKEN = '123456:TEST';

/** The bot user answered by `getMe` (and used as `from` of the bot's messages). */
export const FAKE_BOT_USER: Readonly<User & { can_join_groups: boolean; can_read_all_group_messages: boolean; supports_inline_queries: boolean }> =
  Object.freeze({
    id: 999000,
    is_bot: true,
    username: 'linli_test_bot',
    first_name: 'Linli',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  });

/** A chat id as accepted by the Bot API: a number or `@channelusername`. */
export type ChatId = number | string;

/** Any `reply_markup` the bot can send (parsed from JSON). */
export type AnyReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

/**
 * Rate limits enforced when {@link FakeBotApiOptions.enforceLimits} is on.
 * Windows are sliding windows of `1 s`, `60 s` and `1 s`, multiplied by `timeScale`.
 */
export interface RateLimits {
  /** Max messages per chat per (scaled) second. Default 1. */
  perChatPerSecond: number;
  /** Max messages per group chat (negative id) per (scaled) minute. Default 20. */
  perGroupPerMinute: number;
  /** Max messages overall per (scaled) second. Default 30. */
  globalPerSecond: number;
  /**
   * Multiplier applied to every window AND to the reported `retry_after`
   * (e.g. `0.01`: a "second" lasts 10 ms and `retry_after` is 0.01 per second).
   * Default 1 (real Telegram windows, integer `retry_after`).
   */
  timeScale: number;
}

/** Options of {@link startFakeBotApi}. */
export interface FakeBotApiOptions {
  /** Bot token accepted in URLs. Default {@link DEFAULT_FAKE_TOKEN}. */
  token?: string;
  /** Overrides for the `getMe` user. Default {@link FAKE_BOT_USER}. */
  botUser?: Partial<User>;
  /** Port to listen on (127.0.0.1). Default 0 (random). */
  port?: number;
  /** Upper bound for how long `getUpdates` holds a request, in ms. Default 1000. */
  longPollCapMs?: number;
  /** Artificial latency added to every API call, in ms. Default 0. */
  latencyMs?: number;
  /** Reject invalid `parse_mode` markup like Telegram does ("can't parse entities"). Default true. */
  validateEntities?: boolean;
  /**
   * Simulate group privacy mode: plain group messages that are not commands for this
   * bot, replies to the bot or mentions of it are NOT delivered (recorded in
   * {@link FakeBotApi.droppedUpdates}). Default false (bot sees everything).
   */
  groupPrivacy?: boolean;
  /** Enforce Telegram's flood limits; violations answer 429 and are recorded. Default false. */
  enforceLimits?: boolean;
  /** Limits used with `enforceLimits`; missing fields take the defaults. */
  limits?: Partial<RateLimits>;
}

/** A file part received in a multipart request (before it became a {@link FakeFile}). */
export interface UploadedFile {
  /** Brand to tell uploads from plain values in `params`. */
  readonly uploaded: true;
  /** Form field name (`photo`, `document`, or an `attach://` id). */
  fieldName: string;
  /** File name from the `content-disposition` header. */
  fileName: string;
  /** Part Content-Type if the client sent one (telegraf does not). */
  contentType?: string;
  /** Size in bytes. */
  size: number;
  /** The bytes. */
  bytes: Buffer;
}

/** A file known to the fake (uploaded by the bot, or created by a test helper). */
export interface FakeFile {
  /** `file_id` to use with the API. */
  fileId: string;
  /** `file_unique_id`. */
  fileUniqueId: string;
  /** `file_path` answered by `getFile`; served under `/file/bot<token>/<filePath>`. */
  filePath: string;
  /** Original file name, when known. */
  fileName?: string;
  /** MIME type (from the test, or guessed from the file name). */
  mimeType?: string;
  /** Size in bytes as reported to the bot (may differ from `bytes.length` when a test says so). */
  size: number;
  /** Content, when known (uploads and helper-made files). */
  bytes?: Buffer;
  /** Set when the bot sent the media as an HTTP URL string. */
  url?: string;
}

/** One message sent or edited by the bot, as recorded in {@link FakeBotApi.sent}. */
export interface SentMessage {
  /** Position in `fake.sent`. */
  seq: number;
  /** `send` for new messages, `edit` for edits of existing ones. */
  kind: 'send' | 'edit';
  /** API method (`sendMessage`, `sendPhoto`, `editMessageText`, ...). */
  method: string;
  /** Target chat id (numbers are numbers even when sent as multipart strings). */
  chatId: ChatId;
  /** The message id (for edits: the edited message). */
  messageId: number;
  /** Raw text as the bot sent it (markup included); for edits, the message text after the edit. */
  text?: string;
  /** Raw caption as sent; for edits, the caption after the edit. */
  caption?: string;
  /** Text or caption after entity parsing: what the user sees. */
  plainText?: string;
  /** `parse_mode` used. */
  parseMode?: string;
  /** Parsed `reply_markup` (any kind); for edits, the markup after the edit (undefined = none). */
  replyMarkup?: AnyReplyMarkup;
  /** Attached file (sendPhoto/sendDocument/...). */
  file?: FakeFile;
  /** All normalised call parameters. */
  params: Obj;
  /** Snapshot of the Telegram `Message` returned to the bot. */
  message: Message;
  /** `Date.now()` when recorded. */
  at: number;
}

/** One API call, as recorded in {@link FakeBotApi.calls}. */
export interface ApiCall {
  /** Position in `fake.calls`. */
  seq: number;
  /** Method name as requested (telegraf's camelCase). */
  method: string;
  /** Normalised parameters (uploads appear as {@link UploadedFile}). */
  params: Obj;
  /** How the call arrived. */
  via: 'http' | 'webhook-reply';
  /** `Date.now()` when received. */
  at: number;
  /** `true`/`false` once answered; `undefined` while in flight (long polls). */
  ok?: boolean;
  /** Result on success. */
  result?: unknown;
  /** `error_code` on failure. */
  errorCode?: number;
  /** `description` on failure. */
  description?: string;
  /** True when the failure came from {@link FakeBotApi.failNext}. */
  injected?: boolean;
}

/** A call refused by the rate limiter, recorded in {@link FakeBotApi.violations}. */
export interface RateLimitViolation {
  /** Method of the refused call. */
  method: string;
  /** Target chat. */
  chatId: ChatId;
  /** The (first) rule broken. */
  rule: 'perChat' | 'perGroup' | 'global';
  /** `retry_after` answered. */
  retryAfter: number;
  /** `Date.now()` of the call. */
  at: number;
}

/** An update that was never delivered to the bot, see {@link FakeBotApi.droppedUpdates}. */
export interface DroppedUpdate {
  /** The update. */
  update: Obj;
  /** Why it was dropped. */
  reason: 'allowed_updates' | 'privacy' | 'drop_pending_updates';
}

/** Options of {@link FakeBotApi.failNext}. */
export interface FailNextOptions {
  /** Only calls of this method (case-insensitive). Without it: any method except `getUpdates`. */
  method?: string;
  /** Only calls whose `chat_id` equals this. */
  chatId?: ChatId;
  /** How many matching calls fail. Default 1. */
  times?: number;
  /** Error to answer: 429, 403, 400, 500 (other codes are passed through as is). */
  errorCode: 429 | 403 | 400 | 500 | number;
  /** `retry_after` seconds for 429. Default 1. */
  retryAfter?: number;
  /** Override the description. */
  description?: string;
  /** `parameters` of the error answer, e.g. `{ migrate_to_chat_id: -100… }` for an upgraded group. */
  parameters?: Record<string, unknown>;
}

/** Options of {@link FakeBotApi.holdAnswers}. */
export interface HoldAnswersOptions {
  /** Only calls of this method (case-insensitive). Without it: any method except `getUpdates`. */
  method?: string;
  /** Only calls whose `chat_id` equals this. */
  chatId?: ChatId;
  /** How many matching calls are held. Default 1. */
  times?: number;
}

/**
 * Answers held back by {@link FakeBotApi.holdAnswers}: the calls took effect (a message is
 * recorded in `sent`), but the bot has not heard back.
 */
export interface HeldAnswers {
  /** The calls whose answers are held (or were, before `release`). */
  readonly calls: ApiCall[];
  /** Resolves once `n` matching calls are held. */
  waitForHeld(n?: number, opts?: Omit<WaitOptions, 'since'>): Promise<void>;
  /** Sends the held answers (and lets later matching calls through unheld). */
  release(): void;
}

/** The user a test message comes from. */
export interface FakeUserInput {
  /** Telegram user id (positive). */
  id: number;
  /** Default `User <id>`. */
  first_name?: string;
  /** Optional last name. */
  last_name?: string;
  /** Optional username (without `@`). */
  username?: string;
  /** Optional IETF language tag, e.g. `zh-hans`. */
  language_code?: string;
}

/** A chat for a test message; omitted = the private chat with `from`. */
export interface FakeChatInput {
  /** Chat id: negative for groups (`-100…` for supergroups). */
  id: number;
  /** Default: `private` for positive ids, `supergroup` for ids <= -1e12, else `group`. */
  type?: 'private' | 'group' | 'supergroup' | 'channel';
  /** Group title. Default `Group <id>`. */
  title?: string;
  /** Public username of the group. */
  username?: string;
}

/** Common options of the update-building helpers. */
export interface UpdateHelperBase {
  /** Sender. */
  from: FakeUserInput;
  /** Chat; default: the private chat with `from`. */
  chat?: FakeChatInput;
  /** Message id in the same chat to reply to (becomes `reply_to_message`). */
  replyTo?: number;
  /** Put the update in the getUpdates queue. Default true; use false with {@link FakeBotApi.deliverWebhook}. */
  enqueue?: boolean;
}

/** Matcher for {@link FakeBotApi.waitFor}: a predicate or a small pattern object. */
export type SentMatcher =
  | ((m: SentMessage) => boolean)
  | {
      /** Chat id to match. */
      chatId?: ChatId;
      /** Substring of (or RegExp over) the raw text/caption or the plain text. */
      text?: string | RegExp;
      /** Method to match. */
      method?: string;
      /** `send` or `edit`. */
      kind?: 'send' | 'edit';
    };

/** Options of the `waitFor*` helpers. */
export interface WaitOptions {
  /** Give up after this many ms. Default 5000. */
  timeoutMs?: number;
  /** Only consider records at index >= since (e.g. `fake.sent.length` taken earlier). */
  since?: number;
}

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Obj,
    readonly injected = false,
  ) {
    super(`${code}: ${description}`);
  }
}

const badRequest = (what: string): ApiError => new ApiError(400, `Bad Request: ${what}`);

type ApiReply =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: Obj };

interface StoredMessage {
  message: Obj;
  fromBot: boolean;
  raw: { text?: string; caption?: string; parseMode?: string };
  replyMarkup?: AnyReplyMarkup;
}

interface ChatState {
  chat: Obj;
  nextMessageId: number;
  pinned?: number;
}

interface PollWaiter {
  limit: number;
  done: (reply: { updates: Obj[] } | { error: ApiError }) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface Waiter<T> {
  test: () => T | undefined;
  resolve: (v: T) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface FailRule extends FailNextOptions {
  left: number;
}

interface HoldRule extends HoldAnswersOptions {
  left: number;
  released: boolean;
  release: Promise<void>;
  free: () => void;
  held: ApiCall[];
  onHeld: () => void;
}

const MAX_BODY_BYTES = 52 * 1024 * 1024;
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
const DEFAULT_EXCLUDED_UPDATES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);
const JSON_FIELDS = new Set([
  'reply_markup', 'entities', 'caption_entities', 'media', 'allowed_updates', 'commands', 'scope',
  'link_preview_options', 'reply_parameters', 'results', 'options', 'permissions', 'menu_button',
  'message_ids', 'reaction', 'explanation_entities', 'question_entities', 'rights', 'prices',
  'shipping_options', 'errors',
]);
const INT_FIELDS = new Set([
  'chat_id', 'from_chat_id', 'message_id', 'reply_to_message_id', 'message_thread_id', 'user_id', 'offset',
  'limit', 'timeout', 'cache_time', 'max_connections', 'until_date', 'open_period', 'close_date', 'duration',
  'width', 'height', 'length', 'latitude', 'longitude', 'sender_chat_id',
]);
const BOOL_FIELDS = new Set([
  'disable_notification', 'protect_content', 'show_alert', 'drop_pending_updates', 'disable_web_page_preview',
  'allow_sending_without_reply', 'is_anonymous', 'allows_multiple_answers', 'has_spoiler',
  'disable_content_type_detection', 'only_if_banned', 'revoke_messages', 'is_closed', 'supports_streaming',
  'show_caption_above_media', 'is_big', 'for_channels', 'is_personal', 'creates_join_request',
]);
const BUTTON_ACTIONS = [
  'callback_data', 'url', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat', 'callback_game', 'pay', 'web_app', 'copy_text',
];
const MIME_BY_EXT: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp',
  pdf: 'application/pdf', txt: 'text/plain', csv: 'text/csv', json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  zip: 'application/zip', mp4: 'video/mp4', mp3: 'audio/mpeg', ogg: 'audio/ogg', svg: 'image/svg+xml',
};

function compact<T extends Obj>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function isUpload(v: unknown): v is UploadedFile {
  return typeof v === 'object' && v !== null && (v as Obj).uploaded === true && Buffer.isBuffer((v as Obj).bytes);
}

function extOf(name: string | undefined): string {
  const m = name ? /\.([A-Za-z0-9]+)$/.exec(name) : null;
  return m ? m[1].toLowerCase() : '';
}

function normChatId(v: unknown): ChatId | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    if (/^-?\d+$/.test(v.trim())) return Number(v.trim());
    if (v.length > 0) return v;
  }
  return undefined;
}

function sameChat(a: ChatId, b: ChatId): boolean {
  return String(a) === String(b);
}

function byteOffset(s: string, i: number): number {
  return Buffer.byteLength(s.slice(0, i), 'utf8');
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

/** Coerce string-typed parameters (urlencoded/multipart/query) back to their JSON types. */
function coerceParams(raw: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') {
      out[k] = v;
      continue;
    }
    if (JSON_FIELDS.has(k) && /^\s*[[{"]/.test(v)) {
      try {
        out[k] = JSON.parse(v);
      } catch {
        throw badRequest(
          k === 'reply_markup' ? "can't parse reply keyboard markup JSON object" : `can't parse ${k} JSON object`,
        );
      }
    } else if (INT_FIELDS.has(k) && /^-?\d+(\.\d+)?$/.test(v.trim())) {
      out[k] = Number(v);
    } else if (BOOL_FIELDS.has(k) && /^(true|false|1|0)$/i.test(v)) {
      out[k] = v.toLowerCase() === 'true' || v === '1';
    } else {
      out[k] = v;
    }
  }
  return out;
}

/**
 * Minimal multipart/form-data parser (enough for telegraf): returns text fields and
 * file parts. Tolerates headers without a space after the colon.
 */
function parseMultipart(body: Buffer, boundary: string): Obj {
  const out: Obj = {};
  const delim = Buffer.from(`--${boundary}`);
  const next = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delim);
  if (pos < 0) return out;
  pos += delim.length;
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // "--": final boundary
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) break;
    const headers: Record<string, string> = {};
    for (const line of body.subarray(pos, headerEnd).toString('utf8').split('\r\n')) {
      const c = line.indexOf(':');
      if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
    }
    const dataStart = headerEnd + 4;
    const end = body.indexOf(next, dataStart);
    if (end < 0) break;
    const data = body.subarray(dataStart, end);
    const cd = headers['content-disposition'] ?? '';
    const name = /\bname="([^"]*)"/i.exec(cd)?.[1] ?? /\bname=([^;\s]+)/i.exec(cd)?.[1];
    const fileNameStar = /\bfilename\*=(?:UTF-8'')?([^;]+)/i.exec(cd)?.[1];
    const fileName = fileNameStar ? decodeURIComponent(fileNameStar) : /\bfilename="([^"]*)"/i.exec(cd)?.[1];
    if (name !== undefined) {
      if (fileName !== undefined) {
        const bytes = Buffer.from(data); // copy: do not retain the whole request body
        const file: UploadedFile = compact({
          uploaded: true as const,
          fieldName: name,
          fileName,
          contentType: headers['content-type'],
          size: bytes.length,
          bytes,
        });
        out[name] = file;
      } else {
        out[name] = data.toString('utf8');
      }
    }
    pos = end + next.length;
  }
  return out;
}

// ----------------------------------------- entity parsing ------------------------------------

const HTML_TAGS = new Set([
  'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre',
  'blockquote', 'tg-emoji',
]);

function entityError(what: string): ApiError {
  return badRequest(`can't parse entities: ${what}`);
}

function parseHtml(s: string): string {
  let out = '';
  const stack: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '<') {
      const close = s.indexOf('>', i);
      if (close < 0) throw entityError(`Unclosed start tag at byte offset ${byteOffset(s, i)}`);
      const inner = s.slice(i + 1, close);
      if (inner.startsWith('/')) {
        const name = inner.slice(1).trim().toLowerCase();
        const top = stack.pop();
        if (top === undefined) throw entityError(`Unexpected end tag at byte offset ${byteOffset(s, i)}`);
        if (name !== '' && name !== top) {
          throw entityError(
            `Unmatched end tag at byte offset ${byteOffset(s, i)}, expected "</${top}>", found "</${name}>"`,
          );
        }
      } else {
        const m = /^([a-zA-Z][a-zA-Z0-9-]*)(\s[\s\S]*)?$/.exec(inner);
        const name = (m?.[1] ?? inner.split(/\s/)[0]).toLowerCase();
        if (!m || !HTML_TAGS.has(name)) {
          throw entityError(`Unsupported start tag "${name}" at byte offset ${byteOffset(s, i)}`);
        }
        const attrs = m[2] ?? '';
        if (name === 'span' && !/class\s*=\s*["']?tg-spoiler/.test(attrs)) {
          throw entityError(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(s, i)}`);
        }
        stack.push(name);
      }
      i = close + 1;
      continue;
    }
    if (c === '&') {
      const m = /^&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);/.exec(s.slice(i, i + 12));
      if (m) {
        const e = m[1];
        out +=
          e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'amp' ? '&' : e === 'quot' ? '"'
          : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
        i += m[0].length;
        continue;
      }
    }
    out += c;
    i++;
  }
  const open = stack.pop();
  if (open !== undefined) throw entityError(`Can't find end tag corresponding to start tag "${open}"`);
  return out;
}

const MDV2_RESERVED = new Set('_*[]()~`>#+-=|{}.!'.split(''));
const MDV2_NAMES: Record<string, string> = { '*': 'Bold', _: 'Italic', __: 'Underline', '~': 'Strikethrough', '||': 'Spoiler', '[': 'TextUrl' };

function parseMarkdownV2(s: string): string {
  let out = '';
  const stack: { tok: string; at: number }[] = [];
  const toggle = (tok: string, at: number): void => {
    const idx = stack.findIndex((e) => e.tok === tok);
    if (idx >= 0) stack.splice(idx, 1);
    else stack.push({ tok, at });
  };
  const findUnescaped = (needle: string, from: number): number => {
    for (let j = from; j < s.length; j++) {
      if (s[j] === '\\') {
        j++;
        continue;
      }
      if (s.startsWith(needle, j)) return j;
    }
    return -1;
  };
  const unescape = (t: string): string => t.replace(/\\([\s\S])/g, '$1');
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') {
      out += s[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (c === '`') {
      const pre = s.startsWith('```', i);
      const end = findUnescaped(pre ? '```' : '`', i + (pre ? 3 : 1));
      if (end < 0) throw entityError(`Can't find end of ${pre ? 'Pre' : 'Code'} entity at byte offset ${byteOffset(s, i)}`);
      let content = s.slice(i + (pre ? 3 : 1), end);
      if (pre) content = content.replace(/^[^\s`]*\n/, ''); // language line
      out += unescape(content);
      i = end + (pre ? 3 : 1);
      continue;
    }
    if (c === '*' || c === '~') {
      toggle(c, i);
      i++;
      continue;
    }
    if (c === '_') {
      const tok = s[i + 1] === '_' ? '__' : '_';
      toggle(tok, i);
      i += tok.length;
      continue;
    }
    if (c === '|' && s[i + 1] === '|') {
      toggle('||', i);
      i += 2;
      continue;
    }
    if (c === '[') {
      stack.push({ tok: '[', at: i });
      i++;
      continue;
    }
    if (c === ']' && stack.some((e) => e.tok === '[')) {
      const idx = stack.map((e) => e.tok).lastIndexOf('[');
      stack.splice(idx, 1);
      i++;
      if (s[i] === '(') {
        const end = findUnescaped(')', i + 1);
        if (end < 0) throw entityError(`Can't find end of a URL at byte offset ${byteOffset(s, i)}`);
        i = end + 1;
      }
      continue;
    }
    if (c === '>' && (i === 0 || s[i - 1] === '\n')) {
      i++; // block quotation marker
      continue;
    }
    if (MDV2_RESERVED.has(c)) {
      throw entityError(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    }
    out += c;
    i++;
  }
  const open = stack[0];
  if (open) throw entityError(`Can't find end of ${MDV2_NAMES[open.tok] ?? 'the'} entity at byte offset ${byteOffset(s, open.at)}`);
  return out;
}

function parseLegacyMarkdown(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\' && '_*`['.includes(s[i + 1] ?? '')) {
      out += s[i + 1];
      i += 2;
      continue;
    }
    if (c === '*' || c === '_' || c === '`') {
      const tok = c === '`' && s.startsWith('```', i) ? '```' : c;
      const end = s.indexOf(tok, i + tok.length);
      if (end < 0) throw entityError(`Can't find end of the entity starting at byte offset ${byteOffset(s, i)}`);
      out += s.slice(i + tok.length, end);
      i = end + tok.length;
      continue;
    }
    if (c === '[') {
      const m = /^\[([^\]]*)\]\(([^)]*)\)/.exec(s.slice(i));
      if (m) {
        out += m[1];
        i += m[0].length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

/** Text after entity parsing, or throws the Telegram "can't parse entities" error. */
function renderText(text: string, parseMode: unknown, validate: boolean): string {
  if (parseMode === undefined || parseMode === null || parseMode === '') return text;
  const mode = String(parseMode).toLowerCase();
  try {
    if (mode === 'html') return parseHtml(text);
    if (mode === 'markdownv2') return parseMarkdownV2(text);
    if (mode === 'markdown') return parseLegacyMarkdown(text);
  } catch (e) {
    if (validate) throw e;
    return text;
  }
  throw badRequest('unsupported parse_mode');
}

function validateReplyMarkup(markup: unknown): void {
  if (markup === undefined) return;
  if (typeof markup !== 'object' || markup === null || Array.isArray(markup)) {
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  const m = markup as Obj;
  if ('inline_keyboard' in m) {
    const rows = m.inline_keyboard;
    if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) {
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    }
    for (const row of rows as unknown[][]) {
      for (const b of row) {
        if (typeof b !== 'object' || b === null) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
        const btn = b as Obj;
        if (typeof btn.text !== 'string') throw badRequest(`can't parse inline keyboard button: Field "text" must be of type String`);
        if (!BUTTON_ACTIONS.some((k) => btn[k] !== undefined && btn[k] !== null)) {
          throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        }
        if (btn.callback_data !== undefined) {
          if (typeof btn.callback_data !== 'string') {
            throw badRequest(`can't parse inline keyboard button: Field "callback_data" must be of type String`);
          }
          const n = Buffer.byteLength(btn.callback_data, 'utf8');
          if (n === 0 || n > 64) throw badRequest('BUTTON_DATA_INVALID');
        }
        if (btn.url !== undefined) {
          let ok = typeof btn.url === 'string';
          if (ok) {
            try {
              ok = ['http:', 'https:', 'tg:'].includes(new URL(btn.url as string).protocol);
            } catch {
              ok = false;
            }
          }
          if (!ok) throw badRequest(`inline keyboard button URL '${String(btn.url)}' is invalid: Wrong HTTP URL`);
        }
      }
    }
  } else if ('keyboard' in m) {
    if (!Array.isArray(m.keyboard) || m.keyboard.some((r: unknown) => !Array.isArray(r))) {
      throw badRequest('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays');
    }
  }
}

/** The inline keyboard to put into a returned Message (none when empty or not inline). */
function inlineMarkupOf(markup: AnyReplyMarkup | undefined): InlineKeyboardMarkup | undefined {
  if (!markup || !('inline_keyboard' in markup)) return undefined;
  return markup.inline_keyboard.some((r) => r.length > 0) ? markup : undefined;
}

function buttonsOf(markup: AnyReplyMarkup | undefined): Obj[] {
  const inline = inlineMarkupOf(markup);
  return inline ? (inline.inline_keyboard.flat() as Obj[]) : [];
}

function describeSent(m: SentMessage): string {
  const body = m.plainText ?? m.text ?? m.caption ?? (m.file ? `[file ${m.file.fileName ?? m.file.fileId}]` : '');
  const buttons = buttonsOf(m.replyMarkup).map((b) => b.text as string);
  return (
    `  #${m.seq} ${m.method} → chat ${m.chatId} msg ${m.messageId}: ${JSON.stringify(truncate(body, 100))}` +
    (buttons.length ? ` [buttons: ${buttons.join(' | ')}]` : '')
  );
}

function describeMatcher(match: SentMatcher): string {
  if (typeof match === 'function') return match.toString().replace(/\s+/g, ' ').slice(0, 120);
  return JSON.stringify(match, (_k, v: unknown) => (v instanceof RegExp ? String(v) : v));
}

function matches(match: SentMatcher, m: SentMessage): boolean {
  try {
    if (typeof match === 'function') return match(m);
    if (match.chatId !== undefined && !sameChat(match.chatId, m.chatId)) return false;
    if (match.method !== undefined && match.method !== m.method) return false;
    if (match.kind !== undefined && match.kind !== m.kind) return false;
    if (match.text !== undefined) {
      const texts = [m.text, m.caption, m.plainText].filter((t): t is string => typeof t === 'string');
      const t = match.text;
      if (!texts.some((x) => (typeof t === 'string' ? x.includes(t) : t.test(x)))) return false;
    }
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

type Handler = (p: Obj, signal: AbortSignal | undefined, method: string) => unknown;

/**
 * A running fake Bot API server. Create it with {@link startFakeBotApi}; always
 * `await fake.close()` at the end (after stopping bots that use it).
 */
export class FakeBotApi {
  /** Bot token accepted in URLs. */
  readonly token: string;
  /** The `getMe` user. */
  readonly botUser: User;
  /** Every message sent or edited by the bot, in order. */
  readonly sent: SentMessage[] = [];
  /** Every API call (including getUpdates and failed calls), in order. */
  readonly calls: ApiCall[] = [];
  /** Parameters of every successful `answerCallbackQuery`. */
  readonly callbackAnswers: Obj[] = [];
  /** Calls refused by the rate limiter (`enforceLimits`); `.length` is the violation count. */
  readonly violations: RateLimitViolation[] = [];
  /** Updates that were pushed but never delivered (allowed_updates, privacy mode, dropped). */
  readonly droppedUpdates: DroppedUpdate[] = [];
  /** Unexpected exceptions inside the fake (answered as HTTP 500); should stay empty. */
  readonly serverErrors: Error[] = [];

  private readonly server: http.Server;
  private readonly opts: Required<Omit<FakeBotApiOptions, 'token' | 'botUser' | 'limits' | 'port'>>;
  private readonly limits: RateLimits;
  private readonly handlers = new Map<string, Handler>();
  private readonly botFrom: User;
  private portNumber = 0;
  private closed = false;

  private queue: Obj[] = [];
  private nextUpdateId = 1;
  private allowedUpdates: string[] = [];
  private pollWaiters = new Set<PollWaiter>();
  private webhook: { url: string; secretToken?: string; allowedUpdates?: string[] } | null = null;

  private chats = new Map<string, ChatState>();
  /** Basic groups upgraded with {@link FakeBotApi.migrateGroup}: old id → supergroup id. */
  private migratedChats = new Map<string, number>();
  private users = new Map<number, User>();
  private messages = new Map<string, StoredMessage>();
  private files = new Map<string, FakeFile>();
  private filesByPath = new Map<string, FakeFile>();
  private fileCounter = 0;
  private callbackCounter = 0;
  private openCallbackQueries = new Set<string>();
  private memberStatus = new Map<string, string>();
  private myCommands = new Map<string, unknown[]>();

  private failRules: FailRule[] = [];
  private holdRules: HoldRule[] = [];
  private perChatTimes = new Map<string, number[]>();
  private perGroupTimes = new Map<string, number[]>();
  private globalTimes: number[] = [];

  private sentWaiters = new Set<Waiter<unknown>>();
  private callWaiters = new Set<Waiter<unknown>>();
  private queueWaiters = new Set<Waiter<unknown>>();

  /** Use {@link startFakeBotApi} instead. */
  constructor(options: FakeBotApiOptions = {}) {
    this.token = options.token ?? DEFAULT_FAKE_TOKEN;
    this.botUser = { ...FAKE_BOT_USER, ...options.botUser } as User;
    this.botFrom = compact({
      id: this.botUser.id,
      is_bot: true,
      first_name: this.botUser.first_name,
      username: this.botUser.username,
    }) as User;
    this.opts = {
      longPollCapMs: options.longPollCapMs ?? 1000,
      latencyMs: options.latencyMs ?? 0,
      validateEntities: options.validateEntities ?? true,
      groupPrivacy: options.groupPrivacy ?? false,
      enforceLimits: options.enforceLimits ?? false,
    };
    this.limits = { perChatPerSecond: 1, perGroupPerMinute: 20, globalPerSecond: 30, timeScale: 1, ...options.limits };
    this.server = http.createServer((req, res) => {
      this.onRequest(req, res).catch((err: unknown) => this.internalError(res, err));
    });
    this.server.keepAliveTimeout = 30_000;
    this.registerHandlers();
  }

  /** Base URL to pass as telegraf's `telegram.apiRoot`, e.g. `http://127.0.0.1:PORT`. */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.portNumber}`;
  }

  /** The TCP port. */
  get port(): number {
    return this.portNumber;
  }

  /** Updates pushed but not yet confirmed by a later `getUpdates` offset. */
  get pendingUpdates(): readonly Obj[] {
    return [...this.queue];
  }

  /** The webhook set by `setWebhook`, or null. */
  get webhookInfo(): { url: string; secretToken?: string; allowedUpdates?: string[] } | null {
    return this.webhook ? { ...this.webhook } : null;
  }

  /** @internal Starts listening; called by {@link startFakeBotApi}. */
  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.portNumber = (this.server.address() as AddressInfo).port;
    return this;
  }

  /**
   * Stops the server: answers held long polls with `[]`, rejects pending `waitFor*`
   * promises, and force-closes keep-alive sockets. Idempotent.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.pollWaiters) {
      realClearTimeout(w.timer);
      w.done({ updates: [] });
    }
    this.pollWaiters.clear();
    for (const rule of this.holdRules) rule.free();
    this.holdRules = [];
    for (const set of [this.sentWaiters, this.callWaiters, this.queueWaiters]) {
      for (const w of set) {
        realClearTimeout(w.timer);
        w.reject(new Error('FakeBotApi closed while waiting'));
      }
      set.clear();
    }
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /**
   * Clears recordings (`sent`, `calls`, `callbackAnswers`, `violations`,
   * `droppedUpdates`, `serverErrors`), pending `failNext` rules and rate-limit windows.
   * Chats, stored messages, files, message/update counters and the update queue are kept
   * (pass `{ updates: true }` to also drop queued updates).
   */
  reset(opts: { updates?: boolean } = {}): void {
    this.sent.length = 0;
    this.calls.length = 0;
    this.callbackAnswers.length = 0;
    this.violations.length = 0;
    this.droppedUpdates.length = 0;
    this.serverErrors.length = 0;
    this.failRules = [];
    this.perChatTimes.clear();
    this.perGroupTimes.clear();
    this.globalTimes = [];
    if (opts.updates) {
      this.queue = [];
      this.checkQueueWaiters();
    }
  }

  // --------------------------------------- observing ------------------------------------------

  /** New messages (not edits) the bot sent to `chatId`, in order. */
  messagesTo(chatId: ChatId): SentMessage[] {
    return this.sent.filter((m) => m.kind === 'send' && sameChat(m.chatId, chatId));
  }

  /** Current state of a message (after edits), or undefined if unknown or deleted. */
  messageState(chatId: ChatId, messageId: number): Message | undefined {
    const s = this.messages.get(this.msgKey(chatId, messageId));
    return s ? ({ ...s.message } as Message) : undefined;
  }

  /** Commands stored by `setMyCommands` for a scope type (default `default`) and language (default ''). */
  commandsFor(scopeType = 'default', languageCode = ''): unknown[] | undefined {
    return this.myCommands.get(`${scopeType}|${languageCode}`);
  }

  /**
   * Resolves with the first sent/edited message matching `match` (already recorded
   * ones, from `since`, are checked first). Rejects after `timeoutMs` (default 5000)
   * with a message listing the last sent messages, failed calls and pending updates.
   */
  waitFor(match: SentMatcher, opts: WaitOptions = {}): Promise<SentMessage> {
    const since = opts.since ?? 0;
    return this.addWaiter(
      this.sentWaiters,
      () => {
        for (let i = since; i < this.sent.length; i++) if (matches(match, this.sent[i])) return this.sent[i];
        return undefined;
      },
      opts.timeoutMs ?? 5000,
      () => `fake.waitFor: no sent message matched ${describeMatcher(match)}`,
    );
  }

  /** Resolves with `messagesTo(chatId)` once it holds at least `n` messages. */
  waitForCount(chatId: ChatId, n: number, opts: Omit<WaitOptions, 'since'> = {}): Promise<SentMessage[]> {
    return this.addWaiter(
      this.sentWaiters,
      () => {
        const list = this.messagesTo(chatId);
        return list.length >= n ? list : undefined;
      },
      opts.timeoutMs ?? 5000,
      () => `fake.waitForCount: expected ${n} messages to chat ${chatId}, got ${this.messagesTo(chatId).length}`,
    );
  }

  /**
   * Resolves with the first API call of `method` (or matching the predicate), checking
   * recorded calls from `since` first. Long polls are reported while still in flight,
   * so `await fake.waitForCall('getUpdates')` tells that a bot's polling has started.
   */
  waitForCall(match: string | ((c: ApiCall) => boolean), opts: WaitOptions = {}): Promise<ApiCall> {
    const since = opts.since ?? 0;
    const test = (c: ApiCall): boolean =>
      typeof match === 'string' ? c.method.toLowerCase() === match.toLowerCase() : match(c);
    return this.addWaiter(
      this.callWaiters,
      () => {
        for (let i = since; i < this.calls.length; i++) if (test(this.calls[i])) return this.calls[i];
        return undefined;
      },
      opts.timeoutMs ?? 5000,
      () => `fake.waitForCall: no call matched ${typeof match === 'string' ? match : describeMatcher(match as never)}`,
    );
  }

  /**
   * Resolves once every queued update has been confirmed by a later `getUpdates`
   * offset. With telegraf polling this means the handlers of those updates finished
   * (telegraf asks for the next batch only after handling the previous one).
   */
  waitForUpdatesConfirmed(opts: Omit<WaitOptions, 'since'> = {}): Promise<void> {
    return this.addWaiter(
      this.queueWaiters,
      () => (this.queue.length === 0 ? true : undefined),
      opts.timeoutMs ?? 5000,
      () => `fake.waitForUpdatesConfirmed: ${this.queue.length} update(s) still unconfirmed`,
    ).then(() => undefined);
  }

  // --------------------------------------- failure injection ----------------------------------

  /**
   * Makes the next matching call(s) fail like Telegram would:
   * 429 → `Too Many Requests: retry after N` with `parameters.retry_after`,
   * 403 → `Forbidden: bot was kicked from the group chat`,
   * 400 → `Bad Request: chat not found`, 500 → HTTP 500 `Internal Server Error`.
   * Rules are consumed in the order they were added.
   */
  failNext(opts: FailNextOptions): void {
    this.failRules.push({ ...opts, left: opts.times ?? 1 });
  }

  /**
   * Holds back the answers to the next matching call(s) after they took effect: the message is
   * stored and recorded in `sent`, but the HTTP answer waits until `release()`. This is the
   * instant a sender can crash in — the platform accepted the message, the sender does not know
   * its id yet. A client that disconnects meanwhile (a killed process) never gets the answer.
   * Only HTTP calls are held (not webhook replies).
   */
  holdAnswers(opts: HoldAnswersOptions = {}): HeldAnswers {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const waiters: { n: number; resolve: () => void }[] = [];
    const rule: HoldRule = {
      ...opts,
      left: opts.times ?? 1,
      released: false,
      release: released,
      free: release,
      held: [],
      onHeld: () => {
        for (const w of [...waiters]) if (rule.held.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      },
    };
    this.holdRules.push(rule);
    return {
      calls: rule.held,
      waitForHeld: (n = 1, wait = {}) =>
        new Promise<void>((resolve, reject) => {
          if (rule.held.length >= n) return resolve();
          const timer = realSetTimeout(() => reject(new Error(`holdAnswers: ${rule.held.length} of ${n} calls held after ${wait.timeoutMs ?? 5000} ms`)), wait.timeoutMs ?? 5000);
          waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
        }),
      release: () => {
        rule.released = true;
        this.holdRules = this.holdRules.filter((r) => r !== rule);
        release();
      },
    };
  }

  /** The hold an answered call falls under, if any (consumes one of its `times`). */
  private holdFor(method: string, params: Obj): HoldRule | undefined {
    const lower = method.toLowerCase();
    const rule = this.holdRules.find((r) => {
      if (r.left <= 0 || r.released) return false;
      if (r.method !== undefined ? r.method.toLowerCase() !== lower : lower === 'getupdates') return false;
      if (r.chatId !== undefined) {
        const cid = normChatId(params.chat_id);
        if (cid === undefined || !sameChat(cid, r.chatId)) return false;
      }
      return true;
    });
    if (rule) rule.left--;
    return rule;
  }

  /**
   * Upgrades a basic group to a supergroup as Telegram does. Two service messages are built
   * (and queued by default): one in the old group with `migrate_to_chat_id`, one in the new
   * supergroup with `migrate_from_chat_id` (the supergroup's first message). From then on every
   * call with the old `chat_id` answers 400 "Bad Request: group chat was upgraded to a
   * supergroup chat" with `parameters.migrate_to_chat_id`, like the real Bot API.
   */
  migrateGroup(opts: { from: FakeUserInput; chatId: number; toChatId: number; title?: string; enqueue?: boolean }): [Update.MessageUpdate, Update.MessageUpdate] {
    const user = this.user(opts.from);
    const title = opts.title ?? (this.chats.get(String(opts.chatId))?.chat.title as string | undefined) ?? `Group ${opts.chatId}`;
    const oldChat = this.chatState(opts.chatId);
    oldChat.chat = { id: opts.chatId, type: 'group', title };
    const newChat = this.chatState(opts.toChatId);
    newChat.chat = { id: opts.toChatId, type: 'supergroup', title };
    const updates = [
      { update_id: this.nextUpdateId++, message: { message_id: oldChat.nextMessageId++, from: user, chat: oldChat.chat, date: unixNow(), migrate_to_chat_id: opts.toChatId } },
      { update_id: this.nextUpdateId++, message: { message_id: newChat.nextMessageId++, from: user, chat: newChat.chat, date: unixNow(), migrate_from_chat_id: opts.chatId } },
    ];
    this.migratedChats.set(String(opts.chatId), opts.toChatId);
    if (opts.enqueue ?? true) for (const u of updates) this.enqueue(u);
    return updates as unknown as [Update.MessageUpdate, Update.MessageUpdate];
  }

  /** Sets the `getChatMember` status of a user in a chat (default status is `member`). */
  setChatMember(
    chatId: ChatId,
    userId: number,
    status: 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked',
  ): void {
    this.memberStatus.set(`${chatId}|${userId}`, status);
  }

  // --------------------------------------- injecting updates ----------------------------------

  /**
   * Queues a raw update for `getUpdates` (an `update_id` is assigned when missing)
   * and wakes a held long poll. Users, chats, messages and callback query ids in it
   * become known to the fake.
   */
  pushUpdate<T extends object>(update: T & { update_id?: number }): T & { update_id: number } {
    const u = this.ingest(update as Obj) as T & { update_id: number };
    this.enqueue(u);
    return u;
  }

  /**
   * Builds (and by default queues) a text message update. Texts starting with `/`
   * get a `bot_command` entity covering the first token (e.g. `/start@linli_test_bot`);
   * `@username` mentions get `mention` entities.
   */
  sendText(opts: UpdateHelperBase & { text: string }): Update.MessageUpdate<Message.TextMessage> {
    const { message, chat } = this.newIncoming(opts);
    message.text = opts.text;
    const entities = this.autoEntities(opts.text);
    if (entities.length) message.entities = entities;
    return this.finishIncoming(opts, message, chat) as Update.MessageUpdate<Message.TextMessage>;
  }

  /**
   * Builds (and by default queues) a photo message with three sizes whose file ids
   * can be used with `getFile` and downloaded.
   */
  sendPhoto(
    opts: UpdateHelperBase & { caption?: string; content?: Buffer; width?: number; height?: number },
  ): Update.MessageUpdate<Message.PhotoMessage> {
    const { message, chat } = this.newIncoming(opts);
    const bytes = opts.content ?? Buffer.from('\xff\xd8\xff\xe0fake-jpeg-bytes\xff\xd9', 'latin1');
    const file = this.registerFile('photo', { bytes, size: bytes.length, fileName: undefined, mimeType: 'image/jpeg' });
    message.photo = this.photoSizes(file, opts.width ?? 1280, opts.height ?? 960);
    if (opts.caption !== undefined) {
      message.caption = opts.caption;
      const entities = this.autoEntities(opts.caption);
      if (entities.length) message.caption_entities = entities;
    }
    return this.finishIncoming(opts, message, chat) as Update.MessageUpdate<Message.PhotoMessage>;
  }

  /**
   * Builds (and by default queues) a document message. `size` (default
   * `content.length`) is what Telegram reports; `getFile` refuses files over 20 MB
   * like the real Bot API.
   */
  sendDocument(
    opts: UpdateHelperBase & { fileName: string; mimeType?: string; size?: number; content?: Buffer; caption?: string },
  ): Update.MessageUpdate<Message.DocumentMessage> {
    const { message, chat } = this.newIncoming(opts);
    const bytes = opts.content ?? Buffer.from(`fake content of ${opts.fileName}`);
    const file = this.registerFile('document', {
      bytes,
      size: opts.size ?? bytes.length,
      fileName: opts.fileName,
      mimeType: opts.mimeType ?? MIME_BY_EXT[extOf(opts.fileName)] ?? 'application/octet-stream',
    });
    message.document = compact({
      file_id: file.fileId,
      file_unique_id: file.fileUniqueId,
      file_name: file.fileName,
      mime_type: file.mimeType,
      file_size: file.size,
    });
    if (opts.caption !== undefined) message.caption = opts.caption;
    return this.finishIncoming(opts, message, chat) as Update.MessageUpdate<Message.DocumentMessage>;
  }

  /**
   * Builds (and by default queues) a `callback_query` for a button press. When the
   * bot's message is known, `message` is its current state and the button must exist
   * on it (pass `buttonText` to pick by label, or `force: true` to send any data);
   * otherwise an inaccessible message `{ chat, message_id, date: 0 }` is used.
   * The callback query id is unique and answerable once.
   */
  pressButton(opts: {
    from: FakeUserInput;
    chat?: FakeChatInput;
    messageId: number;
    data?: string;
    buttonText?: string;
    force?: boolean;
    enqueue?: boolean;
  }): Update.CallbackQueryUpdate {
    const user = this.user(opts.from);
    const chat = this.chatFor(opts.chat, user);
    const stored = this.messages.get(this.msgKey(chat.id, opts.messageId));
    let data = opts.data;
    if (stored) {
      const buttons = buttonsOf(stored.replyMarkup);
      const btn = buttons.find((b) =>
        opts.buttonText !== undefined ? b.text === opts.buttonText : b.callback_data === data,
      );
      if (btn) data ??= btn.callback_data as string | undefined;
      if (!btn && !opts.force) {
        throw new Error(
          `fake.pressButton: message ${opts.messageId} in chat ${chat.id} has no button ` +
            `${opts.buttonText !== undefined ? `labelled ${JSON.stringify(opts.buttonText)}` : `with data ${JSON.stringify(data)}`}; ` +
            `buttons: ${JSON.stringify(buttons.map((b) => ({ text: b.text, data: b.callback_data })))} (use force: true to press anyway)`,
        );
      }
    } else if (opts.buttonText !== undefined && !opts.force) {
      throw new Error(`fake.pressButton: message ${opts.messageId} in chat ${chat.id} is unknown, cannot find button by text`);
    }
    const id = `${Date.now()}${String(++this.callbackCounter).padStart(6, '0')}`;
    const update: Obj = {
      update_id: this.nextUpdateId++,
      callback_query: compact({
        id,
        from: user,
        message: stored ? { ...stored.message } : { chat, message_id: opts.messageId, date: 0 },
        chat_instance: `ci${String(chat.id).replace('-', 'm')}`,
        data,
      }),
    };
    this.openCallbackQueries.add(id);
    if (opts.enqueue ?? true) this.enqueue(update);
    return update as Update.CallbackQueryUpdate;
  }

  /**
   * POSTs an update to a webhook URL (like Telegram would), with header
   * `X-Telegram-Bot-Api-Secret-Token`. `secretToken`: undefined → the one given to
   * `setWebhook` (if any); null → no header. A webhook reply in the response body
   * (`{ method, ... }`) is executed and recorded. Resolves with the HTTP status.
   */
  async deliverWebhook(url: string, update: object, secretToken?: string | null): Promise<number> {
    const u = this.ingest(update as Obj);
    const secret = secretToken === undefined ? this.webhook?.secretToken : (secretToken ?? undefined);
    const body = Buffer.from(JSON.stringify(u));
    const target = new URL(url);
    const mod = target.protocol === 'https:' ? https : http;
    const { status, contentType, payload } = await new Promise<{ status: number; contentType: string; payload: Buffer }>(
      (resolve, reject) => {
        const req = mod.request(
          target,
          {
            method: 'POST',
            agent: false,
            headers: compact({
              'content-type': 'application/json',
              'content-length': String(body.length),
              'x-telegram-bot-api-secret-token': secret,
            }),
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                contentType: String(res.headers['content-type'] ?? ''),
                payload: Buffer.concat(chunks),
              }),
            );
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      },
    );
    if (payload.length > 0) {
      let reply: Obj | undefined;
      if (contentType.includes('multipart/form-data')) {
        const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
        if (boundary) reply = parseMultipart(payload, boundary.replace(/^"|"$/g, ''));
      } else {
        try {
          reply = JSON.parse(payload.toString('utf8')) as Obj;
        } catch {
          reply = undefined;
        }
      }
      if (reply && typeof reply.method === 'string') {
        const { method, ...rest } = reply;
        let params: Obj;
        try {
          params = coerceParams(rest);
        } catch {
          params = rest;
        }
        await this.dispatch(method as string, params, 'webhook-reply', undefined);
      }
    }
    return status;
  }

  // ============================================ internals ======================================

  private msgKey(chatId: ChatId, messageId: number): string {
    return `${chatId}:${messageId}`;
  }

  private addWaiter<T>(set: Set<Waiter<unknown>>, test: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
    const now = test();
    if (now !== undefined) return Promise.resolve(now);
    if (this.closed) return Promise.reject(new Error('FakeBotApi is closed'));
    return new Promise<T>((resolve, reject) => {
      const w: Waiter<T> = {
        test,
        resolve,
        reject,
        timer: realSetTimeout(() => {
          set.delete(w as Waiter<unknown>);
          reject(new Error(`${what()} within ${timeoutMs} ms.\n${this.debugSummary()}`));
        }, timeoutMs),
      };
      set.add(w as Waiter<unknown>);
    });
  }

  private checkWaiters(set: Set<Waiter<unknown>>): void {
    for (const w of set) {
      const v = w.test();
      if (v !== undefined) {
        realClearTimeout(w.timer);
        set.delete(w);
        w.resolve(v);
      }
    }
  }

  private checkQueueWaiters(): void {
    if (this.queueWaiters.size) this.checkWaiters(this.queueWaiters);
  }

  /** Human-readable state used in waitFor timeout errors. */
  debugSummary(): string {
    const lines: string[] = [];
    const last = this.sent.slice(-10);
    lines.push(
      this.sent.length === 0
        ? 'The bot has sent nothing yet.'
        : `Last ${last.length} of ${this.sent.length} sent messages:\n${last.map(describeSent).join('\n')}`,
    );
    const failed = this.calls.filter((c) => c.ok === false).slice(-5);
    if (failed.length) {
      lines.push(
        `Recent failed API calls:\n${failed
          .map((c) => `  ${c.method}${c.params.chat_id !== undefined ? ` chat ${c.params.chat_id}` : ''} → ${c.errorCode} ${c.description}${c.injected ? ' (injected)' : ''}`)
          .join('\n')}`,
      );
    }
    if (this.queue.length) {
      lines.push(
        `${this.queue.length} update(s) not yet confirmed by the bot (update_id ${this.queue
          .slice(0, 5)
          .map((u) => u.update_id)
          .join(', ')}${this.queue.length > 5 ? ', …' : ''}) — is the bot polling, and did its handlers finish?`,
      );
    }
    if (this.droppedUpdates.length) {
      lines.push(`${this.droppedUpdates.length} update(s) dropped (${[...new Set(this.droppedUpdates.map((d) => d.reason))].join(', ')}).`);
    }
    if (this.serverErrors.length) lines.push(`Fake server errors: ${this.serverErrors.map((e) => e.message).join('; ')}`);
    return lines.join('\n');
  }

  private internalError(res: http.ServerResponse, err: unknown): void {
    const e = err instanceof Error ? err : new Error(String(err));
    this.serverErrors.push(e);
    if (!res.headersSent && !res.destroyed) {
      this.writeJson(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${e.message}` });
    }
  }

  private writeJson(res: http.ServerResponse, status: number, obj: unknown): void {
    if (res.destroyed || res.writableEnded) return;
    const body = JSON.stringify(obj);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  private async readBody(req: http.IncomingMessage): Promise<Buffer | null> {
    const chunks: Buffer[] = [];
    let total = 0;
    let tooBig = false;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > MAX_BODY_BYTES) tooBig = true;
      if (!tooBig) chunks.push(chunk);
    }
    return tooBig ? null : Buffer.concat(chunks, total);
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      req.resume();
      if (decodeURIComponent(fileMatch[1]) !== this.token) {
        this.writeJson(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
        return;
      }
      const file = this.filesByPath.get(decodeURIComponent(fileMatch[2]));
      if (!file || !file.bytes) {
        this.writeJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
        return;
      }
      res.writeHead(200, {
        'content-type': file.mimeType ?? 'application/octet-stream',
        'content-length': file.bytes.length,
      });
      res.end(file.bytes);
      return;
    }
    const m = /^\/bot([^/]+)\/([A-Za-z0-9_]+)\/?$/.exec(url.pathname);
    if (!m) {
      req.resume();
      this.writeJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    if (decodeURIComponent(m[1]) !== this.token) {
      req.resume();
      this.writeJson(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    const method = m[2];
    const body = await this.readBody(req);
    if (body === null) {
      this.writeJson(res, 413, { ok: false, error_code: 413, description: 'Request Entity Too Large' });
      return;
    }
    let params: Obj;
    try {
      params = this.parseParams(req.headers['content-type'] ?? '', body, url.searchParams);
    } catch (e) {
      if (e instanceof ApiError) {
        this.calls.push({ seq: this.calls.length, method, params: {}, via: 'http', at: Date.now(), ok: false, errorCode: e.code, description: e.description });
        this.writeJson(res, e.code, { ok: false, error_code: e.code, description: e.description });
        return;
      }
      throw e;
    }
    if (this.opts.latencyMs > 0) await new Promise((r) => realSetTimeout(r, this.opts.latencyMs));
    const ac = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    const callIndex = this.calls.length; // dispatch records the call before its first await
    const reply = await this.dispatch(method, params, 'http', ac.signal);
    const hold = this.holdRules.length ? this.holdFor(method, params) : undefined;
    if (hold) {
      hold.held.push(this.calls[callIndex]);
      hold.onHeld();
      await hold.release;
      if (res.destroyed || res.writableEnded) return;
    }
    this.writeJson(res, reply.ok ? 200 : reply.error_code, reply);
  }

  private parseParams(contentType: string, body: Buffer, query: URLSearchParams): Obj {
    const fromQuery: Obj = {};
    for (const [k, v] of query) fromQuery[k] = v;
    const ct = contentType.toLowerCase();
    let fromBody: Obj = {};
    let stringly = true;
    if (ct.includes('multipart/form-data')) {
      const boundary = /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
      if (boundary) fromBody = parseMultipart(body, boundary);
    } else if (ct.includes('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) fromBody[k] = v;
    } else if (body.length > 0) {
      try {
        const parsed: unknown = JSON.parse(body.toString('utf8'));
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) fromBody = parsed as Obj;
        stringly = false;
      } catch {
        throw badRequest("can't parse JSON object");
      }
    }
    delete fromBody.method; // telegraf adds `method` to multipart bodies
    const params = { ...coerceParams(fromQuery), ...(stringly ? coerceParams(fromBody) : fromBody) };
    if (!stringly && typeof params.reply_markup === 'string') params.reply_markup = coerceParams({ reply_markup: params.reply_markup }).reply_markup;
    return params;
  }

  private async dispatch(method: string, params: Obj, via: ApiCall['via'], signal: AbortSignal | undefined): Promise<ApiReply> {
    const call: ApiCall = { seq: this.calls.length, method, params, via, at: Date.now() };
    this.calls.push(call);
    const fail = (e: ApiError): ApiReply => {
      call.ok = false;
      call.errorCode = e.code;
      call.description = e.description;
      if (e.injected) call.injected = true;
      return compact({ ok: false as const, error_code: e.code, description: e.description, parameters: e.parameters });
    };
    try {
      this.applyInjectedFailure(method, params);
      const movedTo = params.chat_id === undefined ? undefined : this.migratedChats.get(String(normChatId(params.chat_id)));
      if (movedTo !== undefined) throw new ApiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: movedTo });
      const handler = this.handlers.get(method.toLowerCase());
      const out = handler ? handler(params, signal, method) : true;
      if (out instanceof Promise) {
        this.checkWaiters(this.callWaiters);
        const result: unknown = await out;
        call.ok = true;
        call.result = result;
        return { ok: true, result };
      }
      call.ok = true;
      call.result = out;
      return { ok: true, result: out };
    } catch (e) {
      if (e instanceof ApiError) return fail(e);
      throw e;
    } finally {
      this.checkWaiters(this.callWaiters);
    }
  }

  private applyInjectedFailure(method: string, params: Obj): void {
    const lower = method.toLowerCase();
    const idx = this.failRules.findIndex((r) => {
      if (r.method !== undefined ? r.method.toLowerCase() !== lower : lower === 'getupdates') return false;
      if (r.chatId !== undefined) {
        const cid = normChatId(params.chat_id);
        if (cid === undefined || !sameChat(cid, r.chatId)) return false;
      }
      return true;
    });
    if (idx < 0) return;
    const rule = this.failRules[idx];
    if (--rule.left <= 0) this.failRules.splice(idx, 1);
    switch (rule.errorCode) {
      case 429: {
        const retry = rule.retryAfter ?? 1;
        throw new ApiError(429, rule.description ?? `Too Many Requests: retry after ${retry}`, { ...rule.parameters, retry_after: retry }, true);
      }
      case 403:
        throw new ApiError(403, rule.description ?? 'Forbidden: bot was kicked from the group chat', rule.parameters, true);
      case 400:
        throw new ApiError(400, rule.description ?? 'Bad Request: chat not found', rule.parameters, true);
      case 500:
        throw new ApiError(500, rule.description ?? 'Internal Server Error', rule.parameters, true);
      default:
        throw new ApiError(rule.errorCode, rule.description ?? `Error ${rule.errorCode}`, rule.parameters, true);
    }
  }

  /** Rate limiter: records accepted sends, throws 429 (and records a violation) otherwise. */
  private checkLimits(method: string, chatId: ChatId): void {
    if (!this.opts.enforceLimits) return;
    const { perChatPerSecond, perGroupPerMinute, globalPerSecond, timeScale } = this.limits;
    const now = monotonicNow();
    const second = 1000 * timeScale;
    const minute = 60_000 * timeScale;
    const key = String(chatId);
    const prune = (arr: number[], win: number): number[] => {
      let k = 0;
      while (k < arr.length && arr[k] <= now - win) k++;
      if (k) arr.splice(0, k);
      return arr;
    };
    const chatTimes = prune(this.perChatTimes.get(key) ?? [], second);
    const isGroup = typeof chatId === 'number' ? chatId < 0 : true;
    const groupTimes = isGroup ? prune(this.perGroupTimes.get(key) ?? [], minute) : [];
    prune(this.globalTimes, second);
    let rule: RateLimitViolation['rule'] | undefined;
    let waitMs = 0;
    const test = (arr: number[], max: number, win: number, name: RateLimitViolation['rule']): void => {
      if (arr.length >= max) {
        rule ??= name;
        waitMs = Math.max(waitMs, arr[arr.length - max] + win - now);
      }
    };
    test(chatTimes, perChatPerSecond, second, 'perChat');
    if (isGroup) test(groupTimes, perGroupPerMinute, minute, 'perGroup');
    test(this.globalTimes, globalPerSecond, second, 'global');
    if (rule) {
      const retryAfter = Math.max(1, Math.ceil(waitMs / timeScale / 1000)) * timeScale;
      this.violations.push({ method, chatId, rule, retryAfter, at: Date.now() });
      throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    }
    chatTimes.push(now);
    this.perChatTimes.set(key, chatTimes);
    if (isGroup) {
      groupTimes.push(now);
      this.perGroupTimes.set(key, groupTimes);
    }
    this.globalTimes.push(now);
  }

  // ------------------------------------------ state helpers -----------------------------------

  private user(from: FakeUserInput): User {
    const u = compact({
      id: from.id,
      is_bot: false,
      first_name: from.first_name ?? `User ${from.id}`,
      last_name: from.last_name,
      username: from.username,
      language_code: from.language_code,
    }) as User;
    this.users.set(u.id, u);
    return u;
  }

  private chatFor(input: FakeChatInput | undefined, user: User): Obj {
    let chat: Obj;
    if (!input || (input.id === user.id && (input.type ?? 'private') === 'private')) {
      chat = compact({ id: user.id, type: 'private', first_name: user.first_name, last_name: user.last_name, username: user.username });
    } else {
      const type = input.type ?? (input.id > 0 ? 'private' : input.id <= -1e12 ? 'supergroup' : 'group');
      chat =
        type === 'private'
          ? { id: input.id, type, first_name: `User ${input.id}` }
          : compact({ id: input.id, type, title: input.title ?? `Group ${input.id}`, username: input.username });
    }
    this.chatState(chat.id as number).chat = chat;
    return chat;
  }

  private chatState(chatId: ChatId): ChatState {
    const key = String(chatId);
    let st = this.chats.get(key);
    if (!st) {
      let chat: Obj;
      if (typeof chatId === 'string') chat = { id: chatId, type: 'channel', title: chatId, username: chatId.replace(/^@/, '') };
      else if (chatId > 0) {
        const u = this.users.get(chatId);
        chat = compact({ id: chatId, type: 'private', first_name: u?.first_name ?? `User ${chatId}`, username: u?.username });
      } else chat = { id: chatId, type: chatId <= -1e12 ? 'supergroup' : 'group', title: `Group ${chatId}` };
      st = { chat, nextMessageId: 1 };
      this.chats.set(key, st);
    }
    return st;
  }

  private requireChatId(params: Obj): ChatId {
    const id = normChatId(params.chat_id);
    if (id === undefined) throw badRequest('chat_id is empty');
    return id;
  }

  private ingest(update: Obj): Obj {
    const u: Obj = update.update_id === undefined ? { update_id: this.nextUpdateId++, ...update } : { ...update };
    if ((u.update_id as number) >= this.nextUpdateId) this.nextUpdateId = (u.update_id as number) + 1;
    for (const key of ['message', 'edited_message', 'channel_post', 'edited_channel_post']) {
      const msg = u[key] as Obj | undefined;
      if (!msg?.chat) continue;
      if (msg.from) this.users.set(msg.from.id as number, msg.from as User);
      const st = this.chatState(msg.chat.id as ChatId);
      st.chat = msg.chat as Obj;
      if (typeof msg.message_id === 'number') {
        if (msg.message_id >= st.nextMessageId) st.nextMessageId = msg.message_id + 1;
        const k = this.msgKey(msg.chat.id as ChatId, msg.message_id);
        if (!this.messages.has(k) || key.startsWith('edited')) {
          this.messages.set(k, { message: msg, fromBot: false, raw: { text: msg.text as string | undefined, caption: msg.caption as string | undefined } });
        }
      }
    }
    const cq = u.callback_query as Obj | undefined;
    if (cq && typeof cq.id === 'string') {
      this.openCallbackQueries.add(cq.id);
      if (cq.from) this.users.set(cq.from.id as number, cq.from as User);
    }
    return u;
  }

  private enqueue(update: Obj): void {
    this.queue.push(update);
    this.wakePollers();
  }

  private newIncoming(opts: UpdateHelperBase): { message: Obj; chat: Obj } {
    const user = this.user(opts.from);
    const chat = this.chatFor(opts.chat, user);
    const st = this.chatState(chat.id as ChatId);
    const message: Obj = { message_id: st.nextMessageId++, from: user, chat, date: unixNow() };
    if (opts.replyTo !== undefined) {
      const replied = this.messages.get(this.msgKey(chat.id as ChatId, opts.replyTo));
      if (!replied) throw new Error(`fake: message ${opts.replyTo} in chat ${chat.id} is unknown, cannot reply to it`);
      const { reply_to_message: _drop, ...rest } = replied.message;
      message.reply_to_message = rest;
    }
    return { message, chat };
  }

  private finishIncoming(opts: UpdateHelperBase, message: Obj, chat: Obj): Obj {
    this.messages.set(this.msgKey(chat.id as ChatId, message.message_id as number), {
      message,
      fromBot: false,
      raw: { text: message.text as string | undefined, caption: message.caption as string | undefined },
    });
    const update = { update_id: this.nextUpdateId++, message };
    if (opts.enqueue ?? true) {
      if (this.opts.groupPrivacy && chat.type !== 'private' && !this.visibleInPrivacyMode(message)) {
        this.droppedUpdates.push({ update, reason: 'privacy' });
      } else {
        this.enqueue(update);
      }
    }
    return update;
  }

  private visibleInPrivacyMode(message: Obj): boolean {
    const text = (message.text ?? message.caption ?? '') as string;
    const username = (this.botUser.username ?? '').toLowerCase();
    if (message.reply_to_message?.from?.id === this.botUser.id) return true;
    if (text.startsWith('/')) {
      const token = text.split(/\s/, 1)[0];
      const at = token.indexOf('@');
      return at < 0 || token.slice(at + 1).toLowerCase() === username;
    }
    return text.toLowerCase().includes(`@${username}`);
  }

  private autoEntities(text: string): Obj[] {
    const entities: Obj[] = [];
    if (text.startsWith('/')) {
      const token = /^\/\S+/.exec(text)?.[0];
      if (token) entities.push({ offset: 0, length: token.length, type: 'bot_command' });
    }
    const re = /(^|[^\w@])(@[A-Za-z0-9_]{4,32})\b/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      entities.push({ offset: m.index + m[1].length, length: m[2].length, type: 'mention' });
    }
    return entities;
  }

  private registerFile(kind: string, f: { bytes?: Buffer; size: number; fileName?: string; mimeType?: string; url?: string }): FakeFile {
    const n = ++this.fileCounter;
    const prefix = kind === 'photo' ? 'AgACAgIAAxkBAAI' : kind === 'document' ? 'BQACAgIAAxkBAAI' : 'CAACAgIAAxkBAAI';
    const ext = extOf(f.fileName) || (kind === 'photo' ? 'jpg' : 'dat');
    const file: FakeFile = compact({
      fileId: `${prefix}${n}${randomBytes(9).toString('base64url')}`,
      fileUniqueId: `AQAD${n}${randomBytes(3).toString('hex')}`,
      filePath: `${kind}s/file_${n}.${ext}`,
      fileName: f.fileName,
      mimeType: f.mimeType ?? MIME_BY_EXT[ext],
      size: f.size,
      bytes: f.bytes,
      url: f.url,
    });
    this.files.set(file.fileId, file);
    this.filesByPath.set(file.filePath, file);
    return file;
  }

  private photoSizes(file: FakeFile, width: number, height: number): Obj[] {
    const scaled = (max: number): { w: number; h: number } => {
      const k = Math.min(1, max / Math.max(width, height));
      return { w: Math.max(1, Math.round(width * k)), h: Math.max(1, Math.round(height * k)) };
    };
    const small = [90, 320].map((max) => {
      const f = this.registerFile('photo', { bytes: file.bytes, size: file.size, mimeType: 'image/jpeg' });
      const { w, h } = scaled(max);
      return { file_id: f.fileId, file_unique_id: f.fileUniqueId, file_size: f.size, width: w, height: h };
    });
    return [...small, { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.size, width, height }];
  }

  /** Resolves the media parameter of a send call into a file (upload, attach://, file_id or URL). */
  private inputFile(value: unknown, kind: string, params: Obj): FakeFile {
    if (value === undefined || value === null || value === '') throw badRequest(`there is no ${kind} in the request`);
    let v = value;
    if (typeof v === 'string' && v.startsWith('attach://')) {
      v = params[v.slice('attach://'.length)];
      if (!isUpload(v)) throw badRequest(`wrong file identifier/HTTP URL specified`);
    }
    if (isUpload(v)) {
      if (v.size === 0) throw badRequest('file must be non-empty');
      const ext = extOf(v.fileName);
      return this.registerFile(kind, {
        bytes: v.bytes,
        size: v.size,
        fileName: v.fileName,
        mimeType: (v.contentType && v.contentType !== 'application/octet-stream' ? v.contentType : undefined) ?? MIME_BY_EXT[ext] ?? 'application/octet-stream',
      });
    }
    if (typeof v === 'string') {
      if (/^https?:\/\//i.test(v)) {
        const name = decodeURIComponent(new URL(v).pathname.split('/').pop() ?? '') || undefined;
        return this.registerFile(kind, { size: 0, url: v, fileName: name });
      }
      const known = this.files.get(v);
      if (known) return known;
    }
    throw badRequest('wrong file identifier/HTTP URL specified');
  }

  private checkReplyTarget(chatId: ChatId, params: Obj): Obj | undefined {
    const rp = params.reply_parameters as Obj | undefined;
    const id = (rp?.message_id ?? params.reply_to_message_id) as number | undefined;
    if (id === undefined) return undefined;
    const allow = Boolean(rp?.allow_sending_without_reply ?? params.allow_sending_without_reply);
    const target = this.messages.get(this.msgKey(normChatId(rp?.chat_id) ?? chatId, Number(id)));
    if (!target) {
      if (allow) return undefined;
      throw badRequest('message to be replied not found');
    }
    const { reply_to_message: _drop, ...rest } = target.message;
    return rest;
  }

  private renderOrThrow(text: unknown, parseMode: unknown, max: number, kind: 'text' | 'caption'): { raw?: string; plain?: string } {
    if (text === undefined || text === null) {
      if (kind === 'text') throw badRequest('message text is empty');
      return {};
    }
    const raw = String(text);
    const plain = renderText(raw, parseMode, this.opts.validateEntities);
    if (kind === 'text' && plain.trim().length === 0) throw badRequest('message text is empty');
    if (plain.length > max) throw badRequest(kind === 'text' ? 'message is too long' : 'message caption is too long');
    return { raw, plain };
  }

  private parseMarkupParam(params: Obj): AnyReplyMarkup | undefined {
    const markup = params.reply_markup as unknown;
    if (markup === undefined || markup === null) return undefined;
    validateReplyMarkup(markup);
    return markup as AnyReplyMarkup;
  }

  /** Creates a bot message in a chat, records it in `sent`, returns the Message. */
  private storeBotMessage(method: string, chatId: ChatId, params: Obj, content: Obj, raw: StoredMessage['raw'], markup: AnyReplyMarkup | undefined, file?: FakeFile, replyTo?: Obj, checkLimit = true): Obj {
    if (checkLimit) this.checkLimits(method, chatId);
    const st = this.chatState(chatId);
    const message: Obj = compact({
      message_id: st.nextMessageId++,
      from: this.botFrom,
      chat: st.chat,
      date: unixNow(),
      message_thread_id: params.message_thread_id,
      reply_to_message: replyTo,
      ...content,
      reply_markup: inlineMarkupOf(markup),
    });
    const stored: StoredMessage = { message, fromBot: true, raw, replyMarkup: markup };
    this.messages.set(this.msgKey(chatId, message.message_id as number), stored);
    this.recordSent('send', method, chatId, stored, params, file);
    return message;
  }

  private recordSent(kind: SentMessage['kind'], method: string, chatId: ChatId, stored: StoredMessage, params: Obj, file?: FakeFile): void {
    const msg = stored.message;
    this.sent.push(
      compact({
        seq: this.sent.length,
        kind,
        method,
        chatId,
        messageId: msg.message_id as number,
        text: stored.raw.text,
        caption: stored.raw.caption,
        plainText: (msg.text ?? msg.caption) as string | undefined,
        parseMode: stored.raw.parseMode,
        replyMarkup: stored.replyMarkup,
        file,
        params,
        message: { ...msg } as Message,
        at: Date.now(),
      }),
    );
    if (this.sentWaiters.size) this.checkWaiters(this.sentWaiters);
  }

  private findEditable(params: Obj, notFound: string): { chatId: ChatId; stored: StoredMessage } {
    const chatId = this.requireChatId(params);
    const id = Number(params.message_id);
    const stored = this.messages.get(this.msgKey(chatId, id));
    if (!stored) throw badRequest(notFound);
    if (!stored.fromBot) throw badRequest("message can't be edited");
    return { chatId, stored };
  }

  private applyEdit(method: string, chatId: ChatId, stored: StoredMessage, params: Obj, changes: { text?: { raw?: string; plain?: string }; caption?: { raw?: string; plain?: string } }, markup: AnyReplyMarkup | undefined): Obj {
    const before = stored.message;
    const after: Obj = { ...before };
    const raw = { ...stored.raw };
    if (changes.text) {
      after.text = changes.text.plain;
      raw.text = changes.text.raw;
      raw.parseMode = params.parse_mode as string | undefined;
    }
    if (changes.caption) {
      after.caption = changes.caption.plain;
      raw.caption = changes.caption.raw;
      raw.parseMode = params.parse_mode as string | undefined;
      if (after.caption === undefined) delete after.caption;
    }
    const inlineBefore = JSON.stringify(before.reply_markup ?? null);
    const inlineAfter = inlineMarkupOf(markup);
    if (inlineAfter) after.reply_markup = inlineAfter;
    else delete after.reply_markup;
    const sameContent =
      after.text === before.text &&
      after.caption === before.caption &&
      raw.text === stored.raw.text &&
      raw.caption === stored.raw.caption &&
      (raw.parseMode ?? '') === (stored.raw.parseMode ?? '');
    if (sameContent && JSON.stringify(after.reply_markup ?? null) === inlineBefore) {
      throw badRequest(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    after.edit_date = unixNow();
    const next: StoredMessage = { message: after, fromBot: true, raw, replyMarkup: inlineAfter };
    this.messages.set(this.msgKey(chatId, after.message_id as number), next);
    this.recordSent('edit', method, chatId, next, params);
    return after;
  }

  // ------------------------------------------ long polling ------------------------------------

  private updateType(u: Obj): string {
    return Object.keys(u).find((k) => k !== 'update_id') ?? 'unknown';
  }

  private confirm(offset: number): void {
    if (!offset) return;
    const before = this.queue.length;
    if (offset > 0) this.queue = this.queue.filter((u) => (u.update_id as number) >= offset);
    else this.queue = this.queue.slice(Math.max(0, this.queue.length + offset));
    if (this.queue.length !== before) this.checkQueueWaiters();
  }

  private collect(limit: number): Obj[] {
    const allowed = this.allowedUpdates;
    const keep: Obj[] = [];
    let dropped = false;
    for (const u of this.queue) {
      const type = this.updateType(u);
      const ok = allowed.length ? allowed.includes(type) : !DEFAULT_EXCLUDED_UPDATES.has(type);
      if (ok) keep.push(u);
      else {
        this.droppedUpdates.push({ update: u, reason: 'allowed_updates' });
        dropped = true;
      }
    }
    if (dropped) {
      this.queue = keep;
      this.checkQueueWaiters();
    }
    return keep.slice(0, limit);
  }

  private wakePollers(): void {
    for (const w of this.pollWaiters) {
      const ups = this.collect(w.limit);
      if (ups.length === 0) return;
      realClearTimeout(w.timer);
      this.pollWaiters.delete(w);
      w.done({ updates: ups });
    }
  }

  private getUpdates(p: Obj, signal: AbortSignal | undefined): unknown {
    if (this.webhook) {
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const offset = Number(p.offset ?? 0) || 0;
    const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100) || 100));
    const timeoutMs = Math.min(Math.max(0, Number(p.timeout ?? 0) || 0) * 1000, this.opts.longPollCapMs);
    if (Array.isArray(p.allowed_updates)) this.allowedUpdates = (p.allowed_updates as unknown[]).map(String);
    // A new getUpdates request terminates a held one, like Telegram.
    for (const w of this.pollWaiters) {
      realClearTimeout(w.timer);
      w.done({ error: new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running') });
    }
    this.pollWaiters.clear();
    this.confirm(offset);
    const ready = this.collect(limit);
    if (ready.length || timeoutMs <= 0 || this.closed) return ready;
    return new Promise<Obj[]>((resolve, reject) => {
      const w: PollWaiter = {
        limit,
        done: (r) => ('error' in r ? reject(r.error) : resolve(r.updates)),
        timer: realSetTimeout(() => {
          this.pollWaiters.delete(w);
          resolve(this.collect(limit));
        }, timeoutMs),
      };
      this.pollWaiters.add(w);
      signal?.addEventListener('abort', () => {
        if (this.pollWaiters.delete(w)) {
          realClearTimeout(w.timer);
          resolve([]);
        }
      });
    });
  }

  // ------------------------------------------ method handlers ---------------------------------

  private registerHandlers(): void {
    const on = (name: string, h: Handler): void => {
      this.handlers.set(name.toLowerCase(), h);
    };

    on('getMe', () => this.botUser);
    on('logOut', () => true);
    on('close', () => true);
    on('getUpdates', (p, signal) => this.getUpdates(p, signal));

    on('setWebhook', (p) => {
      const url = String(p.url ?? '');
      if (url === '') {
        this.webhook = null;
        return true;
      }
      if (!/^https:\/\//i.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
      if (p.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(String(p.secret_token))) {
        throw badRequest('secret token contains unallowed characters');
      }
      if (p.drop_pending_updates) this.dropPending();
      this.webhook = compact({
        url,
        secretToken: p.secret_token as string | undefined,
        allowedUpdates: Array.isArray(p.allowed_updates) ? (p.allowed_updates as string[]) : undefined,
      });
      if (Array.isArray(p.allowed_updates)) this.allowedUpdates = (p.allowed_updates as unknown[]).map(String);
      return true;
    });
    on('deleteWebhook', (p) => {
      this.webhook = null;
      if (p.drop_pending_updates) this.dropPending();
      return true;
    });
    on('getWebhookInfo', () =>
      compact({
        url: this.webhook?.url ?? '',
        has_custom_certificate: false,
        pending_update_count: this.queue.length,
        max_connections: this.webhook ? 40 : undefined,
        allowed_updates: this.webhook?.allowedUpdates,
      }),
    );

    on('sendMessage', (p, _s, method) => {
      const chatId = this.requireChatId(p);
      const text = this.renderOrThrow(p.text, p.parse_mode, 4096, 'text');
      const markup = this.parseMarkupParam(p);
      const replyTo = this.checkReplyTarget(chatId, p);
      return this.storeBotMessage(
        method, chatId, p,
        { text: text.plain, entities: p.entities, link_preview_options: p.link_preview_options },
        { text: text.raw, parseMode: p.parse_mode as string | undefined },
        markup, undefined, replyTo,
      );
    });

    const sendMedia = (field: string, build: (f: FakeFile) => Obj): Handler => (p, _s, method) => {
      const chatId = this.requireChatId(p);
      const caption = this.renderOrThrow(p.caption, p.parse_mode, 1024, 'caption');
      const markup = this.parseMarkupParam(p);
      const replyTo = this.checkReplyTarget(chatId, p);
      const file = this.inputFile(p[field], field, p);
      return this.storeBotMessage(
        method, chatId, p,
        { ...build(file), caption: caption.plain || undefined, caption_entities: p.caption_entities },
        { caption: caption.raw, parseMode: p.parse_mode as string | undefined },
        markup, file, replyTo,
      );
    };
    const fileObj = (f: FakeFile): Obj =>
      compact({ file_id: f.fileId, file_unique_id: f.fileUniqueId, file_name: f.fileName, mime_type: f.mimeType, file_size: f.size });
    on('sendPhoto', sendMedia('photo', (f) => ({ photo: this.photoSizes(f, 1280, 960) })));
    on('sendDocument', sendMedia('document', (f) => ({ document: fileObj(f) })));
    on('sendAudio', sendMedia('audio', (f) => ({ audio: { ...fileObj(f), duration: 1 } })));
    on('sendVideo', sendMedia('video', (f) => ({ video: { ...fileObj(f), width: 640, height: 360, duration: 1 } })));
    on('sendAnimation', sendMedia('animation', (f) => ({ animation: { ...fileObj(f), width: 320, height: 240, duration: 1 } })));
    on('sendVoice', sendMedia('voice', (f) => ({ voice: { ...fileObj(f), duration: 1 } })));
    on('sendSticker', sendMedia('sticker', (f) => ({ sticker: { ...fileObj(f), type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } })));

    on('sendMediaGroup', (p, _s, method) => {
      const chatId = this.requireChatId(p);
      const media = p.media as unknown;
      if (!Array.isArray(media) || media.length === 0) throw badRequest('parameter "media" is required');
      const groupId = `${Date.now()}${this.fileCounter}`;
      const replyTo = this.checkReplyTarget(chatId, p);
      const prepared = (media as Obj[]).map((item) => {
        const caption = this.renderOrThrow(item.caption, item.parse_mode, 1024, 'caption');
        return { item, caption, file: this.inputFile(item.media, String(item.type ?? 'document'), p) };
      });
      this.checkLimits(method, chatId); // one album counts once
      return prepared.map(({ item, caption, file }) => {
        const type = String(item.type ?? 'document');
        const content: Obj =
          type === 'photo' ? { photo: this.photoSizes(file, 1280, 960) } : { [type]: fileObj(file) };
        return this.storeBotMessage(
          method, chatId, { ...p, media: item },
          { media_group_id: groupId, ...content, caption: caption.plain || undefined },
          { caption: caption.raw, parseMode: item.parse_mode as string | undefined },
          undefined, file, replyTo, false,
        );
      });
    });

    const simpleSend = (build: (p: Obj) => Obj): Handler => (p, _s, method) => {
      const chatId = this.requireChatId(p);
      const markup = this.parseMarkupParam(p);
      const replyTo = this.checkReplyTarget(chatId, p);
      return this.storeBotMessage(method, chatId, p, build(p), {}, markup, undefined, replyTo);
    };
    on('sendLocation', simpleSend((p) => ({ location: { latitude: p.latitude, longitude: p.longitude } })));
    on('sendContact', simpleSend((p) => ({ contact: compact({ phone_number: p.phone_number, first_name: p.first_name, last_name: p.last_name }) })));
    on('sendDice', simpleSend((p) => ({ dice: { emoji: p.emoji ?? '🎲', value: 1 + Math.floor(Math.random() * 6) } })));
    on('sendPoll', simpleSend((p) => {
      const options = Array.isArray(p.options) ? (p.options as unknown[]) : [];
      if (options.length < 2 || options.length > 10) throw badRequest('poll must have 2-10 options');
      return {
        poll: {
          id: `poll${Date.now()}${this.callbackCounter++}`,
          question: p.question,
          options: options.map((o) => ({ text: typeof o === 'string' ? o : (o as Obj).text, voter_count: 0 })),
          total_voter_count: 0,
          is_closed: false,
          is_anonymous: p.is_anonymous ?? true,
          type: p.type ?? 'regular',
          allows_multiple_answers: p.allows_multiple_answers ?? false,
        },
      };
    }));

    const copyLike = (notFound: string, asCopy: boolean): Handler => (p, _s, method) => {
      const chatId = this.requireChatId(p);
      const from = normChatId(p.from_chat_id);
      const src = from === undefined ? undefined : this.messages.get(this.msgKey(from, Number(p.message_id)));
      if (!src) throw badRequest(notFound);
      const { message_id: _id, from: _from, chat: _chat, date: _date, reply_markup: _rm, edit_date: _ed, reply_to_message: _r, ...content } = src.message;
      const markup = asCopy ? this.parseMarkupParam(p) : undefined;
      if (asCopy && p.caption !== undefined) {
        const caption = this.renderOrThrow(p.caption, p.parse_mode, 1024, 'caption');
        content.caption = caption.plain;
      }
      if (!asCopy) content.forward_origin = { type: 'user', sender_user: src.message.from, date: src.message.date };
      const msg = this.storeBotMessage(method, chatId, p, content, { ...src.raw }, markup);
      return asCopy ? { message_id: msg.message_id } : msg;
    };
    on('forwardMessage', copyLike('message to forward not found', false));
    on('copyMessage', copyLike('message to copy not found', true));

    on('editMessageText', (p, _s, method) => {
      if (p.inline_message_id !== undefined) return true;
      const { chatId, stored } = this.findEditable(p, 'message to edit not found');
      if (stored.message.text === undefined) throw badRequest('there is no text in the message to edit');
      const text = this.renderOrThrow(p.text, p.parse_mode, 4096, 'text');
      const markup = this.parseMarkupParam(p);
      return this.applyEdit(method, chatId, stored, p, { text }, markup);
    });
    on('editMessageCaption', (p, _s, method) => {
      if (p.inline_message_id !== undefined) return true;
      const { chatId, stored } = this.findEditable(p, 'message to edit not found');
      const m = stored.message;
      if (!(m.photo || m.document || m.video || m.audio || m.animation || m.voice)) {
        throw badRequest('there is no caption in the message to edit');
      }
      const caption = this.renderOrThrow(p.caption, p.parse_mode, 1024, 'caption');
      return this.applyEdit(method, chatId, stored, p, { caption }, this.parseMarkupParam(p));
    });
    on('editMessageReplyMarkup', (p, _s, method) => {
      if (p.inline_message_id !== undefined) return true;
      const { chatId, stored } = this.findEditable(p, 'message to edit not found');
      return this.applyEdit(method, chatId, stored, p, {}, this.parseMarkupParam(p));
    });

    on('deleteMessage', (p) => {
      const chatId = this.requireChatId(p);
      if (!this.messages.delete(this.msgKey(chatId, Number(p.message_id)))) throw badRequest('message to delete not found');
      return true;
    });
    on('deleteMessages', (p) => {
      const chatId = this.requireChatId(p);
      for (const id of (p.message_ids as unknown[]) ?? []) this.messages.delete(this.msgKey(chatId, Number(id)));
      return true;
    });

    on('answerCallbackQuery', (p) => {
      const id = String(p.callback_query_id ?? '');
      if (!this.openCallbackQueries.delete(id)) {
        throw badRequest('query is too old and response timeout expired or query ID is invalid');
      }
      if (typeof p.text === 'string' && p.text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
      this.callbackAnswers.push(p);
      return true;
    });

    on('pinChatMessage', (p) => {
      const chatId = this.requireChatId(p);
      const id = Number(p.message_id);
      if (!this.messages.has(this.msgKey(chatId, id))) throw badRequest('message to pin not found');
      this.chatState(chatId).pinned = id;
      return true;
    });
    on('unpinChatMessage', (p) => {
      const st = this.chatState(this.requireChatId(p));
      if (p.message_id === undefined || Number(p.message_id) === st.pinned) st.pinned = undefined;
      return true;
    });
    on('unpinAllChatMessages', (p) => {
      this.chatState(this.requireChatId(p)).pinned = undefined;
      return true;
    });

    const commandKey = (p: Obj): string => `${(p.scope as Obj | undefined)?.type ?? 'default'}|${(p.language_code as string | undefined) ?? ''}`;
    on('setMyCommands', (p) => {
      const commands = p.commands as unknown;
      if (!Array.isArray(commands)) throw badRequest('parameter "commands" is required');
      if (commands.length > 100) throw badRequest('too many commands');
      for (const c of commands as Obj[]) {
        if (typeof c?.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest('BOT_COMMAND_INVALID');
        if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) {
          throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
        }
      }
      this.myCommands.set(commandKey(p), commands);
      return true;
    });
    on('getMyCommands', (p) => this.myCommands.get(commandKey(p)) ?? []);
    on('deleteMyCommands', (p) => {
      this.myCommands.delete(commandKey(p));
      return true;
    });

    on('getChat', (p) => {
      const chatId = this.requireChatId(p);
      const st = this.chats.get(String(chatId));
      if (!st) throw badRequest('chat not found');
      const pinned = st.pinned !== undefined ? this.messages.get(this.msgKey(chatId, st.pinned))?.message : undefined;
      return compact({ ...st.chat, pinned_message: pinned, accent_color_id: 0, max_reaction_count: 11 });
    });
    on('getChatMember', (p) => {
      const chatId = this.requireChatId(p);
      const userId = Number(p.user_id);
      const user = userId === this.botUser.id ? this.botUser : this.users.get(userId);
      if (!user) throw badRequest('user not found');
      const status = this.memberStatus.get(`${chatId}|${userId}`) ?? (userId === this.botUser.id ? 'administrator' : 'member');
      return { status, user };
    });
    on('getChatAdministrators', (p) => {
      const chatId = this.requireChatId(p);
      const out: Obj[] = [];
      for (const [key, status] of this.memberStatus) {
        const [c, u] = key.split('|');
        if (c === String(chatId) && (status === 'creator' || status === 'administrator')) {
          const user = this.users.get(Number(u));
          if (user) out.push({ status, user });
        }
      }
      return out;
    });
    on('getChatMemberCount', () => 2);

    on('sendChatAction', (p) => {
      this.requireChatId(p);
      if (typeof p.action !== 'string' || p.action === '') throw badRequest('wrong parameter action in request');
      return true;
    });

    on('getFile', (p) => {
      const file = this.files.get(String(p.file_id ?? ''));
      if (!file) throw badRequest('invalid file_id');
      if (file.size > MAX_DOWNLOAD_BYTES) throw badRequest('file is too big');
      return compact({ file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.size, file_path: file.filePath });
    });
  }

  private dropPending(): void {
    for (const u of this.queue) this.droppedUpdates.push({ update: u, reason: 'drop_pending_updates' });
    this.queue = [];
    this.checkQueueWaiters();
  }
}

/**
 * Starts a fake Bot API server on 127.0.0.1 (random port unless `opts.port`).
 * Use `fake.apiRoot` as telegraf's `telegram.apiRoot` and `fake.token` as the token.
 */
export async function startFakeBotApi(opts: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  return new FakeBotApi(opts).listen(opts.port ?? 0);
}
