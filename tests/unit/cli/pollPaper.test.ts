/**
 * `linli poll paper --file`: the returned-ballots list a clerk typed, entered from the shell
 * through the same reader and checks as /paper's upload — an Excel file with a merged title and
 * Chinese headings (楼栋/单元/房号/表决意见), the report in the operator's language (Chinese by
 * default), every refused row on stderr with its row number and reason, exit 1 when a row is
 * refused; --dry-run writes nothing; --json gives entered and refused [{row, reason}]; a file
 * that is no list of ballots is refused as a whole; --file with --unit is a usage error.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/client.ts';
import { registerCsv } from '../features/register/files.ts';
import { makeCommunity } from '../../support/fixtures.ts';
import { freshDatabase, tempDir } from '../../support/harness.ts';
import { linli } from '../../support/cliRun.ts';

describe('linli poll paper --file', () => {
  const dir = tempDir('linli-cli-paper-');
  let db: Db;
  let file: string;
  let pollId: string;
  const write = (name: string, bytes: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  beforeAll(async () => {
    ({ db, file } = await freshDatabase(join(dir, 'linli.db')));
    await makeCommunity(db);
    const rows = [['楼栋', '单元', '房号']];
    for (const r of [101, 102, 201, 202]) rows.push(['1', '1', String(r)]);
    expect((await linli(file, ['register', 'import', '--community', 'badeng', '--file', write('名册.csv', registerCsv(rows))])).code).toBe(0);
    const created = await linli(file, ['poll', 'create', '--community', 'badeng', '--question', '是否同意增设快递柜？', '--standard', '--electorate', 'households', '--named', '--closes', '2d']);
    expect(created.code).toBe(0);
    pollId = created.out.trim();
  });

  async function returnedXlsx(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('回收登记');
    ws.addRow(['第1号投票纸质选票回收登记表']);
    ws.mergeCells('A1:D1');
    ws.addRow(['楼栋', '单元', '房号', '表决意见']);
    ws.addRow(['1', '1', '101', '赞成']);
    ws.addRow(['1', '1', '102', '2']);
    ws.addRow(['1', '1', '909', '赞成']);
    ws.addRow(['1', '1', '201', '同意反对']);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('previews an Excel list in Chinese, writes nothing, exit 1 for the refused rows; then enters it', async () => {
    const xlsx = write('回收选票.xlsx', await returnedXlsx());
    const dry = await linli(file, ['poll', 'paper', '1', '--community', 'badeng', '--file', xlsx, '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.out).toContain('第1号投票纸质选票登记表“回收选票.xlsx”预览：可录入2张，不予录入2张。');
    expect(dry.out).toContain('· 1栋-1单元-101：赞成');
    expect(dry.out).toContain('· 1栋-1单元-102：反对');
    expect(dry.out).toContain('试运行：未录入任何选票');
    expect(dry.err).toContain('不予录入的选票');
    expect(dry.err).toContain('· 第5行：住户名册中没有');
    expect(dry.err).toContain('· 第6行：选项“同意反对”有误');
    expect(await db.pollParticipation.count({ where: { pollId } })).toBe(0);

    const done = await linli(file, ['poll', 'paper', '1', '--community', 'badeng', '--file', xlsx]);
    expect(done.code).toBe(1);
    expect(done.out).toContain('第1号投票已从“回收选票.xlsx”录入纸质选票2张，不予录入2张。');
    expect(await db.pollParticipation.count({ where: { pollId, source: 'paper' } })).toBe(2);
    expect(await db.auditEntry.count({ where: { targetId: pollId, action: 'poll.paper_entry', via: 'cli' } })).toBe(2);
  });

  it('--json: entered and refused by row with the reason, in the operator’s language (--lang en)', async () => {
    const csv = write('returned.csv', registerCsv([['unit', 'option'], ['1-1-101', 'for'], ['1-1-202', 'against']]));
    const r = await linli(file, ['--json', '--lang', 'en', 'poll', 'paper', '1', '--community', 'badeng', '--file', csv]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ poll: 1, file: 'returned.csv', dryRun: false, entered: 1, rows: [{ row: 3, unit: '1栋-1单元-202', positions: [2] }] });
    expect(doc.refused).toHaveLength(1);
    expect(doc.refused[0]).toMatchObject({ row: 2, unit: '1栋-1单元-101', key: 'ballots.household_already_voted_paper' });
    expect(doc.refused[0].reason).toMatch(/^Row 2: 1栋-1单元-101 already voted on .+ \(on a paper ballot\)/);
    // Every row entered: exit 0.
    const clean = await linli(file, ['--json', 'poll', 'paper', '1', '--community', 'badeng', '--file', write('one.csv', registerCsv([['房号', '选项'], ['1-1-201', '弃权']]))]);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.out)).toMatchObject({ entered: 1, refused: [] });
  });

  it('refuses a file that is no list of ballots, and mixed or misplaced options', async () => {
    const bad = await linli(file, ['poll', 'paper', '1', '--community', 'badeng', '--file', write('bad.csv', registerCsv([['房号', '备注'], ['1-1-101', 'x']]))]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('这个文件不能录入');
    expect(bad.err).toContain('没有“选项”一列');
    const both = await linli(file, ['poll', 'paper', '1', '--community', 'badeng', '--file', 'x.csv', '--unit', '1-1-101', '--option', '1']);
    expect(both.code).toBe(1);
    expect(both.err).toContain('--file（或--csv）与--unit/--code加--option只能二选一');
    const dry = await linli(file, ['poll', 'paper', '1', '--community', 'badeng', '--unit', '1-1-101', '--option', '1', '--dry-run']);
    expect(dry.err).toContain('--dry-run只用于--file');
    expect(await db.pollParticipation.count({ where: { pollId } })).toBe(4);
  });
});
