/**
 * The vote and the close are serialised (issue #19): 300 taps while the poll closes, five
 * rounds. Every tap told "recorded" must be in the result the close stored, and no ballot may
 * land after it. On SQLite one writer serialises them anyway; on PostgreSQL (run with
 * LINLI_TEST_DATABASE, tests/support/testDatabase.ts) transactions run side by side and the vote
 * holds the poll row (src/db/dialect.ts shareLockSql) — without it, a vote that saw the poll open
 * could commit after the close counted and be lost while its voter was told "已投票".
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { DomainError } from '../../../../src/domain/errors.ts';
import { closePoll } from '../../../../src/domain/polls/lifecycle.ts';
import { createPoll, type PollResult } from '../../../../src/domain/polls/polls.ts';
import { createBallotSeal } from '../../../../src/domain/polls/secrecy.ts';
import { BallotBox } from '../../../../src/domain/polls/voting.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import type { Actor } from '../../../../src/domain/residents/roles.ts';
import type { Community, Person } from '../../../../src/generated/prisma/client.ts';
import { grantRole, makeCommunity, OPERATOR } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';
import { TEST_ENGINE } from '../../../support/testDatabase.ts';

const VOTERS = 300;
const ROUNDS = 5;

describe(`votes racing the close (${TEST_ENGINE})`, () => {
  let db: Db;
  let community: Community;
  const voters: { person: Person; actor: Actor }[] = [];

  beforeAll(async () => {
    ({ db } = await freshDatabase());
    community = await makeCommunity(db);
    for (let i = 0; i < VOTERS; i++) {
      const person = await grantRole(db, community, 9000 + i, 'verified', `${i + 1}-101`);
      voters.push({ person, actor: await loadActor(db, person) });
    }
  }, 120_000);
  afterAll(() => db?.$disconnect());

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: every acknowledged vote is counted, none after the close`, async () => {
      const now = new Date();
      const box = new BallotBox(db, createBallotSeal(async () => randomBytes(32)));
      const poll = await createPoll(
        db,
        { actor: OPERATOR, via: 'test' },
        community.id,
        {
          question: `第${round}轮：是否同意调整小区垃圾分类投放时间？`,
          options: 'standard',
          maxChoices: 1,
          electorate: 'residents',
          anonymous: false,
          allowChange: round % 2 === 0, // odd rounds take the insert path, even ones the upsert path
          closesAt: new Date(now.getTime() + 86_400_000),
          quorum: { kind: 'none' },
          rule: 'majority',
          liveResults: true,
        },
        now,
      );
      const acknowledged = new Set<string>();
      const refused: string[] = [];
      const tap = async (i: number) => {
        const { person, actor } = voters[i];
        await new Promise((r) => setTimeout(r, i % 30)); // a few event-loop turns apart
        try {
          const outcome = await box.cast({ poll, actor, voterName: person.displayName, position: 1 + (i % 2), now });
          if (outcome.effect === 'recorded') acknowledged.add(person.id);
          firstAck();
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          refused.push(error.key);
        }
      };
      const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
      let firstAck!: () => void;
      const acked = new Promise<void>((r) => (firstAck = r));
      // Three waves of 100 taps: the first is in flight when the close starts; the second is
      // tapped together with the close (the race); the third comes after the close (all refused).
      const first = range(0, VOTERS / 3).map(tap);
      await acked;
      const closing = closePoll(db, poll.id, now, null);
      const second = range(VOTERS / 3, (2 * VOTERS) / 3).map(tap);
      const closed = await closing;
      const third = range((2 * VOTERS) / 3, VOTERS).map(tap);
      await Promise.all([...first, ...second, ...third]);

      expect(closed).not.toBeNull();
      const stored = JSON.parse((await db.poll.findUniqueOrThrow({ where: { id: poll.id } })).result!) as PollResult;
      const participants = await db.pollParticipation.findMany({ where: { pollId: poll.id }, select: { personId: true } });
      const ballots = await db.ballot.count({ where: { pollId: poll.id } });
      // The close landed among the taps: some were in, some came too late.
      expect(acknowledged.size).toBeGreaterThan(0);
      expect(refused.length).toBeGreaterThanOrEqual(VOTERS / 3);
      expect(acknowledged.size + refused.length).toBe(VOTERS);
      expect(new Set(refused)).toEqual(new Set(['polls.vote_closed']));
      // Every acknowledged vote counted in the stored result, and nothing written after the close.
      expect(stored.onlineBallots).toBe(acknowledged.size);
      expect(ballots).toBe(acknowledged.size);
      expect(new Set(participants.map((p) => p.personId))).toEqual(acknowledged);
      console.info(`[${TEST_ENGINE}] round ${round}: ${acknowledged.size} recorded before the close, ${refused.length} refused after it`);
    }, 60_000);
  }
});
