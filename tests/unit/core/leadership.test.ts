/**
 * Leadership among instances sharing one database: one leads at a time; a standby takes over
 * when the leader gives up, when its lease runs out, or at once when the leading process of this
 * host was killed; a leader whose row was taken steps down. Then two real Linli instances on one
 * SQLite file and one fake Bot API: only the leader polls and sends, and the standby takes over.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Leadership, type LeaderWork } from '../../../src/core/leadership.ts';
import type { Db } from '../../../src/db/client.ts';
import { createLogger } from '../../../src/log.ts';
import { startFakeBotApi } from '../../support/fakeBotApi.ts';
import { freshDatabase, startTestBot, tempDir } from '../../support/harness.ts';

const log = createLogger('silent');
const FAST = { leaseMs: 3000, renewMs: 100 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await sleep(20);
  }
  return Date.now() - start;
}

function recorder(): LeaderWork & { events: string[] } {
  const events: string[] = [];
  return { events, lead: async () => void events.push('lead'), stepDown: async (reason) => void events.push(`down:${reason}`) };
}

describe('Leadership', () => {
  const open: Leadership[] = [];
  afterEach(async () => {
    for (const l of open.splice(0)) await l.stop();
  });
  const make = (db: Db, work = recorder()) => {
    const l = new Leadership(db, log, work, FAST);
    open.push(l);
    return { l, work };
  };

  it('lets one instance lead; the standby takes over when the leader stops', async () => {
    const { db } = await freshDatabase();
    const a = make(db);
    const b = make(db);
    await a.l.start();
    await b.l.start();
    expect(a.l.isLeader).toBe(true);
    expect(b.l.isLeader).toBe(false);
    await sleep(300); // renewals keep the lead where it is
    expect([a.l.isLeader, b.l.isLeader]).toEqual([true, false]);
    await a.l.stop();
    expect(a.work.events).toEqual(['lead', 'down:stopping']);
    await until(() => b.l.isLeader, 2000);
    expect(b.work.events).toEqual(['lead']);
    expect((await db.leadership.findUniqueOrThrow({ where: { role: 'linli' } })).owner).toBe(b.l.owner);
  });

  it('waits out the lease of a leader on another host, then takes over', async () => {
    const { db } = await freshDatabase();
    await db.leadership.create({ data: { role: 'linli', owner: 'elsewhere:4242:abcd', leaseUntil: new Date(Date.now() + 800), since: new Date() } });
    const b = make(db);
    await b.l.start();
    expect(b.l.isLeader).toBe(false);
    const waited = await until(() => b.l.isLeader, 3000);
    expect(waited).toBeGreaterThan(400);
  });

  it('takes over at once from a killed leading process of this host', async () => {
    const { db, file } = await freshDatabase();
    const script = join(tempDir(), 'leader.mts');
    writeFileSync(
      script,
      `import { Leadership } from ${JSON.stringify(join(process.cwd(), 'src/core/leadership.ts'))};
       import { openDatabase } from ${JSON.stringify(join(process.cwd(), 'src/db/client.ts'))};
       import { createLogger } from ${JSON.stringify(join(process.cwd(), 'src/log.ts'))};
       const db = await openDatabase(process.argv[2]);
       const l = new Leadership(db, createLogger('silent'), { lead: async () => console.log('leading'), stepDown: async () => {} }, { leaseMs: 60000, renewMs: 100 });
       await l.start();
       setInterval(() => {}, 1000);`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('leading') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    const b = make(db);
    await b.l.start();
    expect(b.l.isLeader).toBe(false); // its lease (60 s) is live and so is the process
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const waited = await until(() => b.l.isLeader, 3000);
    expect(waited).toBeLessThan(2000); // not the 60 s lease
  });

  it('steps down when another instance holds its row', async () => {
    const { db } = await freshDatabase();
    const a = make(db);
    await a.l.start();
    expect(a.l.isLeader).toBe(true);
    await db.leadership.update({ where: { role: 'linli' }, data: { owner: 'elsewhere:1:x', leaseUntil: new Date(Date.now() + 60_000) } });
    await until(() => !a.l.isLeader, 2000);
    expect(a.work.events).toEqual(['lead', 'down:lost']);
    await sleep(300);
    expect(a.work.events).toEqual(['lead', 'down:lost']); // it does not come back in this process
  });
});

describe('two Linli instances on one database', () => {
  it('only the leader polls and sends; the standby takes over when the leader stops', async () => {
    const fake = await startFakeBotApi();
    const dbFile = join(tempDir(), 'linli.db');
    const first = await startTestBot({ fake, dbFile });
    const second = await startTestBot({ fake, dbFile });
    try {
      expect(first.linli.leadership.isLeader).toBe(true);
      expect(second.linli.leadership.isLeader).toBe(false);
      const from = { id: 5151, first_name: '王', language_code: 'zh' };
      await first.say(from, '/help');
      expect(fake.messagesTo(from.id).length).toBeGreaterThan(0);

      const queued = await second.linli.services.outbox.enqueue({ key: 'leadership-test', platform: 'telegram', chatId: String(from.id), message: { text: '只发一次' } });
      expect(queued).toBe(true);
      await first.linli.outboxWorker.flush(5000);
      await first.stop();
      await until(() => second.linli.leadership.isLeader, 10_000);
      await second.say(from, '/help');
      expect(fake.messagesTo(from.id).filter((m) => m.text === '只发一次')).toHaveLength(1);
      const helpReplies = fake.messagesTo(from.id).filter((m) => m.text?.includes('/help') || m.text?.length);
      expect(helpReplies.length).toBeGreaterThan(1);
    } finally {
      await first.stop();
      await second.stop();
      await fake.close();
    }
  });
});
