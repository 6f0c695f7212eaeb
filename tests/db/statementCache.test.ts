/** The prepared-statement cache under Prisma's SQLite adapter: same results, statements reused. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cacheStatements } from '../../src/db/statementCache.ts';
import { freshDatabase } from '../support/harness.ts';

describe('statement cache', () => {
  it('prepares each SQL text once and binds fresh arguments per call', () => {
    const db = new Database(':memory:');
    const prepare = db.prepare.bind(db);
    let prepared = 0;
    (db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => (prepared++, prepare(sql));
    cacheStatements(db);
    db.prepare('CREATE TABLE t (a INTEGER, b TEXT)').run();
    const insert = 'INSERT INTO t (a, b) VALUES (?, ?)';
    db.prepare(insert).bind([1, 'x']).run();
    db.prepare(insert).bind([2, 'y']).run();
    const select = db.prepare('SELECT a, b FROM t WHERE a >= ? ORDER BY a').bind([2]);
    expect(select.reader).toBe(true);
    expect(select.columns().map((c) => c.name)).toEqual(['a', 'b']);
    expect(select.raw().all()).toEqual([[2, 'y']]);
    expect(db.prepare('SELECT a, b FROM t WHERE a >= ? ORDER BY a').bind([1]).raw().all()).toEqual([[1, 'x'], [2, 'y']]);
    expect(prepared).toBe(3);
  });

  it('keeps Prisma working: writes, reads, unique violations and transactions', async () => {
    const { db } = await freshDatabase();
    await db.processedUpdate.create({ data: { platform: 't', updateId: '1' } });
    await expect(db.processedUpdate.create({ data: { platform: 't', updateId: '1' } })).rejects.toMatchObject({ code: 'P2002' });
    await db.$transaction(async (tx) => {
      await tx.processedUpdate.create({ data: { platform: 't', updateId: '2' } });
    });
    await expect(
      db.$transaction(async (tx) => {
        await tx.processedUpdate.create({ data: { platform: 't', updateId: '3' } });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await db.processedUpdate.findMany({ orderBy: { updateId: 'asc' } })).map((u) => u.updateId)).toEqual(['1', '2']);
    await db.$disconnect();
  });
});
