/**
 * Voting and closing at the domain level: who gets which ballot slot, multiple-choice approval
 * votes on linked proposals (toggle, maximum, outcome per proposal), rules frozen after the
 * first vote, and closing twice.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { randomBytes } from 'node:crypto';
import { closePoll } from '../../../../src/domain/polls/lifecycle.ts';
import { createPoll, proposalDecisions, type PollWithOptions } from '../../../../src/domain/polls/polls.ts';
import { createBallotSeal } from '../../../../src/domain/polls/secrecy.ts';
import { BallotBox, voterSlot } from '../../../../src/domain/polls/voting.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import type { Actor } from '../../../../src/domain/residents/roles.ts';
import type { Community, Person } from '../../../../src/generated/prisma/client.ts';
import { grantRole, makeCommunity, OPERATOR } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';

describe('voter slots', () => {
  const actor = (roles: string[], householdId: string | null = null): Actor => ({
    personId: 'p1',
    isAdmin: false,
    grants: roles.map((role) => ({ communityId: 'c', role: role as never, householdId: role === 'verified' ? householdId : null })),
  });
  const poll = (electorate: string) => ({ communityId: 'c', electorate });
  it('maps roles to ballots per electorate', () => {
    expect(voterSlot(actor(['council']), poll('council'))).toEqual({ voterKey: 'p:p1', advisory: false });
    expect(voterSlot(actor(['verified'], 'h1'), poll('council'))).toEqual({ ineligible: 'not_council' });
    expect(voterSlot(actor(['verified'], 'h1'), poll('residents'))).toEqual({ voterKey: 'p:p1', advisory: false });
    expect(voterSlot(actor(['verified'], 'h1'), poll('households'))).toEqual({ voterKey: 'h:h1', advisory: false });
    expect(voterSlot(actor(['verified']), poll('households'))).toEqual({ ineligible: 'no_household' });
    expect(voterSlot(actor([]), poll('residents'))).toEqual({ ineligible: 'not_verified' });
    expect(voterSlot({ personId: 'p1', isAdmin: true, grants: [] }, poll('residents'))).toEqual({ ineligible: 'not_verified' });
  });
  it('gives invited members an advisory ballot only when they are outside the electorate', () => {
    expect(voterSlot(actor(['invited']), poll('council'))).toEqual({ voterKey: 'a:p1', advisory: true });
    expect(voterSlot(actor(['invited', 'council']), poll('council'))).toEqual({ voterKey: 'p:p1', advisory: false });
  });
});

describe('approval vote on shortlisted proposals', () => {
  let db: Db;
  let box: BallotBox;
  let community: Community;
  let poll: PollWithOptions;
  const voters: { person: Person; actor: Actor }[] = [];
  const now = new Date();
  const vote = (i: number, position: number) => box.cast({ poll, actor: voters[i].actor, voterName: voters[i].person.displayName, position, now });
  const keyOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e) => (e as { key: string }).key);

  beforeAll(async () => {
    ({ db } = await freshDatabase());
    box = new BallotBox(db, createBallotSeal(async () => randomBytes(32)));
    community = await makeCommunity(db);
    const proposals = [];
    for (let i = 1; i <= 4; i++) {
      proposals.push(
        await db.proposal.create({
          data: { communityId: community.id, number: i, authorName: '居民', title: `项目${i}`, category: 'greening', description: '说明', location: '小区', status: 'shortlisted' },
        }),
      );
    }
    for (let i = 0; i < 5; i++) {
      const person = await grantRole(db, community, 200 + i, 'verified');
      voters.push({ person, actor: await loadActor(db, person) });
    }
    poll = await createPoll(
      db,
      { actor: OPERATOR, via: 'test' },
      community.id,
      {
        question: '请选出本年度实施的民生微实事项目',
        options: proposals.map((p) => ({ label: p.title, proposalId: p.id })),
        maxChoices: 2,
        electorate: 'residents',
        anonymous: true,
        allowChange: true,
        closesAt: new Date(now.getTime() + 86_400_000),
        quorum: { kind: 'count', value: 3 },
        rule: 'majority',
        liveResults: false,
      },
      now,
    );
  });

  it('toggles choices up to the maximum', async () => {
    expect(await vote(0, 1)).toMatchObject({ effect: 'recorded', positions: [1], first: true });
    // Written by the fast path's plain SQL, read back by Prisma as the same instant (the ballot itself carries no time).
    expect((await db.pollParticipation.findFirstOrThrow({ where: { pollId: poll.id } })).castAt.getTime()).toBe(now.getTime());
    expect(await vote(0, 3)).toMatchObject({ effect: 'added', positions: [1, 3] });
    expect(await keyOf(vote(0, 4))).toBe('polls.max_reached');
    expect(await vote(0, 3)).toMatchObject({ effect: 'removed', positions: [1] });
    expect(await vote(0, 2)).toMatchObject({ effect: 'added', positions: [1, 2] });
    expect(await db.ballot.count({ where: { pollId: poll.id } })).toBe(1);
    expect((await db.poll.findUniqueOrThrow({ where: { id: poll.id } })).firstVoteAt).not.toBeNull();
  });

  it('refuses an option that does not exist', async () => {
    expect(await keyOf(vote(1, 7))).toBe('polls.vote_bad_option');
  });

  it('approves the proposals that pass the rule and quorum, best first', async () => {
    await vote(1, 1);
    await vote(1, 2);
    await vote(2, 1);
    await vote(3, 4);
    // p1: 3 of 4 voters, p2: 2 of 4 (not more than half), p4: 1.
    const closed = await closePoll(db, poll.id, new Date(now.getTime() + 1000), null);
    expect(closed!.result).toMatchObject({ turnout: 4, quorumMet: true, passed: true, electorateSize: 5 });
    const decisions = proposalDecisions(closed!.poll, closed!.result);
    const byPosition = (pos: number) => closed!.poll.options.find((o) => o.position === pos)!.proposalId;
    expect(decisions.approved).toEqual([byPosition(1)]);
    expect(decisions.rejected.sort()).toEqual([byPosition(2), byPosition(3), byPosition(4)].sort());
    expect(await closePoll(db, poll.id, new Date(), null)).toBeNull();
    expect(await keyOf(vote(4, 1))).toBe('polls.vote_closed');
  });
});
