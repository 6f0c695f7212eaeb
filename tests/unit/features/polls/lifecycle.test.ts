/**
 * A poll's moves at the domain level (states.ts, lifecycle.ts): only the table's moves happen,
 * by the right mover, each once and each audited with its actor; closing and cancelling cut the
 * secret links of an anonymous poll.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { cancelPoll, closePoll, openPoll } from '../../../../src/domain/polls/lifecycle.ts';
import { createPoll, type PollWithOptions } from '../../../../src/domain/polls/polls.ts';
import type { PollDraft } from '../../../../src/domain/polls/rules.ts';
import { createBallotSeal } from '../../../../src/domain/polls/secrecy.ts';
import { findTransition, POLL_TRANSITIONS } from '../../../../src/domain/polls/states.ts';
import { BallotBox } from '../../../../src/domain/polls/voting.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import type { Actor } from '../../../../src/domain/residents/roles.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { grantRole, makeCommunity, OPERATOR } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';

describe('the poll transition table', () => {
  it('allows each listed move by its mover only, and a cancellation only with a reason', () => {
    expect(findTransition('open', 'closed', 'system:clock').audit).toBe('poll.close');
    expect(findTransition('open', 'closed', 'poll.manage').audit).toBe('poll.close_early');
    expect(() => findTransition('scheduled', 'open', 'poll.manage')).toThrow(expect.objectContaining({ key: 'polls.not_open_now' }));
    expect(() => findTransition('closed', 'open', 'system:clock')).toThrow(expect.objectContaining({ key: 'polls.not_open_now' }));
    expect(() => findTransition('cancelled', 'closed', 'poll.manage')).toThrow(expect.objectContaining({ key: 'polls.not_open_now' }));
    expect(() => findTransition('open', 'cancelled', 'poll.manage', ' ')).toThrow(expect.objectContaining({ key: 'polls.cancel_reason_needed' }));
    expect(() => findTransition('open', 'cancelled', 'system:clock', 'x')).toThrow();
    // Nothing ever leaves closed or cancelled.
    expect(POLL_TRANSITIONS.filter((t) => t.from === 'closed' || t.from === 'cancelled')).toEqual([]);
  });
});

describe('poll moves', () => {
  let db: Db;
  let community: Community;
  let committee: Actor;
  let resident: Actor;
  const now = new Date('2026-12-01T02:00:00Z');
  const draft = (over: Partial<PollDraft> = {}): PollDraft => ({
    question: '是否同意更换小区路灯？',
    options: 'standard',
    maxChoices: 1,
    electorate: 'residents',
    anonymous: true,
    allowChange: true,
    closesAt: new Date(now.getTime() + 86_400_000),
    quorum: { kind: 'none' },
    rule: 'majority',
    liveResults: false,
    ...over,
  });
  const make = (over: Partial<PollDraft> = {}): Promise<PollWithOptions> => createPoll(db, { actor: OPERATOR, via: 'test' }, community.id, draft(over), now);
  const auditOf = async (pollId: string) => (await db.auditEntry.findMany({ where: { targetId: pollId }, orderBy: { at: 'asc' } })).map((a) => ({ action: a.action, actorId: a.actorId, via: a.via }));

  beforeAll(async () => {
    ({ db } = await freshDatabase());
    community = await makeCommunity(db);
    committee = await loadActor(db, await grantRole(db, community, 6001, 'committee'));
    resident = await loadActor(db, await grantRole(db, community, 6002, 'verified'));
  });

  it('opens a scheduled poll once, by the clock, on record', async () => {
    const poll = await make({ opensAt: new Date(now.getTime() + 3_600_000) });
    expect(poll.status).toBe('scheduled');
    expect((await openPoll(db, poll.id, now))?.status).toBe('open');
    expect(await openPoll(db, poll.id, now)).toBeNull();
    expect(await auditOf(poll.id)).toEqual([expect.objectContaining({ action: 'poll.create' }), { action: 'poll.open', actorId: null, via: 'scheduler' }]);
  });

  it('lets the committee close early and refuses a resident; a closed poll stays closed', async () => {
    const poll = await make();
    await expect(closePoll(db, poll.id, now, { actor: resident, via: 'telegram' })).rejects.toMatchObject({ key: 'errors.forbidden' });
    const closed = await closePoll(db, poll.id, now, { actor: committee, via: 'telegram' });
    expect(closed?.poll.status).toBe('closed');
    expect(closed?.result.turnout).toBe(0);
    expect(await closePoll(db, poll.id, now, null)).toBeNull();
    await expect(cancelPoll(db, { actor: committee, via: 'telegram' }, poll.id, '重复发起', now)).rejects.toMatchObject({ key: 'polls.not_open_now' });
    expect((await auditOf(poll.id)).map((a) => a.action)).toEqual(['poll.create', 'poll.close_early']);
  });

  it('cancels with a reason, and cuts the secret links of an anonymous poll', async () => {
    const poll = await make();
    const box = new BallotBox(db, createBallotSeal(async () => randomBytes(32)));
    await box.cast({ poll, actor: resident, voterName: '居民', position: 1, now });
    expect(await db.ballot.count({ where: { pollId: poll.id, voterHash: { not: null } } })).toBe(1);
    await expect(cancelPoll(db, { actor: committee, via: 'telegram' }, poll.id, ' ', now)).rejects.toMatchObject({ key: 'polls.cancel_reason_needed' });
    const cancelled = await cancelPoll(db, { actor: committee, via: 'telegram' }, poll.id, '议题需要先征求物业意见', now);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: '议题需要先征求物业意见' });
    expect(await db.ballot.count({ where: { pollId: poll.id, voterHash: { not: null } } })).toBe(0);
    expect(await db.ballot.count({ where: { pollId: poll.id } })).toBe(1);
    expect((await auditOf(poll.id)).at(-1)).toEqual({ action: 'poll.cancel', actorId: committee.personId, via: 'telegram' });
  });
});
