// Guards the migration workflow: prisma/migrations must always produce exactly the tables of
// prisma/schema (a schema change without `npm run db:migration` fails here), and the runtime
// migrator (src/db/migrate.ts) must be idempotent, refuse edited migrations and be safe with
// foreign keys on.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../../../src/generated/prisma/client.ts';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR, pendingMigrations, readMigrations } from '../../../src/db/migrate.ts';
import { diffSql, PROJECT_SCHEMA_DIR, sqliteUrl } from '../../../src/db/schemaEngine.ts';

let tmp: string;
let counter = 0;
/** A fresh database path in this file's temp dir. */
const freshDb = () => join(tmp, `db-${++counter}.db`);

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'linli-migrations-test-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A copy of prisma/migrations the test may edit. */
function copyMigrations(): string {
  const dir = join(tmp, `migrations-${++counter}`);
  cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

function writeMigration(dir: string, name: string, sql: string): void {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'migration.sql'), sql);
}

describe('prisma/migrations', () => {
  it('produce exactly prisma/schema (no drift)', async () => {
    const db = freshDb();
    const { applied } = applyMigrations(db);
    expect(applied.length).toBeGreaterThan(0);
    const drift = await diffSql({ from: { kind: 'url', url: sqliteUrl(db) }, to: { kind: 'schema' } });
    expect(drift, 'prisma/schema changed without a migration: run `npm run db:migration -- <name>`').toBe('');

    // The check has teeth: a field added to a copy of the schema shows up in the diff.
    const schemaCopy = join(tmp, 'schema-copy');
    cpSync(PROJECT_SCHEMA_DIR, schemaCopy, { recursive: true });
    const residents = join(schemaCopy, 'residents.prisma');
    const original = readFileSync(residents, 'utf8');
    const edited = original.replace(/model Community \{\n/, (m) => `${m}  driftProbe String?\n`);
    expect(edited).not.toBe(original);
    writeFileSync(residents, edited);
    const diff = await diffSql({ from: { kind: 'url', url: sqliteUrl(db) }, to: { kind: 'schema', dir: schemaCopy } });
    expect(diff).toMatch(/ALTER TABLE "Community" ADD COLUMN "driftProbe" TEXT/);
  });

  it('start with a lock file for SQLite', () => {
    const lock = readFileSync(join(DEFAULT_MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8');
    expect(lock).toMatch(/^provider = "sqlite"$/m);
  });
});

describe('applyMigrations', () => {
  it('applies nothing the second time', () => {
    const db = freshDb();
    const all = readMigrations().map((m) => m.name);
    expect(pendingMigrations(db)).toEqual(all);
    expect(applyMigrations(db).applied).toEqual(all);
    expect(applyMigrations(db).applied).toEqual([]);
    expect(pendingMigrations(db)).toEqual([]);

    const conn = new Database(db, { readonly: true });
    const rows = conn.prepare('SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations').all();
    conn.close();
    expect(rows).toEqual(
      readMigrations().map((m) => ({
        migration_name: m.name,
        checksum: m.checksum,
        finished_at: expect.any(Number),
        applied_steps_count: 1,
      })),
    );
  });

  it('refuses a migration whose file changed after it was applied', () => {
    const dir = copyMigrations();
    const db = freshDb();
    applyMigrations(db, dir);
    const [first] = readMigrations(dir);

    // Only line endings changed (git autocrlf): still the same migration, as for Prisma.
    writeFileSync(first.path, first.sql.replace(/\n/g, '\r\n'));
    expect(applyMigrations(db, dir).applied).toEqual([]);

    writeFileSync(first.path, `${first.sql}\n-- sneaky edit\n`);
    expect(() => applyMigrations(db, dir)).toThrow(new RegExp(`Migration ${first.name} was modified after it was applied`));
    expect(() => pendingMigrations(db, dir)).toThrow(first.name);
  });

  it('rolls back a failing migration, names it, and records nothing', () => {
    const dir = join(tmp, 'failing');
    writeMigration(dir, '20240101000000_a', 'CREATE TABLE "A" ("id" INTEGER NOT NULL PRIMARY KEY);');
    writeMigration(dir, '20240102000000_b', 'CREATE TABLE "B" ("id" INTEGER);\nINSERT INTO "Missing" VALUES (1);');
    const db = freshDb();
    expect(() => applyMigrations(db, dir)).toThrow(/Migration 20240102000000_b failed: no such table: Missing/);
    const conn = new Database(db, { readonly: true });
    const tables = conn.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
    const names = conn.prepare('SELECT migration_name FROM _prisma_migrations').pluck().all();
    conn.close();
    expect(tables).toEqual(['A', '_prisma_migrations']);
    expect(names).toEqual(['20240101000000_a']);
    expect(pendingMigrations(db, dir)).toEqual(['20240102000000_b']);
  });

  it('redefines a parent table without cascading deletes, with foreign keys on', () => {
    const dir = join(tmp, 'redefine');
    writeMigration(
      dir,
      '20240101000000_init',
      `CREATE TABLE "Parent" ("id" TEXT NOT NULL PRIMARY KEY);
CREATE TABLE "Child" ("id" TEXT NOT NULL PRIMARY KEY, "parentId" TEXT NOT NULL,
  CONSTRAINT "Child_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Parent" ("id") ON DELETE CASCADE ON UPDATE CASCADE);`,
    );
    const db = freshDb();
    applyMigrations(db, dir);
    const conn = new Database(db); // better-sqlite3 turns foreign keys on by default
    expect(conn.pragma('foreign_keys', { simple: true })).toBe(1);
    conn.exec(`INSERT INTO "Parent" VALUES ('p'); INSERT INTO "Child" VALUES ('c', 'p');`);
    conn.close();

    // What Prisma generates for SQLite when a column changes: copy, DROP, rename.
    writeMigration(
      dir,
      '20240102000000_redefine',
      `PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Parent" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL DEFAULT '');
INSERT INTO "new_Parent" ("id") SELECT "id" FROM "Parent";
DROP TABLE "Parent";
ALTER TABLE "new_Parent" RENAME TO "Parent";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;`,
    );
    expect(applyMigrations(db, dir).applied).toEqual(['20240102000000_redefine']);
    const after = new Database(db, { readonly: true });
    expect(after.prepare('SELECT id, parentId FROM "Child"').all()).toEqual([{ id: 'c', parentId: 'p' }]);
    after.close();

    // A migration that leaves dangling references is refused and rolled back.
    writeMigration(dir, '20240103000000_orphan', `DELETE FROM "Parent";`);
    expect(() => applyMigrations(db, dir)).toThrow(/Migration 20240103000000_orphan leaves 1 foreign key violation/);
    expect(pendingMigrations(db, dir)).toEqual(['20240103000000_orphan']);
  });
});

describe('generated Prisma client on a migrated database', () => {
  it('creates and reads a Community', async () => {
    const db = freshDb();
    applyMigrations(db);
    const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: sqliteUrl(db) }) });
    try {
      const created = await prisma.community.create({ data: { slug: 'heping-li', name: '和平里社区' } });
      const found = await prisma.community.findUnique({ where: { slug: 'heping-li' } });
      expect(found).toMatchObject({ id: created.id, name: '和平里社区', locale: 'zh-CN', secondsThreshold: 10 });
      expect(found?.createdAt).toBeInstanceOf(Date);
    } finally {
      await prisma.$disconnect();
    }
  });
});
