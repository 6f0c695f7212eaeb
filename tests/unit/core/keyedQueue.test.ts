import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../../src/core/keyedQueue.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KeyedQueue', () => {
  it('runs tasks of one key in order and different keys in parallel', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const task = (key: string, n: number, ms: number) => q.run(key, async () => {
      log.push(`start ${key}${n}`);
      await tick(ms);
      log.push(`end ${key}${n}`);
    });
    await Promise.all([task('a', 1, 30), task('a', 2, 1), task('b', 1, 5)]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    // b did not wait for a's first task.
    expect(log.indexOf('end b1')).toBeLessThan(log.indexOf('end a1'));
  });

  it('keeps going after a failing task and reports idle', async () => {
    const q = new KeyedQueue();
    const failing = q.run('k', async () => {
      throw new Error('boom');
    });
    const next = q.run('k', async () => 'ok');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
    await q.idle();
    expect(q.size).toBe(0);
  });
});
