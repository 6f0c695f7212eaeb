/**
 * A household poll counted against the register, end to end: the committee imports a register
 * of 150 households (CLI), creates a named household poll (CLI), prints its paper ballots (CLI,
 * a PDF read back with poppler), 40 households tap in the group (fake Bot API), 30 return paper
 * ballots (28 from a CSV through the CLI, 2 typed in /paper in private chat), and 5 of each try
 * to vote the other way too — refused with when and how. Exactly 70 are counted, of 150; the
 * result, the chart's words and the export say so and show online and paper apart. Bad entries
 * (a wrong code, a unit outside the register, another building's ballot for a 楼栋长, a resident,
 * the same ballot twice, an entry after the close) are refused and change nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
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

const GROUP = -100777;
const REGISTER_SIZE = 150;
const QUESTION = '是否同意在3栋楼前增设电动自行车充电棚？';
const committee = { id: 7001, first_name: '周', last_name: '主任', language_code: 'zh-CN' };
const lead = { id: 7002, first_name: '陈', last_name: '楼长', language_code: 'zh-CN' };
/** Residents 0..44, one per household units[0..44]. */
const resident = (i: number) => ({ id: 7100 + i, first_name: `居民${i}`, language_code: 'zh-CN' });

describe('a household poll with paper ballots, counted against the register', () => {
  const dir = tempDir('linli-paper-');
  let bot: TestBot;
  let community: Community;
  let units: string[];
  let pollId: string;
  // The operator reads the CLI in English here (LINLI_CLI_LOCALE=en): the assertions quote it.
  const cli = (args: string[]) => runCli(bot.dbFile, args, { LINLI_CLI_LOCALE: 'en' });
  const toasts = () => bot.fake.calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => String(c.params.text ?? ''));
  const card = () => bot.fake.messagesTo(GROUP).find((m) => m.kind === 'send' && textOf(m).includes(QUESTION))!;
  const lastText = (chatId: number) => textOf(bot.last(chatId));
  /** The last two messages to a chat: a refusal and the question asked again. */
  const lastTwo = (chatId: number) => bot.fake.messagesTo(chatId).slice(-2).map(textOf).join('\n');

  beforeAll(async () => {
    bot = await startTestBot();
    community = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, community, GROUP);
    await grantRole(bot.db, community, committee.id, 'committee');
    const imported = await cli(['register', 'import', '--community', 'badeng', '--file', writeTo('register.csv', generatedCsv(REGISTER_SIZE))]);
    expect(imported.code).toBe(0);
    units = (await bot.db.household.findMany({ where: { communityId: community.id, inRegister: true }, orderBy: { createdAt: 'asc' } })).map((h) => h.unit);
    units.sort(new Intl.Collator('zh-CN', { numeric: true }).compare);
    for (let i = 0; i < 45; i++) await grantRole(bot.db, community, resident(i).id, 'verified', units[i]);
    // A 楼栋长 of 2栋 only.
    const b2 = await bot.db.building.findFirstOrThrow({ where: { communityId: community.id, name: '2栋' } });
    const { code } = await issueLeadCode(bot.db, OPERATOR, 'cli', b2.id, new Date());
    await redeemCode(bot.db, await telegramPerson(bot.db, lead.id), { platform: 'telegram', userId: String(lead.id) }, code);
  });
  afterAll(async () => {
    await bot?.close();
  });

  function writeTo(name: string, bytes: Buffer | string): string {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  }

  it('counts a household poll against the register: 应投150户', async () => {
    const created = await cli(['poll', 'create', '--community', 'badeng', '--question', QUESTION, '--standard', '--electorate', 'households', '--named', '--closes', '2d', '--quorum', '30%']);
    expect(created.code).toBe(0);
    pollId = created.out.trim();
    await bot.flushOutbox();
    const text = textOf(card());
    expect(text).toContain(`已投票：0／${REGISTER_SIZE}户`);
    expect(text).toContain(`应投户数以住户名册为准：在册${REGISTER_SIZE}户`);
  });

  it('prints one ballot per household: units, question, codes, not blank', async () => {
    const out = join(dir, 'ballots.pdf');
    const printed = await cli(['poll', 'ballots', '1', '--community', 'badeng', '--out', out]);
    expect(printed.code).toBe(0);
    expect(printed.out).toContain(`wrote ${REGISTER_SIZE} ballots (${REGISTER_SIZE / 2} pages)`);
    expect(pdfPages(out)).toBe(REGISTER_SIZE / 2);
    const text = pdfText(out);
    expect(text).toContain(units[0]);
    expect(text).toContain(units[REGISTER_SIZE - 1]);
    expect(text).toContain('电动自行车充电棚');
    expect(text).toContain('赞成');
    expect(text).toContain('签名');
    const codes = text.match(/P1-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}/g) ?? [];
    expect(new Set(codes).size).toBe(REGISTER_SIZE);
    const page = renderPage(out, 1);
    expect(inkShare(page)).toBeGreaterThan(0.01);
    // Both halves carry a ballot.
    expect(inkShare(page, { x: 0, y: 0, w: 1, h: 0.5 })).toBeGreaterThan(0.005);
    expect(inkShare(page, { x: 0, y: 0.5, w: 1, h: 0.5 })).toBeGreaterThan(0.005);
    // A reprint keeps the codes: no second valid ballot for a household.
    const again = await cli(['poll', 'ballots', '1', '--community', 'badeng', '--out', join(dir, 'again.pdf')]);
    expect(again.out).toContain('0 new codes');
    expect(await bot.db.paperBallot.count({ where: { pollId } })).toBe(REGISTER_SIZE);
  });

  it('40 households vote online', async () => {
    for (let i = 0; i < 40; i++) await bot.press(resident(i), card(), '赞成');
    expect(await bot.db.pollParticipation.count({ where: { pollId, source: 'online' } })).toBe(40);
  });

  it('28 paper ballots from a CSV; 5 households that voted online are refused with when and how', async () => {
    const rows = [['unit', 'option'], ...units.slice(40, 68).map((u, i) => [u, i % 4 === 0 ? 2 : 1]), ...units.slice(0, 5).map((u) => [u, 2])];
    const file = writeTo('returned.csv', registerCsv(rows));
    // The dry run says what would happen and writes nothing; exit 1, as rows would be refused.
    const dry = await cli(['poll', 'paper', '1', '--community', 'badeng', '--file', file, '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.out).toContain('Preview of “returned.csv” for poll #1: 28 ballot(s) can be entered, 5 refused.');
    expect(dry.out).toContain('dry run: no ballot was entered');
    expect(await bot.db.pollParticipation.count({ where: { pollId, source: 'paper' } })).toBe(0);
    // --csv, the older name of --file, still works.
    const r = await cli(['poll', 'paper', '1', '--community', 'badeng', '--csv', file]);
    expect(r.out).toContain('Poll #1: 28 paper ballot(s) entered from “returned.csv”, 5 refused.');
    expect(r.out).toContain(`· ${units[40]}: Against\n· ${units[41]}: For`);
    expect(r.code).toBe(1);
    const refusals = r.err.trim().split('\n').filter((l) => l.startsWith('· '));
    expect(r.err).toContain('Ballots not entered (set these paper ballots aside and check them):');
    expect(refusals).toHaveLength(5);
    expect(refusals[0]).toContain(`Row 30: ${units[0]} already voted on`);
    expect(refusals[0]).toContain('online');
  });

  it('/paper in private chat: by code (the scene) and by unit (one line); bad entries refused', async () => {
    const text = pdfText(join(dir, 'ballots.pdf'));
    const household = await bot.db.household.findFirstOrThrow({ where: { communityId: community.id, unit: units[68] } });
    const { code } = await bot.db.paperBallot.findUniqueOrThrow({ where: { pollId_householdId: { pollId, householdId: household.id } } });
    // The code the clerk scans is the one printed.
    expect(text).toContain(code);
    const codeOf = () => code;
    await bot.say(committee, '/paper 1');
    expect(lastText(committee.id)).toContain('请输入（或扫描）选票上的编码');
    await bot.say(committee, 'P1-AAAA-2222');
    expect(lastTwo(committee.id)).toContain('选票编码“P1-AAAA-2222”无效');
    await bot.say(committee, '9栋1单元101');
    expect(lastTwo(committee.id)).toContain('住户名册中没有');
    await bot.say(committee, codeOf().toLowerCase().replace(/-/g, ' '));
    expect(lastText(committee.id)).toContain('勾选的是哪一项');
    await bot.press(committee, bot.last(committee.id), /赞成/);
    expect(lastText(committee.id)).toContain(`已录入第1号投票的纸质选票：${units[68]}，赞成`);

    await bot.say(committee, `/paper 1 ${units[69]} 1`);
    expect(lastText(committee.id)).toContain(`已录入第1号投票的纸质选票：${units[69]}`);
    // The same ballot again.
    await bot.say(committee, `/paper 1 ${units[69]} 2`);
    expect(lastText(committee.id)).toMatch(new RegExp(`${units[69]}已于.+以纸质选票方式投票。每户只计一票`));
    // A 楼栋长 of 2栋 may not enter a 1栋 ballot; a resident may not enter any.
    await bot.say(lead, `/paper 1 ${units[70]} 1`);
    expect(lastText(lead.id)).toContain('不在您负责的楼栋');
    await bot.say(resident(44), `/paper 1 ${units[70]} 1`);
    expect(lastText(resident(44).id)).not.toContain('已录入');
    expect(await bot.db.pollParticipation.count({ where: { pollId, source: 'paper' } })).toBe(30);
  });

  it('5 households that returned paper ballots cannot also tap', async () => {
    for (let i = 40; i < 45; i++) await bot.press(resident(i), card(), '反对');
    const last5 = toasts().slice(-5);
    for (const t of last5) expect(t).toMatch(/您家已于.+以纸质选票方式投票。每户只计一票/);
    const paper = await bot.db.pollParticipation.findMany({ where: { pollId, source: 'paper' }, include: { ballot: { include: { choices: true } } } });
    // Nothing the taps did changed a paper ballot.
    expect(paper.filter((p) => p.ballot?.choices.length === 1)).toHaveLength(30);
  });

  it('corrects a paper ballot only with a reason, audited; never an online one', async () => {
    const noReason = await cli(['poll', 'paper', '1', '--community', 'badeng', '--unit', units[41], '--option', '2', '--correct']);
    expect(noReason.code).not.toBe(0);
    expect(noReason.err + noReason.out).toContain('needs a reason');
    const online = await cli(['poll', 'paper', '1', '--community', 'badeng', '--unit', units[1], '--option', '2', '--correct', '--reason', '录入错误']);
    expect(online.err + online.out).toContain('(online)'.slice(1, -1));
    const fixed = await cli(['poll', 'paper', '1', '--community', 'badeng', '--unit', units[41], '--option', '2', '--correct', '--reason', '录入时勾错选项']);
    expect(fixed.code).toBe(0);
    expect(fixed.out).toContain(`corrected the paper ballot of ${units[41]} (option 2)`);
    const audit = await bot.db.auditEntry.findFirstOrThrow({ where: { targetId: pollId, action: 'poll.paper_correct' } });
    expect(JSON.parse(audit.details!)).toMatchObject({ unit: units[41], reason: '录入时勾错选项', from: [1], to: [2] });
    expect(await bot.db.pollParticipation.count({ where: { pollId } })).toBe(70);
  });

  it('closes with exactly 70 of 150 households, online and paper apart and together', async () => {
    const closed = await cli(['poll', 'close', pollId]);
    expect(closed.out).toContain(`turnout 70/${REGISTER_SIZE}`);
    const poll = await bot.db.poll.findUniqueOrThrow({ where: { id: pollId } });
    const result = JSON.parse(poll.result!);
    expect(result).toMatchObject({ turnout: 70, electorateSize: REGISTER_SIZE, onlineBallots: 40, paperBallots: 30, base: 'register', unit: 'households', quorumRequired: 45, quorumMet: true });
    await bot.flushOutbox();
    const notice = textOf(bot.fake.messagesTo(GROUP).filter((m) => m.kind === 'send').at(-1)!);
    expect(notice).toContain(`参加投票：70户，应投票${REGISTER_SIZE}户，参与率46.7%`);
    expect(notice).toContain('其中网上投票40户，纸质选票30户，现场表决0户');
    expect(notice).toContain('含纸质选票');
    expect(notice).not.toMatch(/\d+人/);
  });

  it('refuses a paper ballot after the close; nothing changes', async () => {
    const r = await cli(['poll', 'paper', '1', '--community', 'badeng', '--unit', units[100], '--option', '1']);
    expect(r.code).not.toBe(0);
    expect(r.err + r.out).toContain('closed on');
    expect(await bot.db.pollParticipation.count({ where: { pollId } })).toBe(70);
  });

  it('exports the base and the sources', async () => {
    const out = join(dir, 'poll.csv');
    const r = await cli(['export', 'poll', pollId, '--format', 'csv', '--out', out]);
    expect(r.code).toBe(0);
    const csv = readFileSync(out, 'utf8');
    expect(csv).toContain(`应投票户数（截止时）,${REGISTER_SIZE}`);
    expect(csv).toContain(`应投基数,应投户数以住户名册为准：在册${REGISTER_SIZE}户。`);
    expect(csv).toContain('实际投票户数,70');
    expect(csv).toContain('其中网上投票,40');
    expect(csv).toContain('其中纸质选票,30');
    expect(csv).toMatch(/参与率,0\.46/);
    // A household poll's minimum is a number of households, in the label too.
    expect(csv).toContain('\n最低参与户数,');
    expect(csv).toContain('\n是否达到最低参与户数,');
    expect(csv).not.toContain('最低参与人数');
    // Every ballot with its source: 30 on paper, named by unit; 40 online.
    const lines = csv.split(/\r?\n/);
    expect(lines.filter((l) => l.includes(',纸质选票,'))).toHaveLength(30);
    expect(lines.filter((l) => l.includes(',网上,'))).toHaveLength(40);
    expect(csv).toContain(units[68]);
    const audit = await bot.db.auditEntry.count({ where: { targetId: pollId, action: 'poll.paper_entry' } });
    expect(audit).toBe(30);
  });
});
