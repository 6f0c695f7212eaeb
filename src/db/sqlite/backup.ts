/**
 * Backups and restores of a Linli SQLite database (`linli backup`, `linli restore`).
 *
 * A backup is taken with SQLite's online backup API in ONE step: every page is copied under one
 * read snapshot, so the copy is the database as of one instant even while the bot writes (in WAL
 * mode the bot's writes are not held up by it). It is written beside its final name and renamed
 * only once it passed SQLite's integrity check, so a half-written file never carries the name.
 *
 * A restore first checks the file — SQLite's integrity check, a `_prisma_migrations` table with
 * migrations this version knows (an older backup is migrated forward after the restore; one from
 * a newer version is refused) — then takes the database's lock file exclusively (holders.ts: it
 * is refused while the bot or a `linli` command has the database open, and nobody can open it
 * until the restore has finished), keeps the database it replaces as a copy, and copies the
 * backup in with the same backup API, as one write transaction: a restore cut short leaves the
 * old database as it was.
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR, migrationState } from '../migrate.ts';
import { excludeHolders } from './holders.ts';

/**
 * A backup or restore refused. `key` and `params` name the reason in locales/<lng>/cli.json
 * (`cli.db.<key>`), so the CLI tells the operator in their language; the message is the same
 * in English, for logs.
 */
export class BackupError extends Error {
  readonly key: string;
  constructor(
    key: string,
    readonly params: Record<string, unknown>,
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
    this.key = `cli.db.${key}`;
  }
}

/** Pages per backup step: all of them, so that the copy is one consistent snapshot. */
const ALL_PAGES = 0x7fffffff;

/** SQLite's own verdict on a file: "ok", or the first problems it found. */
function integrityOf(file: string): string {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError('not_sqlite', { file }, `${file} cannot be opened as a SQLite database: ${(error as Error).message}`);
  }
  try {
    const rows = db.pragma('integrity_check(10)') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  } catch (error) {
    // SQLite opens any file lazily; the first read tells whether it is a database at all.
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') throw new BackupError('not_sqlite', { file }, `${file} cannot be opened as a SQLite database: ${(error as Error).message}`);
    return (error as Error).message;
  } finally {
    db.close();
  }
}

/** Copies `source` into `target` (created or overwritten) in one backup step. */
async function copyDatabase(source: string, target: string): Promise<void> {
  const db = new Database(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    await db.backup(target, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
}

/**
 * Makes a copy one file: the backup API copies the WAL flag of the live database, and a WAL
 * file grows -wal and -shm companions wherever it is opened (in a backup folder, on a USB stick).
 */
function makeSelfContained(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

export interface BackupResult {
  file: string;
  bytes: number;
}

/** Writes a consistent copy of the database `source` to the new file `target`. */
export async function backupDatabase(source: string, target: string): Promise<BackupResult> {
  source = resolve(source);
  target = resolve(target);
  if (!existsSync(source)) throw new BackupError('no_database', { source }, `no database at ${source}`);
  if (existsSync(target)) throw new BackupError('target_exists', { target }, `${target} exists; choose a new file name`);
  if (!existsSync(dirname(target))) throw new BackupError('no_folder', { folder: dirname(target) }, `the folder ${dirname(target)} does not exist`);
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  try {
    await copyDatabase(source, partial);
    makeSelfContained(partial);
    const verdict = integrityOf(partial);
    if (verdict !== 'ok') throw new BackupError('copy_damaged', { source, verdict }, `the copy failed SQLite's integrity check (${verdict}); is ${source} damaged? Run "linli doctor"`);
    renameSync(partial, target);
  } finally {
    rmSync(partial, { force: true });
  }
  return { file: target, bytes: statSync(target).size };
}

export interface BackupCheck {
  /** Migrations the backup has. */
  applied: string[];
  /** Migrations of this version it lacks (applied after a restore). */
  pending: string[];
}

/** Checks that `file` is an intact Linli database this version can run on; throws a BackupError if not. */
export function checkBackup(file: string, migrationsDir: string = DEFAULT_MIGRATIONS_DIR): BackupCheck {
  if (!existsSync(file)) throw new BackupError('no_backup', { file }, `no backup at ${file}`);
  const verdict = integrityOf(file);
  if (verdict !== 'ok') throw new BackupError('backup_damaged', { file, verdict }, `${file} failed SQLite's integrity check (${verdict}); use another backup`);
  let state;
  try {
    state = migrationState(file, migrationsDir);
  } catch (error) {
    throw new BackupError('unreadable', { file, reason: (error as Error).message }, `${file}: ${(error as Error).message}`);
  }
  if (state.unknown.length) {
    throw new BackupError('newer_version', { file, list: state.unknown.join('、') }, `${file} was made by a newer version of Linli (migrations unknown here: ${state.unknown.join(', ')}); restore it with that version`);
  }
  if (!state.applied.length) throw new BackupError('not_linli', { file }, `${file} is not a Linli database (it records no Linli migrations)`);
  return { applied: state.applied, pending: state.pending };
}

export interface RestoreResult {
  /** Where the database that was replaced was kept; null when there was none. */
  previous: string | null;
  /** Migrations applied to the restored database because the backup predates them. */
  migrated: string[];
}

/** A file name for the replaced database: its name, "before-restore" and the time. */
function previousCopyName(target: string, now: Date): string {
  return `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * Restores the backup `file` over the database `target`. Refused (BackupError or
 * DatabaseLockedError) when the backup is not an intact Linli database of a known version, or
 * while a Linli process has `target` open.
 */
export async function restoreDatabase(file: string, target: string, now = new Date(), migrationsDir: string = DEFAULT_MIGRATIONS_DIR): Promise<RestoreResult> {
  file = resolve(file);
  target = resolve(target);
  if (file === target) throw new BackupError('is_the_database', { file }, `${file} is the database itself; name a backup file`);
  checkBackup(file, migrationsDir);
  const lock = excludeHolders(target);
  try {
    let previous: string | null = null;
    if (existsSync(target)) {
      previous = previousCopyName(target, now);
      await copyDatabase(target, previous);
      makeSelfContained(previous);
    }
    await copyDatabase(file, target);
    const verdict = integrityOf(target);
    if (verdict !== 'ok') throw new BackupError('restored_damaged', { verdict, previous }, `the restored database failed SQLite's integrity check (${verdict}); the previous one is kept as ${previous}`);
    const { applied } = applyMigrations(target, migrationsDir);
    return { previous, migrated: applied };
  } finally {
    lock.release();
  }
}
