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
}

/** Telegram's limits with a safety margin. */
export const TELEGRAM_LIMITS: Limits = { perChatIntervalMs: 1000, perGroupPerMinute: 20, globalPerSecond: 25 };

/** Tracks recent sends and says how long to wait before the next one to a chat. */
export class RateLimiter {
  private readonly lastByChat = new Map<string, number>();
  private readonly groupWindows = new Map<string, number[]>();
  private readonly global: number[] = [];
  private readonly second: number;
  private readonly minute: number;
  private readonly perChat: number;

  constructor(private readonly limits: Limits) {
    const scale = limits.timeScale ?? 1;
    this.second = 1000 * scale;
    this.minute = 60_000 * scale;
    this.perChat = limits.perChatIntervalMs * scale;
  }

  /** Milliseconds until a message to `chatId` may go out (0 = now). */
  delayFor(chatId: string, isGroup: boolean, now: number): number {
    let wait = 0;
    const last = this.lastByChat.get(chatId);
    if (last !== undefined) wait = Math.max(wait, last + this.perChat - now);
    if (isGroup) {
      const window = prune(this.groupWindows.get(chatId), now - this.minute);
      if (window.length >= this.limits.perGroupPerMinute) wait = Math.max(wait, window[window.length - this.limits.perGroupPerMinute] + this.minute - now);
    }
    prune(this.global, now - this.second);
    const perSecond = Math.max(1, Math.floor(this.limits.globalPerSecond));
    if (this.global.length >= perSecond) wait = Math.max(wait, this.global[this.global.length - perSecond] + this.second - now);
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
    if (this.lastByChat.size > 50_000) this.forgetIdle(now);
  }

  private forgetIdle(now: number): void {
    for (const [chat, at] of this.lastByChat) if (at < now - this.minute) this.lastByChat.delete(chat);
    for (const [chat, w] of this.groupWindows) if (!prune(w, now - this.minute).length) this.groupWindows.delete(chat);
  }
}

function prune(window: number[] | undefined, before: number): number[] {
  if (!window) return [];
  let i = 0;
  while (i < window.length && window[i] <= before) i++;
  if (i) window.splice(0, i);
  return window;
}
