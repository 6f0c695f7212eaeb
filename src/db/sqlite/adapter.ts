/**
 * Linli's Prisma driver adapter for SQLite: Prisma's `SqlDriverAdapterFactory` contract
 * (@prisma/driver-adapter-utils) on one better-sqlite3 connection that this adapter opens and
 * owns — no other library's internals are touched.
 *
 * What it adds to a plain adapter:
 * - one gate on the connection (connectionGate.ts): an open interactive transaction keeps every
 *   other statement out until it commits or rolls back, and transactions take turns;
 * - prepared statements cached by SQL text (statements.ts);
 * - the connection settings Linli relies on (WAL, foreign keys, `synchronous`, busy timeout);
 * - a shared lock on the database's lock file while connected, so `linli restore` can tell that
 *   the database is in use (holders.ts);
 * - start-up checks of the library shapes it relies on (shape.ts).
 */
import Database from 'better-sqlite3';
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from '@prisma/driver-adapter-utils';
import { ConnectionGate } from './connectionGate.ts';
import { rethrowForPrisma } from './errors.ts';
import { holdDatabase, type HeldLock } from './holders.ts';
import { checkAdapterUtils, checkDriver } from './shape.ts';
import { describeColumns, MAX_STATEMENTS, StatementCache, type StatementStats } from './statements.ts';
import { decodeRow, resultColumnTypes, toSqlite } from './values.ts';

export const ADAPTER_NAME = 'linli-sqlite';

/**
 * `FULL`: a commit returns only after the write-ahead log reached the disk, so a vote a resident
 * was told about survives a power cut. `NORMAL` may lose the last commits on power loss (never
 * on a crash of the process); it exists for the benchmark that measures what FULL costs.
 */
export type Synchronous = 'FULL' | 'NORMAL';

/** The better-sqlite3 Database class (replaceable only to test the start-up checks). */
export type SqliteDriver = new (file: string, options?: Database.Options) => Database.Database;

export interface SqliteAdapterOptions {
  /** Path of the database file, or `:memory:`. */
  file: string;
  /** How long a statement waits for another process's write lock (ms). */
  busyTimeoutMs?: number;
  synchronous?: Synchronous;
  maxStatements?: number;
  /** See ConnectionGate: a statement stuck behind an idle transaction this long is reported. */
  stallWarningMs?: number;
  onStall?: (message: string) => void;
  driver?: SqliteDriver;
}

/** What the adapter has done so far (tests and diagnostics read it). */
export interface SqliteAdapterStats extends StatementStats {
  /** Plain statements that had to wait for an open transaction. */
  waitedForTransaction: number;
  transactions: number;
}

const TX_OPTIONS: TransactionOptions = {
  // Prisma then calls commit()/rollback() instead of sending COMMIT/ROLLBACK as queries, so the
  // transaction's end is ours to run — and the gate opens only once it really ended.
  usePhantomQuery: true,
};

/** Statements of one connection, converted both ways. Shared by the adapter and its transactions. */
class Connection {
  constructor(
    readonly db: Database.Database,
    readonly statements: StatementCache,
  ) {}

  query(query: SqlQuery): SqlResultSet {
    try {
      const entry = this.statements.get(query.sql);
      const args = bindable(query);
      if (!entry.reader) {
        if (args.length) entry.stmt.run(args);
        else entry.stmt.run();
        return { columnNames: [], columnTypes: [], rows: [] };
      }
      const rows = (args.length ? entry.stmt.all(args) : entry.stmt.all()) as unknown[][];
      // A statement SQLite re-prepared after a schema change may have other columns now.
      if (rows.length && rows[0].length !== entry.columnNames.length) describeColumns(entry);
      const types = entry.fullyDeclared ? (entry.declaredTypes as SqlResultSet['columnTypes']) : resultColumnTypes(entry.declaredTypes, rows);
      for (const row of rows) decodeRow(row, types);
      return { columnNames: entry.columnNames, columnTypes: types, rows };
    } catch (error) {
      rethrowForPrisma(error);
    }
  }

  execute(query: SqlQuery): number {
    try {
      const { stmt } = this.statements.get(query.sql);
      const args = bindable(query);
      return (args.length ? stmt.run(args) : stmt.run()).changes;
    } catch (error) {
      rethrowForPrisma(error);
    }
  }

  /** Runs one fixed statement (BEGIN, COMMIT, SAVEPOINT …), errors as Prisma maps them. */
  control(sql: string): void {
    try {
      this.statements.get(sql).stmt.run();
    } catch (error) {
      rethrowForPrisma(error);
    }
  }
}

const NO_ARGS: unknown[] = [];

function bindable(query: SqlQuery): unknown[] {
  const { args, argTypes } = query;
  if (args.length === 0) return NO_ARGS;
  const out = new Array<unknown>(args.length);
  for (let i = 0; i < args.length; i++) out[i] = toSqlite(args[i], argTypes[i]);
  return out;
}

class SqliteTransaction implements Transaction {
  readonly provider = 'sqlite' as const;
  readonly adapterName = ADAPTER_NAME;
  readonly options = TX_OPTIONS;
  #open = true;

  constructor(
    private readonly conn: Connection,
    private readonly gate: ConnectionGate,
  ) {}

  async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    this.#useOpen();
    return this.conn.query(query);
  }

  async executeRaw(query: SqlQuery): Promise<number> {
    this.#useOpen();
    return this.conn.execute(query);
  }

  async commit(): Promise<void> {
    this.#end('COMMIT');
  }

  async rollback(): Promise<void> {
    this.#end('ROLLBACK');
  }

  async createSavepoint(name: string): Promise<void> {
    this.#useOpen();
    this.conn.control(`SAVEPOINT ${name}`);
  }

  async rollbackToSavepoint(name: string): Promise<void> {
    this.#useOpen();
    this.conn.control(`ROLLBACK TO ${name}`);
  }

  async releaseSavepoint(name: string): Promise<void> {
    this.#useOpen();
    this.conn.control(`RELEASE SAVEPOINT ${name}`);
  }

  /** After commit or rollback the connection is someone else's: a late statement must not run on it. */
  #useOpen(): void {
    if (!this.#open) throw new DriverAdapterError({ kind: 'TransactionAlreadyClosed', cause: 'the transaction has already ended' });
    this.gate.touch();
  }

  /** Ends the transaction; the gate opens only once the connection is out of it. */
  #end(sql: 'COMMIT' | 'ROLLBACK'): void {
    if (!this.#open) return;
    this.#open = false;
    const { db } = this.conn;
    let failure: unknown;
    try {
      if (db.inTransaction) this.conn.control(sql);
    } catch (error) {
      failure = error;
      // A COMMIT that failed (disk full, I/O error) leaves the transaction open.
      try {
        if (db.inTransaction) db.exec('ROLLBACK');
      } catch {
        // judged just below
      }
    }
    if (db.inTransaction) {
      // Letting anyone in now would run their statements inside this transaction.
      this.gate.close();
      throw new Error('the SQLite connection could not leave its transaction; it accepts no more statements', { cause: failure });
    }
    this.gate.release();
    if (failure) throw failure;
  }
}

class SqliteAdapter implements SqlDriverAdapter {
  readonly provider = 'sqlite' as const;
  readonly adapterName = ADAPTER_NAME;
  transactions = 0;

  constructor(
    readonly conn: Connection,
    readonly gate: ConnectionGate,
    private readonly holder: HeldLock | null,
  ) {}

  // Plain statements: at once when no transaction holds the connection (the common case, kept
  // free of closures and promises of our own), else queued behind it.
  async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    if (this.gate.free) return this.conn.query(query);
    return this.gate.later(() => this.conn.query(query), query.sql);
  }

  async executeRaw(query: SqlQuery): Promise<number> {
    if (this.gate.free) return this.conn.execute(query);
    return this.gate.later(() => this.conn.execute(query), query.sql);
  }

  async executeScript(script: string): Promise<void> {
    await this.gate.later(() => {
      try {
        this.conn.db.exec(script);
      } catch (error) {
        rethrowForPrisma(error);
      }
    }, script);
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    // SQLite transactions are serializable; nothing weaker exists to ask for.
    if (isolationLevel && isolationLevel !== 'SERIALIZABLE') throw new DriverAdapterError({ kind: 'InvalidIsolationLevel', level: isolationLevel });
    await this.gate.acquire();
    try {
      // IMMEDIATE takes the write lock now: a transaction that reads, then writes, cannot fail
      // half-way because a `linli` command wrote in between (SQLITE_BUSY_SNAPSHOT).
      this.conn.control('BEGIN IMMEDIATE');
    } catch (error) {
      this.gate.release();
      throw error;
    }
    this.transactions++;
    return new SqliteTransaction(this.conn, this.gate);
  }

  async dispose(): Promise<void> {
    this.gate.close();
    this.conn.statements.clear();
    this.conn.db.close();
    this.holder?.release();
  }
}

function configure(db: Database.Database, file: string, synchronous: Synchronous): void {
  db.defaultSafeIntegers(true);
  // Readers (exports, digests, backups) run while the bot writes.
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (file !== ':memory:' && mode !== 'wal') throw new Error(`SQLite refused WAL mode for ${file} (journal_mode is ${String(mode)})`);
  // SQLite leaves foreign keys off unless asked, per connection.
  db.pragma('foreign_keys = ON');
  db.pragma(`synchronous = ${synchronous}`);
}

/** Prisma's factory for Linli's SQLite adapter: `new PrismaClient({ adapter: new SqliteAdapterFactory({ file }) })`. */
export class SqliteAdapterFactory implements SqlDriverAdapterFactory {
  readonly provider = 'sqlite' as const;
  readonly adapterName = ADAPTER_NAME;
  readonly #options: SqliteAdapterOptions;
  #adapter: SqliteAdapter | undefined;

  constructor(options: SqliteAdapterOptions) {
    this.#options = options;
  }

  get file(): string {
    return this.#options.file;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const { file, busyTimeoutMs = 5000, synchronous = 'FULL', maxStatements = MAX_STATEMENTS, stallWarningMs = 2000 } = this.#options;
    const onStall = this.#options.onStall ?? ((message: string) => process.emitWarning(message, 'LinliTransactionWait'));
    checkAdapterUtils();
    const holder = file === ':memory:' ? null : holdDatabase(file, busyTimeoutMs);
    let db: Database.Database | undefined;
    try {
      db = new (this.#options.driver ?? Database)(file, { timeout: busyTimeoutMs });
      checkDriver(db);
      configure(db, file, synchronous);
    } catch (error) {
      if (db?.open) db.close();
      holder?.release();
      throw error;
    }
    const gate = new ConnectionGate({ stallWarningMs, onStall });
    this.#adapter = new SqliteAdapter(new Connection(db, new StatementCache(db, maxStatements)), gate, holder);
    return this.#adapter;
  }

  /** Counters of the connection opened last (zeros before the first query). */
  stats(): SqliteAdapterStats {
    const adapter = this.#adapter;
    if (!adapter) return { prepared: 0, reused: 0, cached: 0, waitedForTransaction: 0, transactions: 0 };
    return { ...adapter.conn.statements.stats(), waitedForTransaction: adapter.gate.waited, transactions: adapter.transactions };
  }
}
