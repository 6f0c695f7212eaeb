/**
 * The console's other sections with requests a browser would not send: issuing codes checks
 * every line before writing any and issues once per form; another community's code, comment,
 * rating target or proposal is not found; staff see what the permission matrix gives them and
 * are refused the rest; a proposal move the lifecycle does not allow is refused in the domain's
 * words. Each refusal leaves the database as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES } from '../../../src/domain/announcements/announcements.ts';
import { issueCodes } from '../../../src/domain/residents/verification.ts';
import { IMAGE_ACCEPT } from '../../../src/features/console/limits.ts';
import { listTargets } from '../../../src/domain/ratings/targets.ts';
import { OPERATOR } from '../../support/fixtures.ts';
import { buildWorld, PEOPLE, type World } from './support/world.ts';
import { formFields, multipart, textOf, Visitor } from './support/visit.ts';

describe('console sections', () => {
  let world: World;
  let committee: Visitor;
  let staff: Visitor;
  let csrf: string;

  beforeAll(async () => {
    world = await buildWorld();
    committee = new Visitor(world.server.app);
    await committee.signIn(await world.linkFor(PEOPLE.committee));
    staff = new Visitor(world.server.app);
    await staff.signIn(await world.linkFor(PEOPLE.staff));
    csrf = /name="_csrf" value="([^"]+)"/.exec((await committee.get('/console/c/badeng')).body)![1];
  }, 120_000);
  afterAll(async () => world?.close());

  const codeCount = () => world.bot.db.verificationCode.count({ where: { communityId: world.community.id } });

  it('checks every unit before issuing any code, and issues once per form', async () => {
    const form = formFields((await committee.get('/console/c/badeng/members')).body, '/members/codes');
    const before = await codeCount();
    const bad = await committee.post('/console/c/badeng/members/codes', { ...form, role: 'verified', days: '14', units: `7栋-1单元-101\n${'长'.repeat(60)}`, count: '' });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain('房号格式有误');
    expect(await codeCount()).toBe(before);
    const committeeRole = await committee.post('/console/c/badeng/members/codes', { ...form, role: 'committee', days: '14', units: '', count: '1' });
    expect(textOf(committeeRole.body)).toContain('需由系统管理员发放');
    const ok = await committee.post('/console/c/badeng/members/codes', { ...form, role: 'verified', days: '14', units: '7栋-1单元-101\n7栋-1单元-102\n7栋-1单元-103', count: '' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect((ok.body.match(/class="slip-code"/g) ?? []).length).toBe(3);
    const twice = await committee.post('/console/c/badeng/members/codes', { ...form, role: 'verified', days: '14', units: '7栋-1单元-101', count: '' });
    expect(twice.statusCode).toBe(409);
    expect(await codeCount()).toBe(before + 3);
    expect(await world.bot.db.auditEntry.count({ where: { action: 'code.issue', via: 'console' } })).toBe(3);
  });

  it('withdraws a code of its own community only', async () => {
    const [foreign] = await issueCodes(world.bot.db, OPERATOR, 'test', { communityId: world.other.id, role: 'verified', unit: '1栋-1单元-101', count: 1, expiresInMs: 86_400_000 }, world.clock());
    expect(foreign).toBeTruthy();
    const foreignRow = await world.bot.db.verificationCode.findFirstOrThrow({ where: { communityId: world.other.id } });
    const refused = await committee.post(`/console/c/badeng/members/codes/${foreignRow.id}/revoke`, { _csrf: csrf });
    expect(refused.statusCode).toBe(404);
    expect((await world.bot.db.verificationCode.findUniqueOrThrow({ where: { id: foreignRow.id } })).revokedAt).toBeNull();
    const mine = await world.bot.db.verificationCode.findFirstOrThrow({ where: { communityId: world.community.id, redeemedAt: null, revokedAt: null } });
    expect((await committee.post(`/console/c/badeng/members/codes/${mine.id}/revoke`, { _csrf: 'nope' })).statusCode).toBe(403);
    const done = await committee.post(`/console/c/badeng/members/codes/${mine.id}/revoke`, { _csrf: csrf });
    expect(done.headers.location).toBe('/console/c/badeng/members?done=revoked');
    expect((await world.bot.db.verificationCode.findUniqueOrThrow({ where: { id: mine.id } })).revokedAt).not.toBeNull();
  });

  it('gives staff the ratings report but not moderation, and no member list', async () => {
    const report = await staff.get('/console/c/badeng/ratings');
    expect(report.statusCode).toBe(200);
    expect(textOf(report.body)).toContain('待审核的意见（2条）');
    expect(report.body).not.toContain('id="approve-');
    const comment = await world.bot.db.rating.findFirstOrThrow({ where: { commentStatus: 'pending' } });
    const staffCsrf = /name="_csrf" value="([^"]+)"/.exec(report.body)![1];
    const refused = await staff.post(`/console/c/badeng/ratings/comments/${comment.id}/approve`, { _csrf: staffCsrf });
    expect(refused.statusCode).toBe(403);
    expect((await world.bot.db.rating.findUniqueOrThrow({ where: { id: comment.id } })).commentStatus).toBe('pending');
    expect((await staff.get('/console/c/badeng/members')).statusCode).toBe(403);
    expect((await staff.get('/console/c/badeng/proposals')).statusCode).toBe(403);
    // The menu offers exactly what the matrix gives staff.
    const menu = [...report.body.matchAll(/<nav class="menu"[\s\S]*?<\/nav>/g)][0][0];
    expect(textOf(menu).trim().split(' ')).toEqual(['概览', '投票', '满意度', '居务公开', '操作记录']);
  });

  it('finds no other community\'s rating target, comment or proposal', async () => {
    const [otherTarget] = await listTargets(world.bot.db, world.other.id);
    const ensured = otherTarget ?? (await world.bot.db.ratingTarget.create({ data: { communityId: world.other.id, kind: 'workstation' } }));
    expect((await committee.get(`/console/c/badeng/ratings/${ensured.id}/trend.png`)).statusCode).toBe(404);
    const mine = await world.bot.db.rating.findFirstOrThrow({ where: { commentStatus: 'pending' } });
    const other = new Visitor(world.server.app);
    await other.signIn(await world.linkFor(PEOPLE.otherCommittee));
    const otherCsrf = /name="_csrf" value="([^"]+)"/.exec((await other.get('/console/c/guiyuan')).body)![1];
    expect((await other.post(`/console/c/guiyuan/ratings/comments/${mine.id}/hide`, { _csrf: otherCsrf })).statusCode).toBe(404);
    expect((await other.get('/console/c/guiyuan/proposals/1')).statusCode).toBe(404);
    expect((await world.bot.db.rating.findUniqueOrThrow({ where: { id: mine.id } })).commentStatus).toBe('pending');
  });

  it('refuses a proposal move the lifecycle does not allow, in the domain\'s words', async () => {
    const page = await committee.get('/console/c/badeng/proposals/1');
    const form = formFields(page.body, '/proposals/1/shortlist');
    // Budgets belong to approved projects; #1 is still collecting seconds.
    const wrong = await committee.post('/console/c/badeng/proposals/1/budget', { ...form, budget: '3000', implementer: '南园街道物业' });
    expect(wrong.statusCode).toBe(400);
    expect(textOf(wrong.body)).toMatch(/预算|budget/);
    const blankReason = await committee.post('/console/c/badeng/proposals/1/reject', { ...form, reason: ' ' });
    expect(blankReason.statusCode).toBe(400);
    const unknownMove = await committee.post('/console/c/badeng/proposals/1/approve', { ...form });
    expect(unknownMove.statusCode).toBe(404);
    expect((await world.bot.db.proposal.findFirstOrThrow({ where: { communityId: world.community.id, number: 1 } })).status).toBe('submitted');
    const done = await committee.post('/console/c/badeng/proposals/1/shortlist', form);
    expect(done.headers.location).toBe('/console/c/badeng/proposals/1?done=shortlist');
    const events = await world.bot.db.proposalEvent.findMany({ where: { proposal: { communityId: world.community.id, number: 1 } }, orderBy: { at: 'asc' } });
    expect(events.map((e) => e.toStatus)).toEqual(['submitted', 'under_review', 'shortlisted']);
  });

  it('refuses an announcement for a past time, another community\'s group or a non-image, sending nothing', async () => {
    const page = await committee.get('/console/c/badeng/announcements');
    // The picture field states the size the domain allows and takes exactly the types the form accepts (WebP too).
    expect(textOf(page.body)).toContain(`配图（可选，JPG、PNG、WebP格式，不超过${MAX_IMAGE_BYTES / 1024 / 1024}MB）`);
    expect(page.body).toContain(`accept="${IMAGE_ACCEPT}"`);
    expect(IMAGE_ACCEPT).toContain('image/webp');
    const form = formFields(page.body, '/announcements');
    const before = await world.bot.db.outboxMessage.count({ where: { refType: 'announcement' } });
    const past = await committee.post('/console/c/badeng/announcements', { ...form, text: '通知', when: '2020-01-01 09:00' });
    expect(past.statusCode).toBe(400);
    expect(textOf(past.body)).toContain('这个时间已经过去了');
    expect(past.body).toContain('>通知</textarea>');
    const otherGroup = await world.bot.db.chatGroup.findFirstOrThrow({ where: { communityId: world.other.id } });
    const foreign = await committee.post('/console/c/badeng/announcements', { ...form, text: '通知', when: '现在', [`group_${otherGroup.id}`]: 'yes' });
    expect(foreign.statusCode).toBe(400);
    const body = multipart({ ...form, text: '通知', when: '现在' }, { field: 'image', name: 'notice.exe', type: 'application/octet-stream', data: Buffer.from('MZ') });
    const exe = await committee.postRaw('/console/c/badeng/announcements', body.body, body.contentType);
    expect(exe.statusCode).toBe(415);
    expect(textOf(exe.body)).toContain('配图须为JPG、PNG、WebP格式的图片');
    expect(await world.bot.db.announcement.count()).toBe(0);
    expect(await world.bot.db.outboxMessage.count({ where: { refType: 'announcement' } })).toBe(before);
    expect((await staff.get('/console/c/badeng/announcements')).statusCode).toBe(403);
  });
});
