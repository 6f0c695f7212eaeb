/**
 * What the console does with requests it must refuse, and what it must never show: a close
 * without the form token or with a forged one, without the one-time form id or sent twice,
 * without the confirmation; another community's poll by number or id; a staff member who may
 * read but not close; oversized and malformed bodies; residents' words as text, never markup;
 * the security headers; and the audit log's filters and download. Each refusal is a localized
 * page and leaves the database as it was.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoll } from '../../../src/domain/polls/polls.ts';
import { publishPoll } from '../../../src/features/polls/lifecycle.ts';
import { OPERATOR } from '../../support/fixtures.ts';
import { buildWorld, PEOPLE, type World } from './support/world.ts';
import { formFields, textOf, Visitor } from './support/visit.ts';

describe('console requests', () => {
  let world: World;
  let committee: Visitor;
  let staff: Visitor;
  const closeUrl = '/console/c/badeng/polls/2/close';
  const pollStatus = async () => (await world.bot.db.poll.findUniqueOrThrow({ where: { id: world.openPoll.id } })).status;
  const closeForm = async (v: Visitor) => formFields((await v.get('/console/c/badeng/polls/2')).body, '/close');

  beforeAll(async () => {
    world = await buildWorld();
    committee = new Visitor(world.server.app);
    await committee.signIn(await world.linkFor(PEOPLE.committee));
    staff = new Visitor(world.server.app);
    await staff.signIn(await world.linkFor(PEOPLE.staff));
  }, 120_000);
  afterAll(async () => world?.close());

  it('sends the security headers and keeps residents\' words as text', async () => {
    const question = '<script>alert("x")</script>是否<b>加装</b>路灯？';
    const poll = await createPoll(world.bot.db, { actor: OPERATOR, via: 'test' }, world.community.id, {
      question,
      options: 'standard',
      maxChoices: 1,
      electorate: 'residents',
      anonymous: true,
      allowChange: true,
      closesAt: new Date(world.clock().getTime() + 86_400_000),
      quorum: { kind: 'none' },
      rule: 'majority',
      liveResults: false,
    }, world.clock());
    await publishPoll(world.bot.linli.services, poll);
    const res = await committee.get('/console/c/badeng/polls');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).not.toContain('<script>');
    expect(res.body).not.toContain('<b>加装');
    expect(res.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    await world.bot.db.poll.update({ where: { id: poll.id }, data: { status: 'cancelled', cancelReason: '测试' } });
  });

  it('refuses a close without the form token, or with another session\'s, and closes nothing', async () => {
    const fields = await closeForm(committee);
    const { _csrf: _omit, ...withoutToken } = fields;
    for (const body of [{ ...withoutToken, confirm: 'yes' }, { ...fields, _csrf: (await closeForm(staff).catch(() => ({ _csrf: 'x' })))._csrf ?? 'x', confirm: 'yes' }, { ...fields, _csrf: '', confirm: 'yes' }]) {
      const res = await committee.post(closeUrl, body);
      expect(res.statusCode).toBe(403);
      expect(textOf(res.body)).toContain('页面已过期或来源无法核实，本次提交未被办理');
    }
    // A form posted from another site arrives without the session cookie at all.
    const anonymous = await world.server.app.inject({ method: 'POST', url: closeUrl, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ ...fields, confirm: 'yes' }).toString() });
    expect(anonymous.statusCode).toBe(401);
    expect(await pollStatus()).toBe('open');
    expect(await world.bot.db.auditEntry.count({ where: { targetId: world.openPoll.id, action: { startsWith: 'poll.close' } } })).toBe(0);
  });

  it('lets staff read a poll but not close it — the domain refuses', async () => {
    const page = await staff.get('/console/c/badeng/polls/2');
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('下载 CSV');
    expect(page.body).not.toContain('id="close-poll"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const res = await staff.post(closeUrl, { _csrf: csrf, _form: 'f'.repeat(22), confirm: 'yes' });
    expect(res.statusCode).toBe(403);
    expect(textOf(res.body)).toContain('您没有办理此事项的权限');
    expect(await pollStatus()).toBe('open');
    // Staff read the audit log; the committee, by the permission matrix, does not.
    expect((await staff.get('/console/c/badeng/audit')).statusCode).toBe(200);
    const forbidden = await committee.get('/console/c/badeng/audit');
    expect(forbidden.statusCode).toBe(403);
    expect(textOf(forbidden.body)).toContain('您没有办理此事项的权限');
  });

  it('asks for the confirmation and a current form, keeping the form usable after a refusal', async () => {
    const fields = await closeForm(committee);
    const unconfirmed = await committee.post(closeUrl, fields);
    expect(unconfirmed.statusCode).toBe(400);
    expect(textOf(unconfirmed.body)).toContain('请先勾选确认，再提前截止第2号投票');
    const { _form: _omit, ...noFormId } = fields;
    const stale = await committee.post(closeUrl, { ...noFormId, confirm: 'yes' });
    expect(stale.statusCode).toBe(400);
    expect(textOf(stale.body)).toContain('表单已过期');
    expect(await pollStatus()).toBe('open');
    // The refused form's id was given back: the same form, now confirmed, goes through once.
    const done = await committee.post(closeUrl, { ...fields, confirm: 'yes' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/console/c/badeng/polls/2?done=closed');
    const twice = await committee.post(closeUrl, { ...fields, confirm: 'yes' });
    expect(twice.statusCode).toBe(409);
    expect(textOf(twice.body)).toContain('该表单已经提交过，本次重复提交未被办理');
    expect(await pollStatus()).toBe('closed');
    expect(await world.bot.db.auditEntry.count({ where: { targetId: world.openPoll.id, action: 'poll.close_early' } })).toBe(1);
    expect(await world.bot.db.outboxMessage.count({ where: { refType: 'poll-result', refId: world.openPoll.id } })).toBe(1);
    // A fresh form on a closed poll: the domain's own answer, nothing new in the outbox.
    const late = await committee.post(closeUrl, { ...fields, _form: 'g'.repeat(22), confirm: 'yes' });
    expect(late.statusCode).toBe(400);
    expect(textOf(late.body)).toContain('该投票已截止或已撤销');
    expect(await world.bot.db.outboxMessage.count({ where: { refType: 'poll-result', refId: world.openPoll.id } })).toBe(1);
  });

  it('never finds another community\'s poll, by number, by id, or through its slug', async () => {
    const other = await world.bot.db.poll.findUniqueOrThrow({ where: { id: world.otherPoll.id } });
    for (const url of [
      `/console/c/badeng/polls/${other.id}`,
      `/console/c/badeng/polls/${other.shortId}`,
      '/console/c/badeng/polls/99',
      '/console/c/badeng/polls/1abc',
      `/console/c/badeng/polls/${other.id}/export.csv`,
      `/console/c/badeng/polls/${other.id}/chart.png`,
    ]) {
      const res = await committee.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(textOf(res.body)).not.toContain(other.question);
    }
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await committee.get('/console/c/badeng')).body)![1];
    const refused = await committee.post(`/console/c/badeng/polls/${other.id}/close`, { _csrf: csrf, _form: 'h'.repeat(22), confirm: 'yes' });
    expect(refused.statusCode).toBe(404);
    for (const url of ['/console/c/guiyuan', '/console/c/guiyuan/polls/1', '/console/c/nowhere', '/console/c/..%2Fetc']) {
      const res = await committee.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(textOf(res.body)).toContain('未找到该社区，或您没有查看该社区的权限');
    }
    expect((await world.bot.db.poll.findUniqueOrThrow({ where: { id: other.id } })).status).toBe('open');
  });

  it('answers oversized and malformed bodies with a page, not a trace', async () => {
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await committee.get('/console/c/badeng')).body)![1];
    const big = await committee.post('/console/signout', { _csrf: csrf, filler: 'x'.repeat(80 * 1024) });
    expect(big.statusCode).toBe(413);
    expect(textOf(big.body)).toContain('上传的文件过大');
    const plain = await committee.postRaw('/console/signout', 'hello', 'text/plain');
    expect(plain.statusCode).toBe(415);
    expect(textOf(plain.body)).toContain('提交的内容格式不正确');
    const broken = await committee.postRaw('/console/signout', 'not really multipart', 'multipart/form-data; boundary=zzz');
    expect(broken.statusCode).toBe(400);
    for (const res of [big, plain, broken]) expect(res.body).not.toMatch(/\n\s+at |Error:/);
    // Still signed in: none of these touched the session.
    expect((await committee.get('/console/c/badeng')).statusCode).toBe(200);
  });

  it('filters the audit log by person, action and date, and downloads the selection', async () => {
    const all = await staff.get('/console/c/badeng/audit');
    expect(textOf(all.body)).toContain('提前截止投票');
    const committeeId = world.committee.id;
    const mine = textOf((await staff.get(`/console/c/badeng/audit?person=${committeeId}&action=poll.close_early`)).body);
    expect(mine).toContain('共1条记录');
    const none = textOf((await staff.get('/console/c/badeng/audit?from=2020-01-01&to=2020-01-31')).body);
    expect(none).toContain('没有符合条件的记录');
    const junk = await staff.get('/console/c/badeng/audit?from=2026-13-45&person=%3Cscript%3E');
    expect(junk.statusCode).toBe(200);
    expect(junk.body).not.toContain('<script>');
    const csv = await staff.get(`/console/c/badeng/audit.csv?action=poll.close_early`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('audit-badeng.csv');
    const rows = parse(csv.body.replace(/^\uFEFF/, '')) as string[][];
    expect(rows[0]).toEqual(['时间', '操作人', '事项', '事项代码', '对象', '对象编号', '详情', '渠道']);
    expect(rows.slice(1).map((r) => [r[1], r[2], r[3], r[7]])).toEqual([['张丽华', '提前截止投票', 'poll.close_early', '管理后台']]);
    expect(await world.bot.db.auditEntry.count({ where: { action: 'export', targetType: 'audit' } })).toBe(1);
  });

  it('serves its stylesheet and font from this process', async () => {
    const css = await committee.get('/console/assets/console.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect(css.body).not.toMatch(/https?:\/\//);
    const font = await world.server.app.inject({ method: 'GET', url: '/console/assets/font-regular.otf' });
    expect(font.statusCode).toBe(200);
    expect(font.rawPayload.subarray(0, 4).toString('latin1')).toBe('OTTO');
    expect((await world.server.app.inject({ method: 'GET', url: '/console/assets/font-../../x.otf' })).statusCode).toBe(404);
  });
});
