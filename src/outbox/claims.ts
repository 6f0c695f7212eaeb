/**
 * The SQL that hands outbox rows to a worker — the one place where the engines differ.
 *
 * Several workers (two processes on one SQLite file in WAL mode, several instances on one
 * PostgreSQL) share the table. A worker never reads rows to send without claiming them: one
 * UPDATE … RETURNING marks the rows it takes with its id and a lease, and only rows that are
 * unclaimed or whose lease has passed can be taken. A worker that dies leaves its rows claimed
 * until the lease passes; then any worker takes them over.
 *
 * Only the head of each chat can be claimed: the oldest row that holds the chat's line (due, or
 * tried before, or in the middle of a send). A claimed head still holds the line, so while one
 * worker has it nobody sends that chat's next message: per-chat order holds across workers.
 *
 * - SQLite: one statement is atomic (a write statement takes the write lock before it reads), so
 *   the UPDATE alone is enough; concurrent claimers wait on the busy timeout.
 * - PostgreSQL: the inner SELECT locks the rows it picks with FOR UPDATE SKIP LOCKED, so
 *   concurrent claimers skip each other's rows instead of queueing behind them; the outer WHERE
 *   repeats the lease test, which PostgreSQL re-checks on the locked row version.
 */
import { Prisma } from '../generated/prisma/client.ts';

/** The database engines Linli runs on. */
export type SqlEngine = 'sqlite' | 'postgresql';

/** Statuses of a row that still has to go out (or is going out). */
export const OPEN_STATUSES = ['pending', 'sending'] as const;

/**
 * The id of each chat's head: its oldest open row that holds the line. A row that only waits for
 * its scheduled time (`notBefore`) does not hold it; one that waits for a retry, or whose send
 * is under way, does — so a later message never overtakes an earlier one.
 */
function headIds(platforms: string[], now: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT MIN(id) FROM "OutboxMessage"
    WHERE status IN ('pending', 'sending') AND platform IN (${Prisma.join(platforms)})
      AND ("nextAttemptAt" <= ${now} OR attempts > 0 OR "lastError" IS NOT NULL OR status = 'sending')
    GROUP BY platform, "chatId"`;
}

/** Claims up to `limit` due, unclaimed heads for `workerId` until `leaseUntil`; returns their ids (`{ id }` rows). */
export function claimHeadsSql(
  engine: SqlEngine,
  args: { platforms: string[]; workerId: string; now: Date; leaseUntil: Date; limit: number },
): Prisma.Sql {
  const { platforms, workerId, now, leaseUntil, limit } = args;
  const lock = engine === 'postgresql' ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.empty;
  return Prisma.sql`
    UPDATE "OutboxMessage" SET "claimedBy" = ${workerId}, "leaseUntil" = ${leaseUntil}
    WHERE id IN (
      SELECT h.id FROM "OutboxMessage" h
      WHERE h.id IN (${headIds(platforms, now)})
        AND h."nextAttemptAt" <= ${now}
        AND (h."leaseUntil" IS NULL OR h."leaseUntil" < ${now})
      ORDER BY h.id
      LIMIT ${limit}
      ${lock})
    AND status IN ('pending', 'sending')
    AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now})
    RETURNING id`;
}

/** How many heads are due now, claimed or not (`{ n }`): what `flush` waits for. Read-only. */
export function dueHeadsCountSql(platforms: string[], now: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT COUNT(*) AS n FROM "OutboxMessage"
    WHERE id IN (${headIds(platforms, now)}) AND "nextAttemptAt" <= ${now}`;
}
