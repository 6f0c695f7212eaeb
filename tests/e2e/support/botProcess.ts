/**
 * The whole bot in a process of its own, as `npm start` runs it with a Telegram token, for the
 * crash tests: the parent kills it with SIGKILL at random moments and starts it again on the same
 * database. Configuration comes from the environment; it says "ready" once polling runs.
 */
import { createLinli } from '../../../src/app/createLinli.ts';

const linli = await createLinli({ env: process.env, wechat: false, schedule: false, outboxLimits: { telegram: { perChatIntervalMs: 0, perGroupPerMinute: 100_000, globalPerSecond: 100_000 } } });
await linli.start();
process.send?.({ type: 'ready' });
