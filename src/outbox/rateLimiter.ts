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
  /** Messages per minute across all chats (WeChat's pacing is counted per minute). */
  globalPerMinute?: number;
}

/** Telegram's limits with a safety margin. */
export const TELEGRAM_LIMITS: Limits = { perChatIntervalMs: 1000, perGroupPerMinute: 20, globalPerSecond: 25 };

/**
 * WeChat's pacing: Tencent publishes no limits and bans accounts that post in bursts, so the
 * bot keeps to `messagesPerMinute` in all (LINLI_WECHAT_MESSAGES_PER_MINUTE), at most one
 * message every few seconds to a chat, and never more than one per second.
 */
export function wechatLimits(messagesPerMinute: number): Limits {
  const perMinute = Math.max(1, messagesPerMinute);
  return { perChatIntervalMs: Math.max(1000, Math.ceil(60_000 / perMinute)), perGroupPerMinute: perMinute, globalPerSecond: 1, globalPerMinute: perMinute };
}

/** Tracks recent sends and says how long to wait before the next one to a chat. */
export class RateLimiter {
  private readonly lastByChat = new Map<string, number>();
  private readonly groupWindows = new Map<string, number[]>();
  private readonly global: number[] = [];
  private readonly minute: number[] = [];

  constructor(private readonly limits: Limits) {}

  /** Milliseconds until a message to `chatId` may go out (0 = now). */
  delayFor(chatId: string, isGroup: boolean, now: number): number {
    let wait = 0;
    const last = this.lastByChat.get(chatId);
    if (last !== undefined) wait = Math.max(wait, last + this.limits.perChatIntervalMs - now);
    if (isGroup) {
      const window = prune(this.groupWindows.get(chatId), now - 60_000);
      if (window.length >= this.limits.perGroupPerMinute) wait = Math.max(wait, window[0] + 60_000 - now);
    }
    prune(this.global, now - 1000);
    if (this.global.length && this.global.length >= Math.max(1, Math.floor(this.limits.globalPerSecond))) wait = Math.max(wait, this.global[0] + 1000 - now);
    if (this.limits.globalPerMinute !== undefined) {
      prune(this.minute, now - 60_000);
      if (this.minute.length && this.minute.length >= this.limits.globalPerMinute) wait = Math.max(wait, this.minute[0] + 60_000 - now);
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
    if (this.limits.globalPerMinute !== undefined) this.minute.push(now);
    if (this.lastByChat.size > 50_000) this.forgetIdle(now);
  }

  private forgetIdle(now: number): void {
    for (const [chat, at] of this.lastByChat) if (at < now - 60_000) this.lastByChat.delete(chat);
    for (const [chat, w] of this.groupWindows) if (!prune(w, now - 60_000).length) this.groupWindows.delete(chat);
  }
}

function prune(window: number[] | undefined, before: number): number[] {
  if (!window) return [];
  let i = 0;
  while (i < window.length && window[i] <= before) i++;
  if (i) window.splice(0, i);
  return window;
}
