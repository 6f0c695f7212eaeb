/**
 * Paper ballots from a file and printed ballots, in a private chat through the fake Bot API
 * (issue 16, item 5): `/paper 1` offers 上传登记表 and 打印纸质选票; the clerk sends a CSV of
 * returned ballots, sees the preview (entered / refused with reasons: a household that voted
 * online, an unknown unit), nothing is stored before the confirmation, then the counts and the
 * group's card move. The print button sends the ballots PDF privately: the committee gets every
 * household's, a 楼栋长 only their building's.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Community } from '../../src/generated/prisma/client.ts';
import { linli as runCli } from '../support/cliRun.ts';
import { inkShare, pdfPages, pdfText, renderPage } from '../unit/features/register/pdf.ts';
import { generatedCsv, registerCsv } from '../unit/features/register/files.ts';
import { issueLeadCode } from '../../src/domain/register/leads.ts';
import { redeemCode } from '../../src/domain/residents/verification.ts';
import { bindTelegramGroup, grantRole, makeCommunity, OPERATOR, telegramPerson } from '../support/fixtures.ts';
import { startTestBot, tempDir, textOf, type TestBot } from '../support/harness.ts';

const GROUP = -100778;
const REGISTER_SIZE = 150;
const QUESTION = '是否同意在小区东门增设快递柜？';
const committee = { id: 7301, first_name: '周', last_name: '主任', language_code: 'zh-CN' };
const lead = { id: 7302, first_name: '陈', last_name: '楼长', language_code: 'zh-CN' };
const resident = { id: 7303, first_name: '居民', language_code: 'zh-CN' };

describe('/paper: a file of returned ballots, previewed and confirmed; printed ballots sent privately', () => {
  const dir = tempDir('linli-paper-batch-');
  let bot: TestBot;
  let community: Community;
  let units: string[];
  let pollId: string;
  const lastText = (chatId: number) => textOf(bot.last(chatId));
  const card = () => bot.fake.messagesTo(GROUP).find((m) => m.kind === 'send' && textOf(m).includes(QUESTION))!;
  const menu = (chatId: number) => [...bot.fake.messagesTo(chatId)].reverse().find((m) => textOf(m).includes('的纸质选票：可以逐张录入'))!;
  const lastPdf = (chatId: number, name: string) => {
    const doc = [...bot.fake.messagesTo(chatId)].reverse().find((m) => m.method === 'sendDocument')!;
    expect(doc.file?.fileName).toMatch(/\.pdf$/);
    const path = join(dir, name);
    writeFileSync(path, doc.file!.bytes!);
    return { doc, path };
  };

  beforeAll(async () => {
    bot = await startTestBot();
    community = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, community, GROUP);
    await grantRole(bot.db, community, committee.id, 'committee');
    const file = join(dir, 'register.csv');
    writeFileSync(file, generatedCsv(REGISTER_SIZE));
    expect((await runCli(bot.dbFile, ['register', 'import', '--community', 'badeng', '--file', file])).code).toBe(0);
    units = (await bot.db.household.findMany({ where: { communityId: community.id, inRegister: true } })).map((h) => h.unit);
    units.sort(new Intl.Collator('zh-CN', { numeric: true }).compare);
    await grantRole(bot.db, community, resident.id, 'verified', units[0]);
    const b2 = await bot.db.building.findFirstOrThrow({ where: { communityId: community.id, name: '2栋' } });
    const { code } = await issueLeadCode(bot.db, OPERATOR, 'cli', b2.id, new Date());
    await redeemCode(bot.db, await telegramPerson(bot.db, lead.id), { platform: 'telegram', userId: String(lead.id) }, code);
    const created = await runCli(bot.dbFile, ['poll', 'create', '--community', 'badeng', '--question', QUESTION, '--standard', '--electorate', 'households', '--named', '--closes', '2d']);
    expect(created.code).toBe(0);
    pollId = created.out.trim();
    await bot.flushOutbox();
    await bot.press(resident, card(), '赞成');
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('previews a CSV: what will be entered and what is refused, and why; nothing stored yet', async () => {
    await bot.say(committee, '/paper 1');
    // The single-ballot scene still asks first; the menu above it offers the file and the print.
    expect(lastText(committee.id)).toContain('请输入（或扫描）选票上的编码');
    await bot.press(committee, menu(committee.id), '上传登记表（Excel/CSV）');
    expect(lastText(committee.id)).toContain('请发送纸质选票登记表');
    const rows = [['房号', '选项'], ...units.slice(1, 6).map((u, i) => [u, i === 4 ? '反对' : '1']), [units[0], '2'], ['9栋1单元101', '1']];
    bot.fake.sendDocument({ from: committee, fileName: '回收选票.csv', content: registerCsv(rows) });
    await bot.settle();
    const preview = lastText(committee.id);
    expect(preview).toContain('预览：可录入5张，不予录入2张');
    expect(preview).toContain(`${units[1]}：赞成`);
    expect(preview).toContain(`${units[5]}：反对`);
    expect(preview).toMatch(new RegExp(`第7行：${units[0]}已于.+以网上投票方式投票。每户只计一票`));
    expect(preview).toContain('第8行：住户名册中没有“9栋-1单元-101”');
    expect(preview).toContain('确认录入以上5张选票吗？');
    expect(await bot.db.pollParticipation.count({ where: { pollId, source: 'paper' } })).toBe(0);
  });

  it('confirms: the 5 ballots are entered, the 2 refused listed, the card counts 6 of 150', async () => {
    await bot.press(committee, bot.last(committee.id), '确认录入');
    const report = lastText(committee.id);
    expect(report).toContain('已从“回收选票.csv”录入纸质选票5张，不予录入2张');
    expect(report).toContain('不予录入的选票');
    expect(await bot.db.pollParticipation.count({ where: { pollId, source: 'paper' } })).toBe(5);
    expect(await bot.db.pollParticipation.count({ where: { pollId } })).toBe(6);
    await bot.linli.services.polls.cards.flush();
    await bot.flushOutbox();
    const seen = bot.fake.messageState(GROUP, card().messageId) as { text?: string } | undefined;
    expect(seen?.text).toContain(`已投票：6／${REGISTER_SIZE}户`);
    // The same file again: every row refused, nothing entered twice.
    await bot.say(committee, '/paper 1');
    await bot.press(committee, menu(committee.id), '上传登记表（Excel/CSV）');
    bot.fake.sendDocument({ from: committee, fileName: '回收选票.csv', content: registerCsv([['房号', '选项'], [units[1], '1']]) });
    await bot.settle();
    expect(lastText(committee.id)).toContain('没有可以录入的选票');
    expect(lastText(committee.id)).toMatch(/以纸质选票方式投票。每户只计一票/);
    expect(await bot.db.pollParticipation.count({ where: { pollId } })).toBe(6);
  });

  it('refuses a file that is no list of ballots, naming what is missing; the scene asks again', async () => {
    await bot.say(committee, '/paper 1');
    await bot.press(committee, menu(committee.id), '上传登记表（Excel/CSV）');
    bot.fake.sendDocument({ from: committee, fileName: 'x.csv', content: registerCsv([['房号', '备注'], [units[7], '']]) });
    await bot.settle();
    const two = bot.fake.messagesTo(committee.id).slice(-2).map(textOf).join('\n');
    expect(two).toContain('没有“选项”一列');
    expect(two).toContain('请发送纸质选票登记表');
  });

  it('the print button sends the ballots PDF privately: every household for the committee', async () => {
    await bot.say(committee, '/paper 1');
    const before = bot.fake.messagesTo(GROUP).length;
    await bot.press(committee, menu(committee.id), '打印纸质选票（PDF）');
    const { doc, path } = lastPdf(committee.id, 'all.pdf');
    expect(String(doc.chatId)).toBe(String(committee.id));
    expect(doc.file!.bytes!.subarray(0, 5).toString()).toBe('%PDF-');
    expect(textOf(doc)).toContain(`第1号投票的纸质选票：${REGISTER_SIZE}张（全部在册户）`);
    expect(pdfPages(path)).toBe(REGISTER_SIZE / 2);
    expect(inkShare(renderPage(path, 1))).toBeGreaterThan(0.01);
    expect(pdfText(path)).toContain(units[REGISTER_SIZE - 1]);
    expect(bot.fake.messagesTo(GROUP).length).toBe(before);
  });

  it('a 楼栋长 prints only their building’s ballots, and enters only its ballots from a file', async () => {
    const inB2 = units.filter((u) => u.startsWith('2栋'));
    expect(inB2.length).toBeGreaterThan(0);
    await bot.say(lead, '/paper 1');
    await bot.press(lead, menu(lead.id), '打印纸质选票（PDF）');
    const { doc, path } = lastPdf(lead.id, 'lead.pdf');
    expect(textOf(doc)).toContain(`${inB2.length}张（您负责的楼栋：2栋）`);
    expect(pdfPages(path)).toBe(Math.ceil(inB2.length / 2));
    const text = pdfText(path);
    expect(text).toContain(inB2[0]);
    expect(text).not.toContain(units[10]);

    await bot.press(lead, menu(lead.id), '上传登记表（Excel/CSV）');
    bot.fake.sendDocument({ from: lead, fileName: '2栋.csv', content: registerCsv([['房号', '选项'], [inB2[0], '1'], [units[10], '1']]) });
    await bot.settle();
    const preview = lastText(lead.id);
    expect(preview).toContain('可录入1张，不予录入1张');
    expect(preview).toContain(`第3行：${units[10]}不在您负责的楼栋`);
    await bot.press(lead, bot.last(lead.id), '确认录入');
    expect(await bot.db.pollParticipation.count({ where: { pollId, source: 'paper' } })).toBe(6);
  });

  it('a resident gets neither the buttons nor the ballots', async () => {
    await bot.say(resident, '/paper 1');
    expect(bot.fake.messagesTo(resident.id).some((m) => m.method === 'sendDocument')).toBe(false);
    expect(bot.fake.messagesTo(resident.id).some((m) => textOf(m).includes('打印纸质选票'))).toBe(false);
  });
});
