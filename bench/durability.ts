/**
 * What `synchronous = FULL` costs the vote path. With FULL (what Linli runs) a commit returns
 * only after SQLite's write-ahead log reached the disk, so a vote the resident was told about
 * survives a power cut; with NORMAL the last commits before a power cut may be lost. Both are
 * measured in the same run on the same disk, through the domain's ballot box on Linli's SQLite
 * adapter: once tap by tap (every vote its own commit, the worst case), once as the bot sees a
 * polling batch (taps arriving together share one commit, see TapCommitter). Each FULL figure is
 * printed with its NORMAL twin as the baseline; the ratio is the share of NORMAL's speed kept.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connectDatabase, type Db } from '../src/db/client.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { SqliteAdapterFactory, type Synchronous } from '../src/db/sqlite/adapter.ts';
import { createPoll, type PollWithOptions } from '../src/domain/polls/polls.ts';
import { createBallotSeal } from '../src/domain/polls/secrecy.ts';
import { BallotBox } from '../src/domain/polls/voting.ts';
import type { Actor } from '../src/domain/residents/roles.ts';
import { makeCommunity, OPERATOR, telegramPerson } from '../tests/support/fixtures.ts';
import { tempDir } from '../tests/support/harness.ts';
import type { BenchResult } from './types.ts';

const VOTERS = 300;
const BATCH = 100;

interface Figures {
  sequential: number;
  batched: number;
}

async function setUp(db: Db): Promise<{ poll: PollWithOptions; voters: Actor[] }> {
  const community = await makeCommunity(db);
  const voters: Actor[] = [];
  for (let i = 0; i < VOTERS; i++) {
    const person = await telegramPerson(db, 700_000 + i);
    voters.push({ personId: person.id, isAdmin: false, grants: [{ communityId: community.id, role: 'verified', householdId: null }] });
  }
  const now = new Date();
  const poll = await createPoll(db, { actor: OPERATOR, via: 'bench' }, community.id, {
    question: 'Durability benchmark',
    options: 'standard',
    maxChoices: 1,
    electorate: 'residents',
    anonymous: false,
    allowChange: true,
    closesAt: new Date(now.getTime() + 86_400_000),
    quorum: { kind: 'none' },
    rule: 'majority',
    liveResults: false,
  }, now);
  return { poll, voters };
}

/** Votes per second, tap by tap and in batches, with `synchronous` set as given. */
async function measure(synchronous: Synchronous): Promise<Figures> {
  const file = join(tempDir('linli-bench-durability-'), 'linli.db');
  applyMigrations(file);
  const db = await connectDatabase(new SqliteAdapterFactory({ file, synchronous }));
  try {
    const { poll, voters } = await setUp(db);
    const box = new BallotBox(db, createBallotSeal(async () => randomBytes(32)));
    const tap = (voter: Actor, position: number) => box.cast({ poll, actor: voter, voterName: voter.personId, position, now: new Date() });

    let start = performance.now();
    for (const voter of voters) await tap(voter, 1);
    const sequential = VOTERS / ((performance.now() - start) / 1000);

    // Everyone changes their vote, a polling batch at a time.
    start = performance.now();
    for (let i = 0; i < VOTERS; i += BATCH) await Promise.all(voters.slice(i, i + BATCH).map((voter) => tap(voter, 2)));
    const batched = VOTERS / ((performance.now() - start) / 1000);
    return { sequential, batched };
  } finally {
    await db.$disconnect();
  }
}

export async function run(): Promise<BenchResult[]> {
  // NORMAL first, FULL second, then again in the other order: the disk's caches favour neither.
  const normal1 = await measure('NORMAL');
  const full1 = await measure('FULL');
  const full2 = await measure('FULL');
  const normal2 = await measure('NORMAL');
  const mean = (a: number, b: number) => (a + b) / 2;
  const normal = { sequential: mean(normal1.sequential, normal2.sequential), batched: mean(normal1.batched, normal2.batched) };
  const full = { sequential: mean(full1.sequential, full2.sequential), batched: mean(full1.batched, full2.batched) };
  return [
    {
      name: `votes with synchronous=FULL, one commit per tap (${VOTERS} taps, mean of 2)`,
      value: full.sequential,
      unit: 'votes/s',
      baseline: { name: 'same with synchronous=NORMAL', value: normal.sequential, unit: 'votes/s' },
      ratio: full.sequential / normal.sequential,
    },
    {
      name: `votes with synchronous=FULL, taps in batches of ${BATCH} (group commit, mean of 2)`,
      value: full.batched,
      unit: 'votes/s',
      baseline: { name: 'same with synchronous=NORMAL', value: normal.batched, unit: 'votes/s' },
      ratio: full.batched / normal.batched,
    },
  ];
}
