/**
 * 居务公开 through the console, request by request: a 20 MB upload and a wrong file type are
 * refused with a page and nothing is stored; a preview is published once however often its
 * form is sent, and only by the session that made it; a correction needs a reason and becomes
 * a new version whose notice goes to the groups; staff who may only export see the list but
 * cannot publish.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headCode, verifyChain } from '../../../src/domain/disclosures/chain.ts';
import { buildWorld, PEOPLE, type World } from './support/world.ts';
import { formFields, multipart, textOf, Visitor } from './support/visit.ts';

const STATEMENT = ['日期,项目,收支,金额（元）,资金来源', '10月8日,区财政拨付,收入,5000,民生微实事资金', '10月12日,路灯维修,支出,1200,民生微实事资金'].join('\n');

describe('console disclosures', () => {
  let world: World;
  let committee: Visitor;
  let csrf: string;
  const fields = (over: Record<string, string> = {}) => ({ _csrf: csrf, category: 'finance', period: '2026年10月', title: '10月社区经费收支', note: '', ...over });
  const upload = (v: Visitor, url: string, f: Record<string, string>, file: { name: string; type: string; data: Buffer }) => {
    const body = multipart(f, { field: 'file', ...file });
    return v.postRaw(url, body.body, body.contentType);
  };
  const counts = async () => ({
    disclosures: await world.bot.db.disclosure.count({ where: { communityId: world.community.id } }),
    drafts: await world.bot.db.consoleDraft.count(),
    notices: await world.bot.db.outboxMessage.count({ where: { refType: 'disclosure' } }),
  });

  beforeAll(async () => {
    world = await buildWorld();
    committee = new Visitor(world.server.app);
    await committee.signIn(await world.linkFor(PEOPLE.committee));
    csrf = formFields((await committee.get('/console/c/badeng/disclosures')).body, '/disclosures/preview')._csrf;
  }, 120_000);
  afterAll(async () => world?.close());

  it('refuses a 20 MB upload and a wrong file type with a page, storing nothing', async () => {
    const before = await counts();
    const big = await upload(committee, '/console/c/badeng/disclosures/preview', fields(), { name: '收支.csv', type: 'text/csv', data: Buffer.alloc(20 * 1024 * 1024, 0x31) });
    expect(big.statusCode).toBe(413);
    expect(textOf(big.body)).toContain('上传的文件过大，单个文件不能超过5MB');
    // Over the domain's 2 MB but under the server's limit: the domain's own reason.
    const over = await upload(committee, '/console/c/badeng/disclosures/preview', fields(), { name: '收支.csv', type: 'text/csv', data: Buffer.alloc(3 * 1024 * 1024, 0x31) });
    expect(over.statusCode).toBe(413);
    expect(textOf(over.body)).toContain('请控制在2MB以内');
    const pdf = await upload(committee, '/console/c/badeng/disclosures/preview', fields(), { name: 'scan.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4') });
    expect(pdf.statusCode).toBe(415);
    expect(textOf(pdf.body)).toContain('暂不支持该文件（scan.pdf）');
    expect(pdf.body).toContain('value="10月社区经费收支"');
    const noCsrf = await upload(committee, '/console/c/badeng/disclosures/preview', { ...fields(), _csrf: '' }, { name: '收支.csv', type: 'text/csv', data: Buffer.from(STATEMENT) });
    expect(noCsrf.statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('publishes a previewed statement once, however often the confirmation is sent', async () => {
    const res = await upload(committee, '/console/c/badeng/disclosures/preview', fields(), { name: '10月.csv', type: 'text/csv', data: Buffer.from(STATEMENT) });
    expect(res.statusCode).toBe(303);
    const preview = await committee.get(res.headers.location as string);
    expect(textOf(preview.body)).toContain('本期结余 ¥3,800.00');
    const confirm = formFields(preview.body, '/disclosures/confirm');
    // Another signed-in committee session cannot confirm this session's draft.
    const other = new Visitor(world.server.app);
    await other.signIn(await world.linkFor(PEOPLE.committee));
    const otherCsrf = /name="_csrf" value="([^"]+)"/.exec((await other.get('/console/c/badeng')).body)![1];
    const stolen = await other.post('/console/c/badeng/disclosures/confirm', { ...confirm, _csrf: otherCsrf });
    expect(stolen.statusCode).toBe(410);
    expect(textOf(stolen.body)).toContain('该预览已失效');

    const first = await committee.post('/console/c/badeng/disclosures/confirm', confirm);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/console/c/badeng/disclosures/2?done=publish');
    const again = await committee.post('/console/c/badeng/disclosures/confirm', confirm);
    expect(again.statusCode).toBe(409);
    const fresh = await committee.post('/console/c/badeng/disclosures/confirm', { ...confirm, _form: 'z'.repeat(22) });
    expect(fresh.statusCode).toBe(410);
    const after = await counts();
    expect(after.disclosures).toBe(2);
    expect(after.drafts).toBe(0);
    expect(await world.bot.db.outboxMessage.count({ where: { refType: 'disclosure', key: { contains: ':v1:' } } })).toBe(1);
    expect(await world.bot.db.auditEntry.count({ where: { action: 'disclosure.publish', via: 'console' } })).toBe(1);
  });

  it('corrects with a reason: a new version, its notice, and an intact chain', async () => {
    const page = await committee.get('/console/c/badeng/disclosures/2');
    const form = formFields(page.body, '/disclosures/2/preview');
    const noReason = await upload(committee, '/console/c/badeng/disclosures/2/preview', { ...form, reason: '' }, { name: '10月.csv', type: 'text/csv', data: Buffer.from(STATEMENT.replace('1200', '1300')) });
    expect(noReason.statusCode).toBe(400);
    expect(textOf(noReason.body)).toContain('更正原因');
    const res = await upload(committee, '/console/c/badeng/disclosures/2/preview', { ...form, reason: '路灯维修发票金额更正为1300元' }, { name: '10月.csv', type: 'text/csv', data: Buffer.from(STATEMENT.replace('1200', '1300')) });
    expect(res.statusCode).toBe(303);
    const preview = await committee.get(res.headers.location as string);
    expect(textOf(preview.body)).toContain('更正原因：路灯维修发票金额更正为1300元');
    const done = await committee.post('/console/c/badeng/disclosures/confirm', formFields(preview.body, '/disclosures/confirm'));
    expect(done.headers.location).toBe('/console/c/badeng/disclosures/2?done=correct');
    const shown = textOf((await committee.get(done.headers.location as string)).body);
    expect(shown).toContain('已发布第2号公开的更正（第2版）');
    expect(shown).toContain('¥1,300.00');
    await world.bot.flushOutbox();
    const notice = world.bot.fake.sent.find((m) => (m.text ?? '').includes('类】更正　') && (m.text ?? '').includes('路灯维修发票金额更正为1300元'));
    expect(notice).toBeDefined();
    const [report] = await verifyChain(world.bot.db, world.community.id);
    expect(report.problems).toEqual([]);
    expect(report.links).toBe(3);
    // One term, one value: the page's 防篡改校验码 is the one the group notice carried for this version.
    const posted = /防篡改校验码：([0-9a-f ]+)/.exec(notice!.text ?? '')![1].trim();
    expect(posted).toBe(headCode(report.headHash!));
    expect(shown).toContain(`防篡改校验码：${posted}`);
    expect(shown).not.toContain('校验指纹');
  });

  it('shows staff the list and the chain check without the publish form, and refuses them publishing', async () => {
    const staff = new Visitor(world.server.app);
    await staff.signIn(await world.linkFor(PEOPLE.staff));
    const list = await staff.get('/console/c/badeng/disclosures');
    expect(list.statusCode).toBe(200);
    expect(textOf(list.body)).toContain('防篡改校验');
    const [report] = await verifyChain(world.bot.db, world.community.id);
    expect(textOf(list.body)).toContain(`已发布的${report.links}个公开版本均与发布时一致，未发现改动。最新防篡改校验码：${headCode(report.headHash!)}`);
    expect(textOf(list.body)).not.toContain('校验指纹');
    expect(list.body).not.toContain('id="preview"');
    const staffCsrf = /name="_csrf" value="([^"]+)"/.exec(list.body)![1];
    const refused = await upload(staff, '/console/c/badeng/disclosures/preview', { ...fields(), _csrf: staffCsrf }, { name: '10月.csv', type: 'text/csv', data: Buffer.from(STATEMENT) });
    expect(refused.statusCode).toBe(403);
    expect(textOf(refused.body)).toContain('您没有办理此事项的权限');
    expect((await staff.get('/console/c/badeng/disclosures/99')).statusCode).toBe(404);
  });
});
