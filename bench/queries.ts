/**
 * Statements per update (#19): how many SQL statements, and how many transactions, the bot sends
 * to its database for one plain message (`/whoami` from a known person, the messages benchmark's
 * update) and for one vote tap (the votes benchmark's tap), counted at the driver
 * (bench/support/queryCounter.ts). Measured alone (one update, nothing else in flight) and in a
 * burst (one update from each of many people at once, as a polling batch brings them, where
 * claims, done marks and taps share statements). The card refresh a burst of votes schedules
 * runs seconds later, once per burst, and is not counted. `BENCH_QUERIES_SQL=1` prints the
 * statements of the single update.
 */
import { createPoll } from '../src/domain/polls/polls.ts';
import { publishPoll } from '../src/features/polls/lifecycle.ts';
import { bindTelegramGroup, makeCommunity, OPERATOR, telegramPerson } from '../tests/support/fixtures.ts';
import { startBenchBot, type BenchBot } from './support/benchBot.ts';
import { benchPostgres } from './support/benchEngines.ts';
import { countQueries, type QueryCounter } from './support/queryCounter.ts';
import type { BenchResult } from './types.ts';

const PEOPLE = 50;
const GROUP = -100901;

type User = { id: number; first_name: string; language_code: string };

interface Counted {
  statements: number;
  transactions: number;
}

async function counted(counter: QueryCounter, updates: number, label: string, fn: () => Promise<void>): Promise<Counted> {
  counter.reset();
  await fn();
  if (process.env.BENCH_QUERIES_SQL && updates === 1) {
    process.stdout.write(`-- ${label}\n`);
    for (const [sql, n] of counter.bySql) process.stdout.write(`${n}× ${sql.replace(/\s+/g, ' ').slice(0, 220)}\n`);
  }
  return { statements: counter.total() / updates, transactions: counter.transactions() / updates };
}

async function messages(bench: BenchBot, counter: QueryCounter, users: User[], engine: string): Promise<Counted[]> {
  const { fake } = bench;
  await fake.sendTexts(users.map((from) => ({ from, text: '/whoami' })));
  await bench.settle();
  let sent = await fake.count('sent');
  const one = await counted(counter, 1, `${engine}: one /whoami`, async () => {
    await fake.sendTexts([{ from: users[0], text: '/whoami' }]);
    await bench.settle();
    sent = await fake.waitCount('sent', sent + 1, 30_000);
  });
  const burst = await counted(counter, users.length, `${engine}: burst`, async () => {
    await fake.sendTexts(users.map((from) => ({ from, text: '/whoami' })));
    await bench.settle();
    sent = await fake.waitCount('sent', sent + users.length, 30_000);
  });
  return [one, burst];
}

async function taps(bench: BenchBot, counter: QueryCounter, users: User[], engine: string): Promise<Counted[]> {
  const { fake } = bench;
  const db = bench.bot.db;
  const community = await makeCommunity(db);
  await bindTelegramGroup(db, community, GROUP);
  for (const u of users) {
    const person = await telegramPerson(db, u.id);
    const household = await db.household.create({ data: { communityId: community.id, unit: `q-${u.id}` } });
    await db.membership.create({ data: { personId: person.id, communityId: community.id, role: 'verified', householdId: household.id, source: 'cli' } });
  }
  const services = bench.bot.services;
  const now = services.clock();
  const poll = await createPoll(db, { actor: OPERATOR, via: 'bench' }, community.id, {
    question: 'Statements per tap',
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
  let answered = await fake.count('answered');
  const press = async (who: User[], k: number) => {
    await fake.pressButtons(who.map((u) => ({ from: u, chat: { id: GROUP }, messageId: card.messageId, data: data[(u.id + k) % 3] })));
    await bench.settle();
    answered = await fake.waitCount('answered', answered + who.length, 30_000);
  };
  // The people's first contact (their language is stored) happens before counting.
  await press(users.slice(1), 0);
  const first = await counted(counter, 1, `${engine}: one first vote`, () => press(users.slice(0, 1), 0));
  const changed = await counted(counter, 1, `${engine}: one changed vote`, () => press(users.slice(0, 1), 1));
  const burst = await counted(counter, users.length, `${engine}: burst of changed votes`, () => press(users, 2));
  return [first, changed, burst];
}

function rows(engine: string, [one, burst]: Counted[], [first, changed, tapBurst]: Counted[]): BenchResult[] {
  const f = (c: Counted) => `${c.statements.toFixed(1)} statements, ${c.transactions.toFixed(2)} transactions`;
  const row = (name: string, c: Counted): BenchResult => ({ name: `${engine}: ${name} — ${f(c)}`, value: c.statements, unit: 'statements' });
  return [
    row('one plain message', one),
    row(`a burst of ${PEOPLE} messages, per message`, burst),
    row('one first vote tap', first),
    row('one changed vote tap', changed),
    row(`a burst of ${PEOPLE} vote taps, per tap`, tapBurst),
  ];
}

async function onEngine(engine: string, postgres?: string): Promise<BenchResult[]> {
  const users = Array.from({ length: PEOPLE }, (_, i) => ({ id: 600_000 + i, first_name: `Q${i}`, language_code: 'zh' }));
  const counter = countQueries();
  try {
    const forMessages = await startBenchBot({ postgres });
    let m: Counted[];
    try {
      m = await messages(forMessages, counter, users, engine);
    } finally {
      await forMessages.close();
    }
    const forTaps = await startBenchBot({ postgres });
    let t: Counted[];
    try {
      t = await taps(forTaps, counter, users, engine);
    } finally {
      await forTaps.close();
    }
    return rows(engine, m, t);
  } finally {
    counter.stop();
  }
}

export async function run(): Promise<BenchResult[]> {
  const results = await onEngine('SQLite');
  const pg = await benchPostgres();
  if ('skipped' in pg) process.stdout.write(`statements on PostgreSQL: skipped — ${pg.skipped}\n`);
  else results.push(...(await onEngine('PostgreSQL', pg.server)));
  return results;
}
