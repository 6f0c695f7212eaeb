/**
 * 居务公开 end to end: the real bot against the fake Bot API on a real SQLite file. A committee
 * member publishes a quarterly statement from a CSV file in chat (a wrong total is refused first),
 * the groups get a notice, residents read it, search it, and see corrections with their history;
 * reminders, the digest section and the export work; non-committee members cannot publish.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BALLOT_KEY, testDatabaseUrl } from '../support/testDatabase.ts';
import { publishDisclosure } from '../../src/domain/disclosures/disclosures.ts';
import { loadActor } from '../../src/domain/residents/people.ts';
import type { Community } from '../../src/generated/prisma/client.ts';
import { bindTelegramGroup, grantRole, makeCommunity } from '../support/fixtures.ts';
import { buttonsOf, startTestBot, tempDir, testClock, textOf, type TestBot } from '../support/harness.ts';

const BIN = join(import.meta.dirname, '../../bin/linli.mjs');
const GROUP = { id: -100500, type: 'supergroup' as const, title: '巴登社区居民群' };
const committee = { id: 401, first_name: '陈主任', language_code: 'zh-hans' };
const resident = { id: 402, first_name: '李阿姨', language_code: 'zh-hans' };
const stranger = { id: 403, first_name: 'Tom', language_code: 'en' };
const shy = { id: 404, first_name: '周先生', language_code: 'zh-hans' };

const STATEMENT = [
  '日期,项目,收支,金额（元）,资金来源',
  '期初余额,,,2000.00,',
  '10月8日,区财政拨付,收入,"10,000.00",民生微实事资金',
  '10月12日,路灯维修,支出,1200,民生微实事资金',
  '10月20日,重阳节慰问品,支出,800.50,福彩公益金',
  '支出合计,,支出,2000.50,',
  '期末余额,,,9999.50,',
].join('\n');

describe('disclosures end to end', () => {
  const clock = testClock('2026-10-25T02:00:00Z');
  let bot: TestBot;
  let community: Community;

  beforeAll(async () => {
    bot = await startTestBot({ clock });
    community = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, community, GROUP.id);
    await grantRole(bot.db, community, committee.id, 'committee');
    await grantRole(bot.db, community, resident.id, 'verified');
  });
  afterAll(async () => {
    await bot.close();
  });

  const texts = (chatId: number) => bot.fake.messagesTo(chatId).map(textOf);

  it('lets only committee members publish', async () => {
    await bot.say(resident, '/publish');
    expect(textOf(bot.last(resident.id))).toContain('没有办理此事项的权限');
    await bot.say(stranger, '/publish');
    expect(textOf(bot.last(stranger.id))).toMatch(/not linked to any community|verify/i);
    await bot.say(resident, '/help');
    expect(textOf(bot.last(resident.id))).not.toContain('/publish');
    expect(textOf(bot.last(resident.id))).toContain('/disclosures');
  });

  it('publishes a statement from a CSV file, refusing a wrong total first, and notifies the group', async () => {
    await bot.say(committee, '/publish');
    await bot.press(committee, bot.last(committee.id), '财务');
    await bot.say(committee, '2026年第四季度');
    await bot.say(committee, '2026年第四季度社区经费收支情况');
    await bot.press(committee, bot.last(committee.id), /上传文件/);
    expect(textOf(bot.last(committee.id))).toContain('CSV');

    bot.fake.sendDocument({ from: committee, fileName: '四季度.csv', content: Buffer.from(STATEMENT.replace('2000.50', '2100.50')) });
    await bot.settle();
    const [refusal, reask] = texts(committee.id).slice(-2);
    expect(refusal).toContain('第6行“金额（元）”列');
    expect(refusal).toContain('¥2,100.5');
    expect(reask).toContain('请以文件形式发送');

    bot.fake.sendDocument({ from: committee, fileName: 'scan.pdf', content: Buffer.from('%PDF-1.4') });
    await bot.settle();
    expect(texts(committee.id).slice(-2)[0]).toContain('暂不支持该文件');

    bot.fake.sendDocument({ from: committee, fileName: '四季度.csv', content: Buffer.from(STATEMENT) });
    await bot.settle();
    expect(textOf(bot.last(committee.id))).toContain('补充说明');
    await bot.say(committee, '经办人：社区居委会 王会计，电话 0755-8888 0000');
    const preview = bot.last(committee.id);
    expect(textOf(preview)).toContain('【发布预览】');
    expect(textOf(preview)).toContain('10月12日 路灯维修 支出 ¥1,200.00（民生微实事资金）');
    expect(textOf(preview)).toContain('期末余额 ¥9,999.50');
    expect(buttonsOf(preview)).toEqual(['确认发布', '重新填写']);
    expect(await bot.db.disclosure.count()).toBe(0);
    await bot.press(committee, preview, '确认发布');
    const done = textOf(bot.last(committee.id));
    // One code everywhere: the committee's confirmation, the group notice, the page and the head.
    const code = /防篡改校验码：([0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4})。/.exec(done)?.[1];
    expect(done).toMatch(/^已发布，编号第1号，防篡改校验码：[0-9a-f ]{14}。已向1个居民群发送通知/);

    await bot.flushOutbox();
    const notice = bot.last(GROUP.id);
    expect(textOf(notice)).toContain('【居务公开｜财务类】2026年第四季度');
    expect(textOf(notice)).toContain(`防篡改校验码：${code}`);
    expect(textOf(notice)).not.toContain('前8位');
    // The chain head after this publication, kept in the group's history for `verify --head`.
    const head = await bot.db.disclosureChainHead.findFirstOrThrow();
    expect(textOf(notice)).toContain(`防篡改校验码：${head.hash.slice(0, 4)} ${head.hash.slice(4, 8)} ${head.hash.slice(8, 12)}`);
    expect(buttonsOf(notice)).toEqual(['查看全文']);
  });

  it('sends the full text privately when a resident taps the notice, and a compact message if it cannot', async () => {
    const notice = bot.last(GROUP.id);
    const groupBefore = texts(GROUP.id).length;
    await bot.press(resident, notice, '查看全文');
    const full = textOf(bot.last(resident.id));
    expect(full).toContain('【居务公开｜财务类】2026年第四季度社区经费收支情况');
    expect(full).toContain('10月20日 重阳节慰问品 支出 ¥800.50（福彩公益金）');
    expect(full).toContain('本期收入 ¥10,000.00');
    expect(full).toContain('本期支出 ¥2,000.50');
    expect(full).toContain('· 民生微实事资金：收入 ¥10,000.00，支出 ¥1,200.00');
    expect(full).toContain('经办人');
    expect(full).toContain('第1版');
    expect(full).toMatch(/发布时间：.*\u3000防篡改校验码：[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}/);
    expect(buttonsOf(bot.last(resident.id))).toEqual(['核验是否被改动']);
    const toast = bot.fake.calls.filter((c) => c.method === 'answerCallbackQuery').pop()!;
    expect(String(toast.params.text)).toContain('私聊');
    expect(texts(GROUP.id).length).toBe(groupBefore);

    // Someone who never opened the bot: Telegram refuses the private message.
    bot.fake.failNext({ method: 'sendMessage', chatId: shy.id, errorCode: 403, description: "Forbidden: bot can't initiate conversation with a user" });
    await bot.press(shy, notice, '查看全文');
    const compact = bot.last(GROUP.id);
    expect(textOf(compact)).toContain('期末余额 ¥9,999.50');
    expect(textOf(compact)).not.toContain('重阳节慰问品');
    expect(buttonsOf(compact)).toEqual(['私聊查看全文']);
    const url = (compact.replyMarkup as { inline_keyboard: { url?: string }[][] }).inline_keyboard[0][0].url!;
    await bot.say(shy, `/start ${url.split('start=')[1]}`);
    expect(textOf(bot.last(shy.id))).toContain('重阳节慰问品');
  });

  it('answers /disclosures in the group: categories, a page, search in Chinese, this quarter', async () => {
    await bot.say(resident, '/disclosures', GROUP);
    const menu = bot.last(GROUP.id);
    expect(buttonsOf(menu)).toEqual(['党务', '居务', '财务', '服务', '全部公开']);
    await bot.press(resident, menu, '财务');
    const list = bot.last(GROUP.id);
    expect(textOf(list)).toContain('【居务公开｜财务类】');
    expect(buttonsOf(list)[0]).toBe('2026年第四季度｜2026年第四季度社区经费收支情况');
    await bot.press(resident, menu, '党务');
    expect(textOf(bot.last(GROUP.id))).toContain('党务类暂无公开信息');

    await bot.say(resident, '/disclosures 路灯', GROUP);
    expect(textOf(bot.last(GROUP.id))).toContain('检索“路灯”，找到1条');
    await bot.say(resident, '/disclosures 财务 本季度', GROUP);
    expect(textOf(bot.last(GROUP.id))).toContain('（2026年第四季度）');
    expect(buttonsOf(bot.last(GROUP.id))).toHaveLength(2);
    await bot.say(resident, '/disclosures 财务 2026年第三季度', GROUP);
    expect(textOf(bot.last(GROUP.id))).toContain('财务类暂无公开信息（2026年第三季度）');
    await bot.say(resident, '/disclosures 垃圾站', GROUP);
    expect(textOf(bot.last(GROUP.id))).toContain('未找到包含“垃圾站”');

    // An unbound group is told so.
    await bot.say(resident, '/disclosures', { id: -100999, type: 'supergroup', title: '别的群' });
    expect(textOf(bot.last(-100999))).toContain('尚未关联社区');
  });

  it('splits a long disclosure cleanly under 4,096 characters, in order', async () => {
    const actor = await loadActor(bot.db, (await bot.db.identity.findFirstOrThrow({ where: { platformUserId: String(committee.id) }, include: { person: true } })).person);
    const paragraphs = Array.from({ length: 30 }, (_, i) => `第${i + 1}段：${'社区居务公开内容。'.repeat(30)}`);
    const { disclosure } = await publishDisclosure(bot.db, actor, 'telegram', community.id, { category: 'affairs', period: '2026年10月', title: '十月居务工作报告', body: paragraphs.join('\n\n'), statement: null }, clock());
    await bot.say(resident, `/start d-${disclosure.id}`);
    const parts = bot.fake.messagesTo(resident.id).slice(-3);
    const all = bot.fake.messagesTo(resident.id).filter((m) => textOf(m).includes('段：'));
    expect(all.length).toBeGreaterThan(1);
    for (const m of all) expect(textOf(m).length).toBeLessThanOrEqual(4096);
    const joined = all.map(textOf).join('\n\n');
    for (const [i, p] of paragraphs.entries()) expect(joined.indexOf(p), `paragraph ${i + 1}`).toBeGreaterThan(-1);
    expect(joined.indexOf('第1段')).toBeLessThan(joined.indexOf('第30段'));
    expect(textOf(parts[parts.length - 1])).toContain('版本记录');
  });

  it('publishes a correction as a new version with its reason, and keeps the history', async () => {
    await bot.say(committee, '/correct 2');
    await bot.press(committee, bot.last(committee.id), '直接输入文字');
    await bot.say(committee, '十月共召开居民议事会两次，议定事项三项。');
    await bot.say(committee, '原报告篇幅过长，按议事会意见精简');
    const preview = bot.last(committee.id);
    expect(textOf(preview)).toContain('【更正预览】第2号');
    await bot.press(committee, preview, '确认更正');
    expect(textOf(bot.last(committee.id))).toContain('第2号公开现为第2版');
    await bot.flushOutbox();
    const notice = textOf(bot.last(GROUP.id));
    expect(notice).toContain('类】更正　');
    expect(notice).toContain('更正原因：原报告篇幅过长');

    const d = await bot.db.disclosure.findFirstOrThrow({ where: { number: 2 }, include: { versions: true } });
    await bot.say(resident, `/start d-${d.id}`);
    const full = textOf(bot.last(resident.id));
    expect(full).toContain('十月共召开居民议事会两次');
    expect(full).toMatch(/第2版.*更正原因：原报告篇幅过长，按议事会意见精简/);
    expect(full).toMatch(/第1版.*首次发布/);
    expect(d.versions.map((v) => v.version).sort()).toEqual([1, 2]);

    await bot.say(resident, '/correct 2');
    expect(textOf(bot.last(resident.id))).toContain('没有办理此事项的权限');
  });

  it('lets anyone check the chain from chat, and says so when a row was changed behind the bot', async () => {
    await bot.say(resident, '/disclosures 路灯');
    await bot.press(resident, bot.last(resident.id), /经费收支/);
    await bot.press(resident, bot.last(resident.id), '核验是否被改动');
    expect(textOf(bot.last(resident.id))).toContain('核验通过：巴登社区已发布的3个公开版本');
    await bot.db.$executeRawUnsafe(`UPDATE "DisclosureVersion" SET "title" = '改过的标题' WHERE "version" = 1 AND "chainSeq" = 1`);
    await bot.press(resident, bot.fake.messagesTo(resident.id).filter((m) => buttonsOf(m).includes('核验是否被改动')).pop()!, '核验是否被改动');
    expect(textOf(bot.last(resident.id))).toContain('核验发现异常：巴登社区第1号公开（第1版）');
    const r = spawnSync(process.execPath, [BIN, 'disclosure', 'verify', '--community', 'badeng'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: testDatabaseUrl(bot.dbFile), LINLI_BALLOT_KEY: TEST_BALLOT_KEY, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('已被篡改 badeng：第1号公开内容，第1版，链序第1号');
    await bot.db.$executeRawUnsafe(`UPDATE "DisclosureVersion" SET "title" = '2026年第四季度社区经费收支情况' WHERE "version" = 1 AND "chainSeq" = 1`);
  });

  it('reminds committee members privately once per category two weeks before the quarter ends', async () => {
    clock.set('2026-11-30T02:00:00Z');
    await bot.linli.scheduler.run('disclosure-reminders');
    expect(await bot.db.outboxMessage.count({ where: { refType: 'disclosure-reminder' } })).toBe(0);
    clock.set('2026-12-18T01:00:00Z');
    await bot.linli.scheduler.run('disclosure-reminders');
    await bot.linli.scheduler.run('disclosure-reminders');
    await bot.flushOutbox();
    const reminders = texts(committee.id).filter((t) => t.startsWith('【居务公开｜提醒】'));
    // 财务 and 居务 were published this quarter; 党务 and 服务 were not.
    expect(reminders).toHaveLength(2);
    expect(reminders.join('\n')).toContain('“党务”');
    expect(reminders.join('\n')).toContain('“服务”');
    expect(reminders[0]).toContain('还有13天');
    expect(texts(resident.id).some((t) => t.startsWith('【居务公开｜提醒】'))).toBe(false);
  });

  it('contributes new disclosures to the weekly digest with read buttons, and exports them', async () => {
    const contributor = bot.linli.services.digestContributors.find((c) => c.feature === 'disclosures')!;
    const section = await contributor.build(bot.linli.services, { communityId: community.id, from: new Date('2026-10-19T16:00:00Z'), to: new Date('2026-10-26T16:00:00Z'), locale: 'zh-CN' });
    expect(section!.items).toBe(3);
    expect(section!.lines[0]).toBe('【财务类】2026年第四季度社区经费收支情况（2026年第四季度）');
    expect(section!.lines[2]).toContain('已更正为第2版');
    expect(section!.buttons!.map((b) => b.action)).toHaveLength(2);
    const newest = await bot.db.disclosureVersion.findFirstOrThrow({ where: { communityId: community.id, publishedAt: { lt: new Date('2026-10-26T16:00:00Z') } }, orderBy: { chainSeq: 'desc' } });
    expect(section!.lines.at(-1)).toBe(`截至周末的防篡改校验码：${newest.hash.slice(0, 4)} ${newest.hash.slice(4, 8)} ${newest.hash.slice(8, 12)}（共${newest.chainSeq}个公开版本，请留存以便日后核对）`);
    expect(await contributor.build(bot.linli.services, { communityId: community.id, from: new Date('2026-09-01T00:00:00Z'), to: new Date('2026-09-08T00:00:00Z'), locale: 'zh-CN' })).toBeNull();

    const out = join(tempDir(), 'disclosures.csv');
    const r = spawnSync(process.execPath, [BIN, 'export', 'disclosures', '--community', 'badeng', '--format', 'csv', '--out', out], { env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: testDatabaseUrl(bot.dbFile), LINLI_BALLOT_KEY: TEST_BALLOT_KEY, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const csv = readFileSync(out, 'utf8');
    expect(csv).toContain('防篡改校验码');
    expect(csv).not.toContain('前8位');
    expect(csv).toContain('2026年第四季度社区经费收支情况');
    expect(csv).toContain('路灯维修');
    expect(csv).toContain('原报告篇幅过长，按议事会意见精简');

    // Staff /export in chat offers the same export.
    await bot.say(committee, '/export');
    await bot.press(committee, bot.last(committee.id), '居务公开记录');
    const files = bot.fake.messagesTo(committee.id).slice(-2);
    expect(files.map((m) => m.file?.fileName)).toEqual(['居务公开-巴登社区.csv', '居务公开-巴登社区.xlsx']);
    expect(files[0].file!.bytes!.toString('utf8')).toContain('路灯维修');
  });
});
