/**
 * Migrating whichever engine DATABASE_URL names: the SQLite file through src/db/migrate.ts, a
 * PostgreSQL database through src/db/postgres/migrate.ts. Start-up, `linli migrate`,
 * `linli doctor` and the test harness call these two and never branch on the engine themselves.
 */
import { existsSync } from 'node:fs';
import { prepareDatabaseFile } from './client.ts';
import { isPostgresUrl } from './engine.ts';
import { applyMigrations, migrationState, readMigrations, type MigrationState } from './migrate.ts';
import { applyPostgresMigrations, postgresMigrationState } from './postgres/migrate.ts';

/** Applies pending migrations to the database `url` names (a SQLite file is created when missing). */
export async function migrateDatabase(url: string): Promise<{ applied: string[] }> {
  if (isPostgresUrl(url)) return applyPostgresMigrations(url);
  return applyMigrations(prepareDatabaseFile(url));
}

/** Which migrations the database `url` names has; a SQLite file not created yet has them all pending. */
export async function databaseMigrationState(url: string): Promise<MigrationState> {
  if (isPostgresUrl(url)) return postgresMigrationState(url);
  const file = prepareDatabaseFile(url);
  if (!existsSync(file)) return { applied: [], pending: readMigrations().map((m) => m.name), unknown: [] };
  return migrationState(file);
}
