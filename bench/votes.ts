/**
 * Votes per second through the whole stack: the fake Bot API → telegraf long polling → router
 * (dedup, identity, roles, per-person queue) → the vote handler → SQLite transaction → toast
 * (answerCallbackQuery over HTTP). Many people tap at once, each several times (single choice,
 * changes allowed), so new ballots and changed ones are both measured. Baseline in the same run:
 * a raw better-sqlite3 loop inserting one ballot row per statement into a WAL database. The fake
 * Bot API runs in a worker thread (bench/support/fakeInWorker.ts), as Telegram is elsewhere in
 * production.
 */
import { createPoll } from '../src/domain/polls/polls.ts';
import { publishPoll } from '../src/features/polls/lifecycle.ts';
import { bindTelegramGroup, makeCommunity, OPERATOR, telegramPerson } from '../tests/support/fixtures.ts';
import { startBenchBot } from './support/benchBot.ts';
import { rawInsertsPerSecond } from './support/rawInserts.ts';
import { startPlainBot } from './support/plainBot.ts';
import { withPostgresRow } from './support/benchEngines.ts';
import type { BenchResult } from './types.ts';

const VOTERS = 300;
const TAPS_PER_VOTER = 4;
const GROUP = -100900;


type Voter = { id: number; first_name: string; language_code: string };

/** The same taps against the plain telegraf bot (bench/support/plainBot.ts): votes/s and whether it kept one ballot per person. */
async function plainVotesPerSecond(users: Voter[], postgres?: string): Promise<{ perSecond: number; exact: boolean }> {
  const plain = await startPlainBot({ postgres });
  try {
    const { messageId, data } = await plain.postPoll(GROUP);
    const presses = [];
    for (let k = 0; k < TAPS_PER_VOTER; k++) for (const u of users) presses.push({ from: u, chat: { id: GROUP }, messageId, data: data[(u.id + k) % 3] });
    const before = await plain.fake.count('answered');
    const start = performance.now();
    await plain.fake.pressButtons(presses);
    const handled = (await plain.fake.waitCount('answered', before + presses.length, 120_000)) - before;
    const perSecond = handled / ((performance.now() - start) / 1000);
    const ballots = await plain.ballots();
    return { perSecond, exact: handled === presses.length && ballots === users.length };
  } finally {
    await plain.close();
  }
}

/** Linli's votes per second on one engine (SQLite, or the PostgreSQL server given), and whether it kept one ballot per person. */
async function linliVotesPerSecond(users: Voter[], postgres?: string): Promise<{ perSecond: number; exact: boolean }> {
  const bench = await startBenchBot({ postgres });
  const { fake } = bench;
  const db = bench.bot.db;
  try {
    const community = await makeCommunity(db);
    await bindTelegramGroup(db, community, GROUP);
    for (const u of users) {
      const person = await telegramPerson(db, u.id);
      const household = await db.household.create({ data: { communityId: community.id, unit: `b-${u.id}` } });
      await db.membership.create({ data: { personId: person.id, communityId: community.id, role: 'verified', householdId: household.id, source: 'cli' } });
    }
    const services = bench.bot.services;
    const now = services.clock();
    const poll = await createPoll(db, { actor: OPERATOR, via: 'bench' }, community.id, {
      question: 'Benchmark poll',
      options: 'standard',
      maxChoices: 1,
      electorate: 'residents',
      anonymous: true,
      allowChange: true,
      closesAt: new Date(now.getTime() + 86_400_000),
      quorum: { kind: 'none' },
      rule: 'majority',
      liveResults: true,
    }, now);
    await publishPoll(services, poll);
    await bench.flushOutbox();
    const card = (await fake.messagesTo(GROUP)).at(-1)!;
    const data = card.replyMarkup!.inline_keyboard!.flat().map((b) => b.callback_data!);

    const before = await fake.count('answered');
    const total = VOTERS * TAPS_PER_VOTER;
    const presses: { from: (typeof users)[number]; chat: { id: number }; messageId: number; data: string }[] = [];
    for (let k = 0; k < TAPS_PER_VOTER; k++) {
      for (const u of users) presses.push({ from: u, chat: { id: GROUP }, messageId: card.messageId, data: data[(u.id + k) % 3] });
    }
    const start = performance.now();
    const handled = await bench.measure(async () => {
      await fake.pressButtons(presses);
      await bench.settle();
      return (await fake.waitCount('answered', before + total, 120_000)) - before;
    });
    const seconds = (performance.now() - start) / 1000;
    const ballots = await db.ballot.count({ where: { pollId: poll.id } });
    return { perSecond: handled / seconds, exact: handled === total && ballots === VOTERS };
  } finally {
    await bench.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  const users = Array.from({ length: VOTERS }, (_, i) => ({ id: 800_000 + i, first_name: `V${i}`, language_code: 'zh' }));
  const { perSecond, exact } = await linliVotesPerSecond(users);
  const raw = rawInsertsPerSecond(20_000);
  const plain = await plainVotesPerSecond(users);
  const results: BenchResult[] = [
      {
        name: `votes through the whole stack (${VOTERS} people × ${TAPS_PER_VOTER} taps)`,
        value: perSecond,
        unit: 'votes/s',
        baseline: { name: 'raw better-sqlite3 inserts', value: raw, unit: 'rows/s' },
        ratio: perSecond / raw,
        target: '≥ 1000 votes/s, exactly one ballot per person',
        pass: perSecond >= 1000 && exact,
      },
      {
        name: 'votes: Linli beside the plain telegraf + better-sqlite3 bot, same taps',
        value: perSecond,
        unit: 'votes/s',
        baseline: { name: `plain telegraf bot${plain.exact ? '' : ' (lost or duplicated ballots!)'}`, value: plain.perSecond, unit: 'votes/s' },
        ratio: perSecond / plain.perSecond,
        target: '≥ 0.5× the plain bot (#19)',
        pass: perSecond / plain.perSecond >= 0.5,
      },
  ];
  return withPostgresRow('votes', results, async (server) => {
    const onPg = await linliVotesPerSecond(users, server);
    const plainPg = await plainVotesPerSecond(users, server);
    return {
      name: 'votes on PostgreSQL: Linli beside the plain telegraf + node-postgres bot, same taps',
      value: onPg.perSecond,
      unit: 'votes/s',
      baseline: { name: `plain telegraf bot on PostgreSQL${plainPg.exact ? '' : ' (lost or duplicated ballots!)'}`, value: plainPg.perSecond, unit: 'votes/s' },
      ratio: onPg.perSecond / plainPg.perSecond,
      target: 'exactly one ballot per person (no ratio target for PostgreSQL)',
      pass: onPg.exact,
    };
  });
}
