/**
 * 打印纸质选票 on the console's poll page: offered on an open household poll to whoever may
 * manage polls, the same PDF as `linli poll ballots` (one per household of the register), and
 * refused by the domain to staff — also when they type the URL. A residents' poll offers none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoll } from '../../../src/domain/polls/polls.ts';
import { applyImport } from '../../../src/domain/register/apply.ts';
import { previewImport } from '../../../src/domain/register/import.ts';
import { registerCsv } from '../../unit/features/register/files.ts';
import { OPERATOR } from '../../support/fixtures.ts';
import { buildWorld, PEOPLE, type World } from './support/world.ts';
import { textOf, Visitor } from './support/visit.ts';

describe('console: paper ballots', () => {
  let world: World;
  let committee: Visitor;
  let staff: Visitor;
  let number: number;

  beforeAll(async () => {
    world = await buildWorld();
    const { db } = world.bot;
    const now = world.clock();
    const rows = [['楼栋', '单元', '房号'], [5, 1, 101], [5, 1, 102], [5, 2, 101]];
    const { table, plan } = await previewImport(db, OPERATOR, world.community, { name: '名册.csv', bytes: registerCsv(rows) });
    await applyImport(db, OPERATOR, 'test', world.community.id, { rows: table.rows, facts: table.facts, expectedFingerprint: plan.fingerprint, fileName: '名册.csv' }, now);
    const poll = await createPoll(db, { actor: OPERATOR, via: 'test' }, world.community.id, {
      question: '是否同意5栋加装电梯？', options: 'standard', maxChoices: 1, electorate: 'households', anonymous: true, allowChange: false,
      closesAt: new Date(now.getTime() + 3 * 86_400_000), quorum: { kind: 'none' }, rule: 'majority', liveResults: false,
    }, now);
    number = poll.number;
    committee = new Visitor(world.server.app);
    await committee.signIn(await world.linkFor(PEOPLE.committee));
    staff = new Visitor(world.server.app);
    await staff.signIn(await world.linkFor(PEOPLE.staff));
  }, 120_000);
  afterAll(async () => world?.close());

  it('offers the button on a household poll and downloads one ballot per household', async () => {
    const page = await committee.get(`/console/c/badeng/polls/${number}`);
    expect(page.body).toContain('id="print-ballots"');
    expect(textOf(page.body)).toContain('打印纸质选票');
    expect(textOf(page.body)).toContain('应投户数以住户名册为准');
    const pdf = await committee.get(`/console/c/badeng/polls/${number}/ballots.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await world.bot.db.paperBallot.count({ where: { poll: { number, communityId: world.community.id } } })).toBe(3);
    expect(await world.bot.db.auditEntry.count({ where: { action: 'poll.ballots_print', via: 'console' } })).toBe(1);
  });

  it('counts the household poll in 户: its turnout line, the list and its minimum-turnout label', async () => {
    const detail = textOf((await committee.get(`/console/c/badeng/polls/${number}`)).body);
    expect(detail).toContain('已投票0／3户（0%）');
    expect(detail).toMatch(/最低参与户数\s*不设最低参与户数/);
    expect(detail).not.toContain('最低参与人数');
    expect(textOf((await committee.get('/console/c/badeng/polls')).body)).toContain('已投票0／3户（0%）');
    // A residents' poll keeps 人.
    const residents = textOf((await committee.get(`/console/c/badeng/polls/${world.openPoll.number}`)).body);
    expect(residents).toMatch(/已投票\d+／\d+人（/);
    expect(residents).toContain('最低参与人数');
    expect(residents).not.toMatch(/已投票\d+／\d+户/);
  });

  it('offers none on a residents poll, and refuses staff by the domain check', async () => {
    expect((await committee.get(`/console/c/badeng/polls/${world.openPoll.number}`)).body).not.toContain('id="print-ballots"');
    expect((await staff.get(`/console/c/badeng/polls/${number}`)).body).not.toContain('id="print-ballots"');
    const refused = await staff.get(`/console/c/badeng/polls/${number}/ballots.pdf`);
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.headers['content-type']).not.toContain('application/pdf');
    expect(await world.bot.db.auditEntry.count({ where: { action: 'poll.ballots_print' } })).toBe(1);
  });
});
