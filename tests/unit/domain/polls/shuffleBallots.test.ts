/**
 * shuffleBallotRows (src/domain/polls/ballots.ts): at an anonymous poll's close, PostgreSQL's
 * heap — the order a dump or a plain `SELECT` without ORDER BY shows — no longer follows the
 * voting order. The ballots are written in voting order here, their physical order (ctid) is
 * read before and after, and the ids, contents and choices must be the same set. On SQLite the
 * function does nothing (random rowids already place the rows): it returns 0 and moves nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { shuffleBallotRows } from '../../../../src/domain/polls/ballots.ts';
import { createPoll, type PollWithOptions } from '../../../../src/domain/polls/polls.ts';
import { makeCommunity, OPERATOR } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';
import { TEST_ENGINE } from '../../../support/testDatabase.ts';

const BALLOTS = 60;

describe(`shuffleBallotRows on ${TEST_ENGINE}`, () => {
  let db: Db;
  let poll: PollWithOptions;
  /** Ballot ids in the order they were cast. */
  const cast: string[] = [];

  beforeAll(async () => {
    ({ db } = await freshDatabase());
    const community = await makeCommunity(db);
    const now = new Date();
    poll = await createPoll(
      db,
      { actor: OPERATOR, via: 'test' },
      community.id,
      { question: '是否同意更换小区门禁系统？', options: 'standard', maxChoices: 1, electorate: 'residents', anonymous: true, allowChange: true, closesAt: new Date(now.getTime() + 86_400_000), quorum: { kind: 'none' }, rule: 'majority', liveResults: false },
      now,
    );
    // One at a time, as taps come in: the heap then lines the rows up in this order.
    for (let i = 0; i < BALLOTS; i++) {
      const id = randomUUID();
      cast.push(id);
      await db.ballot.create({ data: { id, pollId: poll.id, advisory: i % 10 === 0, source: 'online', voterHash: null, participationId: null, choices: { create: [{ optionId: poll.options[i % 3].id }] } } });
    }
  });
  afterAll(async () => db?.$disconnect());

  /** Ballot ids and choice ballot ids in physical order (PostgreSQL's ctid). */
  const heapOrder = async () => ({
    ballots: (await db.$queryRawUnsafe<{ id: string }[]>(`SELECT "id" FROM "Ballot" WHERE "pollId" = $1 ORDER BY ctid`, poll.id)).map((r) => r.id),
    choices: (await db.$queryRawUnsafe<{ ballotId: string }[]>(`SELECT c."ballotId" FROM "BallotChoice" c JOIN "Ballot" b ON b."id" = c."ballotId" WHERE b."pollId" = $1 ORDER BY c.ctid`, poll.id)).map((r) => r.ballotId),
  });
  const contents = async () =>
    (await db.ballot.findMany({ where: { pollId: poll.id }, include: { choices: { select: { optionId: true } } }, orderBy: { id: 'asc' } })).map((b) => ({ id: b.id, advisory: b.advisory, source: b.source, choices: b.choices.map((c) => c.optionId) }));

  it.runIf(TEST_ENGINE === 'postgresql')('rewrites the ballots and their choices in random order, keeping every id and choice', async () => {
    const before = await heapOrder();
    // The premise: before the shuffle, the heap follows the voting order (what the shuffle is for).
    expect(before.ballots).toEqual(cast);
    expect(before.choices).toEqual(cast);
    const kept = await contents();
    const moved = await db.$transaction((tx) => shuffleBallotRows(tx as unknown as Db, poll.id));
    expect(moved).toBe(BALLOTS);
    const after = await heapOrder();
    expect(await contents()).toEqual(kept);
    expect([...after.ballots].sort()).toEqual([...cast].sort());
    // A random permutation of 60 equals the voting order with probability 1/60!.
    expect(after.ballots).not.toEqual(cast);
    expect(after.choices).not.toEqual(cast);
    // And the choices are not merely the ballots' order again: each table is shuffled on its own.
    expect(after.choices).not.toEqual(after.ballots);
  });

  it.runIf(TEST_ENGINE === 'postgresql')('leaves ballots that still carry a link (a named ballot, or a sealed hash) where they are', async () => {
    const linked = randomUUID();
    await db.ballot.create({ data: { id: linked, pollId: poll.id, voterHash: 'a'.repeat(64), choices: { create: [{ optionId: poll.options[0].id }] } } });
    const moved = await db.$transaction((tx) => shuffleBallotRows(tx as unknown as Db, poll.id));
    expect(moved).toBe(BALLOTS);
    expect(await db.ballot.findUnique({ where: { id: linked } })).toMatchObject({ voterHash: 'a'.repeat(64) });
  });

  it.runIf(TEST_ENGINE === 'sqlite')('does nothing on SQLite, where rowids are random already', async () => {
    const kept = await contents();
    expect(await shuffleBallotRows(db, poll.id)).toBe(0);
    expect(await contents()).toEqual(kept);
  });
});
