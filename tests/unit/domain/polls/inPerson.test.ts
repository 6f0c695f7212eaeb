/**
 * Counts that cannot be true are refused (issue 14, item 2) and meeting attendees are named
 * from the register so nobody is counted twice (issue 16, item 5): more in-person voters than
 * the electorate (or than the named attendees), a second entry that would silently replace the
 * first, an attendee household that voted online — and a tap from a household that attended.
 * Turnout over 100% never reads as a percentage. Each of these passed before this change.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { enterInPersonCounts } from '../../../../src/domain/polls/inPerson.ts';
import { closePoll } from '../../../../src/domain/polls/lifecycle.ts';
import { createPoll, currentResult, type PollWithOptions } from '../../../../src/domain/polls/polls.ts';
import { pollById } from '../../../../src/domain/polls/queries.ts';
import type { PollDraft } from '../../../../src/domain/polls/rules.ts';
import { validShare } from '../../../../src/domain/polls/rules.ts';
import { createBallotSeal } from '../../../../src/domain/polls/secrecy.ts';
import { BallotBox } from '../../../../src/domain/polls/voting.ts';
import { applyImport } from '../../../../src/domain/register/apply.ts';
import { previewImport } from '../../../../src/domain/register/import.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import { issueCodes, redeemCode } from '../../../../src/domain/residents/verification.ts';
import { createLinkCode, redeemLinkCode } from '../../../../src/domain/residents/linking.ts';
import { resolvePerson } from '../../../../src/domain/residents/people.ts';
import { issueInPersonCode } from '../../../../src/domain/register/inPerson.ts';
import { resultMessage } from '../../../../src/features/polls/render.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { createTranslator } from '../../../../src/i18n/i18n.ts';
import { registerCsv } from '../../features/register/files.ts';
import { grantRole, makeCommunity, OPERATOR, telegramPerson } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';

const now = new Date('2026-12-01T02:00:00Z');
const t = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' }).bind('zh-CN');
const BY = { actor: OPERATOR, via: 'test' };

describe('in-person counts', () => {
  let db: Db;
  let plain: Community;
  let withRegister: Community;
  let box: BallotBox;
  const draft = (over: Partial<PollDraft> = {}): PollDraft => ({
    question: '是否同意更换小区路灯？',
    options: 'standard',
    maxChoices: 1,
    electorate: 'council',
    anonymous: false,
    allowChange: true,
    closesAt: new Date(now.getTime() + 86_400_000),
    quorum: { kind: 'none' },
    rule: 'majority',
    liveResults: false,
    ...over,
  });
  const make = (community: Community, over: Partial<PollDraft> = {}): Promise<PollWithOptions> => createPoll(db, BY, community.id, draft(over), now);
  const fresh = (poll: PollWithOptions) => pollById(db, poll.id).then((p) => p!);
  const entry = (counts: number[], more: Partial<Parameters<typeof enterInPersonCounts>[3]> = {}) => ({ counts, voters: null, attendees: [], replace: false, ...more });

  beforeAll(async () => {
    ({ db } = await freshDatabase());
    plain = await makeCommunity(db);
    withRegister = await makeCommunity(db, 'yuanling', '园岭社区');
    for (const id of [8001, 8002, 8003]) await grantRole(db, plain, id, 'council');
    const rows = [['楼栋', '单元', '房号'], [1, 1, 101], [1, 1, 102], [1, 1, 201], [1, 1, 202], [2, 1, 101]];
    const { table, plan } = await previewImport(db, OPERATOR, withRegister, { name: '名册.csv', bytes: registerCsv(rows) });
    await applyImport(db, OPERATOR, 'test', withRegister.id, { rows: table.rows, facts: table.facts, expectedFingerprint: plan.fingerprint, fileName: '名册.csv' }, now);
    box = new BallotBox(db, createBallotSeal(async () => Buffer.alloc(32, 7)));
  });

  it('refuses more in-person voters than the council has members', async () => {
    const poll = await make(plain);
    await expect(enterInPersonCounts(db, BY, poll.id, entry([3, 1, 0]), now)).rejects.toMatchObject({ key: 'ballots.inperson_over_electorate_people', params: { voters: 4, elsewhere: 0, size: 3 } });
    expect(await db.inPersonCount.count({ where: { pollId: poll.id } })).toBe(0);
  });

  it('counts online ballots against the electorate too', async () => {
    const poll = await make(plain);
    const { personId } = await db.identity.findUniqueOrThrow({ where: { platform_platformUserId: { platform: 'telegram', platformUserId: '8001' } } });
    const member = await loadActor(db, await db.person.findUniqueOrThrow({ where: { id: personId } }));
    await box.cast({ poll, actor: member, voterName: '议事会成员', position: 1, now });
    await expect(enterInPersonCounts(db, BY, poll.id, entry([2, 1, 0]), now)).rejects.toMatchObject({ key: 'ballots.inperson_over_electorate_people', params: { elsewhere: 1 } });
    await enterInPersonCounts(db, BY, poll.id, entry([1, 1, 0]), now);
    expect((await currentResult(db, await fresh(poll))).turnout).toBe(3);
  });

  it('asks before replacing an earlier entry, and audits the replaced counts', async () => {
    const poll = await make(plain);
    await enterInPersonCounts(db, BY, poll.id, entry([2, 0, 0]), now);
    await expect(enterInPersonCounts(db, BY, poll.id, entry([1, 1, 0]), now)).rejects.toMatchObject({ key: 'ballots.inperson_exists_people', params: { counts: '2 0 0', voters: 2 } });
    expect((await currentResult(db, await fresh(poll))).votes[poll.options[0].id]).toBe(2);
    const replaced = await enterInPersonCounts(db, BY, poll.id, entry([1, 1, 0], { replace: true }), now);
    expect(replaced.replaced).toBe(true);
    const result = await currentResult(db, await fresh(poll));
    expect([result.votes[poll.options[0].id], result.votes[poll.options[1].id]]).toEqual([1, 1]);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { targetId: poll.id, action: 'poll.in_person' }, orderBy: { at: 'desc' } });
    expect(JSON.parse(audit.details!)).toMatchObject({ counts: [1, 1, 0], replaced: { counts: [2, 0, 0], voters: 2 } });
  });

  it('with a register: names the attendees, never more voters than attendees, nobody twice', async () => {
    const poll = await make(withRegister, { electorate: 'households' });
    await expect(enterInPersonCounts(db, BY, poll.id, entry([2, 0, 0]), now)).rejects.toMatchObject({ key: 'ballots.inperson_attendees_needed' });
    await expect(enterInPersonCounts(db, BY, poll.id, entry([2, 0, 0], { attendees: ['1-1-101'] }), now)).rejects.toMatchObject({ key: 'ballots.inperson_more_than_attendees_households', params: { voters: 2, attendees: 1 } });
    await expect(enterInPersonCounts(db, BY, poll.id, entry([1, 0, 0], { attendees: ['9-1-101'] }), now)).rejects.toMatchObject({ key: 'ballots.inperson_unknown_unit' });
    await expect(enterInPersonCounts(db, BY, poll.id, entry([1, 0, 0], { attendees: ['1-1-101', '1栋1单元101'] }), now)).rejects.toMatchObject({ key: 'ballots.inperson_unit_twice' });

    // 1-1-102 voted online first: naming it as an attendee is refused, saying when and how.
    const person = await grantRole(db, withRegister, 8101, 'verified', '1栋-1单元-102');
    await box.cast({ poll, actor: await loadActor(db, person), voterName: '居民', position: 1, now });
    await expect(enterInPersonCounts(db, BY, poll.id, entry([2, 0, 0], { attendees: ['1-1-101', '1-1-102'] }), now)).rejects.toMatchObject({ key: 'ballots.household_already_voted_online', params: { unit: '1栋-1单元-102' } });
    expect(await db.inPersonAttendee.count({ where: { pollId: poll.id } })).toBe(0);

    await enterInPersonCounts(db, BY, poll.id, entry([1, 1, 0], { attendees: ['1-1-101', '1-1-201', '1-1-202'] }), now);
    // A member of an attending household taps afterwards: refused, the meeting counted it.
    const attendee = await grantRole(db, withRegister, 8102, 'verified', '1栋-1单元-201');
    await expect(box.cast({ poll, actor: await loadActor(db, attendee), voterName: '居民', position: 2, now })).rejects.toMatchObject({ key: 'ballots.you_already_voted_inperson' });
    const result = await currentResult(db, await fresh(poll));
    expect(result).toMatchObject({ turnout: 3, electorateSize: 5, base: 'register', unit: 'households' });
    // 4 attendees + 1 online would be all 5 households; 5 voters in person cannot be true.
    await expect(enterInPersonCounts(db, BY, poll.id, entry([5, 0, 0], { attendees: ['1-1-101', '1-1-201', '1-1-202', '2-1-101'], replace: true }), now)).rejects.toMatchObject({ key: 'ballots.inperson_more_than_attendees_households' });

    const closed = await closePoll(db, poll.id, now, BY);
    const text = resultMessage(t, closed!.poll, closed!.result, false).text!;
    expect(text).toContain('参加投票：3户，应投票5户，参与率60%');
    expect(text).toContain('应投户数以住户名册为准：在册5户');
    expect(text).toContain('其中网上投票1户，纸质选票0户，现场表决2户');
    expect(text).not.toMatch(/\d+人/);
  });

  it("residents' poll: an attendee's member cannot tap afterwards, an online voter's unit cannot be named", async () => {
    const poll = await make(withRegister, { electorate: 'residents' });
    const online = await grantRole(db, withRegister, 8201, 'verified', '2栋-1单元-101');
    await box.cast({ poll, actor: await loadActor(db, online), voterName: '居民', position: 1, now });
    // Named as an attendee after voting online: refused, nothing stored.
    await expect(enterInPersonCounts(db, BY, poll.id, entry([1, 0, 0], { attendees: ['2-1-101'] }), now)).rejects.toMatchObject({ key: 'ballots.member_already_voted_online', params: { unit: '2栋-1单元-101' } });
    expect(await db.inPersonAttendee.count({ where: { pollId: poll.id } })).toBe(0);
    expect(await db.pollParticipation.count({ where: { pollId: poll.id, source: 'inperson' } })).toBe(0);

    // 1-1-101 attended (its resident 8202 among them): their tap afterwards is refused.
    const attendee = await grantRole(db, withRegister, 8202, 'verified', '1栋-1单元-101');
    await enterInPersonCounts(db, BY, poll.id, entry([1, 0, 0], { attendees: ['1-1-101'] }), now);
    await expect(box.cast({ poll, actor: await loadActor(db, attendee), voterName: '居民', position: 2, now })).rejects.toMatchObject({ key: 'ballots.person_already_voted_inperson' });
    const result = await currentResult(db, await fresh(poll));
    expect(result.turnout).toBe(2);
    expect(result.votes[poll.options[1].id]).toBe(0);
    expect(t('ballots.person_already_voted_inperson', { when: now })).toContain('会议现场');
  });

  it("residents' poll: a person who verifies after the meeting counted their household gets its in-person participation", async () => {
    const poll = await make(withRegister, { electorate: 'residents' });
    // 1-1-202 attended; nobody of it was verified yet, so nobody got a participation.
    await enterInPersonCounts(db, BY, poll.id, entry([1, 0, 0], { attendees: ['1-1-202'] }), now);
    expect(await db.pollParticipation.count({ where: { pollId: poll.id, source: 'inperson' } })).toBe(0);
    const household = await db.household.findFirstOrThrow({ where: { communityId: withRegister.id, unit: '1栋-1单元-202' } });
    const { code } = await issueInPersonCode(db, OPERATOR, 'test', household.id, now);
    const person = await telegramPerson(db, 8301);
    await redeemCode(db, person, { platform: 'telegram', userId: '8301' }, code, now);
    const participation = await db.pollParticipation.findUniqueOrThrow({ where: { pollId_voterKey: { pollId: poll.id, voterKey: `p:${person.id}` } } });
    expect(participation).toMatchObject({ source: 'inperson', voterName: '1栋-1单元-202' });
    // Their tap afterwards is refused in the words of a per-person poll, and counts nothing.
    const err = await box.cast({ poll, actor: await loadActor(db, person), voterName: '居民', position: 2, now }).catch((e: unknown) => e);
    expect(err).toMatchObject({ key: 'ballots.person_already_voted_inperson' });
    expect(t((err as { key: string }).key, (err as { params: Record<string, unknown> }).params)).toContain('每人只计一票');
    const result = await currentResult(db, await fresh(poll));
    expect(result.votes[poll.options[1].id]).toBe(0);
    expect(result.turnout).toBe(1);
    // A household poll's wording stays 每户只计一票; the in-person refusals say 人 or 户 from the poll.
    expect(t('ballots.you_already_voted_inperson', { when: now })).toContain('每户只计一票');
    expect(t('ballots.inperson_exists_households', { number: 1, when: now, counts: '1 0 0', voters: 1 })).toContain('投票1户');
    expect(t('ballots.inperson_exists_people', { number: 1, when: now, counts: '1 0 0', voters: 1 })).toContain('投票1人');
  });

  it("re-verifying into an attending household hands its in-person participation over; moving out keeps the one counted", async () => {
    const poll = await make(withRegister, { electorate: 'residents' });
    const mover = await grantRole(db, withRegister, 8401, 'verified', '2栋-1单元-101');
    const stayer = await grantRole(db, withRegister, 8402, 'verified', '1栋-1单元-102');
    await enterInPersonCounts(db, BY, poll.id, entry([1, 0, 0], { attendees: ['1-1-202', '1-1-102'] }), now);
    const inPerson = (person: { id: string }) => db.pollParticipation.findUnique({ where: { pollId_voterKey: { pollId: poll.id, voterKey: `p:${person.id}` } } });
    expect(await inPerson(mover)).toBeNull();
    expect(await inPerson(stayer)).toMatchObject({ source: 'inperson' });
    // The mover verifies again, into 1-1-202 (a household code, not a slip of their own): counted with it.
    const [code] = await issueCodes(db, OPERATOR, 'cli', { communityId: withRegister.id, role: 'verified', unit: '1栋-1单元-202', count: 1, expiresInMs: 86_400_000 });
    await redeemCode(db, mover, { platform: 'telegram', userId: '8401' }, code, now);
    expect(await inPerson(mover)).toMatchObject({ source: 'inperson', voterName: '1栋-1单元-202' });
    await expect(box.cast({ poll, actor: await loadActor(db, mover), voterName: '居民', position: 2, now })).rejects.toMatchObject({ key: 'ballots.person_already_voted_inperson' });
    // The stayer moves out to 2-1-101 (not attending): the meeting counted them, that stays.
    const [out] = await issueCodes(db, OPERATOR, 'cli', { communityId: withRegister.id, role: 'verified', unit: '2栋-1单元-101', count: 1, expiresInMs: 86_400_000 });
    await redeemCode(db, stayer, { platform: 'telegram', userId: '8402' }, out, now);
    await expect(box.cast({ poll, actor: await loadActor(db, stayer), voterName: '居民', position: 2, now })).rejects.toMatchObject({ key: 'ballots.person_already_voted_inperson' });
    expect((await currentResult(db, await fresh(poll))).votes[poll.options[1].id]).toBe(0);
  });

  it('council poll: linking a seat holder’s account with their verified account from an attending household counts them as attending', async () => {
    const poll = await make(withRegister, { electorate: 'council' });
    // On Telegram: a council seat, no household. On WeChat: verified for 2-1-101, no seat.
    const seat = await grantRole(db, withRegister, 8501, 'council');
    const wechat = await resolvePerson(db, { platform: 'wechat', userId: 'wx-8501', displayName: '议事会成员' }, []);
    const [code] = await issueCodes(db, OPERATOR, 'cli', { communityId: withRegister.id, role: 'verified', unit: '2栋-1单元-101', count: 1, expiresInMs: 86_400_000 });
    await redeemCode(db, wechat, { platform: 'wechat', userId: 'wx-8501' }, code, now);
    await enterInPersonCounts(db, BY, poll.id, entry([1, 0, 0], { attendees: ['2-1-101'] }), now);
    // Nobody of 2-1-101 held a seat at the entry: no participation yet.
    expect(await db.pollParticipation.count({ where: { pollId: poll.id } })).toBe(0);
    const { code: link } = await createLinkCode(db, await loadActor(db, seat), 'telegram', now);
    const merged = await redeemLinkCode(db, wechat, { platform: 'wechat', userId: 'wx-8501' }, link, now);
    // Neither had taken part: the code's creator is kept, the WeChat person absorbed.
    expect(merged.person.id).toBe(seat.id);
    // Now one person with the seat and the attending household: the meeting counted them.
    expect(await db.pollParticipation.findUnique({ where: { pollId_voterKey: { pollId: poll.id, voterKey: `p:${seat.id}` } } })).toMatchObject({ source: 'inperson', voterName: '2栋-1单元-101' });
    await expect(box.cast({ poll, actor: await loadActor(db, merged.person), voterName: '议事会成员', position: 2, now })).rejects.toMatchObject({ key: 'ballots.person_already_voted_inperson' });
  });

  it('never shows a turnout over 100% as a percentage', async () => {
    expect(validShare(3, 2)).toBeNull();
    expect(validShare(1, 0)).toBeNull();
    expect(validShare(1, 4)).toBe(0.25);
    const poll = await make(plain);
    // A result stored when more had voted than are entitled now (members removed since).
    const stored = { ...(await currentResult(db, await fresh(poll))), turnout: 5, electorateSize: 3 };
    const text = resultMessage(t, poll, stored, false).text!;
    expect(text).toContain('投票人数与应投人数不符，参与率待核对');
    expect(text).not.toMatch(/1[0-9]{2}(\.\d)?%/);
  });
});
