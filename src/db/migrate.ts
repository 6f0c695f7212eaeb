// Runtime migrator: applies prisma/migrations/*/migration.sql to the bot's SQLite database at
// start and for `linli migrate`. The Prisma CLI's native schema engine cannot be downloaded on
// every machine, so we do what `prisma migrate deploy` does with better-sqlite3 alone (no Wasm,
// no CLI) and keep a `_prisma_migrations` table in Prisma's own format, so the CLI can take
// over the same database later (and vice versa).
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

/** prisma/migrations of this project. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

const MIGRATIONS_TABLE = '_prisma_migrations';

/** Same DDL as Prisma's SQLite connector, so both can share the table. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** One `<timestamp>_<name>/migration.sql` folder. */
export interface MigrationFile {
  name: string;
  path: string;
  sql: string;
  /** sha256 hex of the file, as Prisma computes it. */
  checksum: string;
}

/** A row of Prisma's migrations table, as both engines return it. */
export interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Whether a recorded checksum still matches the file. Like Prisma, tolerate a checkout that only
 * changed line endings (git autocrlf) and the non-zero-padded hex older Prisma versions wrote.
 */
export function checksumMatches(sql: string, recorded: string): boolean {
  const variants = [sql, sql.replace(/\r\n/g, '\n'), sql.replace(/\r?\n/g, '\r\n')];
  for (const variant of variants) {
    const digest = createHash('sha256').update(variant).digest();
    if (digest.toString('hex') === recorded) return true;
    if ([...digest].map((b) => b.toString(16)).join('') === recorded) return true;
  }
  return false;
}

/** Reads the migration folders in lexical order (Prisma's order); the lock file must name `provider`. */
export function readMigrations(migrationsDir: string = DEFAULT_MIGRATIONS_DIR, provider: 'sqlite' | 'postgresql' = 'sqlite'): MigrationFile[] {
  const dir = resolve(migrationsDir);
  if (!existsSync(dir)) throw new Error(`Migrations directory not found: ${dir}`);
  const lockFile = join(dir, 'migration_lock.toml');
  if (existsSync(lockFile)) {
    const locked = /^\s*provider\s*=\s*"([^"]*)"/m.exec(readFileSync(lockFile, 'utf8'))?.[1];
    if (locked !== undefined && locked !== provider) {
      throw new Error(`${lockFile} says provider = "${locked}", but these migrations are applied to ${provider}.`);
    }
  }
  const names = readdirSync(dir)
    .filter((entry) => !entry.startsWith('.') && statSync(join(dir, entry)).isDirectory())
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => {
    const path = join(dir, name, 'migration.sql');
    if (!existsSync(path)) throw new Error(`Migration ${name} has no migration.sql (${path}).`);
    const bytes = readFileSync(path);
    return { name, path, sql: bytes.toString('utf8'), checksum: sha256Hex(bytes) };
  });
}

function hasMigrationsTable(db: Database.Database): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(MIGRATIONS_TABLE) !== undefined;
}

/**
 * Names of the applied migrations among `rows` (the migrations table, oldest first), on either
 * engine. Throws if an applied migration was edited on disk, or if the table holds a migration
 * that failed half-way (only the Prisma CLI can leave one behind).
 */
export function verifyApplied(rows: MigrationRow[], files: MigrationFile[]): Set<string> {
  const applied = new Set<string>();
  const byName = new Map(files.map((file) => [file.name, file]));
  for (const row of rows) {
    if (row.rolled_back_at !== null) continue;
    if (row.finished_at === null) {
      throw new Error(
        `Migration ${row.migration_name} failed earlier and is recorded as unfinished in ${MIGRATIONS_TABLE}; ` +
          `repair the database, then mark it rolled back or applied before migrating again.`,
      );
    }
    const file = byName.get(row.migration_name);
    if (file && !checksumMatches(file.sql, row.checksum)) {
      throw new Error(
        `Migration ${row.migration_name} was modified after it was applied (checksum of ${file.path} changed). ` +
          `Restore the original file and put the change in a new migration instead.`,
      );
    }
    applied.add(row.migration_name);
  }
  return applied;
}

function appliedMigrations(db: Database.Database, files: MigrationFile[]): Set<string> {
  if (!hasMigrationsTable(db)) return new Set();
  const rows = db
    .prepare(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "${MIGRATIONS_TABLE}" ORDER BY started_at`)
    .all() as MigrationRow[];
  return verifyApplied(rows, files);
}

/**
 * The migrations in `migrationsDir` not yet applied to `dbFile`, in order. Does not create the
 * database. Throws like `applyMigrations` when an applied migration was edited.
 */
export function pendingMigrations(dbFile: string, migrationsDir: string = DEFAULT_MIGRATIONS_DIR): string[] {
  const files = readMigrations(migrationsDir);
  if (!existsSync(dbFile)) return files.map((file) => file.name);
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const applied = appliedMigrations(db, files);
    return files.filter((file) => !applied.has(file.name)).map((file) => file.name);
  } finally {
    db.close();
  }
}

/** Which migrations a database file has, measured against a migrations folder. */
export interface MigrationState {
  /** Applied to the file and known to the folder, in the folder's order. */
  applied: string[];
  /** In the folder, not yet applied. */
  pending: string[];
  /** Applied to the file but unknown to the folder: the file was made by a newer Linli. */
  unknown: string[];
}

/**
 * The migration state of an existing database file, opened read-only. Throws like
 * `applyMigrations` when an applied migration was edited or left unfinished.
 */
export function migrationState(dbFile: string, migrationsDir: string = DEFAULT_MIGRATIONS_DIR): MigrationState {
  const files = readMigrations(migrationsDir);
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const applied = appliedMigrations(db, files);
    const known = new Set(files.map((file) => file.name));
    return {
      applied: files.filter((file) => applied.has(file.name)).map((file) => file.name),
      pending: files.filter((file) => !applied.has(file.name)).map((file) => file.name),
      unknown: [...applied].filter((name) => !known.has(name)),
    };
  } finally {
    db.close();
  }
}

/**
 * Applies every pending migration to `dbFile` (created if missing), each in its own transaction
 * together with its `_prisma_migrations` row. Returns the names applied now, in order.
 *
 * Foreign keys: better-sqlite3 enables them by default, and `PRAGMA foreign_keys` is a no-op inside
 * a transaction, so Prisma's table-redefinition scripts (DROP + re-CREATE of a parent table) would
 * cascade deletes. We switch enforcement off around each migration, as SQLite's ALTER TABLE
 * procedure prescribes, and run `PRAGMA foreign_key_check` before committing instead.
 */
export function applyMigrations(dbFile: string, migrationsDir: string = DEFAULT_MIGRATIONS_DIR): { applied: string[] } {
  const files = readMigrations(migrationsDir);
  const db = new Database(dbFile);
  const applied: string[] = [];
  try {
    db.exec(CREATE_MIGRATIONS_TABLE);
    const alreadyApplied = appliedMigrations(db, files);
    if (files.every((file) => alreadyApplied.has(file.name))) return { applied };

    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    db.pragma('foreign_keys = OFF');
    try {
      for (const file of files) {
        // IMMEDIATE takes the write lock first, so two processes starting at once cannot both apply.
        db.exec('BEGIN IMMEDIATE');
        try {
          if (appliedMigrations(db, files).has(file.name)) {
            db.exec('ROLLBACK');
            continue;
          }
          const id = randomUUID();
          // Timestamps in milliseconds since the epoch, as Prisma's own engine writes them.
          db.prepare(
            `INSERT INTO "${MIGRATIONS_TABLE}" (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, 0)`,
          ).run(id, file.checksum, file.name, Date.now());
          try {
            db.exec(file.sql);
          } catch (error) {
            throw new Error(`Migration ${file.name} failed: ${(error as Error).message}`, { cause: error });
          }
          const violations = db.pragma('foreign_key_check') as Array<{ table: string; parent: string }>;
          if (violations.length > 0) {
            const first = violations[0];
            throw new Error(
              `Migration ${file.name} leaves ${violations.length} foreign key violation(s), e.g. ${first.table} → ${first.parent}.`,
            );
          }
          db.prepare(
            `UPDATE "${MIGRATIONS_TABLE}" SET finished_at = ?, applied_steps_count = 1 WHERE id = ?`,
          ).run(Date.now(), id);
          db.exec('COMMIT');
          applied.push(file.name);
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      }
    } finally {
      db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
    return { applied };
  } finally {
    db.close();
  }
}
