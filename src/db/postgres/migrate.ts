// Runtime migrator for PostgreSQL: applies prisma/migrations-postgresql/*/migration.sql, as
// src/db/migrate.ts does for SQLite, into a `_prisma_migrations` table in Prisma's PostgreSQL
// format (so `prisma migrate deploy` can take over the same database). Several instances may
// start at once against one server: a session advisory lock lets one migrate while the others
// wait, then find nothing left to do. Each migration runs in its own transaction (PostgreSQL DDL
// is transactional), so a failed one leaves no half-applied schema behind.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { redactUrl } from '../engine.ts';
import { readMigrations, verifyApplied, type MigrationFile, type MigrationRow, type MigrationState } from '../migrate.ts';

/** prisma/migrations-postgresql of this project. */
export const DEFAULT_POSTGRES_MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations-postgresql', import.meta.url));

const MIGRATIONS_TABLE = '_prisma_migrations';
/** Advisory lock key of the migrator (any constant; "linli-mg" in ASCII). */
const MIGRATION_LOCK_KEY = 0x6c696e6c692d6d67n;

/** Same DDL as Prisma's PostgreSQL connector. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** A `pg` client on `url`; the `?pool=` option is Linli's own and not passed on. */
async function connect(url: string): Promise<pg.Client> {
  const parsed = new URL(url);
  parsed.searchParams.delete('pool');
  const client = new pg.Client({ connectionString: parsed.toString() });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`, { cause: error });
  }
  return client;
}

async function appliedMigrations(client: pg.Client, files: MigrationFile[]): Promise<Set<string>> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('"${MIGRATIONS_TABLE}"')::text AS t`);
  if (!exists.rows[0]?.t) return new Set();
  const { rows } = await client.query<MigrationRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "${MIGRATIONS_TABLE}" ORDER BY started_at, migration_name`,
  );
  return verifyApplied(rows, files);
}

/** Applies every pending migration to the database `url` names (it must exist). Returns the names applied now. */
export async function applyPostgresMigrations(url: string, migrationsDir: string = DEFAULT_POSTGRES_MIGRATIONS_DIR): Promise<{ applied: string[] }> {
  const files = readMigrations(migrationsDir, 'postgresql');
  const client = await connect(url);
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const done = await appliedMigrations(client, files);
      for (const file of files) {
        if (done.has(file.name)) continue;
        const id = randomUUID();
        await client.query('BEGIN');
        try {
          await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`, [id, file.checksum, file.name]);
          try {
            await client.query(file.sql);
          } catch (error) {
            throw new Error(`Migration ${file.name} failed: ${(error as Error).message}`, { cause: error });
          }
          await client.query(`UPDATE "${MIGRATIONS_TABLE}" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
          await client.query('COMMIT');
          applied.push(file.name);
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]).catch(() => {});
    }
    return { applied };
  } finally {
    await client.end();
  }
}

/** The migration state of the database `url` names, read without changing it. */
export async function postgresMigrationState(url: string, migrationsDir: string = DEFAULT_POSTGRES_MIGRATIONS_DIR): Promise<MigrationState> {
  const files = readMigrations(migrationsDir, 'postgresql');
  const client = await connect(url);
  try {
    const applied = await appliedMigrations(client, files);
    const known = new Set(files.map((file) => file.name));
    return {
      applied: files.filter((file) => applied.has(file.name)).map((file) => file.name),
      pending: files.filter((file) => !applied.has(file.name)).map((file) => file.name),
      unknown: [...applied].filter((name) => !known.has(name)),
    };
  } finally {
    await client.end();
  }
}
