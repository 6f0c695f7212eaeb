/**
 * A prepared-statement cache for Prisma's better-sqlite3 driver adapter.
 *
 * The adapter (7.10) calls `db.prepare(sql)` for every query, so SQLite parses and plans the
 * same few dozen statements again for every incoming event — in profiles that was a fifth of
 * the bot's CPU time. Prisma's SQL text is stable per query shape (values are always bound
 * parameters), so caching the prepared statement by its SQL text is safe: better-sqlite3 runs
 * each statement synchronously to completion, and SQLite re-prepares a statement by itself when
 * the schema changed. The cache is bounded (least recently used statements are dropped).
 *
 * better-sqlite3 lets `bind()` be called only once per statement, so the cached statement is
 * handed out behind a small wrapper that passes the arguments with each call instead.
 */
import type { Database, Statement } from 'better-sqlite3';
import { FENCE_TIMEOUT_MS, fenceTransactions } from './transactionFence.ts';

/** How many distinct SQL texts stay prepared (IN lists of different lengths are distinct). */
const MAX_STATEMENTS = 500;

/** What the adapter uses of a (bound) statement. */
interface AdapterStatement {
  readonly reader: boolean;
  run(): unknown;
  columns(): ReturnType<Statement['columns']>;
  raw(): { all(): unknown[] };
}

/**
 * A cached statement with the arguments of one call. A class rather than a bag of closures: the
 * adapter binds a statement for every query, and tsx (esbuild's keepNames) wraps each closure
 * created per call in a `__name(...)` property definition, which showed up in profiles.
 */
class BoundStatement implements AdapterStatement {
  constructor(
    private readonly stmt: Statement,
    private readonly args: unknown[],
  ) {}

  get reader(): boolean {
    return this.stmt.reader;
  }

  run(): unknown {
    return this.args.length ? this.stmt.run(this.args) : this.stmt.run();
  }

  columns(): ReturnType<Statement['columns']> {
    // The result columns of a prepared statement are fixed (the bot does not change its schema
    // while running); asking SQLite again for every query allocated a fresh description.
    let cols = columnsOf.get(this.stmt);
    if (!cols) columnsOf.set(this.stmt, (cols = this.stmt.columns()));
    return cols;
  }

  raw(): { all(): unknown[] } {
    return this;
  }

  all(): unknown[] {
    const stmt = this.stmt.raw(true);
    return this.args.length ? stmt.all(this.args) : stmt.all();
  }

  /** better-sqlite3's `bind` on the cached statement: the arguments travel with each call. */
  bind(args: unknown[]): BoundStatement {
    return new BoundStatement(this.stmt, args);
  }
}

const NO_ARGS: unknown[] = [];
const columnsOf = new WeakMap<Statement, ReturnType<Statement['columns']>>();

/** Makes `db.prepare` return cached statements (for the driver adapter's use only). */
export function cacheStatements(db: Database): Database {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Statement>();
  const cachedPrepare = (sql: string) => {
    let stmt = cache.get(sql);
    if (stmt) {
      // Refresh its place in the LRU order.
      cache.delete(sql);
    } else {
      stmt = prepare(sql);
      if (cache.size >= MAX_STATEMENTS) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, stmt);
    return new BoundStatement(stmt, NO_ARGS);
  };
  (db as unknown as { prepare: typeof cachedPrepare }).prepare = cachedPrepare;
  return db;
}

/** The driver adapter factory shape we wrap (from @prisma/driver-adapter-utils). */
interface AdapterFactory {
  readonly provider: string;
  readonly adapterName: string;
  connect(): Promise<unknown>;
}

/**
 * Wraps `new PrismaBetterSqlite3(...)` so the connection it opens caches its statements. The
 * adapter keeps its better-sqlite3 handle in `client` (used for queries and transactions).
 */
export function withStatementCache<F extends AdapterFactory>(factory: F): F {
  const connect = factory.connect.bind(factory);
  return Object.assign(factory, {
    async connect() {
      const adapter = (await connect()) as { client?: Database };
      if (adapter.client && typeof adapter.client.prepare === 'function') cacheStatements(adapter.client);
      // After the cache, so the fence sees the statement the adapter actually runs.
      return fenceTransactions(adapter as Parameters<typeof fenceTransactions>[0], (sql) =>
        process.emitWarning(`a query waited ${FENCE_TIMEOUT_MS} ms for a transaction and ran anyway: ${sql}`, 'LinliTransactionFence'),
      );
    },
  });
}
