/**
 * Order per conversation across instances: two UpdateClaims (two instances, two connections to
 * one SQLite file) with `ordered`. Update N+1 of a conversation claimed on one instance waits
 * until N, claimed on the other, is done — or its owner died (lease ran out); other
 * conversations do not wait; without `ordered` (a single instance) nothing is looked up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/client.ts';
import { openDatabase } from '../../../src/db/client.ts';
import { UpdateClaims } from '../../../src/core/updateClaims.ts';
import { createLogger } from '../../../src/log.ts';
import { freshDatabase } from '../../support/harness.ts';

const log = createLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('per-conversation order across instances', () => {
  const dbs: Db[] = [];
  const claims: UpdateClaims[] = [];
  afterEach(async () => {
    for (const c of claims.splice(0)) c.stop();
    for (const db of dbs.splice(0)) await db.$disconnect();
  });
  async function twoInstances(leaseMs = 15_000): Promise<[UpdateClaims, UpdateClaims, Db]> {
    const { db, file } = await freshDatabase();
    const other = await openDatabase(file);
    dbs.push(db, other);
    const a = new UpdateClaims(db, log, { ordered: true, leaseMs, renewMs: 60_000 });
    const b = new UpdateClaims(other, log, { ordered: true, leaseMs, renewMs: 60_000 });
    claims.push(a, b);
    return [a, b, db];
  }

  it("holds a later update until the other instance finished the conversation's earlier one", async () => {
    const [a, b] = await twoInstances();
    expect(await a.claim('telegram', '100', 'telegram:-1:7')).toBe(true);
    let later = false;
    const second = b.claim('telegram', '101', 'telegram:-1:7').then((mine) => (later = mine));
    // Another person in the same chat goes ahead at once.
    expect(await b.claim('telegram', '102', 'telegram:-1:8')).toBe(true);
    await sleep(150);
    expect(later).toBe(false);
    await a.done('telegram', '100');
    await second;
    expect(later).toBe(true);
  });

  it('does not wait for an earlier update whose owner died (its lease ran out)', async () => {
    const [a, b] = await twoInstances(300);
    expect(await a.claim('telegram', '200', 'telegram:5:5')).toBe(true);
    a.stop(); // the process is gone: nobody renews its claim
    const started = Date.now();
    expect(await b.claim('telegram', '201', 'telegram:5:5')).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a single instance writes no conversation and never waits', async () => {
    const { db } = await freshDatabase();
    dbs.push(db);
    const single = new UpdateClaims(db, log);
    claims.push(single);
    expect(await single.claim('telegram', '300', 'telegram:9:9')).toBe(true);
    expect(await single.claim('telegram', '301', 'telegram:9:9')).toBe(true);
    const rows = await db.processedUpdate.findMany({ where: { updateId: { in: ['300', '301'] } } });
    expect(rows.map((r) => r.conversation)).toEqual([null, null]);
  });
});
