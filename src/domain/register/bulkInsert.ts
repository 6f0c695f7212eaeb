/**
 * Inserting thousands of rows at once (a register import, a community's slips). Prisma's
 * `createMany` maps every row through its query compiler, which took 5–8 s for 5,000 households
 * on a busy machine; one multi-row INSERT per chunk, built with `Prisma.sql` (so placeholders,
 * booleans and dates are bound the way the driver adapter binds them, on SQLite and PostgreSQL
 * alike), takes under one. Rows are written exactly as Prisma would store them; ids are random
 * UUIDs, which every id column (TEXT, no format) accepts.
 */
import { randomUUID } from 'node:crypto';
import { Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../../db/client.ts';

/** Rows per statement: 500 rows × 15 columns stays far below SQLite's bound-parameter limit. */
const CHUNK = 500;

/** The client or a transaction: anything that runs raw statements. */
type RawDb = Pick<Db, '$executeRaw'>;

/**
 * Inserts rows into a table (names are the code's, never input). Every row must have the same
 * columns; an `id` is added to each. Returns the ids in the rows' order.
 */
export async function insertMany(db: RawDb, table: 'Household' | 'VerificationCode', rows: Record<string, string | number | boolean | Date | null>[]): Promise<string[]> {
  if (!rows.length) return [];
  const columns = ['id', ...Object.keys(rows[0])];
  const ids = rows.map(() => randomUUID());
  const head = Prisma.raw(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows.slice(i, i + CHUNK).map((row, j) => Prisma.sql`(${Prisma.join([ids[i + j], ...columns.slice(1).map((c) => row[c])])})`);
    await db.$executeRaw`${head}${Prisma.join(values)}`;
  }
  return ids;
}
