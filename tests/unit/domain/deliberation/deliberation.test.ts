/**
 * The deliberation's rules on a real SQLite file: who may comment on what, texts and limits,
 * repeated submits, moderation races, reasons only in named polls from voters, one closing
 * statement per subject, and parsing a deliberation period.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCommentText, commentPage, moderateComment, postComment, publishedCount } from '../../../../src/domain/deliberation/comments.ts';
import { postStatement } from '../../../../src/domain/deliberation/closing.ts';
import { parsePeriod } from '../../../../src/domain/deliberation/periods.ts';
import { giveReason, reasonsForResult } from '../../../../src/domain/deliberation/reasons.ts';
import { setPreModeration } from '../../../../src/domain/deliberation/settings.ts';
import { findSubject, requireOpenSubject } from '../../../../src/domain/deliberation/subjects.ts';
import { createPoll } from '../../../../src/domain/polls/polls.ts';
import { createBallotSeal } from '../../../../src/domain/polls/secrecy.ts';
import { BallotBox } from '../../../../src/domain/polls/voting.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import type { Db } from '../../../../src/db/client.ts';
import type { Actor } from '../../../../src/domain/residents/roles.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { grantRole, makeCommunity, OPERATOR, telegramPerson } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';
import { scheduleMeeting } from '../../../../src/domain/meetings/meetings.ts';

const now = new Date('2026-12-01T02:00:00Z');

describe('deliberation rules', () => {
  let db: Db;
  let community: Community;
  let resident: Actor;
  let neighbour: Actor;
  let committee: Actor;
  let stranger: Actor;
  let other: Actor;
  const by = (actor: Actor) => ({ actor, via: 'test' });
  const poll = (anonymous: boolean, opensAt?: Date) =>
    createPoll(db, by(OPERATOR), community.id, { question: '是否同意加装座椅？', options: 'standard', maxChoices: 1, electorate: 'residents', anonymous, allowChange: true, opensAt, closesAt: new Date(now.getTime() + 5 * 86_400_000), quorum: { kind: 'none' }, rule: 'majority', liveResults: false }, now);

  beforeAll(async () => {
    ({ db } = await freshDatabase());
    community = await makeCommunity(db);
    const elsewhere = await makeCommunity(db, 'lianhua', '莲花社区');
    resident = await loadActor(db, await grantRole(db, community, 11, 'verified'));
    neighbour = await loadActor(db, await grantRole(db, community, 12, 'verified'));
    committee = await loadActor(db, await grantRole(db, community, 1, 'committee'));
    other = await loadActor(db, await grantRole(db, elsewhere, 31, 'verified'));
    stranger = await loadActor(db, await telegramPerson(db, 4));
  });

  it('checks texts: empty, over the limit with the length written, whitespace cleaned', () => {
    expect(() => checkCommentText('  ')).toThrow(expect.objectContaining({ key: 'deliberation.comment_empty' }));
    expect(() => checkCommentText('字'.repeat(5000))).toThrow(expect.objectContaining({ key: 'deliberation.comment_too_long', params: { max: 1000, n: 5000 } }));
    expect(checkCommentText(' 第一行\r\n\n\n\n第二行\u0007 ')).toBe('第一行\n\n第二行');
  });

  it('lets only verified residents of the subject’s community comment, on open subjects only', async () => {
    const p = await poll(true);
    const subject = { kind: 'poll' as const, id: p.id };
    await expect(postComment(db, by(stranger), subject, '我也想说两句', '路人', now)).rejects.toMatchObject({ key: 'errors.not_verified' });
    await expect(postComment(db, by(other), subject, '我也想说两句', '外社区', now)).rejects.toMatchObject({ key: 'errors.not_verified' });
    await expect(postComment(db, by(resident), { kind: 'poll', id: 'nonexistent' }, '我也想说两句', '居民', now)).rejects.toMatchObject({ key: 'deliberation.subject_unknown' });
    await expect(postComment(db, by(resident), { kind: 'agenda_item', id: 'a1' }, '我也想说两句', '居民', now)).rejects.toMatchObject({ key: 'deliberation.subject_unknown' });
    const c = await postComment(db, by(resident), subject, '我也想说两句', '居民11', now);
    expect(c.status).toBe('published');
    await expect(postComment(db, by(resident), subject, ' 我也想说两句 ', '居民11', now)).rejects.toMatchObject({ key: 'deliberation.comment_repeated' });
    await db.poll.update({ where: { id: p.id }, data: { status: 'closed' } });
    expect((await findSubject(db, subject))?.open).toBe(false);
    await expect(requireOpenSubject(db, subject)).rejects.toMatchObject({ key: 'deliberation.subject_closed' });
    await expect(postComment(db, by(neighbour), subject, '晚了一步', '居民12', now)).rejects.toMatchObject({ key: 'deliberation.subject_closed' });
  });

  it('holds comments under pre-moderation; a rejection needs a reason; a decided comment is not decided again', async () => {
    const p = await poll(true);
    const subject = { kind: 'poll' as const, id: p.id };
    await expect(setPreModeration(db, by(resident), community.id, true, now)).rejects.toMatchObject({ key: 'errors.forbidden' });
    await setPreModeration(db, by(committee), community.id, true, now);
    const c = await postComment(db, by(resident), subject, '建议座椅加装扶手', '居民11', now);
    expect(c.status).toBe('pending');
    expect(await publishedCount(db, subject)).toBe(0);
    await expect(moderateComment(db, by(resident), c.id, 'approve', null, now)).rejects.toMatchObject({ key: 'errors.forbidden' });
    await expect(moderateComment(db, by(committee), c.id, 'reject', ' ', now)).rejects.toMatchObject({ key: 'deliberation.reject_reason_needed' });
    await moderateComment(db, by(committee), c.id, 'approve', null, now);
    await expect(moderateComment(db, by(committee), c.id, 'reject', '重复', now)).rejects.toMatchObject({ key: 'deliberation.already_moderated' });
    expect((await commentPage(db, subject, 0)).total).toBe(1);
    await setPreModeration(db, by(committee), community.id, false, now);
  });

  it('takes a reason only from a voter of a named poll, and never shows one for a secret poll', async () => {
    const box = new BallotBox(db, createBallotSeal(async () => Buffer.alloc(32, 7)));
    const named = await poll(false);
    await expect(giveReason(db, by(resident), named.id, '座椅很需要', '居民11', now)).rejects.toMatchObject({ key: 'deliberation.reason_vote_first' });
    await box.cast({ poll: named, actor: resident, voterName: '居民11', position: 1, now });
    await expect(giveReason(db, by(resident), named.id, '长'.repeat(141), '居民11', now)).rejects.toMatchObject({ key: 'deliberation.reason_too_long', params: { max: 140, n: 141 } });
    await giveReason(db, by(resident), named.id, '老人需要歇脚的地方', '居民11', now);
    await giveReason(db, by(resident), named.id, '老人和孩子都需要歇脚', '居民11', now);
    const shown = await reasonsForResult(db, named);
    expect(shown).toEqual([{ voterName: '居民11', text: '老人和孩子都需要歇脚', optionIds: [named.options[0].id] }]);

    const secret = await poll(true);
    await box.cast({ poll: secret, actor: resident, voterName: '居民11', position: 1, now });
    await expect(giveReason(db, by(resident), secret.id, '理由', '居民11', now)).rejects.toMatchObject({ key: 'deliberation.reason_secret' });
    expect(await reasonsForResult(db, secret)).toEqual([]);
  });

  it('keeps one closing statement per subject, from the committee only', async () => {
    const p = await poll(true);
    const subject = { kind: 'poll' as const, id: p.id };
    await expect(postStatement(db, by(resident), subject, '结论', now)).rejects.toMatchObject({ key: 'errors.forbidden' });
    await expect(postStatement(db, by(committee), subject, '字'.repeat(1001), now)).rejects.toMatchObject({ key: 'deliberation.statement_too_long' });
    await postStatement(db, by(committee), subject, '同意加装，下月施工。', now);
    await expect(postStatement(db, by(committee), subject, '改个说法', now)).rejects.toMatchObject({ key: 'deliberation.statement_exists' });
  });

  it('reads a deliberation period in Chinese and English, and refuses one out of range', () => {
    expect(parsePeriod('议事3天')).toBe(3);
    expect(parsePeriod('议事 ７ 日')).toBe(7);
    expect(parsePeriod('discuss 3 days')).toBe(3);
    expect(parsePeriod('明天 9:00')).toBeNull();
    expect(() => parsePeriod('议事0天')).toThrow(expect.objectContaining({ key: 'deliberation.period_range' }));
    expect(() => parsePeriod('议事45天')).toThrow(expect.objectContaining({ key: 'deliberation.period_range' }));
  });

  it('takes comments on a meeting agenda item until the meeting is held, in its own community only', async () => {
    const meeting = await scheduleMeeting(db, { ...by(committee), now }, { communityId: community.id, body: 'council', title: '十二月议事会', startsAt: new Date(now.getTime() + 3 * 86_400_000), place: '党群服务中心', agenda: [{ kind: 'text', title: '3栋加装电梯' }] });
    const item = { kind: 'agenda_item' as const, id: meeting.agenda[0].id };
    expect(await findSubject(db, item)).toMatchObject({ communityId: community.id, title: '3栋加装电梯', open: true });
    const comment = await postComment(db, by(resident), item, '建议先征求低层住户意见。', '居民', now);
    expect(comment.subjectId).toBe(meeting.agenda[0].id);
    await expect(postComment(db, by(other), item, '外社区的意见', '外社区', now)).rejects.toMatchObject({ key: 'errors.not_verified' });
    await db.meeting.update({ where: { id: meeting.id }, data: { status: 'published' } });
    expect((await findSubject(db, item))?.open).toBe(false);
    await expect(postComment(db, by(neighbour), item, '会后才看到', '居民', now)).rejects.toMatchObject({ key: expect.stringMatching(/^deliberation\./) });
  });
});
