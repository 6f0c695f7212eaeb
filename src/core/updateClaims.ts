/**
 * Update claims: a platform update is handled at most once and never dropped by a crash.
 *
 * Before an update is handled, the process claims it (a row keyed by platform and update id,
 * with its owner and a lease the owner keeps renewing); when the handling finished — the effect
 * committed and the answer went out — the claim is marked done. A redelivered update is then:
 * - done: a duplicate, ignored (also across restarts);
 * - claimed by a live owner (the same update twice in flight): waited for, then ignored;
 * - claimed by an owner whose lease ran out (the process died mid-way): taken over and handled,
 *   so the redelivery Telegram makes after a `kill -9` is not lost.
 *
 * Claims and done marks made in the same turn of the event loop (a polling batch arrives at
 * once) are written in one statement each. What remains: a crash after an update's effect
 * committed but before its done mark was written handles that update again on redelivery; the
 * window is one event-loop turn, and the handlers are idempotent for a repeated update except a
 * multiple-choice toggle (a second tap removes the option).
 *
 * Order per conversation across instances (`ordered`, on when several instances share the
 * database): each claim also records its conversation (platform, chat, sender) and its numeric
 * update id, and the owner of update N of a conversation handles it only once no earlier update
 * of that conversation is claimed, unfinished and alive (its owner died: its lease ran out, and
 * whoever takes it over will not wait behind N). Telegram delivers the updates of one chat one at
 * a time and only after the previous delivery was answered, and both instances answer a
 * delivery only after its claim row is written, so an earlier update of the conversation is
 * always claimed before a later one arrives: the wait puts them in order. In one process the
 * router's per-person queue already does, so a single instance skips the look-up.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { engineOf } from '../db/engine.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { Logger } from '../log.ts';

/** Most claims written in one statement (5 parameters each). */
const CLAIM_CHUNK = 150;

/** How long a claim stays the owner's without renewal, and how often it is renewed. */
export interface ClaimTiming {
  leaseMs: number;
  renewMs: number;
  /** How often a claim held by another live owner is looked at again. */
  recheckMs: number;
  /** How often an update waiting for an earlier one of its conversation looks again. */
  turnRecheckMs: number;
}

const DEFAULT_TIMING: ClaimTiming = { leaseMs: 15_000, renewMs: 5_000, recheckMs: 250, turnRecheckMs: 20 };

/** Options of the claims beyond their timing. */
export interface ClaimOptions extends Partial<ClaimTiming> {
  /** Keep each conversation's updates in update-id order across instances (see above). */
  ordered?: boolean;
}

interface Pending {
  platform: string;
  updateId: string;
  conversation: string | null;
  seq: bigint | null;
  /** `fresh`: this claim wrote the row; `behind`: an earlier update of its conversation may be unfinished. */
  resolve: (claimed: { fresh: boolean; behind: boolean }) => void;
  reject: (err: unknown) => void;
}

const keyOf = (platform: string, updateId: string) => `${platform}\u0000${updateId}`;

/** Claims updates for one process. */
export class UpdateClaims {
  /** This process; a restart is a new owner. */
  readonly owner = randomUUID();
  private readonly timing: ClaimTiming;
  private readonly ordered: boolean;
  private readonly postgres: boolean;
  private claims: Pending[] = [];
  private dones: { platform: string; updateId: string }[] = [];
  private doneFlush?: Promise<void>;
  private held = 0;
  private renewer?: NodeJS.Timeout;

  // Leases measure whether a process is alive, so they run on the wall clock, not on the
  // services' clock (which tests move through deadlines).
  private readonly clock = () => new Date();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    { ordered = false, ...timing }: ClaimOptions = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
    this.ordered = ordered;
    this.postgres = engineOf(db) === 'postgresql';
  }

  /**
   * True when this process now owns the update and must handle it; false for a duplicate. With
   * `ordered`, resolves only once the earlier updates of `conversation` (claimed anywhere) are done.
   */
  async claim(platform: string, updateId: string, conversation?: string): Promise<boolean> {
    const seq = this.ordered && conversation && /^\d{1,18}$/.test(updateId) ? BigInt(updateId) : null;
    const key = seq === null ? null : conversation!;
    const { fresh, behind } = await new Promise<{ fresh: boolean; behind: boolean }>((resolve, reject) => {
      this.claims.push({ platform, updateId, conversation: key, seq, resolve, reject });
      if (this.claims.length === 1) setImmediate(() => void this.flushClaims());
    });
    const mine = fresh || (await this.settleConflict(platform, updateId));
    if (mine) {
      this.hold();
      // A fresh claim on PostgreSQL already knows whether anything earlier is unfinished.
      if (key !== null && seq !== null && (!fresh || behind)) await this.awaitTurn(key, seq);
    }
    return mine;
  }

  /** Waits while an earlier update of the conversation is claimed, not done, and its owner alive. */
  private async awaitTurn(conversation: string, seq: bigint): Promise<void> {
    for (;;) {
      const earlier = await this.db.$queryRaw<{ updateId: string }[]>`
        SELECT "updateId" FROM "ProcessedUpdate"
        WHERE "conversation" = ${conversation} AND "seq" < ${seq} AND "doneAt" IS NULL AND "leaseUntil" IS NOT NULL AND "leaseUntil" >= ${this.clock()}
        LIMIT 1`;
      if (!earlier.length) return;
      await new Promise((r) => setTimeout(r, this.timing.turnRecheckMs));
    }
  }

  /** Marks a claimed update as handled to the end. */
  done(platform: string, updateId: string): Promise<void> {
    this.dones.push({ platform, updateId });
    this.doneFlush ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flushDones());
    return this.doneFlush;
  }

  /** Stops renewing (the process is stopping; its claims are done or will expire). */
  stop(): void {
    if (this.renewer) clearInterval(this.renewer);
    this.renewer = undefined;
  }

  private lease(): Date {
    return new Date(this.clock().getTime() + this.timing.leaseMs);
  }

  private async flushClaims(): Promise<void> {
    const batch = this.claims;
    this.claims = [];
    for (let i = 0; i < batch.length; i += CLAIM_CHUNK) {
      const chunk = batch.slice(i, i + CLAIM_CHUNK);
      try {
        const now = this.clock();
        const lease = this.lease();
        // A single instance writes the row as before; the conversation columns only when ordered.
        // Ordered on PostgreSQL: the same statement says, per new row, whether an earlier update of
        // its conversation is claimed, unfinished and alive (awaitTurn's question), so the common
        // case — nothing earlier — needs no second query. The look sees what was committed when
        // the statement started, which holds every earlier update of the conversation (see the
        // header: it was claimed before this one arrived); this process claims at most one update
        // per conversation at a time (the router's queue), so none hides in this very statement.
        const inserted: { platform: string; updateId: string; behind?: boolean }[] = this.ordered && this.postgres
          ? await this.db.$queryRaw<{ platform: string; updateId: string; behind: boolean }[]>`
              WITH ins AS (
                INSERT INTO "ProcessedUpdate" ("platform", "updateId", "handledAt", "owner", "leaseUntil", "conversation", "seq")
                VALUES ${Prisma.join(chunk.map((c) => Prisma.sql`(${c.platform}, ${c.updateId}, ${now}, ${this.owner}, ${lease}, ${c.conversation}, ${c.seq})`))}
                ON CONFLICT DO NOTHING RETURNING "platform", "updateId", "conversation", "seq")
              SELECT ins."platform", ins."updateId", EXISTS (
                SELECT 1 FROM "ProcessedUpdate" e
                WHERE e."conversation" = ins."conversation" AND e."seq" < ins."seq" AND e."doneAt" IS NULL AND e."leaseUntil" IS NOT NULL AND e."leaseUntil" >= ${now}
              ) AS "behind"
              FROM ins`
          : this.ordered
          ? await this.db.$queryRaw<{ platform: string; updateId: string }[]>`
              INSERT INTO "ProcessedUpdate" ("platform", "updateId", "handledAt", "owner", "leaseUntil", "conversation", "seq")
              VALUES ${Prisma.join(chunk.map((c) => Prisma.sql`(${c.platform}, ${c.updateId}, ${now}, ${this.owner}, ${lease}, ${c.conversation}, ${c.seq})`))}
              ON CONFLICT DO NOTHING RETURNING "platform", "updateId"`
          : await this.db.$queryRaw<{ platform: string; updateId: string }[]>`
              INSERT INTO "ProcessedUpdate" ("platform", "updateId", "handledAt", "owner", "leaseUntil")
              VALUES ${Prisma.join(chunk.map((c) => Prisma.sql`(${c.platform}, ${c.updateId}, ${now}, ${this.owner}, ${lease})`))}
              ON CONFLICT DO NOTHING RETURNING "platform", "updateId"`;
        const fresh = new Map(inserted.map((r) => [keyOf(r.platform, r.updateId), r.behind ?? true]));
        // Two claims of one conversation in this statement (not the router's way, but possible)
        // cannot see each other: each of them looks again in awaitTurn.
        const seen = new Set<string>();
        const twice = new Set<string>();
        for (const c of chunk) if (c.conversation !== null) (seen.has(c.conversation) ? twice : seen).add(c.conversation);
        // The same update twice in one batch: only its first claim wins.
        for (const c of chunk) {
          const key = keyOf(c.platform, c.updateId);
          const behind = fresh.get(key);
          fresh.delete(key);
          c.resolve({ fresh: behind !== undefined, behind: behind === undefined || behind || (c.conversation !== null && twice.has(c.conversation)) });
        }
      } catch (err) {
        for (const c of chunk) c.reject(err);
      }
    }
  }

  /**
   * An update someone claimed before: a duplicate once done; taken over when its owner's lease
   * ran out; otherwise waited for (its owner is working on it right now).
   */
  private async settleConflict(platform: string, updateId: string): Promise<boolean> {
    for (;;) {
      const now = this.clock();
      const taken = await this.db.$executeRaw`
        UPDATE "ProcessedUpdate" SET "owner" = ${this.owner}, "leaseUntil" = ${this.lease()}
        WHERE "platform" = ${platform} AND "updateId" = ${updateId} AND "doneAt" IS NULL
          AND "leaseUntil" IS NOT NULL AND "leaseUntil" < ${now}`;
      if (taken > 0) {
        this.log.warn({ platform, update: updateId }, 'update taken over from a process that stopped while handling it');
        return true;
      }
      const row = await this.db.processedUpdate.findUnique({ where: { platform_updateId: { platform, updateId } }, select: { doneAt: true, leaseUntil: true } });
      if (!row || row.doneAt || !row.leaseUntil) return false;
      await new Promise((r) => setTimeout(r, this.timing.recheckMs));
    }
  }

  private hold(): void {
    this.held++;
    this.renewer ??= setInterval(() => void this.renew(), this.timing.renewMs);
    this.renewer.unref?.();
  }

  private async renew(): Promise<void> {
    try {
      await this.db.$executeRaw`UPDATE "ProcessedUpdate" SET "leaseUntil" = ${this.lease()} WHERE "owner" = ${this.owner} AND "doneAt" IS NULL`;
    } catch (err) {
      this.log.warn({ err }, 'could not renew update claims');
    }
  }

  private async flushDones(): Promise<void> {
    const batch = this.dones;
    this.dones = [];
    this.doneFlush = undefined;
    const now = this.clock();
    const byPlatform = new Map<string, string[]>();
    for (const d of batch) byPlatform.set(d.platform, [...(byPlatform.get(d.platform) ?? []), d.updateId]);
    for (const [platform, ids] of byPlatform) {
      for (let i = 0; i < ids.length; i += CLAIM_CHUNK) {
        const chunk = ids.slice(i, i + CLAIM_CHUNK);
        await this.db.$executeRaw`
          UPDATE "ProcessedUpdate" SET "doneAt" = ${now}, "leaseUntil" = NULL
          WHERE "platform" = ${platform} AND "updateId" IN (${Prisma.join(chunk)})`;
      }
    }
    this.held -= batch.length;
    if (this.held <= 0) {
      this.held = 0;
      this.stop();
    }
  }
}
