// Tabular export: CSV that Excel opens correctly (BOM, RFC 4180 quoting), XLSX that reads back
// cell for cell, and a 100,000-row streamed XLSX export whose memory stays bounded.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTable, writeTableToBuffer, type TableRow, type TableSheet } from '../../../src/export/table.ts';

const dir = mkdtempSync(join(tmpdir(), 'linli-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const when = new Date('2024-05-01T02:03:04.000Z');

const ballots: TableSheet = {
  name: '投票明细',
  columns: [
    { key: 'name', header: '姓名' },
    { key: 'opinion', header: '意见', width: 40 },
    { key: 'votes', header: '票数' },
    { key: 'at', header: '时间' },
  ],
  rows: [
    { name: '张三', opinion: '赞成, 但"有条件"\n第二行', votes: 3, at: when },
    { name: '李四', opinion: '反对', votes: -1, at: null },
    { name: '王五', opinion: null, votes: 2.5, at: when, ignored: 'x' },
  ],
};

describe('CSV', () => {
  it('starts with a UTF-8 BOM and keeps Chinese text intact', async () => {
    const buf = await writeTableToBuffer({ format: 'csv', sheets: [ballots] });
    expect(buf.subarray(0, 3).equals(BOM)).toBe(true);
    const text = buf.subarray(3).toString('utf8');
    expect(text.startsWith('姓名,意见,票数,时间\r\n')).toBe(true);
    expect(text).toContain('李四,反对,-1,\r\n');
  });

  it('quotes commas, quotes and line breaks per RFC 4180 and writes dates as ISO', async () => {
    const text = (await writeTableToBuffer({ format: 'csv', sheets: [ballots] })).subarray(3).toString('utf8');
    expect(text).toBe(
      '姓名,意见,票数,时间\r\n' +
        '张三,"赞成, 但""有条件""\n第二行",3,2024-05-01T02:03:04.000Z\r\n' +
        '李四,反对,-1,\r\n' +
        '王五,,2.5,2024-05-01T02:03:04.000Z\r\n',
    );
  });

  it('quotes a lone carriage return too', async () => {
    const text = (
      await writeTableToBuffer({ format: 'csv', sheets: [{ name: 's', columns: [{ key: 'a', header: 'a' }], rows: [{ a: 'x\ry' }] }] })
    ).toString('utf8');
    expect(text).toContain('"x\ry"');
  });

  it('writes several sheets one after another, each under its name, separated by a blank line', async () => {
    const second: TableSheet = { name: '汇总', columns: [{ key: 'k', header: '项目' }, { key: 'v', header: '合计' }], rows: [{ k: '赞成', v: 87 }] };
    const text = (await writeTableToBuffer({ format: 'csv', sheets: [{ ...ballots, rows: [] }, second] })).subarray(3).toString('utf8');
    expect(text).toBe('投票明细\r\n姓名,意见,票数,时间\r\n\r\n汇总\r\n项目,合计\r\n赞成,87\r\n');
  });

  it('defuses formulas in text but leaves numbers alone, unless told not to', async () => {
    const sheet: TableSheet = { name: 's', columns: [{ key: 'a', header: 'a' }], rows: [{ a: '=HYPERLINK("x")' }, { a: '@SUM(1)' }, { a: -5 }] };
    const text = (await writeTableToBuffer({ format: 'csv', sheets: [sheet] })).toString('utf8');
    expect(text).toContain(`"'=HYPERLINK(""x"")"\r\n'@SUM(1)\r\n-5\r\n`);
    const raw = (await writeTableToBuffer({ format: 'csv', sheets: [sheet], escapeFormulas: false })).toString('utf8');
    expect(raw).toContain('"=HYPERLINK(""x"")"\r\n@SUM(1)\r\n');
  });

  it('writes to a file path, reads rows from an async iterable and reports rows and bytes', async () => {
    async function* rows(): AsyncGenerator<TableRow> {
      for (let i = 0; i < 3; i++) yield { n: i, s: `第${i}行` };
    }
    const out = join(dir, 'async.csv');
    const result = await writeTable({ format: 'csv', out, sheets: [{ name: 's', columns: [{ key: 'n', header: '序号' }, { key: 's', header: '内容' }], rows: rows() }] });
    expect(result).toEqual({ rows: 3, bytes: statSync(out).size });
    expect(readFileSync(out, 'utf8')).toBe('\uFEFF序号,内容\r\n0,第0行\r\n1,第1行\r\n2,第2行\r\n');
  });

  it('rejects when the row source fails', async () => {
    async function* broken(): AsyncGenerator<TableRow> {
      yield { a: 1 };
      throw new Error('database went away');
    }
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    await expect(
      writeTable({ format: 'csv', out: sink, sheets: [{ name: 's', columns: [{ key: 'a', header: 'a' }], rows: broken() }] }),
    ).rejects.toThrow('database went away');
  });
});

describe('XLSX', () => {
  it('reads back with exceljs: same cells, bold frozen header, widths, sanitised sheet names', async () => {
    const out = join(dir, 'ballots.xlsx');
    const second: TableSheet = { name: '汇总/合计: [全部]', columns: [{ key: 'k', header: '项目' }], rows: [{ k: '=1+1' }] };
    const result = await writeTable({ format: 'xlsx', out, sheets: [ballots, second] });
    expect(result.rows).toBe(4);
    expect(result.bytes).toBe(statSync(out).size);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    expect(book.worksheets.map((w) => w.name)).toEqual(['投票明细', '汇总_合计_ _全部_']);

    const sheet = book.worksheets[0];
    const values = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['姓名', '意见', '票数', '时间']);
    expect(values(2)).toEqual(['张三', '赞成, 但"有条件"\n第二行', 3, when]);
    expect(values(3)).toEqual(['李四', '反对', -1]);
    expect(values(4)).toEqual(['王五', undefined, 2.5, when]);
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getCell('D2').numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(2).width).toBe(40);
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(10);

    // Text that looks like a formula stays text.
    const formulaLike = book.worksheets[1].getCell('A2');
    expect(formulaLike.value).toBe('=1+1');
    expect(formulaLike.type).toBe(ExcelJS.ValueType.String);
  });

  it('writeTableToBuffer returns a workbook exceljs can load', async () => {
    const buf = await writeTableToBuffer({ format: 'xlsx', sheets: [ballots] });
    expect(buf.subarray(0, 2).toString('latin1')).toBe('PK');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(buf as unknown as ArrayBuffer);
    expect(book.worksheets[0].getCell('B3').value).toBe('反对');
  });

  it('rejects (rather than hangs) when the destination fails, and deletes a partial file', async () => {
    function* many(): Generator<TableRow> {
      for (let i = 0; i < 20_000; i++) yield { a: i };
    }
    const failing = new Writable({ write: (_c, _e, cb) => cb(new Error('disk full')) });
    await expect(writeTable({ format: 'xlsx', out: failing, sheets: [{ name: 's', columns: [{ key: 'a', header: 'a' }], rows: many() }] })).rejects.toThrow(
      'disk full',
    );

    async function* broken(): AsyncGenerator<TableRow> {
      yield* many();
      throw new Error('database went away');
    }
    const out = join(dir, 'partial.xlsx');
    await expect(writeTable({ format: 'xlsx', out, sheets: [{ name: 's', columns: [{ key: 'a', header: 'a' }], rows: broken() }] })).rejects.toThrow(
      'database went away',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('streams 100,000 rows with bounded memory', async () => {
    const N = 100_000;
    function* rows(): Generator<TableRow> {
      for (let i = 0; i < N; i++) {
        yield { id: i, name: `居民${i}号`, opinion: i % 3 ? '赞成' : '反对，理由：噪音太大', score: (i % 100) / 10, at: new Date(1_700_000_000_000 + i * 60_000) };
      }
    }
    const columns = [
      { key: 'id', header: '编号' },
      { key: 'name', header: '姓名' },
      { key: 'opinion', header: '意见' },
      { key: 'score', header: '评分' },
      { key: 'at', header: '时间' },
    ];
    const out = join(dir, 'big.xlsx');
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
    let result;
    try {
      result = await writeTable({ format: 'xlsx', out, sheets: [{ name: '导出', columns, rows: rows() }] });
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(result.rows).toBe(N);
    expect(result.bytes).toBe(statSync(out).size);
    expect((peak - before) / 2 ** 20).toBeLessThan(200);

    // The file is complete: the streaming reader sees every row, the last one intact.
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(out, { worksheets: 'emit', sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore' });
    let count = 0;
    let last: unknown[] = [];
    for await (const worksheet of reader) {
      for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
        count++;
        last = (row.values as unknown[]).slice(1, 4);
      }
    }
    expect(count).toBe(N + 1);
    expect(last).toEqual([N - 1, `居民${N - 1}号`, (N - 1) % 3 ? '赞成' : '反对，理由：噪音太大']);
  }, 60_000);
});

describe('columns a clerk computes with', () => {
  // 01:30 UTC is 09:30 in Shanghai: the clerk's sheet must say 09:30.
  const at = new Date('2026-11-23T01:30:00Z');
  const shares: TableSheet = {
    name: '结果',
    columns: [
      { key: 'option', header: '选项' },
      { key: 'share', header: '占比', kind: 'percent' },
      { key: 'at', header: '截止时间', kind: 'datetime' },
      { key: 'day', header: '日期', kind: 'date' },
    ],
    rows: [{ option: '赞成', share: 0.625, at, day: at }],
  };

  it('XLSX: shares are numbers shown as 0.0%, times are Excel dates on the local wall clock', async () => {
    const buf = await writeTableToBuffer({ format: 'xlsx', sheets: [shares], timeZone: 'Asia/Shanghai' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(buf as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.getCell('B2').value).toBe(0.625);
    expect(sheet.getCell('B2').numFmt).toBe('0.0%');
    // Excel dates carry no zone: the cell holds 09:30 as its wall-clock time.
    expect((sheet.getCell('C2').value as Date).toISOString()).toBe('2026-11-23T09:30:00.000Z');
    expect(sheet.getCell('C2').numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(sheet.getCell('D2').numFmt).toBe('yyyy-mm-dd');
  });

  it('CSV: shares as 62.5%, times as local date and time', async () => {
    const csv = (await writeTableToBuffer({ format: 'csv', sheets: [shares], timeZone: 'Asia/Shanghai' })).toString('utf8');
    expect(csv).toContain('赞成,62.5%,2026-11-23 09:30:00,2026-11-23');
  });
});
