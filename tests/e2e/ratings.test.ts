/**
 * 满意度评议 end to end: the real bot against the fake Bot API — rating in a private chat,
 * changing a rating, refusals, a campaign announced in the group with a button, closing it by
 * the job (once, with the public summary and the event), moderation of comments, the committee's
 * report with its chart and threshold flag, the export in chat and on the CLI, project targets
 * from completed proposals, and the digest section.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/testDatabase.ts';
import { runCli } from '../../src/cli/main.ts';
import type { DomainEvents } from '../../src/core/events.ts';
import type { Community } from '../../src/generated/prisma/client.ts';
import { launchCampaign } from '../../src/domain/ratings/campaigns.ts';
import { CLOSE_JOB } from '../../src/features/ratings/index.ts';
import { rateTarget } from '../../src/features/ratings/actions.ts';
import { bindTelegramGroup, grantRole, makeCommunity } from '../support/fixtures.ts';
import { buttonsOf, startTestBot, tempDir, testClock, textOf, type TestBot } from '../support/harness.ts';

const GROUP = -100500;
const user = (id: number) => ({ id, first_name: `住户${id}`, language_code: 'zh-hans' });
const resA = user(101);
const resB = user(102);
const committee = user(201);
const staff = user(202);
const outsider = user(301);
const stranger = user(999);
const en = { id: 103, first_name: 'Anna', language_code: 'en' };

describe('satisfaction ratings end to end', () => {
  const clock = testClock('2026-11-10T10:00:00+08:00');
  let bot: TestBot;
  let badeng: Community;
  const closedEvents: DomainEvents['rating.campaignClosed'][] = [];

  const lastText = (id: number) => textOf(bot.last(id));
  const press = (who: { id: number }, label: string | RegExp) => bot.press(who, bot.last(who.id), label);

  beforeAll(async () => {
    bot = await startTestBot({ clock });
    badeng = await makeCommunity(bot.db);
    const other = await makeCommunity(bot.db, 'xiangmihu', '香蜜湖社区');
    await bindTelegramGroup(bot.db, badeng, GROUP);
    await grantRole(bot.db, badeng, resA.id, 'verified');
    await grantRole(bot.db, badeng, resB.id, 'verified');
    await grantRole(bot.db, badeng, en.id, 'verified');
    await grantRole(bot.db, badeng, committee.id, 'committee');
    await grantRole(bot.db, badeng, staff.id, 'staff');
    await grantRole(bot.db, other, outsider.id, 'verified');
    bot.linli.services.events.on('rating.campaignClosed', async (p) => void closedEvents.push(p));
  });
  afterAll(() => bot.close());

  it('lets a verified resident rate with dimensions and a comment; the committee is alerted without the name', async () => {
    await bot.say(resA, '/rate');
    expect(buttonsOf(bot.last(resA.id))).toEqual(['党群服务中心', '社区工作站']);
    await press(resA, '党群服务中心');
    expect(lastText(resA.id)).toContain('总体评价');
    expect(buttonsOf(bot.last(resA.id))).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
    await press(resA, '不满意');
    await press(resA, '分项打分');
    expect(lastText(resA.id)).toContain('服务态度');
    await press(resA, '满意');
    await press(resA, '不满意');
    await press(resA, '跳过'); // 环境设施 skipped
    await press(resA, '基本满意');
    expect(lastText(resA.id)).toContain('遇到的问题');
    await bot.say(resA, '排'.repeat(201));
    expect(textOf(bot.fake.messagesTo(resA.id).slice(-2)[0])).toContain('内容过长（201字）');
    await bot.say(resA, '窗口排队太久，办事要跑好几趟');
    const confirm = lastText(resA.id);
    expect(confirm).toContain('总体评价：不满意');
    expect(confirm).toContain('办事效率：不满意');
    expect(confirm).not.toContain('环境设施');
    await press(resA, '确认提交');
    expect(lastText(resA.id)).toContain('感谢您参加2026年第四季度对“党群服务中心”的满意度评议');

    const rows = await bot.db.rating.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ period: '2026Q4', overall: 2, commentStatus: 'pending' });
    expect(JSON.parse(rows[0].dimensions!)).toEqual({ attitude: 4, efficiency: 2, expertise: 3 });

    await bot.flushOutbox();
    const alert = lastText(committee.id);
    expect(alert).toContain('【评议提醒】“党群服务中心”收到一条不满意评价');
    expect(alert).toContain('窗口排队太久');
    expect(alert).not.toContain('住户101');
    expect(alert).not.toMatch(/1栋|101/);
    expect(buttonsOf(bot.last(committee.id))).toEqual(['同意公开', '不予公开']);
    // Staff are not committee members: no alert for them.
    expect(bot.fake.messagesTo(staff.id)).toHaveLength(0);
  });

  it('offers to change a rating in the same period, and keeps it when asked', async () => {
    await bot.say(resA, '/rate');
    await press(resA, '党群服务中心');
    expect(lastText(resA.id)).toContain('已对“党群服务中心”作出过评价（不满意）');
    await press(resA, '保留原评价');
    expect(lastText(resA.id)).toContain('已保留');
    expect((await bot.db.rating.findFirstOrThrow()).overall).toBe(2);

    await bot.say(resA, '/rate');
    await press(resA, '党群服务中心');
    await press(resA, '修改评价');
    await press(resA, '满意');
    await press(resA, '不用了');
    await press(resA, '跳过');
    expect(lastText(resA.id)).toContain('提交后将替换您本期的原评价');
    await press(resA, '确认提交');
    expect(lastText(resA.id)).toContain('已将您2026年第四季度对“党群服务中心”的评价更新');
    const rows = await bot.db.rating.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ overall: 4, dimensions: null, comment: null, commentStatus: 'none' });
  });

  it('refuses residents who are not verified here, and moves a group /rate to the private chat', async () => {
    await bot.say(stranger, '/rate');
    expect(lastText(stranger.id)).toContain('尚未关联任何社区');
    await bot.say(resB, '/rate', { id: GROUP, type: 'supergroup', title: '巴登社区居民群' });
    expect(lastText(GROUP)).toContain('私聊');
    expect(await bot.db.rating.count()).toBe(1);
  });

  it('speaks English to an English client', async () => {
    await bot.say(en, '/rate');
    expect(buttonsOf(bot.last(en.id))).toEqual(['Party-Masses Service Centre', 'Community workstation']);
    await bot.say(en, '/cancel');
  });

  it('runs a campaign: announced with a button, rated from the group, closed once by the job with a public summary', async () => {
    // Committee only.
    await bot.say(resA, '/ratingcampaign');
    expect(lastText(resA.id)).toContain('没有办理此事项的权限');

    await bot.say(committee, '/ratingcampaign');
    await press(committee, '社区工作站');
    await bot.say(committee, '0');
    expect(textOf(bot.fake.messagesTo(committee.id).slice(-2)[0])).toContain('不能小于1');
    await bot.say(committee, '14');
    expect(lastText(committee.id)).toContain('社区工作站');
    await press(committee, '确认发起');
    expect(lastText(committee.id)).toContain('已发起对“社区工作站”的满意度评议（2026年第四季度）');
    await bot.flushOutbox();
    const announcement = bot.last(GROUP);
    expect(textOf(announcement)).toContain('【满意度评议通知】');
    expect(buttonsOf(announcement)).toEqual(['参加评议']);

    // A resident of another community pressing the button is refused with an alert.
    await bot.press(outsider, announcement, '参加评议');
    const answers = bot.fake.calls.filter((c) => c.method === 'answerCallbackQuery');
    expect(String(answers[answers.length - 1].params.text)).toContain('仅限本社区已认证居民');
    expect(bot.fake.messagesTo(outsider.id)).toHaveLength(0);

    // A resident presses it: the questions arrive privately, target already chosen.
    await bot.press(resB, announcement, '参加评议');
    expect(lastText(resB.id)).toContain('您对“社区工作站”的总体评价是？');
    await press(resB, '非常不满意');
    await press(resB, '不用了');
    await bot.say(resB, '工作站周末没人值班');
    await press(resB, '确认提交');
    expect(lastText(resB.id)).toContain('感谢您参加');
    await bot.press(resA, announcement, '参加评议');
    await press(resA, '非常满意');
    await press(resA, '不用了');
    await bot.say(resA, '工作人员很耐心，点赞');
    await press(resA, '确认提交');

    // Moderation: approve one comment, hide the other.
    await bot.say(committee, '/ratingcomments');
    const queue = bot.fake.messagesTo(committee.id).slice(-3);
    expect(textOf(queue[0])).toContain('待审核意见共2条'); // resA's first comment went when the rating changed
    for (const m of queue.slice(1)) expect(textOf(m)).not.toContain('住户');
    const praise = queue.find((m) => textOf(m).includes('点赞'))!;
    const complaint = queue.find((m) => textOf(m).includes('没人值班'))!;
    await bot.press(committee, praise, '同意公开');
    await bot.press(committee, complaint, '不予公开');
    // A resident cannot approve comments.
    await bot.press(resA, complaint, '同意公开');
    const statuses = await bot.db.rating.findMany({ where: { comment: { not: null } }, orderBy: { comment: 'asc' } });
    expect(statuses.map((r) => r.commentStatus).sort()).toEqual(['approved', 'hidden']);

    // Not due yet: nothing closes.
    await bot.linli.scheduler.run(CLOSE_JOB);
    expect(closedEvents).toHaveLength(0);
    // The bot was down past the closing date: the job catches up, once.
    clock.advance(20 * 86_400_000);
    await bot.linli.scheduler.run(CLOSE_JOB);
    await bot.linli.scheduler.run(CLOSE_JOB);
    await bot.flushOutbox();
    const summaries = bot.fake.messagesTo(GROUP).filter((m) => textOf(m).includes('【满意度评议结果】'));
    expect(summaries).toHaveLength(1);
    const summary = textOf(summaries[0]);
    expect(summary).toContain('参评人数：2人');
    expect(summary).toContain('满意率：50%');
    expect(summary).toContain('点赞');
    expect(summary).not.toContain('没人值班');
    expect(summary).not.toContain('住户');
    expect(closedEvents).toEqual([{ communityId: badeng.id, targetId: expect.any(String), proposalId: null, answers: 2, satisfactionRate: 0.5 }]);
    // The announcement lost its button.
    const edits = bot.fake.sent.filter((m) => m.kind === 'edit' && m.messageId === announcement.messageId);
    expect(edits.length).toBeGreaterThan(0);
    expect(buttonsOf(edits[edits.length - 1])).toEqual([]);

    // The old button (a client that still shows it) after closing: refused.
    const data = (announcement.replyMarkup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0][0].callback_data;
    bot.fake.pressButton({ from: resB, chat: { id: GROUP }, messageId: announcement.messageId, data, force: true });
    await bot.settle();
    const last = bot.fake.calls.filter((c) => c.method === 'answerCallbackQuery').pop()!;
    expect(String(last.params.text)).toContain('评议活动已经结束');
  });

  it('reports to committee and staff with the trend chart and the threshold flag', async () => {
    const property = await bot.db.ratingTarget.create({ data: { communityId: badeng.id, kind: 'property', name: '万科物业' } });
    // 30 answers in 2026Q4, 17 satisfied: below 60% with enough answers. 2026Q3: 10 of 12 satisfied.
    const seed = (period: string, scores: number[]) =>
      bot.db.rating.createMany({ data: scores.map((overall, i) => ({ targetId: property.id, period, raterKey: `p:seed-${period}-${i}`, overall })) });
    await seed('2026Q4', [...Array(9).fill(5), ...Array(8).fill(4), ...Array(7).fill(3), ...Array(4).fill(2), 1, 1]);
    await seed('2026Q3', [...Array(10).fill(4), 2, 2]);

    await bot.say(resA, '/ratings');
    expect(lastText(resA.id)).toContain('没有办理此事项的权限');
    await bot.say(staff, '/ratings', { id: GROUP, type: 'supergroup', title: '巴登社区居民群' });
    expect(lastText(GROUP)).toContain('私聊');

    await bot.say(staff, '/ratings 2026q4');
    const overview = lastText(staff.id);
    expect(overview).toContain('【巴登社区满意度评议情况】2026年第四季度');
    expect(overview).toContain('参评30人，满意率56.7%');
    expect(overview).toContain('⚠ 满意率低于本社区设定的60%');
    expect(overview).toContain('参评人数不足30人'); // 党群服务中心 with 1 answer
    expect(overview).not.toContain('待审核'); // all reviewed above
    await press(staff, '万科物业 详情');
    const report = bot.last(staff.id);
    expect(report.method).toBe('sendPhoto');
    expect(report.file?.bytes?.subarray(1, 4).toString()).toBe('PNG');
    const text = textOf(report);
    expect(text).toContain('满意率：56.7%（非常满意与满意合计17人）');
    expect(text).toContain('评价分布：非常满意 9｜满意 8｜基本满意 7｜不满意 4｜非常不满意 2');
    expect(text).toContain('较上期（2026年第三季度，83.3%）下降26.7个百分点');

    // One more satisfied answer makes 18 of 31 = 58.1%: still below. Exactly 60% is not flagged.
    await bot.db.rating.updateMany({ where: { targetId: property.id, period: '2026Q4', overall: 3 }, data: { overall: 4 } });
    await bot.db.rating.deleteMany({ where: { targetId: property.id, period: '2026Q4', overall: 1 } });
    // Now: 9 + 8 + 7 = 24 satisfied of 28 answers (85.7%) but under 30 answers: too few.
    await bot.say(committee, '/ratings');
    expect(lastText(committee.id)).toContain('参评28人，满意率85.7%');
    expect(lastText(committee.id)).not.toContain('⚠');
    await bot.say(staff, '/ratings 2026Q9');
    expect(lastText(staff.id)).toContain('不是有效的评议期');
  });

  it('exports summaries and anonymous answers in chat and on the CLI', async () => {
    await bot.say(staff, '/export');
    await press(staff, '满意度评议');
    await press(staff, '2026年第四季度');
    const files = bot.fake.messagesTo(staff.id).filter((m) => m.method === 'sendDocument');
    const csvFile = files.find((f) => f.file?.fileName === '满意度评议-巴登社区-2026年第四季度.csv');
    expect(csvFile).toBeDefined();
    expect(files.some((f) => f.file?.fileName === '满意度评议-巴登社区-2026年第四季度.xlsx')).toBe(true);
    const csv = csvFile!.file!.bytes!.toString('utf8');
    expect(csv).toContain('评议汇总');
    expect(csv).toContain('万科物业');
    expect(csv).toContain('点赞');
    expect(csv).not.toContain('没人值班');
    expect(csv).not.toContain('p:');
    expect(csv).not.toContain('住户');
    // The satisfaction rate reads as a percentage a clerk can compute with, not 0.6667.
    const header = csv.split('\n').find((l) => l.includes('满意率'))!.split(',');
    const row = csv.split('\n').find((l) => l.includes('万科物业'))!.split(',');
    expect(row[header.indexOf('满意率')]).toMatch(/^\d{1,3}(\.\d)?%$/);

    const out = join(tempDir(), 'ratings.csv');
    const code = await runCli(['export', 'ratings', '--community', 'badeng', '--period', '2026Q3', '--format', 'csv', '--out', out], {
      DATABASE_URL: testDatabaseUrl(bot.dbFile),
      LOG_LEVEL: 'silent',
    });
    expect(code).toBe(0);
    const cli = readFileSync(out, 'utf8');
    expect(cli.charCodeAt(0)).toBe(0xfeff);
    expect(cli).toContain('2026年第三季度');
    expect(cli).not.toContain('2026年第四季度');
    expect(await runCli(['export', 'ratings', '--community', 'badeng', '--format', 'pdf', '--out', out], { DATABASE_URL: testDatabaseUrl(bot.dbFile), LOG_LEVEL: 'silent' })).toBe(1);
  });

  it('manages targets on the CLI, audited, refusing bad kinds', async () => {
    const env = { DATABASE_URL: testDatabaseUrl(bot.dbFile), LOG_LEVEL: 'silent' };
    expect(await runCli(['rating', 'target', 'add', '--community', 'badeng', '--kind', 'property', '--name', '招商物业'], env)).toBe(0);
    expect(await runCli(['rating', 'target', 'add', '--community', 'badeng', '--kind', 'spaceship', '--name', '飞船'], env)).toBe(1);
    expect(await runCli(['rating', 'target', 'fly', '--community', 'badeng'], env)).toBe(1);
    const added = await bot.db.ratingTarget.findMany({ where: { communityId: badeng.id, name: { in: ['招商物业', '飞船'] } } });
    expect(added.map((t) => t.kind)).toEqual(['property']);
    expect(await bot.db.auditEntry.count({ where: { action: 'rating.target.add', targetId: added[0].id, via: 'cli' } })).toBe(1);
  });

  it('adds a target for a completed project and lets committee members manage targets in chat', async () => {
    await bot.linli.services.events.emit('proposal.completed', { proposalId: 'p-42', communityId: badeng.id, title: '5栋楼道照明改造' });
    await bot.linli.services.events.emit('proposal.completed', { proposalId: 'p-42', communityId: badeng.id, title: '5栋楼道照明改造' });
    await bot.say(committee, '/ratingtargets');
    const list = lastText(committee.id);
    expect(list.match(/5栋楼道照明改造/g)).toHaveLength(1);
    // A default target is named once (not 党群服务中心（党群服务中心）); a named one keeps its kind.
    expect(list).toMatch(/\d\. 党群服务中心\n/);
    expect(list).not.toContain('党群服务中心（党群服务中心）');
    expect(list).toContain('5栋楼道照明改造（民生微实事项目）');
    // Buttons name their target: WeChat's own numbering would turn "1 改名" into "3. 1 改名".
    expect(buttonsOf(bot.last(committee.id)).filter((b) => /^\d/.test(b))).toEqual([]);
    expect(buttonsOf(bot.last(committee.id))).toContain('改名：党群服务中心');
    await press(committee, '新增评议对象');
    await press(committee, '市政服务单位');
    await bot.say(committee, '南园供电所');
    expect(lastText(committee.id)).toContain('已新增评议对象“南园供电所”');
    await bot.say(committee, '/ratingtargets');
    await press(committee, /^停评：党群服务中心/);
    expect(lastText(committee.id)).toContain('已停止评议');

    await bot.say(resA, '/rate');
    const choices = buttonsOf(bot.last(resA.id));
    expect(choices).toContain('5栋楼道照明改造');
    expect(choices).toContain('南园供电所');
    expect(choices).not.toContain('党群服务中心');
    await bot.say(resA, '/cancel');
  });

  it('contributes open and closed campaigns to the digest', async () => {
    const digest = bot.linli.services.digestContributors.find((d) => d.feature === 'ratings')!;
    const now = clock();
    const section = await digest.build(bot.linli.services, { communityId: badeng.id, from: new Date(now.getTime() - 7 * 86_400_000), to: new Date(now.getTime() + 86_400_000), locale: 'zh-CN' });
    expect(section?.lines.join('\n')).toContain('“社区工作站”2026年第四季度评议已结束：参评2人，满意率50%');
    expect(section?.items).toBe(1);
    const quiet = await digest.build(bot.linli.services, { communityId: badeng.id, from: new Date(now.getTime() + 86_400_000), to: new Date(now.getTime() + 8 * 86_400_000), locale: 'zh-CN' });
    expect(quiet).toBeNull();

    // An open campaign comes with a button that starts the rating.
    const property = await bot.db.ratingTarget.findFirstOrThrow({ where: { name: '万科物业' } });
    const committeeActor = { personId: 'x', isAdmin: false, grants: [{ communityId: badeng.id, role: 'committee' as const, householdId: null }] };
    await launchCampaign(bot.db, { actor: committeeActor, via: 'test' }, { communityId: badeng.id, targetId: property.id, days: 7 }, now, 'Asia/Shanghai');
    const open = await digest.build(bot.linli.services, { communityId: badeng.id, from: new Date(now.getTime() + 86_400_000), to: new Date(now.getTime() + 8 * 86_400_000), locale: 'zh-CN' });
    expect(open?.lines.join('\n')).toContain('“万科物业”2026年第四季度满意度评议进行中');
    expect(open?.buttons).toEqual([{ label: '评议：万科物业', action: rateTarget.pack({ target: property.id }) }]);
  });
});
