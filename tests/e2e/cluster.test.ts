// Two real instances on one database behind webhook intake, against the fake Bot API that
// enforces Telegram's limits. The database is a SQLite file in WAL mode, or on a PostgreSQL run
// (LINLI_TEST_DATABASE=postgresql://…, tests/support/testDatabase.ts) a fresh database of this
// file cloned from the migrated template and dropped after it. Updates are posted to both
// instances' ports in turn.
// (c) one person's taps split across the instances are handled in order: the last tap counts;
// (b) an intake instance killed mid vote-storm loses no acknowledged vote; (a) the leader killed
// during a broadcast to 50 groups: the standby finishes it within 10 s, each group once;
// (d) the two together never trip a rate limit.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Community } from '../../src/generated/prisma/client.ts';
import { openDatabase, type Db } from '../../src/db/client.ts';
import { Outbox } from '../../src/outbox/outbox.ts';
import { createPoll, type PollWithOptions } from '../../src/domain/polls/polls.ts';
import { publishPoll } from '../../src/features/polls/lifecycle.ts';
import { startFakeBotApi, type FakeBotApi } from '../support/fakeBotApi.ts';
import { bindTelegramGroup, grantRole, makeCommunity, OPERATOR } from '../support/fixtures.ts';
import { startTestBot, tempDir } from '../support/harness.ts';
import { newTestDatabase, TEST_BALLOT_KEY, TEST_ENGINE, testDatabaseUrl } from '../support/testDatabase.ts';

const POLL_GROUP = -100700;
const GROUPS = Array.from({ length: 50 }, (_, i) => -100800 - i);
const VOTERS = Array.from({ length: 20 }, (_, i) => ({ id: 9300 + i, first_name: `居民${i}` }));
const LABELS = ['赞成', '反对', '弃权'];
const SECRET = 'cluster-secret';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Instance {
  child: ChildProcess;
  port: number;
}

describe('two instances on one database', () => {
  let fake: FakeBotApi;
  let dbFile: string;
  let databaseUrl: string;
  let poll: PollWithOptions;
  let community: Community;
  let cardId: number;
  let a: Instance;
  let b: Instance;
  let nextPort = 20000 + Math.floor(Math.random() * 20000);

  const start = (): Promise<Instance> =>
    new Promise((resolve, reject) => {
      const port = nextPort++;
      const script = fileURLToPath(new URL('./support/clusterProcess.ts', import.meta.url));
      const env = {
        ...process.env,
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_WEBHOOK_URL: 'https://linli.test/telegram/hook',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        DATABASE_URL: databaseUrl,
        LINLI_INSTANCES: 'shared',
        LINLI_UPDATE_LEASE_SECONDS: '2',
        PORT: String(port),
        LOG_LEVEL: 'silent',
        // PostgreSQL has no file to keep the ballot key beside: config requires the setting.
        ...(TEST_ENGINE === 'postgresql' ? { LINLI_BALLOT_KEY: TEST_BALLOT_KEY } : {}),
      };
      const child = fork(script, [], { execArgv: ['--import', 'tsx'], env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.once('message', () => resolve({ child, port }));
      child.once('exit', (code) => reject(new Error(`instance exited early (${code})`)));
    });
  const kill = async (c: ChildProcess) => {
    c.removeAllListeners('exit');
    if (c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  };
  /** Posts an update as Telegram would; true when the instance acknowledged it (200). */
  const post = async (to: Instance, update: object): Promise<boolean> => {
    try {
      const res = await fetch(`http://127.0.0.1:${to.port}/telegram/hook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(update),
      });
      return res.status === 200;
    } catch {
      return false;
    }
  };
  const tap = (voter: (typeof VOTERS)[number], option: number) =>
    fake.pressButton({ from: voter, chat: { id: POLL_GROUP, type: 'supergroup', title: '巴登社区居民群' }, messageId: cardId, buttonText: LABELS[option - 1], enqueue: false });

  /** Each voter's counted choice (option position), read from the database. */
  async function counted(db: Db): Promise<Map<string, number[]>> {
    const participations = await db.pollParticipation.findMany({ where: { pollId: poll.id }, include: { ballot: { include: { choices: { include: { option: true } } } } } });
    const identities = await db.identity.findMany({ where: { platform: 'telegram' } });
    const account = new Map(identities.map((i) => [i.personId, i.platformUserId]));
    return new Map(participations.map((p) => [account.get(p.personId!)!, p.ballot!.choices.map((c) => c.option.position)]));
  }

  beforeAll(async () => {
    fake = await startFakeBotApi({ enforceLimits: true });
    // A SQLite path, or the URL of this file's own PostgreSQL database (never the server's
    // `postgres` database itself); the instances, the setup bot and the checks all open it.
    dbFile = await newTestDatabase(join(tempDir(), 'linli.db'));
    databaseUrl = testDatabaseUrl(dbFile);
    const setup = await startTestBot({ fake, dbFile });
    community = await makeCommunity(setup.db);
    await bindTelegramGroup(setup.db, community, POLL_GROUP);
    for (const v of VOTERS) await grantRole(setup.db, community, v.id, 'verified');
    const now = new Date();
    poll = await createPoll(
      setup.db,
      { actor: OPERATOR, via: 'test' },
      community.id,
      { question: '是否同意在小区东门加装雨棚？', options: 'standard', maxChoices: 1, electorate: 'residents', anonymous: false, allowChange: true, closesAt: new Date(now.getTime() + 86_400_000), quorum: { kind: 'none' }, rule: 'majority', liveResults: false },
      now,
    );
    await publishPoll(setup.linli.services, poll);
    await setup.flushOutbox();
    cardId = fake.messagesTo(POLL_GROUP).at(-1)!.messageId;
    // The broadcast's groups join after the card went out, so it was posted in one group only.
    for (const g of GROUPS) await bindTelegramGroup(setup.db, community, g, `小区${g}群`);
    await setup.stop();
    a = await start();
    b = await start();
    // One update through each first: the timings below are about order, not a cold start.
    const visitor = { id: 9399, first_name: '访客' };
    expect(await post(a, fake.sendText({ from: visitor, text: '/help', enqueue: false }))).toBe(true);
    expect(await post(b, fake.sendText({ from: visitor, text: '/help', enqueue: false }))).toBe(true);
  });
  afterAll(async () => {
    for (const i of [a, b]) if (i) await kill(i.child);
    await fake.close();
  });

  it("(c) handles one person's taps in order when they reach both instances", { timeout: 60_000 }, async () => {
    const db = await openDatabase(dbFile);
    try {
      const last = new Map<number, number>();
      /** Each person's update ids, in the order they were posted. */
      const posted = new Map<number, string[]>();
      const acks: Promise<boolean>[] = [];
      // Each person's taps go to the two instances in turn, the next one as soon as the previous
      // was claimed (Telegram's order: a chat's next update once the previous delivery was
      // answered, and an instance answers once its claim is written), while the previous one
      // is typically still being handled by the other instance.
      await Promise.all(
        VOTERS.map(async (v, n) => {
          const ids: string[] = [];
          posted.set(v.id, ids);
          for (let round = 0; round < 3; round++) {
            const option = 1 + ((n + round) % 3);
            last.set(v.id, option);
            const update = tap(v, option);
            ids.push(String(update.update_id));
            acks.push(post((n + round) % 2 ? a : b, update));
            while (!(await db.processedUpdate.findUnique({ where: { platform_updateId: { platform: 'telegram', updateId: String(update.update_id) } } }))) await sleep(2);
          }
        }),
      );
      expect((await Promise.all(acks)).every(Boolean)).toBe(true);
      const votes = await counted(db);
      for (const v of VOTERS) expect(votes.get(String(v.id)), v.first_name).toEqual([last.get(v.id)]);
      // From the claim rows (both instances write them; one host, one clock): for each person's
      // consecutive taps, was the later one claimed (handledAt) before the earlier one was done?
      // Then the other instance had it in hand while the earlier one was unfinished, and only the
      // cross-instance order kept it from committing first. Each such pair must still finish in
      // order, and there must be many such pairs, or this test could not tell right from wrong.
      const rows = new Map(
        (await db.processedUpdate.findMany({ where: { platform: 'telegram', updateId: { in: [...posted.values()].flat() } } })).map((r) => [r.updateId, r]),
      );
      let overlapping = 0;
      for (const v of VOTERS) {
        const ids = posted.get(v.id)!;
        for (let i = 1; i < ids.length; i++) {
          const earlier = rows.get(ids[i - 1])!;
          const later = rows.get(ids[i])!;
          expect(earlier.doneAt, ids[i - 1]).not.toBeNull();
          expect(later.doneAt, ids[i]).not.toBeNull();
          if (later.handledAt! < earlier.doneAt!) overlapping++;
          expect(later.doneAt!.getTime(), `${v.first_name}: tap ${i + 1} done before tap ${i}`).toBeGreaterThanOrEqual(earlier.doneAt!.getTime());
        }
      }
      console.log(`(c) ${overlapping} of ${VOTERS.length * 2} consecutive taps were claimed by one instance while the other still handled the earlier one`);
      expect(overlapping).toBeGreaterThanOrEqual(VOTERS.length);
    } finally {
      await db.$disconnect();
    }
  });

  it('(b) loses no acknowledged vote when an intake instance is killed mid-storm', { timeout: 60_000 }, async () => {
    const last = new Map<number, number>();
    const pending: Promise<void>[] = [];
    const unacknowledged: { voter: (typeof VOTERS)[number]; update: object }[] = [];
    for (let round = 0; round < 4; round++) {
      for (const [n, v] of VOTERS.entries()) {
        const option = 1 + ((n * 7 + round) % 3);
        const update = tap(v, option);
        const to = n % 2 ? a : b;
        pending.push(post(to, update).then((ok) => {
          if (ok) last.set(v.id, option);
          else unacknowledged.push({ voter: v, update });
        }));
      }
      if (round === 1) await kill(b.child);
      await sleep(80);
    }
    await Promise.all(pending);
    // Telegram delivers what was not acknowledged again, here to the instance still running.
    for (const { update } of unacknowledged) expect(await post(a, update)).toBe(true);
    const db = await openDatabase(dbFile);
    try {
      const votes = await counted(db);
      for (const v of VOTERS) expect(votes.get(String(v.id)), v.first_name).toBeDefined();
      // Every acknowledged tap not followed by another of the same person is what counts.
      const lastSent = new Map<number, number>();
      for (const { voter } of unacknowledged) lastSent.set(voter.id, -1);
      for (const v of VOTERS) if (!lastSent.has(v.id) && last.has(v.id)) expect(votes.get(String(v.id)), v.first_name).toEqual([last.get(v.id)]);
    } finally {
      await db.$disconnect();
    }
    b = await start();
  });

  it('(a) finishes a broadcast to 50 groups within 10 s of the leader being killed, each group once (twice only for a send in flight at the kill)', { timeout: 60_000 }, async () => {
    const leader = a; // started first, so it leads; the restarted b is the standby
    const db = await openDatabase(dbFile);
    try {
      const outbox = new Outbox(db, () => new Date());
      for (const g of GROUPS) await outbox.enqueue({ key: `broadcast:${g}`, platform: 'telegram', chatId: String(g), communityId: community.id, message: { text: `【通知】本周六上午九点，社区开展消防安全检查（${g}）。` } });
      const got = () => GROUPS.filter((g) => fake.messagesTo(g).length > 0).length;
      while (got() < 10) await sleep(20);
      await kill(leader.child);
      const killedAt = Date.now();
      // A message the leader had handed to the platform but not yet recorded as sent: the
      // platform cannot tell whether it arrived, so the standby sends it again (the outbox's rule:
      // a duplicate rather than a lost notice). Only those may arrive twice.
      const inFlight = new Set((await db.outboxMessage.findMany({ where: { status: 'sending' }, select: { chatId: true } })).map((r) => Number(r.chatId)));
      while (got() < GROUPS.length && Date.now() - killedAt < 20_000) await sleep(50);
      const took = Date.now() - killedAt;
      console.log(`standby finished the broadcast ${took} ms after the kill`);
      expect(got()).toBe(GROUPS.length);
      expect(took).toBeLessThan(10_000);
      for (const g of GROUPS) {
        const copies = fake.messagesTo(g).filter((m) => (m.text ?? '').includes('消防安全检查')).length;
        expect(copies, String(g)).toBe(inFlight.has(g) && copies === 2 ? 2 : 1);
      }
      expect(inFlight.size).toBeLessThanOrEqual(25);
    } finally {
      await db.$disconnect();
    }
  });

  it('(d) the two instances together never tripped a rate limit', () => {
    expect(fake.violations).toEqual([]);
  });
});
