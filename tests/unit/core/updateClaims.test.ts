// Update claims: a redelivered update is a duplicate only once its handling finished; a claim
// left behind by a process that died is taken over, so Telegram's redelivery after a crash is
// handled instead of dropped. Two UpdateClaims on one database file stand for two processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateClaims } from '../../../src/core/updateClaims.ts';
import type { Db } from '../../../src/db/client.ts';
import { createLogger } from '../../../src/log.ts';
import { freshDatabase } from '../../support/harness.ts';

const log = createLogger('silent');
const FAST = { leaseMs: 300, renewMs: 100, recheckMs: 20 };

describe('update claims', () => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await freshDatabase());
  });
  afterAll(() => db.$disconnect());

  it('claims a new update once; after it is done a redelivery is a duplicate', async () => {
    const claims = new UpdateClaims(db, log, FAST);
    expect(await claims.claim('telegram', 'u1')).toBe(true);
    await claims.done('telegram', 'u1');
    expect(await claims.claim('telegram', 'u1')).toBe(false);
    const row = await db.processedUpdate.findUniqueOrThrow({ where: { platform_updateId: { platform: 'telegram', updateId: 'u1' } } });
    expect(row.doneAt).not.toBeNull();
    claims.stop();
  });

  it('gives the same update twice in one batch to one claim only', async () => {
    const claims = new UpdateClaims(db, log, FAST);
    const first = claims.claim('telegram', 'u2');
    const second = claims.claim('telegram', 'u2');
    expect(await first).toBe(true);
    // The second waits for the first to finish, then sees a duplicate.
    let settled = false;
    void second.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, FAST.leaseMs * 2));
    expect(settled).toBe(false);
    await claims.done('telegram', 'u2');
    expect(await second).toBe(false);
    claims.stop();
  });

  it('takes over an update whose owner died mid-way, and never one whose owner is alive', async () => {
    const dead = new UpdateClaims(db, log, FAST);
    expect(await dead.claim('telegram', 'u3')).toBe(true);
    dead.stop(); // the process died: no renewals, no done mark

    const alive = new UpdateClaims(db, log, FAST);
    expect(await alive.claim('telegram', 'u4')).toBe(true);

    const restarted = new UpdateClaims(db, log, FAST);
    const started = Date.now();
    expect(await restarted.claim('telegram', 'u3')).toBe(true);
    // It waited for the dead owner's lease to run out.
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);

    // The live owner keeps renewing: the redelivery waits until it is done, then is a duplicate.
    const duplicate = restarted.claim('telegram', 'u4');
    await new Promise((r) => setTimeout(r, FAST.leaseMs * 3));
    await alive.done('telegram', 'u4');
    expect(await duplicate).toBe(false);
    await restarted.done('telegram', 'u3');
    const owner = await db.processedUpdate.findUniqueOrThrow({ where: { platform_updateId: { platform: 'telegram', updateId: 'u3' } } });
    expect(owner.owner).toBe(restarted.owner);
    alive.stop();
    restarted.stop();
  });
});
