/**
 * The meeting rules on a real SQLite database: who may schedule, the time and size limits, the
 * agenda other features extend, sign-in once and on the day only, quorum against the body's
 * members, decisions that move a proposal or count a vote in the room, publication as a
 * disclosure and corrections only with a reason — and the frequency by quarter.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { attendanceOf, signIn } from '../../../../src/domain/meetings/attendance.ts';
import { membersOf, quorumNeeded, setBodyMember, setBodyRules } from '../../../../src/domain/meetings/bodies.ts';
import { frequencyOf, periodRange } from '../../../../src/domain/meetings/frequency.ts';
import { addAgendaItem, agendaItemById, getMeeting, scheduleMeeting, type NewMeeting } from '../../../../src/domain/meetings/meetings.ts';
import { correctMinutes, publishMinutes, recordDecision, recordMinutes, type MinutesRenderer } from '../../../../src/domain/meetings/minutes.ts';
import type { Actor } from '../../../../src/domain/residents/roles.ts';
import type { Community, Person } from '../../../../src/generated/prisma/client.ts';
import { grantRole, makeCommunity } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';

const TZ = 'Asia/Shanghai';
const render: MinutesRenderer = (m, s) => ({ title: `${m.title}纪要`, period: '2026年12月', body: [`到会 ${s.present}/${s.members.length}`, ...m.agenda.map((i) => `${i.position}. ${i.title}：${i.minutes}`)].join('\n') });

async function expectRefusal(p: Promise<unknown>, key: string) {
  await expect(p).rejects.toMatchObject({ name: 'DomainError', key });
}

describe('meeting rules', () => {
  let db: Db;
  let community: Community;
  let other: Community;
  let committee: Actor;
  let resident: Actor;
  let councillors: Person[];
  const now = new Date('2026-12-07T02:00:00Z');
  const draft = (over: Partial<NewMeeting> = {}): NewMeeting => ({ communityId: community.id, body: 'council', title: '十二月例会', startsAt: new Date('2026-12-09T11:00:00Z'), place: '社区会议室', agenda: [{ kind: 'text', title: '东门门禁' }], ...over });

  beforeAll(async () => {
    ({ db } = await freshDatabase());
    community = await makeCommunity(db);
    other = await makeCommunity(db, 'other', '别的社区');
    const c = await grantRole(db, community, 8001, 'committee');
    committee = { personId: c.id, isAdmin: false, grants: [{ communityId: community.id, role: 'committee', householdId: null }] };
    const r = await grantRole(db, community, 8002, 'verified');
    resident = { personId: r.id, isAdmin: false, grants: [{ communityId: community.id, role: 'verified', householdId: null }] };
    councillors = [];
    for (const id of [8011, 8012, 8013, 8014]) councillors.push(await grantRole(db, community, id, 'council'));
  });

  const acting = (at = now, actor = committee) => ({ actor, via: 'test', now: at });

  it('lets only committee members schedule, in the future, within the limits', async () => {
    await expectRefusal(scheduleMeeting(db, acting(now, resident), draft()), 'errors.forbidden');
    await expectRefusal(scheduleMeeting(db, acting(), draft({ startsAt: new Date('2026-12-06T11:00:00Z') })), 'meetings.time_past');
    await expectRefusal(scheduleMeeting(db, acting(), draft({ startsAt: new Date('2027-06-01T11:00:00Z') })), 'meetings.time_too_far');
    await expectRefusal(scheduleMeeting(db, acting(), draft({ title: '会'.repeat(61) })), 'meetings.bad_title');
    await expectRefusal(scheduleMeeting(db, acting(), draft({ place: ' ' })), 'meetings.bad_place');
    await expectRefusal(scheduleMeeting(db, acting(), draft({ agenda: Array.from({ length: 21 }, (_, i) => ({ kind: 'text' as const, title: `议题${i}` })) })), 'meetings.too_many_items');
    const foreign = await db.proposal.create({ data: { communityId: other.id, number: 1, authorName: 'x', title: '别处提案', category: 'other', description: 'x', location: 'x', status: 'submitted' } });
    await expectRefusal(scheduleMeeting(db, acting(), draft({ agenda: [{ kind: 'proposal', refId: foreign.id, title: '' }] })), 'meetings.agenda_unknown_ref');
    expect(await db.meeting.count()).toBe(0);
  });

  it('numbers meetings per community and lets other features add agenda items by a stable id', async () => {
    const m = await scheduleMeeting(db, acting(), draft());
    expect(m.number).toBe(1);
    const item = await addAgendaItem(db, m.id, { kind: 'request', refId: 'request-17', title: '3栋楼道灯不亮' }, acting());
    expect(item.position).toBe(2);
    expect((await agendaItemById(db, item.id))?.meeting.communityId).toBe(community.id);
    await expectRefusal(addAgendaItem(db, m.id, { kind: 'request', title: '没有编号' }, acting()), 'meetings.agenda_unknown_ref');
    await expectRefusal(addAgendaItem(db, m.id, { kind: 'text', title: '居民提的事' }, acting(now, resident)), 'errors.forbidden');
  });

  it('signs in once, on the meeting day only, and counts the quorum against the body', async () => {
    const m = await db.meeting.findFirstOrThrow({ where: { communityId: community.id, number: 1 } });
    await expectRefusal(signIn(db, m.id, councillors[0], 'tap', new Date('2026-12-08T12:00:00Z'), TZ), 'meetings.signin_not_today');
    // 16:30 UTC on the 8th is already the 9th in Shanghai.
    const first = await signIn(db, m.id, councillors[0], 'tap', new Date('2026-12-08T16:30:00Z'), TZ);
    expect(first).toMatchObject({ status: 'signed', member: true });
    const again = await signIn(db, m.id, councillors[0], 'qr', new Date('2026-12-09T10:00:00Z'), TZ);
    expect(again.status).toBe('already');
    expect(again.attendance.method).toBe('tap');
    await signIn(db, m.id, councillors[1], 'qr', new Date('2026-12-09T10:00:00Z'), TZ);
    let summary = await attendanceOf(db, await getMeeting(db, m.id));
    // Four council-role holders: more than half is three.
    expect(summary).toMatchObject({ present: 2, needed: 3, quorate: false });
    await signIn(db, m.id, councillors[2], 'qr', new Date('2026-12-09T10:00:00Z'), TZ);
    summary = await attendanceOf(db, await getMeeting(db, m.id));
    expect(summary).toMatchObject({ present: 3, needed: 3, quorate: true });
    expect([quorumNeeded(4, 0.5), quorumNeeded(5, 0.5), quorumNeeded(9, 2 / 3)]).toEqual([3, 3, 7]);
  });

  it('takes a listed membership over the council role, and refuses a bad frequency', async () => {
    const body = await setBodyMember(db, committee, 'test', community.id, 'assembly', councillors[3].id, true);
    expect((await membersOf(db, body)).map((m) => m.personId)).toEqual([councillors[3].id]);
    await expectRefusal(setBodyRules(db, committee, 'test', community.id, 'council', { perYear: -1 }), 'meetings.bad_frequency');
    await expectRefusal(setBodyRules(db, committee, 'test', community.id, 'council', { quorumShare: 1.5 }), 'meetings.bad_quorum');
    await expectRefusal(setBodyRules(db, resident, 'test', community.id, 'council', { perYear: 12 }), 'errors.forbidden');
  });

  it('records decisions: a vote in the room cannot exceed the members signed in; a proposal moves through its lifecycle', async () => {
    const m = await getMeeting(db, (await db.meeting.findFirstOrThrow({ where: { number: 1, communityId: community.id } })).id);
    const during = new Date('2026-12-09T11:30:00Z');
    await expectRefusal(recordMinutes(db, acting(new Date('2026-12-09T10:30:00Z')), m.agenda[0].id, '尚未开会'), 'meetings.not_begun');
    await expectRefusal(recordMinutes(db, acting(during), m.agenda[0].id, '长'.repeat(3001)), 'meetings.minutes_too_long');
    await recordMinutes(db, acting(during), m.agenda[0].id, '同意加装门禁。');
    await expectRefusal(recordDecision(db, acting(during), m.agenda[0].id, { kind: 'resolution', text: '同意加装', votes: { for: 4, against: 0, abstain: 0 } }), 'meetings.votes_exceed');
    const { decision } = await recordDecision(db, acting(during), m.agenda[0].id, { kind: 'resolution', text: '同意加装', votes: { for: 2, against: 1, abstain: 0 } });
    expect(JSON.parse(decision.voters!)).toHaveLength(3);

    const proposal = await db.proposal.create({ data: { communityId: community.id, number: 1, authorName: '张阿姨', title: '楼道扶手', category: 'other', description: 'x', location: '3栋', status: 'under_review' } });
    const item = await addAgendaItem(db, m.id, { kind: 'proposal', refId: proposal.id, title: '' }, acting(during));
    expect(item.title).toBe('#1 楼道扶手');
    await expectRefusal(recordDecision(db, acting(during), item.id, { kind: 'proposal', proposalId: proposal.id, outcome: 'rejected', text: '' }), 'proposals.reason_required');
    await recordDecision(db, acting(during), item.id, { kind: 'proposal', proposalId: proposal.id, outcome: 'shortlisted', text: '列入明年候选' });
    expect((await db.proposal.findUniqueOrThrow({ where: { id: proposal.id } })).status).toBe('shortlisted');
    expect(await db.proposalEvent.count({ where: { proposalId: proposal.id, toStatus: 'shortlisted' } })).toBe(1);
  });

  it('publishes only complete minutes, once, and then changes them only by a correction with a reason', async () => {
    const id = (await db.meeting.findFirstOrThrow({ where: { number: 1, communityId: community.id } })).id;
    const after = new Date('2026-12-09T13:00:00Z');
    await expectRefusal(publishMinutes(db, acting(after), id, render), 'meetings.minutes_missing');
    const m = await getMeeting(db, id);
    for (const i of m.agenda.filter((x) => !x.minutes)) await recordMinutes(db, acting(after), i.id, `${i.title}已讨论。`);
    const { disclosure, version } = await publishMinutes(db, acting(after), id, render);
    expect(disclosure.category).toBe('affairs');
    expect(version.body).toContain('到会 3/4');
    await expectRefusal(publishMinutes(db, acting(after), id, render), 'meetings.already_published');
    await expectRefusal(recordMinutes(db, acting(after), m.agenda[0].id, '改一下'), 'meetings.minutes_published');
    await expectRefusal(recordDecision(db, acting(after), m.agenda[0].id, { kind: 'resolution', text: '再加一条' }), 'meetings.minutes_published');
    await expectRefusal(signIn(db, id, councillors[3], 'tap', after, TZ), 'meetings.signin_closed');
    await expectRefusal(correctMinutes(db, acting(after), m.agenda[0].id, '同意加装门禁并设访客登记。', ' ', render), 'meetings.bad_reason');
    await expectRefusal(correctMinutes(db, acting(after), m.agenda[0].id, '同意加装门禁。', '核对无误', render), 'disclosures.correction_unchanged');
    expect((await db.meetingAgendaItem.findUniqueOrThrow({ where: { id: m.agenda[0].id } })).minutes).toBe('同意加装门禁。');
    const corrected = await correctMinutes(db, acting(after), m.agenda[0].id, '同意加装门禁并设访客登记。', '漏记访客登记', render);
    expect(corrected.version).toMatchObject({ version: 2, reason: '漏记访客登记' });
    expect((await db.meetingAgendaItem.findUniqueOrThrow({ where: { id: m.agenda[0].id } })).minutes).toBe('同意加装门禁并设访客登记。');
  });

  it('counts meetings by quarter in the local time zone, the current quarter with its planned ones', async () => {
    const q1 = periodRange(2026, 1, TZ);
    expect(q1.from.toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(q1.to.toISOString()).toBe('2026-03-31T16:00:00.000Z');
    // Still in Q4: one council meeting held, one more planned for later in December.
    await scheduleMeeting(db, acting(), draft({ title: '年终例会', startsAt: new Date('2026-12-28T11:00:00Z') }));
    const [council] = await frequencyOf(db, community.id, 2026, new Date('2026-12-20T02:00:00Z'), TZ);
    expect(council).toMatchObject({ held: 1, planned: 1, heldByQuarter: [0, 0, 0, 1], plannedByQuarter: [0, 0, 0, 1], yearShort: 5, shortQuarters: [1, 2, 3] });
  });
});
