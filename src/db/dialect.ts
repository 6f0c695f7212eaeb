/**
 * The SQL that differs between SQLite and PostgreSQL, in one place. Raw queries elsewhere are
 * written in the portable subset (quoted identifiers, `ON CONFLICT`, `RETURNING`, `EXISTS`);
 * where an engine needs its own words, the query asks here with the client or transaction it
 * runs on.
 */
import { Prisma } from '../generated/prisma/client.ts';
import { engineOf } from './engine.ts';

/**
 * A statement that holds the row `id` of `table` in share mode until the transaction ends.
 * PostgreSQL runs transactions side by side: a vote that checked "poll open" could commit after
 * the close counted. A vote holding the poll row FOR SHARE makes the close's UPDATE wait for it
 * (and a vote arriving after the close's UPDATE waits, then sees the poll closed). SQLite has one
 * writer at a time, which serialises the two already: a no-op there.
 */
export function shareLockSql(db: object, table: string, id: string): Prisma.Sql {
  if (engineOf(db) === 'postgresql') return Prisma.sql`SELECT 1 AS "locked" FROM ${Prisma.raw(`"${table}"`)} WHERE "id" = ${id} FOR SHARE`;
  return Prisma.sql`SELECT 1 AS "locked"`;
}

/** `FOR UPDATE` on PostgreSQL (lock the rows read, for a read-modify-write), nothing on SQLite (one writer). */
export function forUpdateSql(db: object): Prisma.Sql {
  return engineOf(db) === 'postgresql' ? Prisma.sql` FOR UPDATE` : Prisma.empty;
}

/**
 * The rowid column and value of a new ballot row. SQLite keeps rows in rowid order, so a random
 * rowid hides the insertion order (ballots.ts); PostgreSQL has no rowid column.
 */
export function randomRowidColumn(db: object): { column: Prisma.Sql; value: Prisma.Sql } {
  if (engineOf(db) === 'postgresql') return { column: Prisma.empty, value: Prisma.empty };
  return { column: Prisma.sql`"rowid", `, value: Prisma.sql`random(), ` };
}

/**
 * A case-insensitive "contains" filter for a Prisma where clause. SQLite's LIKE already ignores
 * the case of Latin letters; PostgreSQL's does not, so its client gets `mode: 'insensitive'`
 * (ILIKE), which the SQLite client does not accept.
 */
export function containsText(db: object, text: string): { contains: string } {
  if (engineOf(db) === 'postgresql') return { contains: text, mode: 'insensitive' } as { contains: string };
  return { contains: text };
}

/**
 * A statement that holds the row `id` of `table` exclusively until the transaction ends, so that
 * read-then-write sequences on what hangs off it (the next number, a hash chain) run one at a
 * time on PostgreSQL. SQLite's single writer serialises them already (a plain read there).
 */
export function rowLockSql(db: object, table: string, id: string): Prisma.Sql {
  return Prisma.sql`SELECT 1 AS "locked" FROM ${Prisma.raw(`"${table}"`)} WHERE "id" = ${id}${forUpdateSql(db)}`;
}

/**
 * A statement that signals `channel` to every session LISTENing on it, when the transaction it
 * runs in commits (PostgreSQL's NOTIFY; a listener never hears of a row it cannot read yet).
 * Null on SQLite: there the one process that writes also sends, and wakes itself in memory.
 * `channel` is one of our constants (an identifier, not a parameter: NOTIFY takes none).
 */
export function notifySql(db: object, channel: string): Prisma.Sql | null {
  if (engineOf(db) !== 'postgresql') return null;
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  return Prisma.sql`NOTIFY ${Prisma.raw(channel)}`;
}
