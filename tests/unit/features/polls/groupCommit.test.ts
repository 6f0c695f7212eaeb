/**
 * Taps that arrive together are committed in one shared transaction (tapCommitter.ts).
 * The outcome must be exactly that of running them one after another: one ballot per voter or
 * household, each tap told what it did, and one failing tap not taking the others down. The
 * polls here are anonymous: who voted what is read back the way only the bot can — through the
 * keyed hash, with the key this test holds — and not at all for a final secret ballot.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { closePoll } from '../../../../src/domain/polls/lifecycle.ts';
import { createPoll, type PollWithOptions } from '../../../../src/domain/polls/polls.ts';
import { createBallotSeal } from '../../../../src/domain/polls/secrecy.ts';
import { BallotBox, type VoteOutcome } from '../../../../src/domain/polls/voting.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import type { Actor } from '../../../../src/domain/residents/roles.ts';
import type { Community, Person } from '../../../../src/generated/prisma/client.ts';
import { grantRole, makeCommunity, OPERATOR } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';

describe('taps committed together', () => {
  let db: Db;
  let box: BallotBox;
  const seal = createBallotSeal(async () => randomBytes(32));
  let community: Community;
  const voters: { person: Person; actor: Actor }[] = [];
  const now = new Date();

  const newPoll = (electorate: 'residents' | 'households', allowChange = true) =>
    createPoll(
      db,
      { actor: OPERATOR, via: 'test' },
      community.id,
      {
        question: '是否同意在3号楼前增设非机动车充电桩？',
        options: 'standard',
        maxChoices: 1,
        electorate,
        anonymous: true,
        allowChange,
        closesAt: new Date(now.getTime() + 86_400_000),
        quorum: { kind: 'none' },
        rule: 'majority',
        liveResults: true,
      },
      now,
    );
  const tap = (poll: PollWithOptions, i: number, position: number) =>
    box.cast({ poll, actor: voters[i].actor, voterName: voters[i].person.displayName, position, now });
  /** Each voter with the positions on their ballot, found through the keyed hash. */
  const ballotsOf = async (pollId: string) => {
    await seal.ready(db);
    const voted = await db.pollParticipation.findMany({ where: { pollId }, orderBy: { voterKey: 'asc' } });
    const out = [];
    for (const v of voted) {
      const ballot = await db.ballot.findFirst({ where: { pollId, voterHash: seal.hash(pollId, v.voterKey) }, include: { choices: { include: { option: true } } } });
      out.push({ voterKey: v.voterKey, personId: v.personId, positions: ballot?.choices.map((c) => c.option.position) ?? null });
    }
    return out;
  };
  /** What was chosen, linked to nobody: each ballot's positions, sorted. */
  const choicesOf = async (pollId: string) => {
    const ballots = await db.ballot.findMany({ where: { pollId }, include: { choices: { include: { option: true } } } });
    return ballots.map((b) => b.choices.map((c) => c.option.position).sort()).sort();
  };
  const votersOf = async (pollId: string) => (await db.pollParticipation.findMany({ where: { pollId } })).map((p) => p.personId).sort();
  const effects = (outcomes: VoteOutcome[]) => outcomes.map((o) => o.effect);

  beforeAll(async () => {
    ({ db } = await freshDatabase());
    box = new BallotBox(db, seal);
    community = await makeCommunity(db);
    for (let i = 0; i < 6; i++) {
      // Two people per household: units 1, 1, 2, 2, 3, 3.
      const person = await grantRole(db, community, 500 + i, 'verified', `1-${Math.floor(i / 2) + 1}`);
      voters.push({ person, actor: await loadActor(db, person) });
    }
  });

  it('records many voters at once, one ballot each, each tap told what it did', async () => {
    const poll = await newPoll('residents');
    const first = await Promise.all(voters.map((_, i) => tap(poll, i, (i % 3) + 1)));
    expect(effects(first)).toEqual(Array(6).fill('recorded'));
    expect(first.filter((o) => o.first)).toHaveLength(1);
    // Half of them change their mind, the others tap the same option again — all at once.
    const second = await Promise.all(voters.map((_, i) => tap(poll, i, i % 2 ? ((i + 1) % 3) + 1 : (i % 3) + 1)));
    expect(effects(second)).toEqual(['unchanged', 'changed', 'unchanged', 'changed', 'unchanged', 'changed']);
    const ballots = await ballotsOf(poll.id);
    expect(ballots).toHaveLength(6);
    const byPerson = new Map(ballots.map((b) => [b.personId, b.positions]));
    voters.forEach((v, i) => expect(byPerson.get(v.person.id)).toEqual([i % 2 ? ((i + 1) % 3) + 1 : (i % 3) + 1]));
  });

  it('runs two taps of the same voter in one commit in order: recorded, then changed', async () => {
    const poll = await newPoll('residents');
    const outcomes = await Promise.all([tap(poll, 0, 1), tap(poll, 0, 2), tap(poll, 0, 3)]);
    expect(effects(outcomes)).toEqual(['recorded', 'changed', 'changed']);
    expect(await ballotsOf(poll.id)).toEqual([{ voterKey: `p:${voters[0].person.id}`, personId: voters[0].person.id, positions: [3] }]);
  });

  it('gives a household one ballot when both members tap at once, the later tap deciding', async () => {
    const poll = await newPoll('households');
    const outcomes = await Promise.all([tap(poll, 2, 1), tap(poll, 3, 2)]);
    expect(effects(outcomes)).toEqual(['recorded', 'changed']);
    const ballots = await ballotsOf(poll.id);
    expect(ballots).toHaveLength(1);
    expect(ballots[0]).toMatchObject({ voterKey: expect.stringMatching(/^h:/), personId: voters[3].person.id, positions: [2] });
  });

  it('refuses a change where the poll does not allow it, even inside a shared commit', async () => {
    const poll = await newPoll('residents', false);
    const outcomes = await Promise.allSettled([tap(poll, 4, 1), tap(poll, 4, 2), tap(poll, 5, 3)]);
    // A final secret ballot is tied to nobody: the second tap is told the ballot stands, not what it holds.
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.effect : (o.reason as { key: string }).key))).toEqual(['recorded', 'unchanged', 'recorded']);
    expect(outcomes[1]).toMatchObject({ value: { secret: true, positions: [] } });
    expect(await votersOf(poll.id)).toEqual([voters[4].person.id, voters[5].person.id].sort());
    expect(await choicesOf(poll.id)).toEqual([[1], [3]]);
    expect(await db.ballot.count({ where: { pollId: poll.id, OR: [{ voterHash: { not: null } }, { participationId: { not: null } }] } })).toBe(0);
  });

  it('keeps the other taps when one tap of the shared commit fails', async () => {
    const poll = await newPoll('residents');
    // A forged option that does not exist in the database: its choice row breaks the foreign key.
    const forged: PollWithOptions = { ...poll, options: [...poll.options, { ...poll.options[0], id: 'no-such-option', position: 9 }] };
    const outcomes = await Promise.allSettled([tap(poll, 0, 1), box.cast({ poll: forged, actor: voters[1].actor, voterName: 'x', position: 9, now }), tap(poll, 2, 2)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const ballots = await ballotsOf(poll.id);
    expect(ballots.map((b) => b.personId).sort()).toEqual([voters[0].person.id, voters[2].person.id].sort());
    expect(ballots.every((b) => b.positions?.length === 1)).toBe(true);
  });

  it('answers the same option again as unchanged, but refuses it to another household member where changes are not allowed', async () => {
    const poll = await newPoll('households', false);
    expect((await tap(poll, 0, 2)).effect).toBe('recorded');
    expect(await tap(poll, 0, 2)).toEqual({ effect: 'unchanged', advisory: false, positions: [], first: false, secret: true });
    await expect(tap(poll, 1, 2)).rejects.toMatchObject({ key: 'polls.household_voted' });
    await expect(tap(poll, 1, 1)).rejects.toMatchObject({ key: 'polls.household_voted' });
    expect(await votersOf(poll.id)).toEqual([voters[0].person.id]);
    expect(await choicesOf(poll.id)).toEqual([[2]]);
  });

  it('refuses taps on a poll closed after the voter loaded it, the same option again included', async () => {
    const poll = await newPoll('residents');
    expect((await tap(poll, 0, 1)).effect).toBe('recorded');
    await closePoll(db, poll.id, now, null);
    // `poll` is the copy loaded while it was open (the bot caches open polls).
    for (const position of [1, 2]) await expect(tap(poll, 0, position)).rejects.toMatchObject({ key: 'polls.vote_closed' });
    await expect(tap(poll, 1, 1)).rejects.toMatchObject({ key: 'polls.vote_closed' });
    // Closed: the link is gone, the choice stays counted.
    expect((await ballotsOf(poll.id)).map((b) => b.positions)).toEqual([null]);
    expect(await choicesOf(poll.id)).toEqual([[1]]);
  });
});
