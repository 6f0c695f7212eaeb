/**
 * Telegram's published limits, kept on our side so the bot never trips them: about one
 * message per second per chat, 20 per minute per group, about 30 per second in all (we use 25
 * by default to leave room for direct replies). WeChat gets its own, more conservative pacing.
 */

/** Limits for one platform. */
export interface Limits {
  /** Minimum gap between two messages to the same chat. */
  perChatIntervalMs: number;
  /** Messages per group chat per minute. */
  perGroupPerMinute: number;
  /** Messages per second across all chats. */
  globalPerSecond: number;
  /**
   * Multiplies the per-chat interval and the one-second and one-minute windows (default 1). Benchmarks run against a fake
   * server whose clock is scaled the same way, so an hour of Telegram traffic takes seconds.
   */
  timeScale?: number;
  /** Messages per minute across all chats (WeChat's pacing is counted per minute). */
  globalPerMinute?: number;
  /**
   * Real milliseconds (never scaled) added to the per-chat gap and to the group's one-minute
   * window. The platform counts messages when they arrive, and network jitter can bring two
   * messages closer together than they left; the margin absorbs that. Default 0.
   */
  marginMs?: number;
}

/** Sends allowed back to back before pacing spreads them out. */
export const PACING_BURST = 4;
/** A send to a chat that was never reported answered stops holding the chat after this (real ms). */
export const UNANSWERED_MAX_MS = 30_000;

/** Telegram's limits with a safety margin. */
export const TELEGRAM_LIMITS: Limits = { perChatIntervalMs: 1000, perGroupPerMinute: 20, globalPerSecond: 25 };

/**
 * Conservative WeChat pacing: web-protocol accounts get restricted for bursts, so public
 * messages are spread over the minute (`LINLI_WECHAT_MESSAGES_PER_MINUTE` in all) and a room
 * gets at most one message every few seconds.
 */
export function wechatLimits(messagesPerMinute: number): Limits {
  const perMinute = Math.max(1, messagesPerMinute);
  return { perChatIntervalMs: Math.max(1000, Math.ceil(60_000 / perMinute)), perGroupPerMinute: perMinute, globalPerSecond: 1, globalPerMinute: perMinute };
}

/** Tracks recent sends and says how long to wait before the next one to a chat. */
export class RateLimiter {
  private readonly lastByChat = new Map<string, number>();
  /** Chats with a message under way (see `sending`), and when it was taken. */
  private readonly unanswered = new Map<string, number>();
  private readonly groupWindows = new Map<string, number[]>();
  private readonly global: number[] = [];
  /** Slot times of messages under way (see `sending`): they count in the global window until answered. */
  private readonly underWay: number[] = [];
  private readonly globalMinute: number[] = [];
  private readonly second: number;
  private readonly minute: number;
  private readonly groupWindow: number;
  private readonly perChat: number;
  private tokens = 0;
  private tokensTime?: number;

  constructor(private readonly limits: Limits) {
    const scale = limits.timeScale ?? 1;
    this.second = 1000 * scale;
    this.minute = 60_000 * scale;
    const margin = limits.marginMs ?? 0;
    this.groupWindow = this.minute + margin;
    this.perChat = limits.perChatIntervalMs * scale + margin;
  }

  /** Milliseconds until a message to `chatId` may go out (0 = now). */
  delayFor(chatId: string, isGroup: boolean, now: number): number {
    let wait = 0;
    const last = this.lastByChat.get(chatId);
    if (last !== undefined) wait = Math.max(wait, last + this.perChat - now);
    const since = this.unanswered.get(chatId);
    if (since !== undefined) {
      // The previous message may still be on its way: the next waits for its answer.
      if (now - since < UNANSWERED_MAX_MS) wait = Math.max(wait, this.perChat);
      else this.unanswered.delete(chatId);
    }
    if (isGroup) {
      const window = prune(this.groupWindows.get(chatId), now - this.groupWindow);
      if (window.length >= this.limits.perGroupPerMinute) wait = Math.max(wait, window[window.length - this.limits.perGroupPerMinute] + this.groupWindow - now);
    }
    prune(this.global, now - this.second);
    prune(this.underWay, now - UNANSWERED_MAX_MS);
    const perSecond = Math.max(1, Math.floor(this.limits.globalPerSecond));
    // Messages under way hold their place until answered: the server counts them when they
    // arrive, which may be later than they left.
    const over = this.global.length + this.underWay.length - perSecond;
    if (over >= 0) wait = Math.max(wait, over < this.global.length ? this.global[over] + this.second - now : this.second / perSecond);
    // Sends are spread over the second rather than fired in one burst (a burst arrives bunched
    // up after network jitter and can look like more than the limit to the server): a token
    // bucket refilled at the global rate and holding PACING_BURST tokens, so a late timer can
    // catch up without the rate ever exceeding the window rule above.
    const tokens = this.tokensAt(now, perSecond);
    if (tokens < 1) wait = Math.max(wait, ((1 - tokens) * this.second) / perSecond);
    if (this.limits.globalPerMinute !== undefined) {
      prune(this.globalMinute, now - this.minute);
      if (this.globalMinute.length >= this.limits.globalPerMinute) {
        wait = Math.max(wait, this.globalMinute[this.globalMinute.length - this.limits.globalPerMinute] + this.minute - now);
      }
    }
    return Math.max(0, wait);
  }

  /** Records a message sent to `chatId` at `now`. */
  record(chatId: string, isGroup: boolean, now: number): void {
    this.lastByChat.set(chatId, now);
    if (isGroup) {
      const window = this.groupWindows.get(chatId) ?? [];
      window.push(now);
      this.groupWindows.set(chatId, window);
    }
    this.global.push(now);
    if (this.limits.globalPerMinute !== undefined) this.globalMinute.push(now);
    const perSecond = Math.max(1, Math.floor(this.limits.globalPerSecond));
    this.tokens = this.tokensAt(now, perSecond) - 1;
    this.tokensTime = now;
    if (this.lastByChat.size > 50_000) this.forgetIdle(now);
  }

  /**
   * Marks the message just recorded for `chatId` (at `now`) as under way until `answered`: with
   * per-chat pacing the chat's next message waits for that answer — two messages to one chat are
   * never on the wire together, so the network cannot bunch them up — and in the global window
   * the message counts as present until then.
   */
  sending(chatId: string, now: number): void {
    if (this.perChat > 0) this.unanswered.set(chatId, now);
    const at = this.global.lastIndexOf(now);
    if (at >= 0) {
      this.global.splice(at, 1);
      this.underWay.push(now);
    }
  }

  /**
   * The platform answered the message recorded at `sentAt`. The platform counts a message when
   * it arrives, and by the answer it surely has: the per-chat gap, the group's window and the
   * global window now count from the answer rather than from when the message left.
   */
  answered(chatId: string, isGroup: boolean, sentAt: number, now: number): void {
    if (this.unanswered.get(chatId) === sentAt) this.unanswered.delete(chatId);
    const way = this.underWay.indexOf(sentAt);
    if (way >= 0) {
      this.underWay.splice(way, 1);
      insertSorted(this.global, Math.max(sentAt, now));
    }
    if ((this.lastByChat.get(chatId) ?? -Infinity) < now) this.lastByChat.set(chatId, now);
    const window = isGroup ? this.groupWindows.get(chatId) : undefined;
    const at = window ? window.lastIndexOf(sentAt) : -1;
    if (window && at >= 0) {
      window[at] = Math.max(sentAt, now);
      window.sort((a, b) => a - b);
    }
  }

  private tokensAt(now: number, perSecond: number): number {
    const cap = Math.min(PACING_BURST, perSecond);
    if (this.tokensTime === undefined) return cap;
    return Math.min(cap, this.tokens + ((now - this.tokensTime) * perSecond) / this.second);
  }

  private forgetIdle(now: number): void {
    for (const [chat, at] of this.lastByChat) if (at < now - this.minute) this.lastByChat.delete(chat);
    for (const [chat, at] of this.unanswered) if (at < now - UNANSWERED_MAX_MS) this.unanswered.delete(chat);
    for (const [chat, w] of this.groupWindows) if (!prune(w, now - this.groupWindow).length) this.groupWindows.delete(chat);
  }
}

function insertSorted(list: number[], value: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1] > value) i--;
  list.splice(i, 0, value);
}

function prune(window: number[] | undefined, before: number): number[] {
  if (!window) return [];
  let i = 0;
  while (i < window.length && window[i] <= before) i++;
  if (i) window.splice(0, i);
  return window;
}
