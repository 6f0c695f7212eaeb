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
import { hostname } from 'node:os';
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
  }, 120_000);
  afterAll(async () => {
    for (const i of [a, b]) if (i) await kill(i.child);
    await fake.close();
  });

  it("(c) handles one person's taps in order when they reach both instances", { timeout: 60_000 }, async () => {
    const db = await openDatabase(dbFile);
    try {
      const last = new Map<number, number>(VOTERS.map((v) => [v.id, 0]));
      /** Each person's update ids, in the order they were posted. */
      const posted = new Map<number, string[]>(VOTERS.map((v) => [v.id, []]));
      // Each person's taps go to the two instances in turn, the next one as soon as the previous
      // was claimed (the order Telegram delivers a chat's updates in; an instance answers only
      // after its claim is written), while the previous one is often still being handled by the
      // other instance.
      const rounds = async (count: number) => {
        const acks: Promise<boolean>[] = [];
        await Promise.all(
          VOTERS.map(async (v, n) => {
            for (let i = 0; i < count; i++) {
              const round = posted.get(v.id)!.length;
              const option = 1 + ((n + round) % 3);
              last.set(v.id, option);
              const update = tap(v, option);
              posted.get(v.id)!.push(String(update.update_id));
              acks.push(post((n + round) % 2 ? a : b, update));
              while (!(await db.processedUpdate.findUnique({ where: { platform_updateId: { platform: 'telegram', updateId: String(update.update_id) } } }))) await sleep(2);
            }
          }),
        );
        expect((await Promise.all(acks)).every(Boolean)).toBe(true);
      };
      // From the claim rows (both instances write them; one host, one clock): for each person's
      // consecutive taps, was the later one claimed (handledAt) before the earlier one was done?
      // Then the other instance had it in hand while the earlier one was unfinished, and only the
      // cross-instance order kept it from committing first. Each such pair must still finish in
      // order, and there must be enough such pairs (20) for this test to tell right from wrong:
      // how many a round gives depends on the machine's load, so rounds go on until there are
      // (at most 12 taps a person).
      let overlapping = 0;
      for (let batch = 0; batch < 4 && overlapping < VOTERS.length; batch++) {
        await rounds(3);
        const rows = new Map(
          (await db.processedUpdate.findMany({ where: { platform: 'telegram', updateId: { in: [...posted.values()].flat() } } })).map((r) => [r.updateId, r]),
        );
        overlapping = 0;
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
        const votes = await counted(db);
        for (const v of VOTERS) expect(votes.get(String(v.id)), v.first_name).toEqual([last.get(v.id)]);
      }
      console.log(`(c) ${overlapping} of ${[...posted.values()].reduce((n, ids) => n + ids.length - 1, 0)} consecutive taps were claimed by one instance while the other still handled the earlier one`);
      expect(overlapping).toBeGreaterThanOrEqual(VOTERS.length);
    } finally {
      await db.$disconnect();
    }
  });

  it('(b) loses no acknowledged vote when an intake instance is killed mid-storm', { timeout: 60_000 }, async () => {
    /** Every tap, in the order posted, and whether its instance acknowledged it (200). */
    const taps: { voter: (typeof VOTERS)[number]; option: number; update: { update_id: number }; acked?: boolean }[] = [];
    const pending: Promise<void>[] = [];
    for (let round = 0; round < 4; round++) {
      for (const [n, v] of VOTERS.entries()) {
        const entry = { voter: v, option: 1 + ((n * 7 + round) % 3), update: tap(v, 1 + ((n * 7 + round) % 3)) };
        taps.push(entry);
        // Half the people reach b: their taps in flight at the kill and all later ones fail.
        pending.push(post(n % 2 ? a : b, entry.update).then((ok) => void Object.assign(entry, { acked: ok, at: n % 2 ? 'a' : 'b' })));
      }
      // Mid-storm: once b acknowledged some of its taps, with more of them in flight.
      if (round === 1) {
        while (!taps.some((t) => t.acked && (t as { at?: string }).at === 'b')) await sleep(5);
        await kill(b.child);
      }
      await sleep(80);
    }
    await Promise.all(pending);
    const unacknowledged = taps.filter((t) => !t.acked);
    // Some of b's people had taps in flight when it died, or the kill was not mid-storm.
    expect(unacknowledged.length).toBeGreaterThan(0);
    expect(taps.filter((t) => t.acked).length).toBeGreaterThan(VOTERS.length);
    const db = await openDatabase(dbFile);
    try {
      // Before any redelivery: each person's vote is their last acknowledged tap, or one of the
      // unacknowledged taps after it (b may have committed a tap and died before answering).
      // Nothing acknowledged is lost, nothing is counted out of order.
      const before = await counted(db);
      const toast = (u: object) => String(fake.callbackAnswers.find((c) => c.callback_query_id === (u as { callback_query: { id: string } }).callback_query.id)?.text ?? '-');
      // CLUSTER_DEBUG=1: each person's counted vote and taps (id:option:acknowledged:toast), for a failure here.
      for (const v of VOTERS) if (process.env.CLUSTER_DEBUG) console.log('DEBUG', v.first_name, JSON.stringify(before.get(String(v.id))), taps.filter((t) => t.voter === v).map((t) => `${t.update.update_id}:${t.option}:${t.acked}:${toast(t.update)}`).join(' | '));
      for (const v of VOTERS) {
        const mine = taps.filter((t) => t.voter === v);
        const lastAcked = mine.map((t) => t.acked).lastIndexOf(true);
        const allowed = new Set(mine.slice(Math.max(lastAcked, 0)).filter((t, i) => (i === 0 && lastAcked >= 0) || !t.acked).map((t) => t.option));
        if (lastAcked >= 0) expect(before.get(String(v.id)), v.first_name).toHaveLength(1);
        if (before.has(String(v.id))) expect(allowed, v.first_name).toContain(before.get(String(v.id))![0]);
      }
      // Telegram delivers what was not acknowledged again, in order, here to the instance still
      // running (a claim the dead instance left is taken over once its 2 s lease passes).
      for (const { update } of unacknowledged.sort((x, y) => x.update.update_id - y.update.update_id)) expect(await post(a, update)).toBe(true);
      // Now everyone's last tap counts.
      const after = await counted(db);
      for (const v of VOTERS) expect(after.get(String(v.id)), v.first_name).toEqual([taps.filter((t) => t.voter === v).at(-1)!.option]);
    } finally {
      await db.$disconnect();
      b = await start(); // the standby of (a), even when this test failed
    }
  });

  it('(a) finishes a broadcast to 50 groups within 10 s of the leader being killed, each group once (twice only for a send the leader had made but not recorded)', { timeout: 60_000 }, async () => {
    const leader = a; // started first, so it leads; the restarted b is the standby
    const db = await openDatabase(dbFile);
    try {
      const outbox = new Outbox(db, () => new Date());
      const notice = (g: number) => `【通知】本周六上午九点，社区开展消防安全检查（${g}）。`;
      for (const g of GROUPS) await outbox.enqueue({ key: `broadcast:${g}`, platform: 'telegram', chatId: String(g), communityId: community.id, message: { text: notice(g) } });
      const copies = (g: number) => fake.messagesTo(g).filter((m) => (m.text ?? '') === notice(g)).length;
      const got = () => GROUPS.filter((g) => copies(g) > 0).length;
      while (got() < 10) await sleep(20);
      await kill(leader.child);
      const killedAt = Date.now();
      // The one duplicate no sender can avoid: the leader handed a message to Telegram and died
      // before recording it. Its row is still "sending", claimed by the dead leader; Telegram has
      // no idempotency key and no way to ask what was posted, so the standby sends it again once
      // the claim's lease (5 s) passes (the outbox's rule: a duplicate rather than a lost notice).
      // That is at most one message per chat whose send the leader had under way at the kill, at
      // most the worker's concurrency (16) in all. The dead process writes nothing more and
      // nobody else may touch its claimed rows before the lease passes, so these rows are known
      // now. (Rows the leader had not claimed yet, the standby may send at once: never twice.)
      const leaderWorker = `${hostname()}:${leader.child.pid}:`;
      const inFlight = new Set(
        (await db.outboxMessage.findMany({ where: { status: 'sending', claimedBy: { startsWith: leaderWorker } }, select: { chatId: true } })).map((r) => Number(r.chatId)),
      );
      while (got() < GROUPS.length && Date.now() - killedAt < 20_000) await sleep(50);
      const took = Date.now() - killedAt;
      console.log(`standby finished the broadcast ${took} ms after the kill; the leader had ${inFlight.size} sends under way at the kill; ${GROUPS.filter((g) => copies(g) > 1).length} groups got a second copy`);
      expect(got()).toBe(GROUPS.length);
      expect(took).toBeLessThan(10_000);
      expect(inFlight.size).toBeLessThanOrEqual(16);
      // Exactly once everywhere, except a group whose send the leader had under way (its row
      // still "sending", claimed by it): there, one copy more at most.
      for (const g of GROUPS) expect(copies(g), String(g)).toBe(inFlight.has(g) && copies(g) === 2 ? 2 : 1);
      expect(await db.outboxMessage.count({ where: { key: { startsWith: 'broadcast:' }, status: { not: 'sent' } } })).toBe(0);
    } finally {
      await db.$disconnect();
    }
  });

  it('(d) the two instances together never tripped a rate limit', () => {
    expect(fake.violations).toEqual([]);
  });
});
