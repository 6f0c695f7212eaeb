/**
 * Wakes the outbox sender on PostgreSQL when any instance enqueues a message. Every enqueue
 * sends NOTIFY on OUTBOX_CHANNEL in the transaction that writes the row (outbox.ts), so the
 * notice arrives only once the row is visible; the leader's worker LISTENs on a `pg` connection
 * of its own (outside Prisma's pool: a pooled connection is handed to other queries and would
 * drop the LISTEN). Without it the leader would see a message enqueued by a standby (a webhook
 * that reached the other instance) only at its next poll.
 *
 * The connection can go (a server restart, `pg_terminate_backend`, a network cut): the listener
 * connects again with a growing pause, and wakes the worker once it listens again, because a
 * notice sent while nobody listened is lost. The worker keeps polling at a longer interval as
 * the fallback for that gap and for what no enqueue announces (a scheduled time coming, a dead
 * worker's lease passing).
 */
import pg from 'pg';
import { connectionStringOf } from '../db/postgres/adapter.ts';
import type { Logger } from '../log.ts';

/** The channel every enqueue notifies (an SQL identifier). */
export const OUTBOX_CHANNEL = 'linli_outbox';

/** The listener's `application_name`, so an operator can tell its connection in pg_stat_activity. */
export const LISTENER_APPLICATION = 'linli-outbox-listener';

/** Pauses before connecting again after a failure, the last repeated. */
const RECONNECT_MS = [100, 500, 1000, 2000, 5000];

/** Something that calls `wake` when there may be new work; the worker starts and stops it. */
export interface WakeSource {
  start(wake: () => void): void;
  stop(): Promise<void>;
}

/** LISTENs for enqueues on PostgreSQL (see above). */
export class OutboxListener implements WakeSource {
  private client?: pg.Client;
  private readonly gone = new WeakSet<pg.Client>();
  private wake?: () => void;
  private running = false;
  private failures = 0;
  private timer?: NodeJS.Timeout;
  /** The server process of the current connection (tests and logs); undefined while not listening. */
  backendPid?: number;

  constructor(private readonly opts: { url: string; log: Logger }) {}

  /** True while a connection is listening. */
  get listening(): boolean {
    return this.backendPid !== undefined;
  }

  start(wake: () => void): void {
    if (this.running) return;
    this.running = true;
    this.wake = wake;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    this.backendPid = undefined;
    if (client) {
      this.gone.add(client);
      await client.end().catch(() => undefined);
    }
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    const client = new pg.Client({ connectionString: connectionStringOf(this.opts.url), application_name: LISTENER_APPLICATION });
    // Without an error handler a dropped connection would be an uncaught error in the process.
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    client.on('notification', () => this.wake?.());
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      if (!this.running || this.gone.has(client)) {
        this.gone.add(client);
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.backendPid = rows[0]?.pid;
      if (this.failures) this.opts.log.info({ attempts: this.failures }, 'outbox listener connected again');
      this.failures = 0;
      // Whatever was enqueued while nobody listened: look now.
      this.wake?.();
    } catch (err) {
      this.lost(client, err);
    }
  }

  private lost(client: pg.Client, err?: unknown): void {
    if (this.gone.has(client)) return;
    this.gone.add(client);
    if (this.client === client) {
      this.client = undefined;
      this.backendPid = undefined;
    }
    client.end().catch(() => undefined);
    if (!this.running) return;
    const delay = RECONNECT_MS[Math.min(this.failures, RECONNECT_MS.length - 1)];
    this.failures++;
    this.opts.log.warn({ err, retryInMs: delay }, 'outbox listener lost its connection; the sender polls until it is back');
    this.timer = setTimeout(() => void this.connect(), delay);
  }
}
