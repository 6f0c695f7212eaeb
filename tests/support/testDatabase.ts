/**
 * The engine switch of the test suite, in one place. By default every test file gets a temp
 * SQLite file. With LINLI_TEST_DATABASE=postgresql://…/postgres (a server the tests may create
 * databases on) every test database is a fresh PostgreSQL database cloned from a migrated
 * template (CREATE DATABASE … TEMPLATE …, a file copy, far faster than migrating each one). The
 * template's name carries a hash of the migrations, so a changed migration builds a new one.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { isPostgresUrl } from '../../src/db/engine.ts';
import { readMigrations } from '../../src/db/migrate.ts';
import { applyPostgresMigrations, DEFAULT_POSTGRES_MIGRATIONS_DIR } from '../../src/db/postgres/migrate.ts';

/** The server URL when the suite runs on PostgreSQL, else undefined. */
export const TEST_POSTGRES_URL: string | undefined = isPostgresUrl(process.env.LINLI_TEST_DATABASE ?? '') ? process.env.LINLI_TEST_DATABASE : undefined;

/** The engine this run tests. */
export const TEST_ENGINE: 'sqlite' | 'postgresql' = TEST_POSTGRES_URL ? 'postgresql' : 'sqlite';

/** A ballot key for PostgreSQL runs, where the key comes from the setting (config requires it). */
export const TEST_BALLOT_KEY = 'test-ballot-key-0123456789abcdefghijklmnop';

/** Advisory lock key for building the template ("linli-tp"). */
const TEMPLATE_LOCK = '7811882618372567152';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

let template: Promise<string> | undefined;

/** The migrated template database of this set of migrations, built once per server. */
function templateName(server: string): Promise<string> {
  template ??= (async () => {
    const hash = createHash('sha256')
      .update(readMigrations(DEFAULT_POSTGRES_MIGRATIONS_DIR, 'postgresql').map((m) => `${m.name}:${m.checksum}`).join('\n'))
      .digest('hex')
      .slice(0, 12);
    const name = `linli_template_${hash}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    try {
      // Test files start in parallel workers: one builds the template, the others wait for it.
      await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
      const found = await admin.query('SELECT datistemplate FROM pg_database WHERE datname = $1', [name]);
      if (!found.rows[0]?.datistemplate) {
        await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
        await admin.query(`CREATE DATABASE "${name}"`);
        await applyPostgresMigrations(withDatabase(server, name));
        // Marked only once complete: a run killed half-way leaves a database the next run rebuilds.
        await admin.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE true`);
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]).catch(() => {});
      await admin.end();
    }
    return name;
  })();
  return template;
}

/** The databases this test file created, as [server, name], dropped after the file. */
const created: Array<[string, string]> = [];

/**
 * Drops every database the file created. FORCE ends connections a failed test left open, so a
 * failing file cleans up too; a drop that still fails is reported, not thrown over the results.
 * Outside vitest (the benchmarks) the caller runs it when done.
 */
export async function dropCreated(): Promise<void> {
  for (const [server, name] of created.splice(0)) {
    const admin = new pg.Client({ connectionString: server });
    try {
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } catch (error) {
      console.warn(`test database ${name} not dropped: ${String(error)}`);
    } finally {
      await admin.end().catch(() => {});
    }
  }
}

// Registered at import, i.e. on the test file's root suite (vitest isolates each file), so the
// hook runs once after all the file's tests whatever their outcome. Outside vitest (a child
// process the tests start) nothing is registered: the parent file owns the database.
if (process.env.VITEST && TEST_POSTGRES_URL) afterAll(dropCreated);

/** A new, migrated, empty PostgreSQL database on the test server; returns its URL. */
export async function newPostgresTestDatabase(server: string = TEST_POSTGRES_URL!): Promise<string> {
  const source = await templateName(server);
  const name = `linli_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${source}"`);
    created.push([server, name]);
  } finally {
    await admin.end();
  }
  return withDatabase(server, name);
}

/**
 * Where a new test database lives: a PostgreSQL URL on a PostgreSQL run, else `file` (a path in
 * a temp folder). Tests pass the result on as they passed the file (`dbFile`) before.
 */
export async function newTestDatabase(file: string): Promise<string> {
  return TEST_POSTGRES_URL ? newPostgresTestDatabase() : file;
}

/** DATABASE_URL for a test database made by newTestDatabase. */
export function testDatabaseUrl(target: string): string {
  return isPostgresUrl(target) ? target : `file:${target}`;
}
