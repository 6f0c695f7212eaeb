/**
 * Storing checked paper ballots many at a time (paper.ts storePaperBallots, through the ballot
 * box's storePaper — what a file of returned ballots is entered by): a file larger than one
 * transaction's chunk comes out with one participation, ballot, choice set and audit entry per
 * ballot, linked as a single entry links them (named: by participation; anonymous: by the keyed
 * hash, so a correction finds it); the database's one-ballot-per-household guard still refuses a
 * household that voted in the group after the file was checked, or twice in one call, with when
 * and how; a closed poll refuses every ballot; a resident may not store any.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { enterPaperBatch, readPaperBatch } from '../../../../src/domain/polls/paperBatch.ts';
import type { CheckedPaperBallot } from '../../../../src/domain/polls/paper.ts';
import { closePoll } from '../../../../src/domain/polls/lifecycle.ts';
import { createPoll, type PollWithOptions } from '../../../../src/domain/polls/polls.ts';
import type { PollDraft } from '../../../../src/domain/polls/rules.ts';
import { createBallotSeal } from '../../../../src/domain/polls/secrecy.ts';
import { BallotBox } from '../../../../src/domain/polls/voting.ts';
import { applyImport } from '../../../../src/domain/register/apply.ts';
import { previewImport } from '../../../../src/domain/register/import.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { generatedCsv, registerCsv } from '../../features/register/files.ts';
import { grantRole, makeCommunity, OPERATOR } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';

const now = new Date('2026-12-01T02:00:00Z');
const BY = { actor: OPERATOR, via: 'test' };
/** More than two of storePaperBallots' chunks (250). */
const HOUSEHOLDS = 600;

describe('storing checked paper ballots many at a time', () => {
  let db: Db;
  let community: Community;
  let box: BallotBox;
  let households: { id: string; unit: string }[];
  const make = (over: Partial<PollDraft> = {}): Promise<PollWithOptions> =>
    createPoll(
      db,
      BY,
      community.id,
      { question: '是否同意增设快递柜？', options: 'standard', maxChoices: 1, electorate: 'households', anonymous: false, allowChange: true, closesAt: new Date(now.getTime() + 86_400_000), quorum: { kind: 'none' }, rule: 'majority', liveResults: false, ...over },
      now,
    );
  const checked = (h: { id: string; unit: string }, positions: number[] = [1]): CheckedPaperBallot => ({ household: h, positions, by: 'unit' });

  beforeAll(async () => {
    ({ db } = await freshDatabase());
    community = await makeCommunity(db);
    const { table, plan } = await previewImport(db, OPERATOR, community, { name: '名册.csv', bytes: generatedCsv(HOUSEHOLDS) });
    await applyImport(db, OPERATOR, 'test', community.id, { rows: table.rows, facts: table.facts, expectedFingerprint: plan.fingerprint, fileName: '名册.csv' }, now);
    households = await db.household.findMany({ where: { communityId: community.id }, select: { id: true, unit: true }, orderBy: { unit: 'asc' } });
    box = new BallotBox(db, createBallotSeal(async () => Buffer.alloc(32, 7)));
  });

  it(`a file of ${HOUSEHOLDS} ballots (three transactions): every ballot entered once, linked, counted and audited`, async () => {
    const poll = await make();
    const file = registerCsv([['房号', '选项'], ...households.map((h, i) => [h.unit, i % 3 === 0 ? '反对' : '赞成'])]);
    const report = await enterPaperBatch(db, box, BY, poll.id, await readPaperBatch(file, '回收.csv'), now);
    expect(report.refused).toEqual([]);
    expect(report.entered).toHaveLength(HOUSEHOLDS);
    const participations = await db.pollParticipation.findMany({ where: { pollId: poll.id }, include: { ballot: { include: { choices: { include: { option: true } } } } } });
    expect(participations).toHaveLength(HOUSEHOLDS);
    expect(participations.every((p) => p.source === 'paper' && p.enteredById === OPERATOR.personId && p.personId === null && p.castAt.getTime() === now.getTime())).toBe(true);
    // Named poll: each ballot belongs to its participation and holds the row's option.
    const byUnit = new Map(participations.map((p) => [p.voterName, p]));
    households.forEach((h, i) => {
      const p = byUnit.get(h.unit)!;
      expect(p.voterKey).toBe(`h:${h.id}`);
      expect(p.ballot?.source).toBe('paper');
      expect(p.ballot?.choices.map((c) => c.option.kind)).toEqual([i % 3 === 0 ? 'no' : 'yes']);
    });
    expect(await db.ballot.count({ where: { pollId: poll.id } })).toBe(HOUSEHOLDS);
    const audits = await db.auditEntry.findMany({ where: { targetId: poll.id, action: 'poll.paper_entry' } });
    expect(audits).toHaveLength(HOUSEHOLDS);
    expect(JSON.parse(audits.find((a) => a.details?.includes(households[0].unit))!.details!)).toEqual({ number: poll.number, unit: households[0].unit, by: 'unit', positions: [2] });
    expect((await db.poll.findUniqueOrThrow({ where: { id: poll.id } })).firstVoteAt?.getTime()).toBe(now.getTime());
  });

  it('the database still decides: a household that tapped after the check, or twice in one call, is refused with when and how', async () => {
    const poll = await make({ maxChoices: 2, options: [{ label: '方案A' }, { label: '方案B' }, { label: '方案C' }] });
    const unit = households[5].unit;
    const resident = await grantRole(db, community, 9301, 'verified', unit);
    await box.cast({ poll, actor: await loadActor(db, resident), voterName: '居民', position: 1, now });
    const out = await box.storePaper(BY, poll, [checked(households[4], [1, 3]), checked(households[5]), checked(households[6]), checked(households[6], [2])], now);
    expect(out.map((e) => e?.key ?? null)).toEqual([null, 'ballots.household_already_voted_online', null, 'ballots.household_already_voted_paper']);
    expect(out[1]?.params).toMatchObject({ unit });
    expect(await db.pollParticipation.count({ where: { pollId: poll.id } })).toBe(3);
    expect(await db.auditEntry.count({ where: { targetId: poll.id, action: 'poll.paper_entry' } })).toBe(2);
    // Both marks of a multiple-choice ballot are stored; the first of household 6's two is kept.
    const marks = async (i: number) => (await db.ballotChoice.findMany({ where: { ballot: { participation: { pollId: poll.id, voterKey: `h:${households[i].id}` } } }, include: { option: true } })).map((c) => c.option.position).sort();
    expect(await marks(4)).toEqual([1, 3]);
    expect(await marks(6)).toEqual([1]);
    // The online ballot is untouched: still the resident's own.
    const online = await db.pollParticipation.findUniqueOrThrow({ where: { pollId_voterKey: { pollId: poll.id, voterKey: `h:${households[5].id}` } } });
    expect(online).toMatchObject({ source: 'online', personId: resident.id });
  });

  it('an anonymous poll: the ballots carry the keyed hash, not the participation, and a correction finds them', async () => {
    const poll = await make({ anonymous: true, allowChange: false });
    const out = await box.storePaper(BY, poll, households.slice(0, 3).map((h) => checked(h, [1])), now);
    expect(out).toEqual([null, null, null]);
    const ballots = await db.ballot.findMany({ where: { pollId: poll.id } });
    expect(ballots).toHaveLength(3);
    expect(ballots.every((b) => b.participationId === null && typeof b.voterHash === 'string')).toBe(true);
    expect((await db.pollParticipation.findMany({ where: { pollId: poll.id } })).every((p) => p.voterName === null)).toBe(true);
    const audits = await db.auditEntry.findMany({ where: { targetId: poll.id, action: 'poll.paper_entry' } });
    expect(audits.map((a) => JSON.parse(a.details!))).toEqual(households.slice(0, 3).map((h) => ({ number: poll.number, unit: h.unit, by: 'unit' })));
    await box.correctPaper(BY, poll.id, { unit: households[1].unit }, [2], '录入时勾错选项', now);
    const choices = await db.ballotChoice.findMany({ where: { ballot: { pollId: poll.id } }, include: { option: true } });
    expect(choices.map((c) => c.option.kind).sort()).toEqual(['no', 'yes', 'yes']);
  });

  it('a closed poll refuses every ballot; a resident may store none', async () => {
    const poll = await make();
    await closePoll(db, poll.id, now, BY);
    const out = await box.storePaper(BY, poll, [checked(households[0]), checked(households[1])], now);
    expect(out.map((e) => e?.key)).toEqual(['ballots.after_close', 'ballots.after_close']);
    const open = await make();
    const resident = { actor: await loadActor(db, await grantRole(db, community, 9302, 'verified', households[9].unit)), via: 'test' };
    await expect(box.storePaper(resident, open, [checked(households[0])], now)).rejects.toMatchObject({ name: 'DomainError' });
    expect(await db.pollParticipation.count({ where: { pollId: { in: [poll.id, open.id] } } })).toBe(0);
  });
});
