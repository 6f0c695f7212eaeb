/**
 * One leader among the instances that share a database.
 *
 * Several Linli processes may take webhook deliveries side by side, but some work must run in
 * exactly one of them: the outbox sender (one pace for Telegram's limits), the scheduler (a
 * digest is built once), long polling or `setWebhook` (Telegram allows one consumer), and WeChat
 * (one login per account). The leader holds a lease row and renews it; a standby tries to take
 * the row over and succeeds once the lease ran out, so a killed leader is replaced within one
 * lease. A lease row rather than an engine lock (a PostgreSQL advisory lock) keeps one mechanism
 * for SQLite and PostgreSQL, needs no dedicated connection, and can be read by `linli doctor`.
 *
 * A restart on the same host need not wait out the lease: a row whose owner is a process of
 * this host that no longer exists is taken at once.
 *
 * A leader that finds its lease gone (it stalled past the lease and a standby took over) steps
 * down at once. For the moment in between both may act: what they do is safe twice — outbox
 * rows are claimed in the database, scheduled transitions check the state they move from, and
 * every notice has an idempotency key.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';

/** How long a lease lasts and how often it is renewed (or, by a standby, tried). */
export interface LeaseTiming {
  leaseMs: number;
  renewMs: number;
}

export const DEFAULT_LEASE: LeaseTiming = { leaseMs: 6_000, renewMs: 1_500 };

/** What the leader does: started when the lead is gained, stopped when it is lost or given up. */
export interface LeaderWork {
  lead(): Promise<void>;
  stepDown(reason: 'lost' | 'stopping'): Promise<void>;
}

/** True when `owner` names a process of this host that is gone. */
function deadOnThisHost(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname() || !/^\d+$/.test(pid ?? '') || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The lease of one role, held or awaited by this process. */
export class Leadership {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private leading = false;
  private timer?: NodeJS.Timeout;
  private turn: Promise<void> = Promise.resolve();
  private stopped = false;
  /** When the lease was last written (wall clock, ms). */
  private lastRenewal = 0;
  // Leases measure whether a process is alive: the wall clock, not the services' (movable) clock.
  private readonly now = () => new Date();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly work: LeaderWork,
    private readonly timing: LeaseTiming = DEFAULT_LEASE,
    readonly role = 'linli',
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  /** Tries for the lead once (so a lone instance leads before this resolves), then keeps trying or renewing. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.timing.renewMs);
    this.timer.unref();
  }

  /** Gives the lead up (the row is deleted, so a standby takes over on its next try). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.turn;
    if (!this.leading) return;
    this.leading = false;
    await this.work.stepDown('stopping');
    await this.db.$executeRaw`DELETE FROM "Leadership" WHERE "role" = ${this.role} AND "owner" = ${this.owner}`.catch((err) =>
      this.log.warn({ err }, 'could not release the leadership row'),
    );
  }

  /** One try or renewal; turns never overlap. */
  private tick(): Promise<void> {
    this.turn = this.turn.then(() => this.step()).catch((err) => this.log.error({ err }, 'leadership turn failed'));
    return this.turn;
  }

  private async step(): Promise<void> {
    if (this.stopped) return;
    const held = await this.claim().catch((err) => {
      this.log.warn({ err }, 'leadership lease could not be written');
      return null;
    });
    if (held === true) {
      this.lastRenewal = Date.now();
      if (!this.leading) {
        this.leading = true;
        this.log.info({ owner: this.owner }, 'leading: outbox, scheduler and platform intake run here');
        await this.work.lead();
      }
    } else if (held === false && this.leading) {
      await this.lose('another instance holds the lease');
    } else if (held === null && this.leading && Date.now() - this.lastRenewal >= this.timing.leaseMs) {
      // The database was out of reach for a whole lease: a standby may lead by now.
      await this.lose('the lease could not be renewed in time');
    }
  }

  private async lose(why: string): Promise<void> {
    // Leader-only adapters start once per process, so a process that lost the lead does not
    // try again: it steps down and its owner restarts it as a fresh standby (run.ts exits).
    this.leading = false;
    this.stopped = true;
    clearInterval(this.timer);
    this.log.error({ owner: this.owner, why }, 'leadership lost: stepping down');
    await this.work.stepDown('lost');
  }

  /** Takes or renews the row in one statement; true when this process holds it afterwards. */
  private async claim(): Promise<boolean> {
    const now = this.now();
    const lease = new Date(now.getTime() + this.timing.leaseMs);
    const current = await this.db.leadership.findUnique({ where: { role: this.role } });
    // A process of this host that is gone gives its row up at once (a restart, a kill -9).
    // Named in the statement, so a live process that took the row meanwhile is not overridden.
    const deadOwner = current && current.owner !== this.owner && deadOnThisHost(current.owner) ? current.owner : '';
    const changed = await this.db.$executeRaw`
      INSERT INTO "Leadership" ("role", "owner", "leaseUntil", "since") VALUES (${this.role}, ${this.owner}, ${lease}, ${now})
      ON CONFLICT ("role") DO UPDATE SET
        "owner" = excluded."owner",
        "leaseUntil" = excluded."leaseUntil",
        "since" = CASE WHEN "Leadership"."owner" = excluded."owner" THEN "Leadership"."since" ELSE excluded."since" END
      WHERE "Leadership"."owner" = excluded."owner" OR "Leadership"."leaseUntil" < ${now} OR "Leadership"."owner" = ${deadOwner}`;
    return changed > 0;
  }
}
