/**
 * Where the pacing state lives: the recent sends the rate limits count, and the pause a 429
 * imposes. One instance keeps it in its memory (LocalPacingStore, below); several instances on
 * one database share it there (SharedPacingStore, sharedPacing.ts), so that the bot as a whole
 * stays within Telegram's limits. The PacedSender and the outbox worker only ever talk to this
 * interface.
 */
import { RateLimiter, TELEGRAM_LIMITS, type Limits } from './rateLimiter.ts';

/** The slot one message was given. */
export interface Slot {
  readonly platform: string;
  readonly chatId: string;
  readonly isGroup: boolean;
  /** When it was taken (epoch ms). */
  readonly at: number;
}

/** The shared budget of one bot: slots per chat, per group, in all; and the 429 pause. */
export interface PacingStore {
  /**
   * Takes the slot for one message to `chatId` if the limits allow it at `now` (epoch ms) and
   * returns 0; otherwise takes nothing and returns how many ms until a slot may be free. Must be
   * atomic: two callers (or two instances) never get the same slot. The message counts as under
   * way until {@link answered}.
   */
  take(platform: string, chatId: string, isGroup: boolean, now: number): Promise<number>;
  /** The platform answered (accepted or refused) the message sent in `slot`, at `now`. */
  answered(slot: Slot, now: number): Promise<void>;
  /** Holds every send on `platform` until `until` (epoch ms); a shorter pause never shortens a longer one. */
  pause(platform: string, until: number): Promise<void>;
  /** Epoch ms until which `platform` is paused; 0 or a past time when it is not. */
  pausedUntil(platform: string): Promise<number>;
}

/** The pacing state in this process's memory (one bot instance). */
export class LocalPacingStore implements PacingStore {
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly pauses = new Map<string, number>();

  constructor(private readonly limits: Partial<Record<string, Limits>> = {}) {}

  /** The limits a platform is paced by (Telegram's when none were given). */
  limitsFor(platform: string): Limits {
    return this.limits[platform] ?? TELEGRAM_LIMITS;
  }

  async take(platform: string, chatId: string, isGroup: boolean, now: number): Promise<number> {
    const limiter = this.limiter(platform);
    const wait = limiter.delayFor(chatId, isGroup, now);
    if (wait > 0) return wait;
    limiter.record(chatId, isGroup, now);
    limiter.sending(chatId, now);
    return 0;
  }

  async answered(slot: Slot, now: number): Promise<void> {
    this.limiter(slot.platform).answered(slot.chatId, slot.isGroup, slot.at, now);
  }

  async pause(platform: string, until: number): Promise<void> {
    this.pauses.set(platform, Math.max(this.pauses.get(platform) ?? 0, until));
  }

  async pausedUntil(platform: string): Promise<number> {
    return this.pauses.get(platform) ?? 0;
  }

  private limiter(platform: string): RateLimiter {
    let limiter = this.limiters.get(platform);
    if (!limiter) {
      limiter = new RateLimiter(this.limitsFor(platform));
      this.limiters.set(platform, limiter);
    }
    return limiter;
  }
}
