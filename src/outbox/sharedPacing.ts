/**
 * The pacing state in the database, for several instances of one bot.
 *
 * Telegram counts every message of the bot, whichever instance sent it, and a 429 holds the bot
 * as a whole; with two instances each pacing on its own the bot would send twice the limit. Here
 * every slot is a row (`PacingSend`) and a slot is taken in one transaction that first writes the
 * platform's `PacingGate` row: on PostgreSQL that row lock, on SQLite the write lock, serialises
 * the takers of all instances, so two of them never count the same free slot. The rules are the
 * in-process limiter's (rateLimiter.ts): a gap per chat counted from the answer, a message under
 * way holds its chat and its place in the second, a group's minute, the global second, bursts of
 * at most PACING_BURST spread over the second, WeChat's global minute. The 429 pause is a column
 * of the gate row, checked inside the same transaction.
 *
 * The SQL is the same on SQLite and PostgreSQL (quoted identifiers, ON CONFLICT, RETURNING);
 * times are epoch milliseconds of each host's clock (hosts of one deployment keep NTP time).
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { PacingStore, Slot } from './pacing.ts';
import { PACING_BURST, TELEGRAM_LIMITS, UNANSWERED_MAX_MS, type Limits } from './rateLimiter.ts';

/** A 429 pause read from the database is trusted this long (a take checks it again anyway). */
const PAUSE_CACHE_MS = 200;
/** Slots older than this are deleted now and then; nothing counts them any more. */
const KEEP_MS = 3 * 60_000;
/** Takes between two clean-ups. */
const CLEAN_EVERY = 500;
/**
 * A message not reported answered stops holding its chat and its place in the second after this
 * (real ms). Shorter than in one process (UNANSWERED_MAX_MS): here the sender may be an instance
 * that was killed mid-call, and its chat must not wait half a minute for the standby.
 */
const UNDER_WAY_MAX_MS = Math.min(UNANSWERED_MAX_MS, 5_000);

interface SendRow {
  at: bigint | number;
  answeredAt: bigint | number | null;
}

/** One take waiting for its transaction. */
interface TakeRequest {
  chatId: string;
  isGroup: boolean;
  now: number;
  resolve: (wait: number) => void;
  reject: (err: unknown) => void;
}

interface TakeQueue {
  waiting: TakeRequest[];
  running: boolean;
}

interface AnswerQueue {
  waiting: { slot: Slot; now: number; resolve: () => void; reject: (err: unknown) => void }[];
  running: boolean;
}

/** Most takes judged in one transaction (and answers written in one statement). */
const TAKE_BATCH = 100;

/** Windows of one platform's limits in real ms. */
interface Windows {
  limits: Limits;
  second: number;
  minute: number;
  perChat: number;
  groupWindow: number;
  perSecond: number;
  /** No limits at all (the terminal): nothing to count. */
  unlimited: boolean;
}

/** Pacing shared through the database by every instance of the bot. */
export class SharedPacingStore implements PacingStore {
  /** This instance (its slots are reported answered by it). */
  readonly owner = randomUUID();
  private readonly windows = new Map<string, Windows>();
  private readonly gates = new Map<string, Promise<void>>();
  private readonly pauses = new Map<string, { until: number; readAt: number }>();
  private takes = 0;
  /** Answers waiting to be written, per platform. */
  private readonly answers = new Map<string, AnswerQueue>();
  /** Takes waiting for, or in, this instance's next take transaction, per platform. */
  private readonly takers = new Map<string, TakeQueue>();
  /**
   * Until when (epoch ms) the global second was found full, per platform: the worker asks for
   * many chats in a row, and none of them can go before then, so they are answered without a
   * round trip. Only this instance's knowledge: another's sends can only make the wait longer.
   */
  private readonly globalFull = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly limits: Partial<Record<string, Limits>> = {},
  ) {}

  /** The limits a platform is paced by (Telegram's when none were given). */
  limitsFor(platform: string): Limits {
    return this.limits[platform] ?? TELEGRAM_LIMITS;
  }

  async take(platform: string, chatId: string, isGroup: boolean, now: number): Promise<number> {
    const w = this.windowsOf(platform);
    if (w.unlimited) return 0;
    const full = this.globalFull.get(platform) ?? 0;
    if (full > now) return Math.ceil(full - now);
    return new Promise<number>((resolve, reject) => {
      let q = this.takers.get(platform);
      if (!q) this.takers.set(platform, (q = { waiting: [], running: false }));
      q.waiting.push({ chatId, isGroup, now, resolve, reject });
      if (!q.running) void this.runTakes(platform, q);
    });
  }

  /**
   * Group commit of takes: the first take of a quiet moment runs at once; takes asked for while
   * a transaction is under way wait for it and then run together in the next one. Inside one
   * transaction they are judged one after another in the order asked, each seeing the slots the
   * ones before it were given, under the same gate lock — what separate transactions in that
   * order would have decided, with one lock, one read and one insert for all of them.
   */
  private async runTakes(platform: string, q: TakeQueue): Promise<void> {
    q.running = true;
    try {
      while (q.waiting.length) {
        const batch = q.waiting.splice(0, TAKE_BATCH);
        try {
          await this.gate(platform);
          const before = this.takes;
          this.takes += batch.length;
          if (Math.floor(before / CLEAN_EVERY) !== Math.floor(this.takes / CLEAN_EVERY)) await this.clean(platform, batch[0].now);
          const waits = await this.takeBatch(platform, batch);
          batch.forEach((t, i) => t.resolve(waits[i]));
        } catch (err) {
          for (const t of batch) t.reject(err);
        }
      }
    } finally {
      q.running = false;
    }
  }

  private takeBatch(platform: string, batch: TakeRequest[]): Promise<number[]> {
    const w = this.windowsOf(platform);
    const oldest = Math.min(...batch.map((t) => t.now));
    const chats = [...new Set(batch.map((t) => t.chatId))];
    return this.db.$transaction(async (tx) => {
      // The write comes first: it takes the lock that serialises every instance's takers.
      const [gate] = await tx.$queryRaw<{ pausedUntil: bigint | number }[]>`
        UPDATE "PacingGate" SET "turns" = "turns" + 1 WHERE "platform" = ${platform} RETURNING "pausedUntil"`;
      const paused = Number(gate?.pausedUntil ?? 0);
      this.pauses.set(platform, { until: paused, readAt: Date.now() });
      if (batch.every((t) => paused > t.now)) return batch.map((t) => paused - t.now);
      // One read for every chat of the batch (its latest sends in the group's window) and for
      // the whole bot's global second, after the lock. The global second is read as a count and
      // the latest PACING_BURST sends (all the burst rule looks at); only when the count comes
      // near the limit are its rows read, which the exact rule needs.
      const burst = Math.min(PACING_BURST, w.perSecond);
      const underWaySince = BigInt(Math.floor(oldest - UNDER_WAY_MAX_MS));
      const answeredSince = BigInt(Math.floor(oldest - w.second));
      const rows = await tx.$queryRaw<(SendRow & { chatId: string | null; kind: string })[]>`
        SELECT 'c' AS "kind", "chatId", "at", "answeredAt" FROM (
          SELECT "chatId", "at", "answeredAt", ROW_NUMBER() OVER (PARTITION BY "chatId" ORDER BY "at" DESC) AS "rn"
          FROM "PacingSend"
          WHERE "platform" = ${platform} AND "chatId" IN (${Prisma.join(chats)}) AND "at" > ${BigInt(Math.floor(oldest - Math.max(w.groupWindow, UNDER_WAY_MAX_MS)))}
        ) AS "c" WHERE "rn" <= ${Math.max(1, w.limits.perGroupPerMinute) + 1}
        UNION ALL
        SELECT 'g' AS "kind", NULL AS "chatId", "at", "answeredAt" FROM (
          SELECT "at", "answeredAt" FROM "PacingSend"
          WHERE "platform" = ${platform} AND "at" > ${underWaySince} AND ("answeredAt" IS NULL OR "answeredAt" > ${answeredSince})
          ORDER BY "at" DESC LIMIT ${burst}
        ) AS "g"
        UNION ALL
        SELECT 'n' AS "kind", NULL AS "chatId", COUNT(*) AS "at", NULL AS "answeredAt" FROM "PacingSend"
        WHERE "platform" = ${platform} AND "at" > ${underWaySince} AND ("answeredAt" IS NULL OR "answeredAt" > ${answeredSince})`;
      const byChat = new Map<string, SendRow[]>(chats.map((c) => [c, []]));
      let recent: SendRow[] = [];
      let inSecond = 0;
      for (const r of rows) {
        if (r.kind === 'c') byChat.get(r.chatId!)!.push({ at: r.at, answeredAt: r.answeredAt });
        else if (r.kind === 'g') recent.push({ at: r.at, answeredAt: r.answeredAt });
        else inSecond = Number(r.at);
      }
      // Below the limit even if every take of the batch is given its slot: the rule on the
      // second's count cannot hold anyone back, and the latest sends decide the burst rule.
      // Otherwise the exact rule needs the second's rows.
      if (inSecond + batch.length >= w.perSecond) {
        recent = await tx.$queryRaw<SendRow[]>`
          SELECT "at", "answeredAt" FROM "PacingSend"
          WHERE "platform" = ${platform} AND "at" > ${underWaySince}
            AND ("answeredAt" IS NULL OR "answeredAt" > ${answeredSince})`;
      }
      const minute = w.limits.globalPerMinute === undefined ? undefined : await this.minuteRows(tx, w, platform, oldest);
      const waits: number[] = [];
      const granted: TakeRequest[] = [];
      for (const t of batch) {
        if (paused > t.now) {
          waits.push(paused - t.now);
          continue;
        }
        const chatRows = byChat.get(t.chatId)!.filter((r) => Number(r.at) > t.now - Math.max(w.groupWindow, UNDER_WAY_MAX_MS));
        const current = batch.length === 1 ? recent : recent.filter((r) => Number(r.at) > t.now - UNDER_WAY_MAX_MS && (r.answeredAt === null || Number(r.answeredAt) > t.now - w.second));
        const globalWait = this.globalWait(w, current, t.now);
        if (globalWait > 0) this.globalFull.set(platform, t.now + globalWait);
        const wait = Math.max(this.chatWait(w, chatRows, t.isGroup, t.now), globalWait, minute ? this.minuteWait(w, minute, t.now) : 0);
        if (wait > 0) {
          waits.push(Math.ceil(wait));
          continue;
        }
        // Taken: the next takes of this batch count it, as they would count a committed row.
        const row: SendRow = { at: t.now, answeredAt: null };
        byChat.get(t.chatId)!.unshift(row);
        recent.push(row);
        minute?.push(t.now);
        granted.push(t);
        waits.push(0);
      }
      if (granted.length) {
        await tx.$executeRaw`
          INSERT INTO "PacingSend" ("platform", "chatId", "isGroup", "at", "owner")
          VALUES ${Prisma.join(granted.map((t) => Prisma.sql`(${platform}, ${t.chatId}, ${t.isGroup}, ${BigInt(Math.floor(t.now))}, ${this.owner})`))}`;
      }
      return waits;
    });
  }

  /** The send times in WeChat's global minute (none on Telegram), as of the oldest take of a batch. */
  private async minuteRows(tx: Pick<Db, '$queryRaw'>, w: Windows, platform: string, oldest: number): Promise<number[]> {
    const rows = await tx.$queryRaw<{ at: bigint | number }[]>`
      SELECT "at" FROM "PacingSend" WHERE "platform" = ${platform} AND "at" > ${BigInt(Math.floor(oldest - w.minute))}`;
    return rows.map((r) => Number(r.at));
  }

  /** WeChat's global minute: the oldest of the minute leaves first; then look again. */
  private minuteWait(w: Windows, sends: number[], now: number): number {
    const inMinute = sends.filter((at) => at > now - w.minute);
    if (inMinute.length < w.limits.globalPerMinute!) return 0;
    return Math.max(Math.min(...inMinute) + w.minute - now, 1);
  }

  /**
   * Answers reported while an earlier answer's write is under way are written together in the
   * next statement, all with the latest of their times: a message counts as under way, or its
   * chat's gap starts, at most that round trip later than it did — never earlier.
   */
  async answered(slot: Slot, now: number): Promise<void> {
    if (this.windowsOf(slot.platform).unlimited) return;
    let q = this.answers.get(slot.platform);
    if (!q) this.answers.set(slot.platform, (q = { waiting: [], running: false }));
    const done = new Promise<void>((resolve, reject) => q.waiting.push({ slot, now, resolve, reject }));
    if (!q.running) void this.writeAnswers(slot.platform, q);
    return done;
  }

  private async writeAnswers(platform: string, q: AnswerQueue): Promise<void> {
    q.running = true;
    try {
      while (q.waiting.length) {
        const batch = q.waiting.splice(0, TAKE_BATCH);
        try {
          const at = BigInt(Math.floor(Math.max(...batch.map((a) => Math.max(a.now, a.slot.at)))));
          await this.db.$executeRaw`
            UPDATE "PacingSend" SET "answeredAt" = ${at}
            WHERE "platform" = ${platform} AND "owner" = ${this.owner} AND "answeredAt" IS NULL
              AND (${Prisma.join(batch.map((a) => Prisma.sql`("chatId" = ${a.slot.chatId} AND "at" = ${BigInt(Math.floor(a.slot.at))})`), ' OR ')})`;
          for (const a of batch) a.resolve();
        } catch (err) {
          for (const a of batch) a.reject(err);
        }
      }
    } finally {
      q.running = false;
    }
  }

  async pause(platform: string, until: number): Promise<void> {
    await this.gate(platform);
    const at = BigInt(Math.ceil(until));
    await this.db.$executeRaw`
      UPDATE "PacingGate" SET "pausedUntil" = CASE WHEN "pausedUntil" < ${at} THEN ${at} ELSE "pausedUntil" END WHERE "platform" = ${platform}`;
    const cached = this.pauses.get(platform);
    this.pauses.set(platform, { until: Math.max(cached?.until ?? 0, until), readAt: Date.now() });
  }

  async pausedUntil(platform: string): Promise<number> {
    if (this.windowsOf(platform).unlimited) return 0;
    const cached = this.pauses.get(platform);
    if (cached && Date.now() - cached.readAt < PAUSE_CACHE_MS) return cached.until;
    const rows = await this.db.$queryRaw<{ pausedUntil: bigint | number }[]>`SELECT "pausedUntil" FROM "PacingGate" WHERE "platform" = ${platform}`;
    const until = Number(rows[0]?.pausedUntil ?? 0);
    this.pauses.set(platform, { until, readAt: Date.now() });
    return until;
  }

  /** The per-chat gap (from the last answer, or held while a message is under way) and the group's minute. */
  private chatWait(w: Windows, rows: SendRow[], isGroup: boolean, now: number): number {
    let wait = 0;
    for (const r of rows) {
      const at = Number(r.at);
      const answered = r.answeredAt === null ? null : Number(r.answeredAt);
      if (answered === null && now - at < UNDER_WAY_MAX_MS && w.perChat > 0) wait = Math.max(wait, w.perChat);
      wait = Math.max(wait, Math.max(at, answered ?? at) + w.perChat - now);
    }
    if (isGroup) {
      const inWindow = rows.map((r) => Math.max(Number(r.at), Number(r.answeredAt ?? r.at))).filter((t) => t > now - w.groupWindow).sort((a, b) => a - b);
      const max = w.limits.perGroupPerMinute;
      if (inWindow.length >= max) wait = Math.max(wait, inWindow[inWindow.length - max] + w.groupWindow - now);
    }
    return wait;
  }

  /** The global second (a message under way counts until answered) and the spread of bursts. */
  private globalWait(w: Windows, rows: SendRow[], now: number): number {
    let wait = 0;
    const underWay = rows.filter((r) => r.answeredAt === null).length;
    const answered = rows.filter((r) => r.answeredAt !== null).map((r) => Number(r.answeredAt)).sort((a, b) => a - b);
    const over = answered.length + underWay - w.perSecond;
    if (over >= 0) wait = Math.max(wait, over < answered.length ? answered[over] + w.second - now : w.second / w.perSecond);
    // No more than PACING_BURST slots in the time the global rate refills them.
    const burst = Math.min(PACING_BURST, w.perSecond);
    const span = (burst * w.second) / w.perSecond;
    const taken = rows.map((r) => Number(r.at)).filter((t) => t > now - span).sort((a, b) => a - b);
    if (taken.length >= burst) wait = Math.max(wait, taken[taken.length - burst] + span - now);
    return wait;
  }

  private windowsOf(platform: string): Windows {
    let w = this.windows.get(platform);
    if (!w) {
      const limits = this.limitsFor(platform);
      const scale = limits.timeScale ?? 1;
      const margin = limits.marginMs ?? 0;
      const minute = 60_000 * scale;
      w = {
        limits,
        second: 1000 * scale,
        minute,
        perChat: limits.perChatIntervalMs * scale + margin,
        groupWindow: minute + margin,
        perSecond: Math.max(1, Math.floor(limits.globalPerSecond)),
        unlimited: limits.perChatIntervalMs === 0 && limits.globalPerSecond >= 1_000_000 && limits.perGroupPerMinute >= 1_000_000 && limits.globalPerMinute === undefined,
      };
      this.windows.set(platform, w);
    }
    return w;
  }

  /** The platform's gate row exists (made once per instance). */
  private gate(platform: string): Promise<void> {
    let made = this.gates.get(platform);
    if (!made) {
      made = this.db.$executeRaw`INSERT INTO "PacingGate" ("platform", "pausedUntil", "turns") VALUES (${platform}, 0, 0) ON CONFLICT DO NOTHING`.then(() => undefined);
      made.catch(() => this.gates.delete(platform));
      this.gates.set(platform, made);
    }
    return made;
  }

  private async clean(platform: string, now: number): Promise<void> {
    await this.db.$executeRaw`DELETE FROM "PacingSend" WHERE "platform" = ${platform} AND "at" < ${BigInt(Math.floor(now - Math.max(KEEP_MS, 3 * this.windowsOf(platform).groupWindow)))}`;
  }
}
