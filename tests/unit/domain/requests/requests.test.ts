/**
 * The request steps against a real database: a 楼栋长 may be assigned and answers their own
 * request but not another's; who may read a request; rating before an answer, twice, or by
 * someone else; a committee close that leaves the rating open; raising a request to a proposal
 * (verified residents only, linked both ways, once); the deadline steps noted once each.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import type { Actor } from '../../../../src/domain/residents/roles.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import { canSee } from '../../../../src/domain/requests/access.ts';
import { raiseToProposal } from '../../../../src/domain/requests/links.ts';
import { requestForProposal } from '../../../../src/domain/requests/queries.ts';
import { assignRequest, closeRequest, markDeadlineStep, raiseRequest, rateRequest, replyRequest } from '../../../../src/domain/requests/requests.ts';
import { freshDatabase } from '../../../support/harness.ts';
import { putOnAgenda } from '../../../../src/domain/requests/links.ts';
import { scheduleMeeting } from '../../../../src/domain/meetings/meetings.ts';
import { agendaPort } from '../../../../src/features/requests/agenda.ts';
import type { Services } from '../../../../src/core/services.ts';
import { grantRole, makeCommunity, telegramPerson } from '../../../support/fixtures.ts';

const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-11-02T02:00:00Z');
let db: Db;
let community: Community;
let resident: Actor;
let verified: Actor;
let committee: Actor;
let lead: Actor;
let stranger: Actor;

const at = (actor: Actor, now = NOW) => ({ actor, via: 'test', now });
const raise = (actor: Actor, text: string, category = 'repair') => raiseRequest(db, at(actor), community.id, { category, text }, TZ);

beforeAll(async () => {
  ({ db } = await freshDatabase());
  community = await makeCommunity(db);
  resident = await loadActor(db, await telegramPerson(db, 5001));
  verified = await loadActor(db, await grantRole(db, community, 5002, 'verified'));
  committee = await loadActor(db, await grantRole(db, community, 5009, 'committee'));
  const leadPerson = await telegramPerson(db, 5010, '楼栋长老周');
  // A 楼栋长 holds the role as a membership (appointed from /register, tested in tests/register).
  await db.membership.create({ data: { personId: leadPerson.id, communityId: community.id, role: 'building_lead', source: 'test' } });
  lead = await loadActor(db, leadPerson);
  stranger = await loadActor(db, await telegramPerson(db, 5011));
});

describe('requests in the domain', () => {
  it('lets a 楼栋长 answer what is assigned to them, and nothing else', async () => {
    const a = await raise(resident, '1栋门禁坏了，外来人员随意进出。', 'safety');
    const b = await raise(resident, '1栋垃圾房异味很大，需要清洗。', 'sanitation');
    await expect(assignRequest(db, at(lead), a.id, lead.personId)).rejects.toMatchObject({ key: 'errors.forbidden' });
    const assigned = await assignRequest(db, at(committee), a.id, lead.personId);
    expect(assigned.status).toBe('assigned');
    expect(canSee(lead, assigned)).toBe(true);
    expect(canSee(lead, b)).toBe(false);
    expect(canSee(stranger, assigned)).toBe(false);
    await expect(replyRequest(db, at(lead), b.id, '已处理')).rejects.toMatchObject({ key: 'errors.forbidden' });
    const replied = await replyRequest(db, at(lead, new Date('2026-11-02T08:00:00Z')), a.id, '已联系物业修好门禁。');
    expect(replied.status).toBe('replied');
    await expect(replyRequest(db, at(lead), a.id, '再答复一次')).rejects.toMatchObject({ key: 'requests.errors.already_replied' });
  });

  it('takes one rating from the resident only, after the answer; a committee close leaves it open', async () => {
    const r = await raise(resident, '3栋门口路灯不亮了。');
    await expect(rateRequest(db, at(resident), r.id, 'satisfied')).rejects.toMatchObject({ key: 'requests.errors.not_replied_yet' });
    await replyRequest(db, at(committee), r.id, '已报修，本周内更换。');
    await expect(rateRequest(db, at(stranger), r.id, 'satisfied')).rejects.toMatchObject({ key: 'requests.errors.not_your_request' });
    await expect(rateRequest(db, at(resident), r.id, 'great')).rejects.toMatchObject({ key: 'requests.errors.bad_rating' });
    const closed = await closeRequest(db, at(committee), r.id);
    expect([closed.status, closed.satisfaction]).toEqual(['closed', null]);
    const rated = await rateRequest(db, at(resident), r.id, 'basic');
    expect([rated.status, rated.satisfaction]).toEqual(['closed', 'basic']);
    await expect(rateRequest(db, at(resident), r.id, 'satisfied')).rejects.toMatchObject({ key: 'requests.errors.already_rated' });
    await expect(replyRequest(db, at(committee), r.id, '补充答复')).rejects.toMatchObject({ key: 'requests.errors.closed' });
  });

  it('refuses bad text and the same words twice in a row', async () => {
    await expect(raise(resident, '  ')).rejects.toMatchObject({ key: 'requests.errors.text_empty' });
    await expect(raise(resident, '灯坏')).rejects.toMatchObject({ key: 'requests.errors.text_too_short' });
    await expect(raise(resident, '灯'.repeat(5000))).rejects.toMatchObject({ key: 'requests.errors.text_too_long', params: { max: 1000, length: 5000 } });
    await expect(raiseRequest(db, at(resident), community.id, { category: 'noise', text: '楼上每晚都很吵。' }, TZ)).rejects.toMatchObject({ key: 'requests.errors.unknown_category' });
    await raise(resident, '小区东门积水严重，下雨天无法通行。');
    await expect(raise(resident, '小区东门积水严重，下雨天无法通行。')).rejects.toMatchObject({ key: 'requests.errors.duplicate' });
  });

  it('raises a verified resident’s request to a proposal once, linked both ways', async () => {
    const r = await raise(verified, '5栋和6栋之间的健身器材老化生锈，建议整体更换。');
    await expect(raiseToProposal(db, at(resident), r.id, { authorName: 'x', fallbackLocation: '社区内' })).rejects.toMatchObject({ key: 'requests.errors.not_your_request' });
    const { submitted } = await raiseToProposal(db, at(verified), r.id, { authorName: '李阿姨', fallbackLocation: '社区内' });
    expect(submitted.proposal.title).toBe('5栋和6栋之间的健身器材老化生锈，建议整体更换');
    expect(submitted.proposal.category).toBe('facilities');
    expect((await db.residentRequest.findUniqueOrThrow({ where: { id: r.id } })).proposalId).toBe(submitted.proposal.id);
    expect((await requestForProposal(db, submitted.proposal.id))?.id).toBe(r.id);
    await expect(raiseToProposal(db, at(verified), r.id, { authorName: '李阿姨', fallbackLocation: '社区内' })).rejects.toMatchObject({ key: 'requests.errors.already_proposal' });
    const unverifiedOwn = await raise(resident, '希望在3栋旁边增设一处电动车充电桩，方便居民。');
    await expect(raiseToProposal(db, at(resident), unverifiedOwn.id, { authorName: 'x', fallbackLocation: '社区内' })).rejects.toMatchObject({ key: 'errors.not_verified' });
  });

  it('notes a reminder and an escalation once each, and never on an answered request', async () => {
    const r = await raise(resident, '6栋楼顶水箱漏水。');
    expect(await markDeadlineStep(db, r.id, 'remind', NOW)).not.toBeNull();
    expect(await markDeadlineStep(db, r.id, 'remind', NOW)).toBeNull();
    await replyRequest(db, at(committee), r.id, '已安排维修。');
    expect(await markDeadlineStep(db, r.id, 'escalate', NOW)).toBeNull();
  });

  it('puts a request on an upcoming meeting through the meetings domain, once, by the committee only', async () => {
    const r = await raise(resident, '2栋楼道灯坏了一个月，老人晚上出行不便。');
    const port = agendaPort({ db, clock: () => NOW } as unknown as Services);
    expect(await port.upcoming(community.id)).toEqual([]);
    const meeting = await scheduleMeeting(db, at(committee), { communityId: community.id, body: 'council', title: '十一月议事会', startsAt: new Date('2026-11-10T11:00:00Z'), place: '党群服务中心', agenda: [{ kind: 'text', title: '加装电梯' }] });
    const offered = await port.upcoming(community.id);
    expect(offered).toEqual([{ id: meeting.id, label: `#${meeting.number} 十一月议事会` }]);
    await expect(putOnAgenda(db, at(lead), r.id, meeting.id, '诉求第1号', port)).rejects.toMatchObject({ key: 'errors.forbidden' });
    await putOnAgenda(db, at(committee), r.id, meeting.id, `诉求第${r.number}号 · 设施维修`, port);
    const items = await db.meetingAgendaItem.findMany({ where: { meetingId: meeting.id }, orderBy: { position: 'asc' } });
    expect(items.map((i) => [i.kind, i.refId, i.title])).toEqual([['text', null, '加装电梯'], ['request', r.id, `诉求第${r.number}号 · 设施维修`]]);
    await expect(putOnAgenda(db, at(committee), r.id, meeting.id, '再列一次', port)).rejects.toMatchObject({ key: 'requests.errors.already_on_agenda' });
  });
});
