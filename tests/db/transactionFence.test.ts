/**
 * A plain write made while another handler's transaction is open must not become part of that
 * transaction (the adapter has one connection): when the transaction rolls back, the plain
 * write stays; while it is open, plain reads do not see its uncommitted rows.
 */
import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/harness.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('transaction fence', () => {
  it('keeps a concurrent plain write out of a transaction that rolls back', async () => {
    const { db } = await freshDatabase();
    let inside!: () => void;
    const opened = new Promise<void>((r) => (inside = r));
    const failing = db
      .$transaction(async (tx) => {
        await tx.processedUpdate.create({ data: { platform: 'test', updateId: 'inside' } });
        inside();
        await tick(50); // another handler runs meanwhile
        throw new Error('rollback');
      })
      .catch((e: Error) => e.message);
    await opened;
    // Issued while the transaction is open (`.then` starts a Prisma query; it is lazy until then).
    const seenDuring = db.processedUpdate.count({ where: { updateId: 'inside' } }).then((n) => n);
    const plainWrite = db.processedUpdate.create({ data: { platform: 'test', updateId: 'outside' } }).then((r) => r);
    expect(await failing).toBe('rollback');
    await plainWrite;
    expect(await seenDuring).toBe(0);
    const rows = await db.processedUpdate.findMany({ where: { platform: 'test' } });
    expect(rows.map((r) => r.updateId)).toEqual(['outside']);
    await db.$disconnect();
  });

  it('lets plain queries run again as soon as the transaction commits', async () => {
    const { db } = await freshDatabase();
    let inside!: () => void;
    const opened = new Promise<void>((r) => (inside = r));
    const tx = db.$transaction(async (t) => {
      await t.processedUpdate.create({ data: { platform: 'test', updateId: 'a' } });
      inside();
      await tick(20);
    });
    await opened;
    const counted = db.processedUpdate.count({ where: { platform: 'test' } }).then((n) => n);
    await tx;
    const count = await counted;
    expect(count).toBe(1); // read after the commit, not inside the open transaction
    await db.$disconnect();
  });
});
