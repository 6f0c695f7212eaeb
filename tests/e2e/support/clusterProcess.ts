/**
 * One instance of a several-instance deployment in a process of its own, for the cluster fault
 * tests: webhook intake on its own PORT, Telegram's real limits, configuration from the
 * environment (LINLI_INSTANCES=shared). It says "ready" once it listens, and "leading" when it
 * becomes the leader.
 */
import { createLinli } from '../../../src/app/createLinli.ts';

const linli = await createLinli({ env: process.env, wechat: false, schedule: false, leadership: { leaseMs: 4000, renewMs: 300 } });
await linli.start();
process.send?.({ type: 'ready', leader: linli.leadership.isLeader });
const watch = setInterval(() => {
  if (linli.leadership.isLeader) {
    process.send?.({ type: 'leading' });
    clearInterval(watch);
  }
}, 50);
