/**
 * The web console in a real headless Chromium: a committee member signs in from the link the
 * bot sent through the fake Bot API, reads the dashboard (the same figures the domain counts),
 * closes a poll early and sees the result go to the group through the outbox, downloads the
 * poll's CSV and XLSX and parses them, and is refused with a forged form token; a resident's
 * /console is refused, a used or expired link and a forged cookie get clear pages, and a
 * committee member of another community never sees this one. Screenshots of the main pages
 * are kept in tmp/console-screenshots/.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentResult } from '../../../src/domain/polls/polls.ts';
import { SENT_WINDOW_MS } from '../../../src/features/console/data/dashboard.ts';
import { textOf } from '../../support/harness.ts';
import { chromiumAvailable, launchBrowser, LAPTOP, PHONE, type Browser, type Page } from './support/browser.ts';
import { buildWorld, GROUP, PEOPLE, type World } from './support/world.ts';

const SHOTS = join(import.meta.dirname, '../../../tmp/console-screenshots');

/** A quarter's accounts as a clerk keeps them (the layout the disclosures tests use). */
const STATEMENT = [
  '日期,项目,收支,金额（元）,资金来源',
  '期初余额,,,2000.00,',
  '10月8日,区财政拨付,收入,"10,000.00",民生微实事资金',
  '10月12日,路灯维修,支出,1200,民生微实事资金',
  '10月20日,重阳节慰问品,支出,800.50,福彩公益金',
  '支出合计,,支出,2000.50,',
  '期末余额,,,9999.50,',
].join('\n');

describe.skipIf(!chromiumAvailable())('web console in Chromium', () => {
  let world: World;
  let browser: Browser;
  let page: Page;
  const shot = async (p: Page, name: string, viewport = LAPTOP) => p.screenshot(join(SHOTS, `${name}.png`), viewport);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    world = await buildWorld();
    browser = await launchBrowser();
    page = browser.page;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('signs a committee member in from the link the bot sent', async () => {
    const link = await world.linkFor(PEOPLE.committee);
    expect(link.startsWith(`${world.origin}/console/signin/`)).toBe(true);
    await page.goto(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('您将以“张丽华”的身份进入社区管理后台');
    await shot(page, '01-sign-in');
    await page.click('#signin');
    expect(await page.url()).toBe(`${world.origin}/console/c/badeng`);
    const session = (await page.cookies(world.origin + '/console')).find((c) => c.name === 'linli_console');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/console' });
    expect(await world.bot.db.auditEntry.count({ where: { action: 'console.signin', actorId: world.committee.id } })).toBe(1);
  });

  it('shows the dashboard with the figures the domain counts', async () => {
    const text = await page.text();
    expect(text).toContain('巴登社区');
    expect(text).toContain('进行中的投票');
    const open = await world.bot.db.poll.findUniqueOrThrow({ where: { id: world.openPoll.id }, include: { options: { orderBy: { position: 'asc' } } } });
    const current = await currentResult(world.bot.db, open);
    expect(current).toMatchObject({ turnout: 11, electorateSize: 17 });
    expect(text).toContain('已投票11／17人（64.7%）');
    expect(text).toContain('已达最低参与人数（9人）');
    // Proposals by stage, this quarter's satisfaction (9 of 12 satisfied), the disclosure, delivery.
    expect(text).toMatch(/征集附议中\s*2/);
    expect(text).toMatch(/列入候选项目\s*1/);
    expect(text).toContain('75%');
    expect(text).toContain('样本不足30份');
    expect(text).toContain('三季度社区议事会会议纪要');
    expect(text).toContain('防篡改校验通过（1条）');
    expect(text).toContain('发送正常');
    expect(text).toContain(`近${SENT_WINDOW_MS / 3_600_000}小时已发送`);
    expect(text).not.toContain('桂园');
    await shot(page, '02-dashboard');
    await shot(page, '02-dashboard-phone', PHONE);
  });

  it('lists the polls and shows one with its tallies, rules and group notices', async () => {
    await page.click('a[href="/console/c/badeng/polls"]');
    const list = await page.text();
    expect(list).toContain('是否同意在3栋门前加装休闲座椅？');
    expect(list).toContain('小区东门是否增设快递柜？');
    expect(list).toContain('已投票16／17人（94.1%）');
    await shot(page, '03-polls');
    await page.click('a[href="/console/c/badeng/polls/2"]');
    const detail = await page.text();
    expect(detail).toContain('当前计票');
    // online, paper, in person, total
    expect(detail).toMatch(/1\. 赞成\s*7\s*0\s*0\s*7/);
    expect(detail).toContain('得票超过实际投票人数的半数');
    expect(detail).toMatch(/投票卡片\s*巴登社区居民群\s*已发送/);
    await shot(page, '04-poll-open');
    await shot(page, '04-poll-open-phone', PHONE);
  });

  it('downloads the poll as CSV and XLSX, the same figures as the page', async () => {
    const csv = await page.download('a[href$="/polls/2/export.csv"]');
    expect(csv.name).toBe('投票-第2号-是否同意在3栋门前加装休闲座椅？.csv');
    const rows = parse(csv.data.toString('utf8').replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    const yes = rows.find((r) => r[1] === '赞成');
    expect(yes?.slice(0, 6)).toEqual(['1', '赞成', '7', '0', '0', '7']);
    expect(rows.find((r) => r[0] === '实际投票人数')?.[1]).toBe('11');
    const xlsx = await page.download('a[href$="/polls/2/export.xlsx"]');
    expect(xlsx.name).toBe('投票-第2号-是否同意在3栋门前加装休闲座椅？.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.data as unknown as ArrayBuffer);
    const tally = book.worksheets[1];
    expect((tally.getRow(2).values as unknown[]).slice(1, 8)).toEqual([1, '赞成', 7, 0, 0, 7, 0.6364]);
    expect(tally.getRow(2).getCell(7).numFmt).toBe('0.0%'); // a share a clerk computes with, not 0.6364
    expect(await world.bot.db.auditEntry.count({ where: { action: 'export', via: 'console', targetId: world.openPoll.id } })).toBe(2);
  });

  it('refuses a close with a forged form token and changes nothing', async () => {
    await page.press('input[name="confirm"]');
    await page.evaluate(`document.querySelector('form[action$="/close"] input[name="_csrf"]').value = 'forged'`);
    await page.click('#close-poll');
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('页面已过期或来源无法核实，本次提交未被办理');
    await shot(page, '05-refused-csrf');
    expect((await world.bot.db.poll.findUniqueOrThrow({ where: { id: world.openPoll.id } })).status).toBe('open');
  });

  it('closes the poll early and the result goes to the group through the outbox', async () => {
    await page.goto(`${world.origin}/console/c/badeng/polls/2`);
    const sentBefore = world.bot.fake.sent.length;
    await page.press('input[name="confirm"]');
    await page.click('#close-poll');
    expect(await page.url()).toBe(`${world.origin}/console/c/badeng/polls/2?done=closed`);
    expect(await page.text()).toContain('第2号投票已提前截止，结果已排入发送队列，将发往1个居民群');
    // The result was queued in the outbox (the running worker may already be sending it)…
    const queued = await world.bot.db.outboxMessage.findMany({ where: { refType: 'poll-result', refId: world.openPoll.id } });
    expect(queued.map((m) => m.chatId)).toEqual([String(GROUP)]);
    await world.bot.flushOutbox();
    // …and delivered to the group: text and chart.
    expect((await world.bot.db.outboxMessage.findUniqueOrThrow({ where: { id: queued[0].id } })).status).toBe('sent');
    const toGroup = world.bot.fake.sent.slice(sentBefore).filter((m) => m.kind === 'send' && String(m.chatId) === String(GROUP));
    const result = toGroup.find((m) => textOf(m).includes('【表决结果｜第2号】'));
    expect(textOf(result!)).toContain('赞成：7票');
    expect(toGroup.some((m) => m.method === 'sendPhoto' && m.file)).toBe(true);
    const audit = await world.bot.db.auditEntry.findFirstOrThrow({ where: { action: 'poll.close_early', targetId: world.openPoll.id } });
    expect(audit).toMatchObject({ actorId: world.committee.id, via: 'console' });
    await page.goto(`${world.origin}/console/c/badeng/polls/2`);
    const text = await page.text();
    expect(text).toContain('表决结果');
    expect(text).toMatch(/结果通知\s*巴登社区居民群\s*已发送/);
    expect(text).not.toContain('提前截止并公布结果');
    await shot(page, '06-poll-closed');
  });

  it('reviews proposals: the queue, a rejection with its public reason, the group notice', async () => {
    await page.goto(`${world.origin}/console/c/badeng`);
    await page.click('a[href="/console/c/badeng/proposals"]');
    const queue = await page.text();
    // The shortlisted #3 waits for the committee too (to put it to the vote).
    expect(queue).toContain('待居委会办理（3项）');
    expect(queue).toContain('3栋楼道加装感应灯');
    await shot(page, '11-review-queue');
    await page.click('a[href="/console/c/badeng/proposals/2"]');
    expect(await page.text()).toContain('小区中心花园缺少座椅');
    await page.fill('textarea[name="reason"]', '中心花园改造已列入街道明年计划，届时统一设置座椅。');
    await page.click('#move-reject');
    expect(await page.url()).toBe(`${world.origin}/console/c/badeng/proposals/2?done=reject`);
    const text = await page.text();
    expect(text).toContain('已办理：#2不予采纳');
    expect(text).toContain('理由：中心花园改造已列入街道明年计划');
    await shot(page, '12-proposal-rejected');
    await world.bot.flushOutbox();
    const notice = world.bot.fake.messagesTo(GROUP).find((m) => textOf(m).includes('增设长者休息座椅') && textOf(m).includes('中心花园改造已列入街道明年计划'));
    expect(notice).toBeDefined();
    const stored = await world.bot.db.proposal.findFirstOrThrow({ where: { communityId: world.community.id, number: 2 } });
    expect(stored).toMatchObject({ status: 'rejected', statusReason: '中心花园改造已列入街道明年计划，届时统一设置座椅。' });
    expect(await world.bot.db.auditEntry.count({ where: { action: 'proposal.rejected', targetId: stored.id, via: 'console' } })).toBe(1);
  });

  it('publishes a statement from a CSV file: refused with the line at fault, then previewed and published', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-statement-'));
    const wrong = join(dir, '四季度收支（错误）.csv');
    const right = join(dir, '四季度收支.csv');
    writeFileSync(wrong, STATEMENT.replace('2000.50', '2100.50'));
    writeFileSync(right, STATEMENT);
    await page.goto(`${world.origin}/console/c/badeng/disclosures`);
    expect(await page.text()).toContain('已发布的1个公开版本均与发布时一致');
    const fill = async (file: string) => {
      await page.evaluate(`document.querySelector('select[name="category"]').value = 'finance'`);
      await page.fill('input[name="period"]', '2026年第四季度');
      await page.fill('input[name="title"]', '2026年第四季度社区经费收支情况');
      await page.upload('input[name="file"]', file);
      await page.click('#preview');
    };
    await fill(wrong);
    expect(page.status).toBe(400);
    const refused = await page.text();
    expect(refused).toContain('第6行“金额（元）”列');
    // What was typed is kept; only the file must be chosen again.
    expect(await page.evaluate(`document.querySelector('input[name="title"]').value`)).toBe('2026年第四季度社区经费收支情况');
    await shot(page, '13-disclosure-refused');
    expect(await world.bot.db.disclosure.count({ where: { communityId: world.community.id } })).toBe(1);

    await fill(right);
    const preview = await page.text();
    expect(preview).toContain('发布预览');
    expect(preview).toContain('区财政拨付');
    expect(preview).toContain('期末余额 ¥9,999.50');
    await shot(page, '14-disclosure-preview');
    await page.click('#confirm-publish');
    expect(await page.url()).toBe(`${world.origin}/console/c/badeng/disclosures/2?done=publish`);
    expect(await page.text()).toContain('已发布第2号公开');
    await shot(page, '15-disclosure-published');
    await world.bot.flushOutbox();
    const notice = world.bot.fake.messagesTo(GROUP).find((m) => textOf(m).includes('2026年第四季度社区经费收支情况'));
    expect(textOf(notice!)).toContain('【居务公开｜财务类】2026年第四季度');
    const version = await world.bot.db.disclosureVersion.findFirstOrThrow({ where: { title: '2026年第四季度社区经费收支情况' } });
    expect(version).toMatchObject({ publishedVia: 'console', publishedById: world.committee.id, format: 'statement' });
  });

  it('shows the satisfaction report with its flag and trend, and moderates a comment', async () => {
    await page.goto(`${world.origin}/console/c/badeng`);
    await page.click('a[href="/console/c/badeng/ratings"]');
    const text = await page.text();
    expect(text).toContain('满意度评议（2026年第四季度）');
    expect(text).not.toContain('2026Q4');
    expect(text).toContain('75%');
    expect(text).toContain('较上期（2026年第三季度，62.5%）上升12.5个百分点');
    expect(text).toContain('参评人数不足30人');
    expect(text).toContain('待审核的意见（2条）');
    expect(await page.evaluate(`document.querySelector('figure.chart img').naturalWidth > 0`)).toBe(true);
    await shot(page, '16-ratings');
    const comment = await world.bot.db.rating.findFirstOrThrow({ where: { comment: { contains: '午间办理' } } });
    await page.click(`#approve-${comment.id}`);
    expect(await page.text()).toContain('已通过该条意见');
    expect(await page.text()).toContain('待审核的意见（1条）');
    expect((await world.bot.db.rating.findUniqueOrThrow({ where: { id: comment.id } })).commentStatus).toBe('approved');
  });

  it('issues verification codes as printable slips, and a resident verifies with one in chat', async () => {
    await page.goto(`${world.origin}/console/c/badeng/members`);
    expect(await page.text()).toContain('成员（19人）');
    await page.fill('textarea[name="units"]', '5栋-1单元-301\n5栋-1单元-302');
    await page.click('#issue-codes');
    const slips = await page.text();
    expect(slips).toContain('已生成2个认证码');
    expect(slips).toContain('5栋-1单元-301');
    await shot(page, '17-code-slips');
    const codes = await page.evaluate<string[]>(`[...document.querySelectorAll('.slip-code')].map((e) => e.textContent)`);
    expect(codes).toHaveLength(2);
    const newcomer = { id: 77, first_name: '新住户', language_code: 'zh-CN' };
    await world.bot.say(newcomer, `/verify ${codes[0]}`);
    const person = await world.bot.db.identity.findFirstOrThrow({ where: { platformUserId: '77' } });
    const membership = await world.bot.db.membership.findFirstOrThrow({ where: { personId: person.personId, communityId: world.community.id }, include: { household: true } });
    expect(membership).toMatchObject({ role: 'verified' });
    expect(membership.household?.unit).toBe('5栋-1单元-301');
    // Members are listed in the order they joined, fifteen a page: the newcomer is on page 2.
    await page.goto(`${world.origin}/console/c/badeng/members?page=2`);
    expect(await page.text()).toContain('新住户');
    await shot(page, '18-members');
  });

  it('sends an announcement now and schedules another, then withdraws it', async () => {
    await page.goto(`${world.origin}/console/c/badeng/announcements`);
    await page.fill('textarea[name="text"]', '本周六上午9点在社区广场开展义诊活动，欢迎居民参加。');
    await page.click('#announce');
    expect(await page.text()).toContain('公告已排入发送队列');
    await world.bot.flushOutbox();
    expect(world.bot.fake.messagesTo(GROUP).some((m) => textOf(m).includes('【巴登社区公告】') && textOf(m).includes('义诊活动'))).toBe(true);
    await page.fill('textarea[name="text"]', '下周一起东门临时封闭施工，请绕行北门。');
    await page.fill('input[name="when"]', '明天 9:00');
    await page.click('#announce');
    expect(await page.text()).toContain('公告已预约');
    await shot(page, '19-announcements');
    const scheduled = await world.bot.db.announcement.findFirstOrThrow({ where: { status: 'scheduled' } });
    await page.click(`#cancel-${scheduled.id}`);
    expect(await page.text()).toContain('该公告已撤回');
    expect((await world.bot.db.announcement.findUniqueOrThrow({ where: { id: scheduled.id } })).status).toBe('cancelled');
  });

  it('keeps the people of one community out of another', async () => {
    const other = await browser.newContext();
    await other.goto(await world.linkFor(PEOPLE.otherCommittee));
    await other.click('#signin');
    expect(await other.url()).toBe(`${world.origin}/console/c/guiyuan`);
    await other.goto(`${world.origin}/console/c/badeng`);
    expect(other.status).toBe(404);
    expect(await other.text()).toContain('未找到该社区，或您没有查看该社区的权限');
    await other.goto(`${world.origin}/console/c/guiyuan/polls/${world.openPoll.id}`);
    expect(other.status).toBe(404);
    await other.goto(`${world.origin}/console/c/badeng/polls/2/export.csv`);
    expect(other.status).toBe(404);
  });

  it('refuses a resident, a used link, an expired link and a forged cookie with clear pages', async () => {
    await world.bot.say(PEOPLE.resident, '/console');
    const answer = textOf(world.bot.last(PEOPLE.resident.id));
    expect(answer).toContain('管理后台仅向社区居委会成员、社区工作站工作人员及系统管理员开放');
    expect(answer).not.toMatch(/signin/);

    const fresh = await browser.newContext();
    const link = await world.linkFor(PEOPLE.staff);
    await fresh.goto(link);
    await fresh.click('#signin');
    const again = await browser.newContext();
    await again.goto(link);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('该登录链接已使用过');
    await shot(again, '07-link-used');

    const late = await world.linkFor(PEOPLE.staff);
    world.clock.advance(11 * 60_000);
    await again.goto(late);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('该登录链接已过期');

    await again.setCookie(world.origin, 'linli_console', 'A'.repeat(43), '/console');
    await again.goto(`${world.origin}/console/c/badeng`);
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('您的登录已失效');
    await shot(again, '08-session-ended-phone', PHONE);
  });

  it('shows staff the audit log with filters', async () => {
    const staff = await browser.newContext();
    await staff.goto(await world.linkFor(PEOPLE.staff));
    await staff.click('#signin');
    await staff.click('a[href="/console/c/badeng/audit"]');
    expect(await staff.text()).toContain('提前截止投票');
    await staff.evaluate(`document.querySelector('select[name="action"]').value = 'poll.close_early'`);
    await staff.click('.filters-form button[type="submit"]');
    const text = await staff.text();
    expect(text).toContain('共1条记录');
    expect(text).toContain('张丽华');
    await shot(staff, '09-audit');
  });

  it('speaks English when asked and signs out', async () => {
    await page.goto(`${world.origin}/console/c/badeng?lang=en`);
    const text = await page.text();
    expect(text).toContain('Polls in progress');
    expect(text).toContain('Sign out');
    await shot(page, '10-dashboard-en');
    await page.click('button.link');
    expect(await page.text()).toContain('Your session has ended');
    await page.goto(`${world.origin}/console/c/badeng`);
    expect(page.status).toBe(401);
  });
});
