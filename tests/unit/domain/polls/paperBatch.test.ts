/**
 * Returned paper ballots from a file (issue 16, items 5–6): a CSV or an XLSX with a merged
 * header is read into rows with their spreadsheet row numbers; the dry run says what would be
 * entered and what refused (voted online already, outside the poll's scope, another building's
 * for a 楼栋长, unknown unit, bad option, a unit twice) and writes nothing; the entry enters the
 * good rows through the ballot box and reports the rest; a file of another community, a poll
 * after its close and 10,000 rows are refused as a whole, nothing entered.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { enterPaperBatch, PaperBatchRefused, positionsOfChoice, readPaperBatch, type PaperBatch } from '../../../../src/domain/polls/paperBatch.ts';
import { printPaperBallots } from '../../../../src/domain/polls/paper.ts';
import { closePoll } from '../../../../src/domain/polls/lifecycle.ts';
import { createPoll, type PollWithOptions } from '../../../../src/domain/polls/polls.ts';
import type { PollDraft } from '../../../../src/domain/polls/rules.ts';
import { createBallotSeal } from '../../../../src/domain/polls/secrecy.ts';
import { BallotBox } from '../../../../src/domain/polls/voting.ts';
import { applyImport } from '../../../../src/domain/register/apply.ts';
import { previewImport } from '../../../../src/domain/register/import.ts';
import { issueLeadCode } from '../../../../src/domain/register/leads.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import { redeemCode } from '../../../../src/domain/residents/verification.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { createTranslator } from '../../../../src/i18n/i18n.ts';
import { refusedLine, renderBatchRefusal } from '../../../../scenes/paperBatchText.ts';
import { registerCsv, registerXlsx } from '../../features/register/files.ts';
import { grantRole, makeCommunity, OPERATOR, telegramPerson } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';
import ExcelJS from 'exceljs';

const now = new Date('2026-12-01T02:00:00Z');
const t = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' }).bind('zh-CN');
const en = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' }).bind('en');
const BY = { actor: OPERATOR, via: 'test' };

describe('paper ballots from a file', () => {
  let db: Db;
  let community: Community;
  let box: BallotBox;
  const draft = (over: Partial<PollDraft> = {}): PollDraft => ({
    question: '是否同意增设电动自行车充电棚？',
    options: 'standard',
    maxChoices: 1,
    electorate: 'households',
    anonymous: false,
    allowChange: true,
    closesAt: new Date(now.getTime() + 86_400_000),
    quorum: { kind: 'none' },
    rule: 'majority',
    liveResults: false,
    ...over,
  });
  const make = (over: Partial<PollDraft> = {}): Promise<PollWithOptions> => createPoll(db, BY, community.id, draft(over), now);
  const csv = (rows: (string | number | null)[][]) => readPaperBatch(registerCsv(rows), '回收选票.csv');
  const keys = (lines: { line: number; refusal?: { key: string } }[]) => lines.map((l) => [l.line, l.refusal?.key]);

  beforeAll(async () => {
    ({ db } = await freshDatabase());
    community = await makeCommunity(db);
    const rows = [['楼栋', '单元', '房号']];
    for (const b of [1, 2]) for (const r of [101, 102, 201, 202, 301]) rows.push([String(b), '1', String(r)]);
    const { table, plan } = await previewImport(db, OPERATOR, community, { name: '名册.csv', bytes: registerCsv(rows) });
    await applyImport(db, OPERATOR, 'test', community.id, { rows: table.rows, facts: table.facts, expectedFingerprint: plan.fingerprint, fileName: '名册.csv' }, now);
    box = new BallotBox(db, createBallotSeal(async () => Buffer.alloc(32, 7)));
  });

  it('reads a CSV: one 房号 column, the option by number or label; the dry run writes nothing, the entry enters', async () => {
    const poll = await make();
    const batch = await csv([['房号', '选项'], ['1栋1单元101', '1'], ['1-1-102', '反对'], ['１栋１单元２０１', '赞成'], ['1栋1单元202室', '3']]);
    expect(batch.rows.map((r) => [r.line, r.unit, r.choice])).toEqual([
      [2, '1栋-1单元-101', '1'],
      [3, '1栋-1单元-102', '反对'],
      [4, '1栋-1单元-201', '赞成'],
      [5, '1栋-1单元-202', '3'],
    ]);
    const dry = await enterPaperBatch(db, box, BY, poll.id, batch, now, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, refused: [] });
    expect(dry.entered.map((l) => l.positions)).toEqual([[1], [2], [1], [3]]);
    expect(await db.pollParticipation.count({ where: { pollId: poll.id } })).toBe(0);
    const done = await enterPaperBatch(db, box, BY, poll.id, batch, now);
    expect(done.entered).toHaveLength(4);
    expect(await db.pollParticipation.count({ where: { pollId: poll.id, source: 'paper' } })).toBe(4);
    expect(await db.auditEntry.count({ where: { targetId: poll.id, action: 'poll.paper_entry' } })).toBe(4);
    // The same file again: every row refused, saying when and how the household voted.
    const again = await enterPaperBatch(db, box, BY, poll.id, batch, now, { dryRun: true });
    expect(again.refused.map((l) => l.refusal!.key)).toEqual(Array(4).fill('ballots.household_already_voted_paper'));
    expect(refusedLine(t, again.refused[0])).toMatch(/^第2行：1栋-1单元-101已于.+以纸质选票方式投票。每户只计一票/);
  });

  it('reads an XLSX with a merged title, a two-line merged header and 楼栋 merged down a building; blank rows and 合计 skipped', async () => {
    const poll = await make();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('回收登记');
    ws.addRow(['第2号投票纸质选票回收登记表']);
    ws.mergeCells('A1:D1');
    ws.addRow(['楼栋', '房屋信息', '', '表决意见']);
    ws.addRow(['', '单元', '房号', '']);
    ws.mergeCells('A2:A3');
    ws.mergeCells('B2:C2');
    ws.mergeCells('D2:D3');
    ws.addRow(['2', '1', '101', '赞成']);
    ws.addRow(['', '1', '102', '反对']);
    ws.mergeCells('A4:A5');
    ws.addRow([]);
    ws.addRow(['2', '1', '201', '弃权']);
    ws.addRow(['合计', '', '', '3']);
    const batch = await readPaperBatch(Buffer.from(await wb.xlsx.writeBuffer()), '回收.xlsx');
    expect(batch.rows.map((r) => [r.line, r.unit])).toEqual([
      [4, '2栋-1单元-101'],
      [5, '2栋-1单元-102'],
      [7, '2栋-1单元-201'],
    ]);
    const done = await enterPaperBatch(db, box, BY, poll.id, batch, now);
    expect(done.entered.map((l) => [l.unit, l.positions])).toEqual([
      ['2栋-1单元-101', [1]],
      ['2栋-1单元-102', [2]],
      ['2栋-1单元-201', [3]],
    ]);
    // The register's own test file (title, merged header with columns Linli ignores) reads too.
    const register = await readPaperBatch(await registerXlsx([['1', '1', '101', null, null, null]], { header: ['楼栋', '单元', '房号', '选项', '备注', '联系电话'] }), 'r.xlsx');
    expect(register.ignored).toEqual(['备注', '联系电话']);
  });

  it('a CSV saved from merged 楼栋 cells: the building comes from the row above, never across a blank row', async () => {
    const batch = await csv([['楼栋', '单元', '房号', '选项'], ['1', '1', '101', '1'], ['', '1', '102', '2'], ['', '', '', ''], ['', '1', '201', '1']]);
    expect(batch.rows.map((r) => [r.line, r.unit, r.problem?.key])).toEqual([
      [2, '1栋-1单元-101', undefined],
      [3, '1栋-1单元-102', undefined],
      [5, null, 'ballots.batch_empty_cell'],
    ]);
    expect(batch.rows[2].problem).toMatchObject({ column: 'A', heading: '楼栋' });
  });

  it('a unit twice: the same marks are one ballot typed twice; different marks refuse both rows', async () => {
    const poll = await make();
    const batch = await csv([['房号', '选项'], ['1-1-101', '1'], ['1-1-101', '赞成'], ['1-1-102', '1'], ['1-1-102', '2'], ['1-1-201', '1']]);
    const report = await enterPaperBatch(db, box, BY, poll.id, batch, now);
    expect(report.entered.map((l) => l.line)).toEqual([2, 6]);
    expect(keys(report.refused)).toEqual([
      [3, 'ballots.batch_unit_repeated'],
      [4, 'ballots.batch_unit_conflict'],
      [5, 'ballots.batch_unit_conflict'],
    ]);
    expect(refusedLine(t, report.refused[1])).toContain('第4行：1栋-1单元-102在第5行另有一张勾选不同的选票');
    expect(await db.pollParticipation.count({ where: { pollId: poll.id } })).toBe(2);
  });

  it('refuses, row by row with its reason: voted online, unknown unit, bad option, bad cell, no unit, wrong code, another poll’s code', async () => {
    const poll = await make();
    const other = await make();
    const printed = await printPaperBallots(db, BY, other.id, now);
    const mine = await printPaperBallots(db, BY, poll.id, now);
    const resident = await grantRole(db, community, 9101, 'verified', '1栋-1单元-301');
    await box.cast({ poll, actor: await loadActor(db, resident), voterName: '居民', position: 1, now });
    const code301 = mine.ballots.find((b) => b.unit === '2栋-1单元-301')!.code;
    const batch = await csv([
      ['房号', '选项', '选票编码'],
      ['1-1-301', '1', ''],
      ['9栋1单元101', '1', ''],
      ['1-1-101', '7', ''],
      ['1-1-102', '1 2', ''],
      ['一二三', '1', ''],
      ['', '1', ''],
      ['', '2', 'P9-AAAA-2222'],
      ['', '2', printed.ballots[0].code],
      ['1-1-202', '2', code301],
      ['', '同意', code301.toLowerCase().replace(/-/g, ' ')],
      ['1-1-201', '', ''],
    ]);
    const dry = await enterPaperBatch(db, box, BY, poll.id, batch, now, { dryRun: true });
    expect(keys(dry.refused)).toEqual([
      [2, 'ballots.household_already_voted_online'],
      [3, 'ballots.unknown_unit'],
      [4, 'ballots.batch_bad_choice'],
      [5, 'ballots.batch_bad_choice'],
      [6, 'ballots.batch_bad_cell'],
      [7, 'ballots.batch_no_ballot'],
      [8, 'ballots.bad_code'],
      [9, 'ballots.code_other_poll'],
      [10, 'ballots.batch_code_unit_mismatch'],
      [12, 'ballots.batch_empty_cell'],
    ]);
    expect(dry.entered.map((l) => [l.line, l.unit, l.positions])).toEqual([[11, '2栋-1单元-301', [1]]]);
    const lines = dry.refused.map((l) => refusedLine(t, l));
    expect(lines[0]).toMatch(/^第2行：1栋-1单元-301已于.+以网上投票方式投票。每户只计一票/);
    expect(lines[4]).toContain('第6行A列“房号”：“一二三”看不出是哪一户');
    expect(lines[9]).toContain('第12行B列“选项”：这一格是空的');
    expect(refusedLine(en, dry.refused[2])).toContain('Row 4: option “7” is wrong');
    expect(await db.pollParticipation.count({ where: { pollId: poll.id } })).toBe(1);
  });

  it('outside the scope and outside a 楼栋长’s buildings: refused; their own building entered', async () => {
    const b1 = await db.building.findFirstOrThrow({ where: { communityId: community.id, name: '1栋' } });
    const b2 = await db.building.findFirstOrThrow({ where: { communityId: community.id, name: '2栋' } });
    const scoped = await make({ scope: { buildings: [{ id: b1.id, name: b1.name }], groups: [] } });
    const batch = await csv([['房号', '选项'], ['1-1-101', '1'], ['2-1-101', '1']]);
    const report = await enterPaperBatch(db, box, BY, scoped.id, batch, now, { dryRun: true });
    expect(keys(report.refused)).toEqual([[3, 'ballots.not_in_electorate']]);

    const poll = await make();
    const lead = await telegramPerson(db, 9201);
    const { code } = await issueLeadCode(db, OPERATOR, 'test', b2.id, now);
    await redeemCode(db, lead, { platform: 'telegram', userId: '9201' }, code, now);
    const byLead = { actor: await loadActor(db, lead), via: 'test' };
    const mine = await enterPaperBatch(db, box, byLead, poll.id, batch, now);
    expect(keys(mine.refused)).toEqual([[2, 'ballots.not_your_building']]);
    expect(mine.entered.map((l) => l.unit)).toEqual(['2栋-1单元-101']);
    // Printing: the 楼栋长 gets their own building's ballots only.
    const printed = await printPaperBallots(db, byLead, poll.id, now);
    expect(printed.ballots.map((b) => b.unit).every((u) => u.startsWith('2栋'))).toBe(true);
    expect(printed.ballots).toHaveLength(5);
    expect(printed.buildings).toEqual(['2栋']);
    // A resident may neither enter nor print.
    const resident = { actor: await loadActor(db, await grantRole(db, community, 9102, 'verified', '1栋-1单元-102')), via: 'test' };
    await expect(enterPaperBatch(db, box, resident, poll.id, batch, now, { dryRun: true })).rejects.toMatchObject({ name: 'DomainError' });
    await expect(printPaperBallots(db, resident, poll.id, now)).rejects.toMatchObject({ name: 'DomainError' });
  });

  it('refuses as a whole, nothing entered: after the close, another community’s file, a council poll', async () => {
    const poll = await make();
    const batch = await csv([['房号', '选项'], ['1-1-101', '1']]);
    await closePoll(db, poll.id, now, BY);
    await expect(enterPaperBatch(db, box, BY, poll.id, batch, now, { dryRun: true })).rejects.toMatchObject({ key: 'ballots.after_close' });
    await expect(enterPaperBatch(db, box, BY, poll.id, batch, now)).rejects.toMatchObject({ key: 'ballots.after_close' });

    const open = await make();
    const foreign = await csv([['社区', '房号', '选项'], ['园岭社区', '1-1-101', '1'], ['园岭社区', '1-1-102', '1']]);
    const err = await enterPaperBatch(db, box, BY, open.id, foreign, now).catch((e: unknown) => e);
    expect(err).toMatchObject({ key: 'ballots.batch_other_community', params: { names: '园岭社区', rows: 2, line: 2 } });
    const { key, params } = err as { key: string; params: Record<string, unknown> };
    expect(t(key, params)).toContain('不是巴登社区的');
    // Its own name, with or without 社区, is fine.
    const own = await csv([['社区', '房号', '选项'], ['巴登', '1-1-101', '1']]);
    expect((await enterPaperBatch(db, box, BY, open.id, own, now, { dryRun: true })).entered).toHaveLength(1);
    expect(await db.pollParticipation.count({ where: { pollId: { in: [poll.id, open.id] } } })).toBe(0);

    const council = await make({ electorate: 'council' });
    await expect(enterPaperBatch(db, box, BY, council.id, batch, now, { dryRun: true })).rejects.toMatchObject({ key: 'ballots.not_household_poll' });
  });

  it('refuses a file that cannot be a list of ballots, naming rows and columns', async () => {
    const noOption = await csv([['房号', '备注'], ['1-1-101', '']]).catch((e: unknown) => e);
    expect(noOption).toBeInstanceOf(PaperBatchRefused);
    expect(renderBatchRefusal(t, noOption as PaperBatchRefused)).toContain('没有“选项”一列');
    const noHeader = await csv([['甲', '乙'], ['1', '2']]).catch((e: unknown) => e);
    expect((noHeader as PaperBatchRefused).problems.map((p) => p.key)).toEqual(['ballots.batch_no_header']);
    const twice = await csv([['房号', '选项', '表决意见'], ['1-1-101', '1', '1']]).catch((e: unknown) => e);
    expect(renderBatchRefusal(t, twice as PaperBatchRefused)).toContain('第C列“表决意见”：与B列是同一项内容'.replace('第C列', ''));
    await expect(csv([['房号', '选项']])).rejects.toMatchObject({ key: 'ballots.batch_no_rows' });
    await expect(readPaperBatch(Buffer.from('x'), 'ballots.pdf')).rejects.toMatchObject({ key: 'register.unsupported_file' });
  });

  it('10,000 rows: refused as a whole, with the limit named', async () => {
    const rows: (string | number)[][] = [['房号', '选项']];
    for (let i = 0; i < 10_000; i++) rows.push([`${Math.floor(i / 100) + 1}栋1单元${(i % 100) + 101}`, 1]);
    const err = await csv(rows).catch((e: unknown) => e);
    expect(err).toMatchObject({ key: 'ballots.batch_too_many_rows', params: { count: 10_000, max: 5000 } });
    const { key, params } = err as { key: string; params: Record<string, unknown> };
    expect(t(key, params)).toBe('文件有10000行，一次最多录入5000张选票，请分成几个文件发送。');
  });

  it('reads options by number or label, several for a multiple-choice poll', () => {
    const poll = { options: [{ position: 1, kind: 'yes', label: '' }, { position: 2, kind: 'no', label: '' }, { position: 3, kind: 'abstain', label: '' }] } as unknown as Pick<PollWithOptions, 'options'>;
    expect(positionsOfChoice(poll, '第2项')).toEqual([2]);
    expect(positionsOfChoice(poll, 'Against')).toEqual([2]);
    expect(positionsOfChoice(poll, '1、3')).toEqual([1, 3]);
    expect(positionsOfChoice(poll, '4')).toBeNull();
    const custom = { options: [{ position: 1, kind: 'custom', label: '方案 A' }, { position: 2, kind: 'custom', label: '方案B' }] } as unknown as Pick<PollWithOptions, 'options'>;
    expect(positionsOfChoice(custom, '方案A')).toEqual([1]);
    expect(positionsOfChoice(custom, '方案A、方案B')).toEqual([1, 2]);
  });

  it('keeps the batch as plain data (a scene stores it between the preview and the confirmation)', async () => {
    const batch: PaperBatch = await csv([['房号', '选项'], ['1-1-101', '1']]);
    expect(JSON.parse(JSON.stringify(batch))).toEqual(batch);
  });
});
