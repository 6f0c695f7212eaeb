/**
 * The WeChat account's send queue: sends go out in the order they were asked for, one at a
 * time, and a failed send neither stops the queue nor swallows its own error.
 */
import { describe, expect, it } from 'vitest';
import { createSendQueue } from '../../../../src/adapters/wechat/sendQueue.ts';

describe('the WeChat send queue', () => {
  it('runs sends one at a time, in order, past a failure', async () => {
    const queue = createSendQueue(0);
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const send = (name: string, fail = false) =>
      queue.run(async () => {
        running++;
        most = Math.max(most, running);
        log.push(`start ${name}`);
        await new Promise((r) => setImmediate(r));
        log.push(`end ${name}`);
        running--;
        if (fail) throw new Error(`${name} failed`);
        return name;
      });
    const results = await Promise.allSettled([send('text'), send('chart', true), send('next')]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['text', 'chart failed', 'next']);
    expect(log).toEqual(['start text', 'end text', 'start chart', 'end chart', 'start next', 'end next']);
    expect(most).toBe(1);
    await expect(queue.idle()).resolves.toBeUndefined();
  });
});
