/**
 * Prepared statements, kept per SQL text.
 *
 * Prisma's SQL text is stable per query shape (values are always bound parameters), and
 * without a cache SQLite parses and plans the same few dozen statements again for every
 * incoming event — in profiles that was a fifth of the bot's CPU time. A cached statement also
 * keeps what does not change between runs of it: whether it returns rows, its column names and
 * their declared types. SQLite re-prepares a statement by itself when the schema changed; the
 * column description is checked against each result's width for the same reason. The cache is
 * bounded (least recently used statements are dropped: IN lists of different lengths are
 * different texts).
 */
import type { ColumnType } from '@prisma/driver-adapter-utils';
import type { Database, Statement } from 'better-sqlite3';
import { declaredColumnType } from './values.ts';

/** How many distinct SQL texts stay prepared. */
export const MAX_STATEMENTS = 500;

/** A prepared statement and what stays true of it. */
export interface PreparedStatement {
  readonly stmt: Statement<unknown[]>;
  /** True when it returns rows (SELECT, or RETURNING). */
  readonly reader: boolean;
  columnNames: string[];
  /** Declared types as column types; null where only the values can tell. */
  declaredTypes: (ColumnType | null)[];
  /** True when no column needs its type inferred from the values. */
  fullyDeclared: boolean;
}

/** Counters, for tests and `linli doctor`-style diagnostics. */
export interface StatementStats {
  /** Statements SQLite prepared (cache misses). */
  prepared: number;
  /** Queries served by a statement prepared earlier. */
  reused: number;
  /** Statements currently cached. */
  cached: number;
}

export class StatementCache {
  readonly #db: Database;
  readonly #max: number;
  readonly #byText = new Map<string, PreparedStatement>();
  #prepared = 0;
  #reused = 0;

  constructor(db: Database, max = MAX_STATEMENTS) {
    this.#db = db;
    this.#max = max;
  }

  /** The statement for `sql`, prepared on first use. */
  get(sql: string): PreparedStatement {
    const map = this.#byText;
    let entry = map.get(sql);
    if (entry) {
      this.#reused++;
      // Move it to the young end of the LRU order.
      map.delete(sql);
      map.set(sql, entry);
      return entry;
    }
    const stmt = this.#db.prepare<unknown[]>(sql);
    this.#prepared++;
    entry = { stmt, reader: stmt.reader, columnNames: [], declaredTypes: [], fullyDeclared: true };
    if (entry.reader) {
      // Rows as arrays, in column order: what Prisma wants, and cheaper than objects.
      stmt.raw(true);
      describeColumns(entry);
    }
    if (map.size >= this.#max) map.delete(map.keys().next().value!);
    map.set(sql, entry);
    return entry;
  }

  stats(): StatementStats {
    return { prepared: this.#prepared, reused: this.#reused, cached: this.#byText.size };
  }

  clear(): void {
    this.#byText.clear();
  }
}

/** (Re)reads the result columns of a reader statement. */
export function describeColumns(entry: PreparedStatement): void {
  const columns = entry.stmt.columns();
  entry.columnNames = columns.map((c) => c.name);
  entry.declaredTypes = columns.map((c) => declaredColumnType(c.type));
  entry.fullyDeclared = entry.declaredTypes.every((t) => t !== null);
}
