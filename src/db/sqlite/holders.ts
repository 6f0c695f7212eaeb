/**
 * Who has a Linli database open, told by a lock file beside it (`linli.db.lock`).
 *
 * Every connection Linli opens (the bot, a `linli` command) holds a shared lock on that file
 * for as long as it is open; `linli restore` takes it exclusively, so it is refused while anyone
 * holds it, and nobody can open the database while a restore runs. The lock is SQLite's own
 * file lock (the lock file is an empty SQLite database kept in a read transaction), held by
 * the operating system for the process: it is released when the process ends in any way —
 * `kill -9` and power cuts included — so a stale lock file never blocks a restore, and no
 * process id has to be trusted. It covers Linli's processes only: a `sqlite3` shell on the
 * database does not take it.
 */
import Database from 'better-sqlite3';

/**
 * Refuses a URL of another engine where a SQLite path belongs: resolved as a path, a
 * `postgresql://…` URL would silently become a SQLite file named `postgresql:/…` in the cwd.
 */
export function assertSqlitePath(databaseFile: string): void {
  // A scheme of two or more letters at the start or in a path segment (a drive letter is one).
  if (/(^|\/)[a-z][a-z0-9+.-]+:\//i.test(databaseFile)) {
    throw new Error(`not a SQLite database path: ${databaseFile.replace(/\/\/[^@/]*@/, '//…@')} (the SQLite engine takes a file: URL or a path; a postgresql:// URL needs the PostgreSQL engine)`);
  }
}

/** The lock file of a database file. */
export function lockFileOf(databaseFile: string): string {
  assertSqlitePath(databaseFile);
  return `${databaseFile}.lock`;
}

/** A held lock; `release` is idempotent. */
export interface HeldLock {
  release(): void;
}

/**
 * The database is being restored, or (for a restore) still open somewhere. `key` and `params`
 * name the words in locales/<lng>/cli.json (`cli.db.<key>`); the message is the English, for logs.
 */
export class DatabaseLockedError extends Error {
  readonly key: string;
  constructor(
    key: 'being_restored' | 'in_use',
    readonly params: Record<string, unknown>,
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseLockedError';
    this.key = `cli.db.${key}`;
  }
}

function openLock(databaseFile: string, timeoutMs: number): Database.Database {
  return new Database(lockFileOf(databaseFile), { timeout: timeoutMs });
}

function isBusy(error: unknown): boolean {
  return String((error as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY');
}

/**
 * Marks the database as open by this process until `release`. Waits up to `timeoutMs` for a
 * restore in progress to finish, then fails.
 */
export function holdDatabase(databaseFile: string, timeoutMs = 5000): HeldLock {
  const lock = openLock(databaseFile, timeoutMs);
  try {
    // Nothing is ever written to the lock file; no journal beside it either.
    lock.pragma('journal_mode = OFF');
    lock.exec('BEGIN');
    // A read takes SQLite's SHARED lock, kept until the transaction ends.
    lock.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    lock.close();
    if (isBusy(error)) throw new DatabaseLockedError('being_restored', { file: databaseFile, lock: lockFileOf(databaseFile) }, `${databaseFile} is being restored (linli restore holds ${lockFileOf(databaseFile)}); start again when it has finished`);
    throw error;
  }
  return { release: () => lock.open && lock.close() };
}

/**
 * Takes the database for this process alone: fails at once when a Linli process has it open.
 * While held, nobody can open the database through Linli.
 */
export function excludeHolders(databaseFile: string): HeldLock {
  const lock = openLock(databaseFile, 0);
  try {
    lock.pragma('journal_mode = OFF');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if (isBusy(error)) {
      throw new DatabaseLockedError('in_use', { file: databaseFile }, `${databaseFile} is in use by a running Linli process (the bot or a linli command); stop it first`);
    }
    throw error;
  }
  return { release: () => lock.open && lock.close() };
}
