/**
 * `linli backup` and `linli restore` as an operator runs them: the real CLI in a child process
 * on a real database file, with the database held open the way the running bot holds it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/db/client.ts';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR, migrationState } from '../../../src/db/migrate.ts';
import { restoreDatabase } from '../../../src/db/sqlite/backup.ts';
import { excludeHolders } from '../../../src/db/sqlite/holders.ts';
import { tempDir } from '../../support/harness.ts';

const BIN = join(import.meta.dirname, '../../../bin/linli.mjs');
const dir = tempDir('linli-backup-');
const DB = join(dir, 'linli.db');
/** Each CLI run starts Node and tsx in a child process: seconds on a busy machine. */
const CLI_TEST_TIMEOUT = 120_000;
// The assertions quote the CLI's English: the operator reads it in English (LINLI_CLI_LOCALE=en).
const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: `file:${DB}`, LOG_LEVEL: 'silent', LINLI_CLI_LOCALE: 'en' };

type Run = { code: number | null; out: string; err: string };

function linli(args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function linliAsync(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Reads a database file directly, read-only. */
function inspect<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const updateIds = (file: string) =>
  inspect(file, (db) => (db.prepare(`SELECT updateId FROM ProcessedUpdate WHERE platform = 'pair' ORDER BY updateId`).all() as { updateId: string }[]).map((r) => r.updateId));

let bot: Db | undefined;
afterAll(async () => {
  await bot?.$disconnect();
});

describe('linli backup', { timeout: CLI_TEST_TIMEOUT }, () => {
  const backup = join(dir, 'backup.db');

  it('copies the database consistently while another connection keeps writing', async () => {
    applyMigrations(DB);
    // Held open and written through Prisma, as the bot does.
    bot = await openDatabase(DB);
    await bot.processedUpdate.createMany({ data: Array.from({ length: 2000 }, (_, i) => ({ platform: 'filler', updateId: `f${i}`.padEnd(200, '.') })) });
    let pairs = 0;
    let running = true;
    // Each transaction writes a pair: a consistent copy has both rows of every pair or neither.
    const writer = (async () => {
      while (running) {
        const n = String(pairs).padStart(6, '0');
        await bot!.$transaction([
          bot!.processedUpdate.create({ data: { platform: 'pair', updateId: `${n}-a` } }),
          bot!.processedUpdate.create({ data: { platform: 'pair', updateId: `${n}-b` } }),
        ]);
        pairs++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const startedAt = pairs;
    const result = await linliAsync(['backup', backup]);
    const duringBackup = pairs - startedAt;
    running = false;
    await writer;
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain(`backup written to ${backup}`);
    expect(duringBackup).toBeGreaterThan(0);

    expect(inspect(backup, (db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
    const copied = updateIds(backup);
    expect(copied.length % 2).toBe(0);
    for (let k = 0; k < copied.length; k += 2) {
      expect(copied[k].replace(/-a$/, '')).toBe(copied[k + 1].replace(/-b$/, ''));
    }
    expect(copied.length / 2).toBeLessThanOrEqual(pairs);
    // One self-contained file: no -wal beside it to forget when copying it elsewhere.
    expect(inspect(backup, (db) => db.pragma('journal_mode', { simple: true }))).toBe('delete');
    expect(readdirSync(dir).filter((f) => f.startsWith('backup.db'))).toEqual(['backup.db']);
    // The live database stays in WAL mode with full durability.
    expect(await bot.$queryRawUnsafe('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await bot.$queryRawUnsafe('PRAGMA synchronous')).toEqual([{ synchronous: 2n }]); // FULL
  });

  it('refuses to overwrite a file or to write into a missing folder', () => {
    const again = linli(['backup', backup]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('exists; choose a new file name');
    const nowhere = linli(['backup', join(dir, 'no-such-folder', 'b.db')]);
    expect(nowhere.code).toBe(1);
    expect(nowhere.err).toContain('does not exist');
    expect(nowhere.err).not.toContain('    at ');
  });
});

describe('linli restore', { timeout: CLI_TEST_TIMEOUT }, () => {
  const backup = join(dir, 'backup.db');

  it('refuses while the bot holds the database, and changes nothing', async () => {
    await bot!.processedUpdate.create({ data: { platform: 'pair', updateId: 'zzz-after-backup' } });
    const before = updateIds(DB);
    const refused = linli(['restore', backup]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('in use by a running Linli process');
    expect(updateIds(DB)).toEqual(before);
  });

  it('restores the backup once the bot stopped, keeping the database it replaced', async () => {
    const live = updateIds(DB);
    await bot!.$disconnect();
    bot = undefined;
    const restored = linli(['restore', backup]);
    expect(restored.err).toBe('');
    expect(restored.code).toBe(0);
    expect(updateIds(DB)).toEqual(updateIds(backup));
    expect(updateIds(DB)).not.toContain('zzz-after-backup');
    const previous = /kept as (\S+)/.exec(restored.out)?.[1];
    expect(previous).toBeDefined();
    expect(updateIds(previous!)).toEqual(live);
    // The bot starts on the restored database.
    bot = await openDatabase(DB);
    expect(await bot.processedUpdate.count({ where: { updateId: 'zzz-after-backup' } })).toBe(0);
    await bot.$disconnect();
    bot = undefined;
  });

  it('migrates an older backup forward after restoring it', async () => {
    // This version, as one migration newer than the one that made the backup.
    const migrations = join(dir, 'migrations-newer');
    cpSync(DEFAULT_MIGRATIONS_DIR, migrations, { recursive: true });
    mkdirSync(join(migrations, '29990101000000_newer'));
    writeFileSync(join(migrations, '29990101000000_newer', 'migration.sql'), 'CREATE TABLE "Newer" ("id" TEXT NOT NULL PRIMARY KEY);\n');
    const target = join(dir, 'newer-version.db');
    const { previous, migrated } = await restoreDatabase(backup, target, new Date(), migrations);
    expect(previous).toBeNull(); // nothing was there to keep
    expect(migrated).toEqual(['29990101000000_newer']);
    expect(migrationState(target, migrations).pending).toEqual([]);
    expect(updateIds(target)).toEqual(updateIds(backup));
  });

  it('refuses files that are not an intact Linli database of a known version', () => {
    const intact = join(dir, 'intact.db');
    applyMigrations(intact);
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database at all, just some notes '.repeat(200));
    const notSqlite = linli(['restore', text]);
    expect(notSqlite).toMatchObject({ code: 1, err: expect.stringContaining('cannot be opened as a SQLite database') });
    expect(notSqlite.err).not.toContain('    at ');

    const foreign = join(dir, 'foreign.db');
    const f = new Database(foreign);
    f.exec('CREATE TABLE t (x)');
    f.close();
    const notLinli = linli(['restore', foreign]);
    expect(notLinli).toMatchObject({ code: 1, err: expect.stringContaining('is not a Linli database') });
    expect(notLinli.err).not.toContain('    at ');

    const newer = join(dir, 'newer.db');
    copyFileSync(intact, newer);
    const n = new Database(newer);
    n.prepare(`INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ('x', 'x', '29990101000000_from_the_future', 0, 0, 1)`).run();
    n.close();
    expect(linli(['restore', newer])).toMatchObject({ code: 1, err: expect.stringContaining('made by a newer version of Linli') });

    const damaged = join(dir, 'damaged.db');
    copyFileSync(intact, damaged);
    const d = new Database(damaged);
    const pageSize = d.pragma('page_size', { simple: true }) as number;
    const pages = d.pragma('page_count', { simple: true }) as number;
    d.close();
    // Garbage over the second half of the file: b-tree pages SQLite must notice.
    const garbage = Buffer.alloc(Math.floor(pages / 2) * pageSize, 0x5a);
    const fd = openSync(damaged, 'r+');
    writeSync(fd, garbage, 0, garbage.length, Math.ceil(pages / 2) * pageSize);
    closeSync(fd);
    const broken = linli(['restore', damaged]);
    expect(broken.code).toBe(1);
    expect(broken.err).toContain("failed SQLite's integrity check");

    expect(linli(['restore', join(dir, 'missing.db')])).toMatchObject({ code: 1, err: expect.stringContaining('no backup at') });
  });
});

describe('the database lock file', { timeout: CLI_TEST_TIMEOUT }, () => {
  it('keeps the bot out while a restore holds the database', async () => {
    const file = join(dir, 'locked.db');
    applyMigrations(file);
    const restoring = excludeHolders(file);
    try {
      await expect(openDatabase(file)).rejects.toThrow(/is being restored/);
    } finally {
      restoring.release();
    }
    const db = await openDatabase(file);
    expect(() => excludeHolders(file)).toThrow(/in use by a running Linli process/);
    await db.$disconnect();
    excludeHolders(file).release();
  });

  it('is released when a bot is killed with SIGKILL: no stale lock blocks the restore', async () => {
    const file = join(dir, 'killed.db');
    applyMigrations(file);
    const client = join(import.meta.dirname, '../../../src/db/client.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
      const { openDatabase } = await import(${JSON.stringify(client)});
      await openDatabase(${JSON.stringify(file)});
      process.stdout.write('open\\n');
      setInterval(() => {}, 1000);
    `], { cwd: join(import.meta.dirname, '../../..') });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('open') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    expect(() => excludeHolders(file)).toThrow(/in use/);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(`${file}.lock`)).toBe(true); // the file stays; its lock went with the process
    excludeHolders(file).release();
  });
});
