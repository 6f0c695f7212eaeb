/**
 * Linli's SQLite driver adapter, through Prisma: statements are prepared once and reused; a
 * plain query never runs inside another handler's open transaction (it neither sees its
 * uncommitted rows nor is rolled back with it); transactions take turns; `db` used inside a
 * `db.$transaction` callback fails at the transaction's timeout instead of running inside it;
 * values read and written agree with Prisma's own better-sqlite3 adapter; a driver of another
 * shape stops the start-up.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { describe, expect, it } from 'vitest';
import { adapterFor } from '../../../src/db/adapterFor.ts';
import { connectDatabase, isUniqueViolation, openDatabase, prepareDatabaseFile, type Db } from '../../../src/db/client.ts';
import { applyMigrations } from '../../../src/db/migrate.ts';
import { SqliteAdapterFactory, type SqliteAdapterOptions } from '../../../src/db/sqlite/adapter.ts';
import { AdapterShapeError } from '../../../src/db/sqlite/shape.ts';
import { PrismaClient } from '../../../src/generated/prisma/client.ts';
import { makeCommunity } from '../../support/fixtures.ts';
import { tempDir } from '../../support/harness.ts';

const dir = tempDir('linli-adapter-');
let n = 0;

/** A migrated database on our adapter, with the factory to read its counters. */
async function open(options: Partial<SqliteAdapterOptions> = {}): Promise<{ db: Db; factory: SqliteAdapterFactory; file: string }> {
  const file = join(dir, `adapter-${++n}.db`);
  applyMigrations(file);
  const factory = new SqliteAdapterFactory({ file, ...options });
  return { db: await connectDatabase(factory), factory, file };
}

/** A promise and the function that settles it. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}

/** Lets every queued promise job and I/O callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('statement cache', () => {
  it('prepares a query shape once and reuses it with new values', async () => {
    const { db, factory } = await open();
    await db.processedUpdate.create({ data: { platform: 't', updateId: '0' } });
    await db.processedUpdate.findUnique({ where: { platform_updateId: { platform: 't', updateId: '0' } } });
    const before = factory.stats();
    for (let i = 1; i <= 20; i++) {
      await db.processedUpdate.create({ data: { platform: 't', updateId: String(i) } });
      const found = await db.processedUpdate.findUnique({ where: { platform_updateId: { platform: 't', updateId: String(i) } } });
      expect(found?.updateId).toBe(String(i));
    }
    const after = factory.stats();
    expect(after.prepared).toBe(before.prepared);
    expect(after.reused - before.reused).toBeGreaterThanOrEqual(40);
    expect(after.cached).toBe(before.cached);
    await db.$disconnect();
  });

  it('drops the least recently used statement beyond its bound and prepares it again when needed', async () => {
    const { db, factory } = await open({ maxStatements: 3 });
    const shapes = [
      () => db.processedUpdate.count(),
      () => db.community.count(),
      () => db.person.count(),
      () => db.poll.count(),
    ];
    for (const q of shapes) await q();
    expect(factory.stats().cached).toBe(3);
    const prepared = factory.stats().prepared;
    await shapes[0](); // evicted by the fourth
    expect(factory.stats().prepared).toBe(prepared + 1);
    await shapes[3](); // still cached
    expect(factory.stats().prepared).toBe(prepared + 1);
    await db.$disconnect();
  });
});

describe('Prisma on the adapter', () => {
  it('writes, reads, reports unique violations, commits and rolls back', async () => {
    const { db } = await open();
    await db.processedUpdate.create({ data: { platform: 't', updateId: '1' } });
    const duplicate = await db.processedUpdate.create({ data: { platform: 't', updateId: '1' } }).catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate)).toBe(true);
    expect(duplicate).toMatchObject({ code: 'P2002', meta: { driverAdapterError: { cause: { constraint: { fields: ['platform', 'updateId'] } } } } });
    await db.$transaction(async (tx) => {
      await tx.processedUpdate.create({ data: { platform: 't', updateId: '2' } });
    });
    await expect(
      db.$transaction(async (tx) => {
        await tx.processedUpdate.create({ data: { platform: 't', updateId: '3' } });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await db.$transaction([db.processedUpdate.create({ data: { platform: 't', updateId: '4' } }), db.processedUpdate.count()]);
    expect((await db.processedUpdate.findMany({ orderBy: { updateId: 'asc' } })).map((u) => u.updateId)).toEqual(['1', '2', '4']);
    await expect(db.processedUpdate.create({ data: { platform: 't', updateId: '5', nope: 1 } as never })).rejects.toThrow();
    await db.$disconnect();
  });

  it('reads and writes exactly what Prisma\'s own better-sqlite3 adapter reads and writes', async () => {
    const { db, file } = await open();
    const theirs = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}` }) });
    try {
      const community = await makeCommunity(db);
      const sendAt = new Date('2026-03-01T08:30:15.123Z');
      const image = Buffer.from([0, 1, 2, 250, 255]);
      const ours = await db.announcement.create({ data: { communityId: community.id, text: '停水通知', image, pin: true, sendAt, groupIds: null } });
      const other = await theirs.announcement.create({ data: { communityId: community.id, text: 'notice', pin: false, sendAt } });
      for (const id of [ours.id, other.id]) {
        expect(await db.announcement.findUnique({ where: { id } })).toEqual(await theirs.announcement.findUnique({ where: { id } }));
      }
      const read = await db.announcement.findUniqueOrThrow({ where: { id: ours.id } });
      expect(read.sendAt).toEqual(sendAt);
      expect(Buffer.from(read.image!)).toEqual(image);
      expect(read.pin).toBe(true);
      // Raw SQL: expression columns have their types inferred from the values.
      const rawQuery = (client: PrismaClient) => client.$queryRaw`SELECT count(*) AS n, max("sendAt") AS latest, 1.5 AS half, NULL AS blank, "text" FROM "Announcement" GROUP BY "text" ORDER BY "text"`;
      expect(await rawQuery(db)).toEqual(await rawQuery(theirs));
      expect(await db.$executeRaw`UPDATE "Announcement" SET "pin" = ${false} WHERE "communityId" = ${community.id}`).toBe(2);
      // Dates are stored as the text both adapters write, so old and new rows compare alike.
      const raw = new Database(file, { readonly: true });
      const stored = raw.prepare('SELECT "sendAt" FROM "Announcement" ORDER BY "text"').all() as { sendAt: string }[];
      raw.close();
      expect(stored.map((s) => s.sendAt)).toEqual(['2026-03-01T08:30:15.123+00:00', '2026-03-01T08:30:15.123+00:00']);
    } finally {
      await theirs.$disconnect();
      await db.$disconnect();
    }
  });

  it('sets the connection up: WAL, foreign keys enforced, synchronous FULL (an acknowledged commit survives a power cut)', async () => {
    const { db } = await open();
    expect(await db.$queryRawUnsafe('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await db.$queryRawUnsafe('PRAGMA synchronous')).toEqual([{ synchronous: 2n }]);
    expect(await db.$queryRawUnsafe('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1n }]);
    await expect(db.announcement.create({ data: { communityId: 'no-such-community', text: 'x', sendAt: new Date() } })).rejects.toMatchObject({ code: 'P2003' });
    await db.$disconnect();
  });

  it('picks the adapter from the URL and refuses an engine it does not have', async () => {
    const file = join(dir, 'by-url.db');
    applyMigrations(file);
    const db = await openDatabase(`file:${file}`);
    expect(await db.community.count()).toBe(0);
    await db.$disconnect();
    expect(adapterFor(`file:${file}`).provider).toBe('sqlite');
    expect(adapterFor('postgresql://linli:secret@db/linli').provider).toBe('postgres');
    expect(() => adapterFor('mysql://linli:secret@db/linli')).toThrow(/unsupported database URL mysql:\/\/…@db\/linli/);
  });

  it('refuses a PostgreSQL URL given to the SQLite engine instead of writing a file named after it', async () => {
    const before = existsSync('postgresql:');
    // `file:` in front of a server URL, as a caller that took a PostgreSQL URL for a path builds it.
    expect(() => adapterFor('file:postgresql://postgres:pw@127.0.0.1:55432/linli')).toThrow(/not a SQLite database path: postgresql:\/\/…@127\.0\.0\.1:55432\/linli/);
    // The same URL after path.resolve, as the lock file would have been named.
    await expect(new SqliteAdapterFactory({ file: join(dir, 'postgresql:/postgres@127.0.0.1:55432/linli') }).connect()).rejects.toThrow(/not a SQLite database path/);
    expect(() => prepareDatabaseFile('file:postgresql://postgres@127.0.0.1:55432/linli')).toThrow(/not a SQLite database path/);
    expect(existsSync('postgresql:')).toBe(before);
  });
});

describe('the connection gate', () => {
  it('keeps a plain query out of an open transaction: it sees no uncommitted row and survives the rollback', async () => {
    const { db, factory } = await open();
    const opened = signal();
    const finish = signal();
    const failing = db
      .$transaction(async (tx) => {
        await tx.processedUpdate.create({ data: { platform: 'test', updateId: 'inside' } });
        opened.fire();
        await finish.promise; // another handler runs meanwhile
        throw new Error('rollback');
      })
      .catch((e: Error) => e.message);
    await opened.promise;
    // Issued while the transaction is open (`.then` starts a Prisma query; it is lazy until then).
    const seenDuring = db.processedUpdate.count({ where: { updateId: 'inside' } }).then((c) => c);
    const plainWrite = db.processedUpdate.create({ data: { platform: 'test', updateId: 'outside' } }).then((r) => r.updateId);
    const failingWrite = db.processedUpdate.create({ data: { platform: 'test', updateId: 'outside' } }).catch((e: unknown) => isUniqueViolation(e));
    await settle();
    expect(factory.stats().waitedForTransaction).toBe(3);
    finish.fire();
    expect(await failing).toBe('rollback');
    expect(await seenDuring).toBe(0);
    expect(await plainWrite).toBe('outside');
    expect(await failingWrite).toBe(true); // queued behind the first write, it failed on its own
    const rows = await db.processedUpdate.findMany({ where: { platform: 'test' } });
    expect(rows.map((r) => r.updateId)).toEqual(['outside']);
    await db.$disconnect();
  });

  it('lets plain queries run again as soon as the transaction commits, and only then', async () => {
    const { db } = await open();
    const opened = signal();
    const finish = signal();
    const tx = db.$transaction(async (t) => {
      await t.processedUpdate.create({ data: { platform: 'test', updateId: 'a' } });
      opened.fire();
      await finish.promise;
    });
    await opened.promise;
    let counted: number | undefined;
    const count = db.processedUpdate.count({ where: { platform: 'test' } }).then((c) => (counted = c));
    await settle();
    expect(counted).toBeUndefined(); // still waiting for the transaction
    finish.fire();
    await tx;
    await count;
    expect(counted).toBe(1); // read after the commit, not inside the open transaction
    await db.$disconnect();
  });

  it('runs transactions one after another, in the order they began', async () => {
    const { db, factory } = await open();
    const log: string[] = [];
    const firstOpen = signal();
    const finishFirst = signal();
    const first = db.$transaction(async (tx) => {
      log.push('first begins');
      await tx.processedUpdate.create({ data: { platform: 'order', updateId: '1' } });
      firstOpen.fire();
      await finishFirst.promise;
      log.push('first ends');
    });
    await firstOpen.promise;
    const second = db.$transaction(async (tx) => {
      log.push('second begins');
      // Sees what the first committed: it began after it.
      log.push(`second sees ${await tx.processedUpdate.count({ where: { platform: 'order' } })}`);
      await tx.processedUpdate.create({ data: { platform: 'order', updateId: '2' } });
      log.push('second ends');
    });
    const third = db.$transaction(async (tx) => {
      log.push('third begins');
      log.push(`third sees ${await tx.processedUpdate.count({ where: { platform: 'order' } })}`);
      log.push('third ends');
    });
    await settle();
    expect(log).toEqual(['first begins']);
    finishFirst.fire();
    await Promise.all([first, second, third]);
    expect(log).toEqual(['first begins', 'first ends', 'second begins', 'second sees 1', 'second ends', 'third begins', 'third sees 2', 'third ends']);
    expect(factory.stats().transactions).toBe(3);
    await db.$disconnect();
  });

  it('fails a transaction whose callback waits for a query on db (not tx) at its timeout, never running that query inside it', async () => {
    const stalls: string[] = [];
    const { db } = await open({ stallWarningMs: 50, onStall: (message) => stalls.push(message) });
    let seenByMistake: number | undefined;
    const outcome = await db
      .$transaction(
        async (tx) => {
          await tx.processedUpdate.create({ data: { platform: 'mistake', updateId: 'tx' } });
          // The mistake: `db` instead of `tx`. It waits for this very transaction.
          seenByMistake = await db.processedUpdate.count({ where: { platform: 'mistake' } });
        },
        { timeout: 600 },
      )
      .then(
        () => 'committed',
        (e: Error) => e.message,
      );
    expect(outcome).toMatch(/expired|timeout|closed/i);
    expect(seenByMistake).toBe(0); // ran after the rollback, outside: the transaction's row was never visible
    expect(await db.processedUpdate.count({ where: { platform: 'mistake' } })).toBe(0);
    expect(stalls).toHaveLength(1);
    expect(stalls[0]).toContain('`tx`');
    await db.$disconnect();
  });
});

describe('start-up checks', () => {
  it('stops the start-up, naming the missing part, when better-sqlite3 has another shape', async () => {
    const file = join(dir, 'shape.db');
    applyMigrations(file);
    // A later better-sqlite3 without `defaultSafeIntegers`.
    class WithoutSafeIntegers extends Database {}
    Object.defineProperty(WithoutSafeIntegers.prototype, 'defaultSafeIntegers', { value: undefined });
    const first = await connectDatabase(new SqliteAdapterFactory({ file, driver: WithoutSafeIntegers as never })).catch((e: Error) => e);
    expect(first).toBeInstanceOf(AdapterShapeError);
    expect((first as Error).message).toContain('the better-sqlite3 Database has no defaultSafeIntegers() method');
    // …or whose statements no longer describe their columns.
    class WithoutColumns extends Database {}
    Object.defineProperty(WithoutColumns.prototype, 'prepare', {
      value(this: Database.Database, sql: string) {
        const stmt = Database.prototype.prepare.call(this, sql);
        Object.defineProperty(stmt, 'columns', { value: undefined });
        return stmt;
      },
    });
    const second = await connectDatabase(new SqliteAdapterFactory({ file, driver: WithoutColumns as never })).catch((e: Error) => e);
    expect((second as Error).message).toContain('a better-sqlite3 Statement has no columns() method');
    // The failed attempts left nothing open: the database still opens normally.
    const db = await openDatabase(file);
    expect(await db.community.count()).toBe(0);
    await db.$disconnect();
  });
});
