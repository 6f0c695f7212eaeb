/**
 * The parts of better-sqlite3 and of Prisma's driver-adapter contract the SQLite adapter relies
 * on, checked when it connects. An upgrade that changes one of them stops the bot at start-up
 * with the missing part named, instead of failing on the first query — or, worse, quietly
 * behaving differently.
 */
import { ColumnTypeEnum, DriverAdapterError } from '@prisma/driver-adapter-utils';
import type { Database } from 'better-sqlite3';

/** Thrown at connect time when a library no longer has the shape the adapter was written for. */
export class AdapterShapeError extends Error {}

const DATABASE_METHODS = ['prepare', 'exec', 'pragma', 'close', 'defaultSafeIntegers', 'backup'] as const;
const STATEMENT_METHODS = ['run', 'all', 'raw', 'columns', 'safeIntegers'] as const;
const COLUMN_TYPES = ['Int32', 'Int64', 'Float', 'Double', 'Numeric', 'Boolean', 'Text', 'Date', 'Time', 'DateTime', 'Json', 'Bytes', 'UnknownNumber'] as const;

function fail(what: string): never {
  throw new AdapterShapeError(`Linli's SQLite adapter cannot run: ${what}. Install the versions in package-lock.json, or adapt src/db/sqlite/ to the new one.`);
}

/** Checks @prisma/driver-adapter-utils (what the adapter imports from it). */
export function checkAdapterUtils(): void {
  if (typeof DriverAdapterError !== 'function') fail('@prisma/driver-adapter-utils exports no DriverAdapterError class');
  const missing = COLUMN_TYPES.filter((name) => typeof (ColumnTypeEnum as Record<string, unknown>)[name] !== 'number');
  if (missing.length) fail(`@prisma/driver-adapter-utils ColumnTypeEnum has no ${missing.join(', ')}`);
}

/** Checks an open better-sqlite3 connection and one statement of it. */
export function checkDriver(db: Database): void {
  for (const method of DATABASE_METHODS) {
    if (typeof (db as unknown as Record<string, unknown>)[method] !== 'function') fail(`the better-sqlite3 Database has no ${method}() method`);
  }
  if (typeof db.inTransaction !== 'boolean') fail('the better-sqlite3 Database has no inTransaction flag');
  const probe = db.prepare('SELECT 1 AS probe');
  for (const method of STATEMENT_METHODS) {
    if (typeof (probe as unknown as Record<string, unknown>)[method] !== 'function') fail(`a better-sqlite3 Statement has no ${method}() method`);
  }
  if (typeof probe.reader !== 'boolean') fail('a better-sqlite3 Statement has no reader flag');
  const [column] = probe.columns();
  if (column?.name !== 'probe' || !('type' in column)) fail('a better-sqlite3 Statement\'s columns() no longer describes columns by name and declared type');
  const rows = probe.safeIntegers(true).raw(true).all() as unknown;
  if (!Array.isArray(rows) || !Array.isArray(rows[0]) || rows[0][0] !== 1n) {
    fail('a better-sqlite3 Statement in raw, safe-integer mode no longer returns rows as arrays of bigint');
  }
}
