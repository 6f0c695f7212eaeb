/**
 * Reading register files: headers over merged cells, Chinese and English column names, blank and
 * 合计 rows, and every kind of bad input refused with its row and column — the whole file, so
 * nothing half-read is ever imported.
 */
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../../../src/domain/errors.ts';
import { readRegisterFile } from '../../../../src/domain/register/import.ts';
import { columnLetter } from '../../../../src/domain/register/sheet.ts';
import { MAX_REGISTER_ROWS, parseKind, RegisterRefused, type RegisterProblem } from '../../../../src/domain/register/table.ts';
import { generatedCsv, registerCsv, registerXlsx } from './files.ts';

const COMMUNITY = { name: '巴登社区', slug: 'badeng' };

const read = (name: string, bytes: Buffer) => readRegisterFile({ name, bytes }, COMMUNITY);

/** The problems a refused file reports. */
async function problemsOf(name: string, bytes: Buffer): Promise<RegisterProblem[]> {
  try {
    await read(name, bytes);
  } catch (err) {
    if (err instanceof RegisterRefused) return err.problems;
    throw err;
  }
  throw new Error('the file was accepted');
}

/** The refusal key of a file refused as a whole. */
async function refusalOf(name: string, bytes: Buffer): Promise<{ key: string; params: Record<string, unknown> }> {
  try {
    await read(name, bytes);
  } catch (err) {
    if (isDomainError(err)) return { key: err.key, params: err.params };
    throw err;
  }
  throw new Error('the file was accepted');
}

describe('reading a register', () => {
  it('reads an XLSX with a merged title, a two-line merged header, blank rows and a 合计 line', async () => {
    const file = await registerXlsx([
      [3, 2, 501, 3, '户籍', '13800000000'],
      [3, 2, 502, '2人', '租住', null],
      [null, null, null, null, null, null],
      ['３', '２', '５０３', '４', '非户籍', null],
      [12, null, 1203, null, null, null],
      ['合计', null, null, 9, null, null],
    ]);
    const table = await read('名册.xlsx', file);
    expect(table.rows.map((r) => r.unit)).toEqual(['3栋-2单元-501', '3栋-2单元-502', '3栋-2单元-503', '12栋-1203']);
    expect(table.rows[0]).toMatchObject({ line: 4, building: '3栋', residents: 3, kind: 'registered', headName: null });
    expect(table.rows[1]).toMatchObject({ residents: 2, kind: 'tenant' });
    expect(table.rows[2]).toMatchObject({ line: 7, residents: 4, kind: 'nonregistered' });
    expect(table.rows[3]).toMatchObject({ building: '12栋', residents: null, kind: null });
    expect(table.facts).toEqual({ group: false, residents: true, kind: true, head: false });
    // The phone column is not read, and the report says it is personal data the register must not keep.
    expect(table.ignored).toEqual([{ column: 'F', heading: '联系电话', sensitive: true }]);
    expect(table.skippedTotals).toBe(1);
  });

  it('reads 楼栋 merged down a building in an XLSX', async () => {
    const file = await registerXlsx(
      [
        [5, 1, 101, 1, '户籍', null],
        [null, 1, 102, 2, '户籍', null],
        [null, 2, 101, 3, '户籍', null],
      ],
      { merges: ['A4:A6'] },
    );
    const table = await read('名册.xlsx', file);
    expect(table.rows.map((r) => r.unit)).toEqual(['5栋-1单元-101', '5栋-1单元-102', '5栋-2单元-101']);
    expect(table.filledDown).toBe(0);
  });

  it('reads English headings and one address column in a CSV', async () => {
    const file = registerCsv([
      ['No.', 'Unit', 'Residents', 'Household type', 'Head of household', 'Grid'],
      [1, '3-2-501', 3, 'registered', 'Wang Fang', 'Grid 1'],
      [2, '3栋2单元502', 1, 'tenant', '', 'Grid 1'],
      [3, '阳光花园1栋101', 2, 'non-registered', '李  娜', 'Grid 2'],
    ]);
    const table = await read('register.csv', file);
    expect(table.rows.map((r) => [r.unit, r.building, r.group, r.headName])).toEqual([
      ['3栋-2单元-501', '3栋', 'Grid 1', 'Wang Fang'],
      ['3栋-2单元-502', '3栋', 'Grid 1', null],
      ['阳光花园1栋-101', '阳光花园1栋', 'Grid 2', '李 娜'],
    ]);
    expect(table.facts).toEqual({ group: true, residents: true, kind: true, head: true });
    expect(table.ignored).toEqual([]);
  });

  it('reads a 房号 column that holds whole addresses, a GBK file and tab separators', async () => {
    const csv = '房号\t居民小组\r\n3幢2单元501室\t第一居民小组\r\n3幢2单元502室\t第一居民小组\r\n';
    const bytes = Buffer.from(iconvGbk(csv));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const table = await read('名册.csv', bytes);
    expect(table.rows.map((r) => [r.unit, r.group])).toEqual([
      ['3栋-2单元-501', '第一居民小组'],
      ['3栋-2单元-502', '第一居民小组'],
    ]);
  });

  it('takes 楼栋 from the row above when a merged cell was saved as CSV, and says how often', async () => {
    const file = registerCsv([
      ['楼栋', '单元', '房号'],
      ['7', '1', '101'],
      ['', '', '102'],
      ['', '2', '101'],
      [],
      ['8', '1', '101'],
    ]);
    const table = await read('名册.csv', file);
    expect(table.rows.map((r) => r.unit)).toEqual(['7栋-1单元-101', '7栋-1单元-102', '7栋-2单元-101', '8栋-1单元-101']);
    expect(table.filledDown).toBe(2);
  });

  it('does not carry a 楼栋 over a blank separator row', async () => {
    const problems = await problemsOf('名册.csv', registerCsv([['楼栋', '单元', '房号'], ['7', '1', '101'], [], ['', '1', '102']]));
    expect(problems).toEqual([{ key: 'register.empty_cell', line: 4, column: 'A', heading: '楼栋' }]);
  });

  it('reads 10,000 rows', async () => {
    const table = await read('big.csv', generatedCsv(10_000));
    expect(table.rows).toHaveLength(10_000);
    expect(new Set(table.rows.map((r) => r.unit)).size).toBe(10_000);
  });
});

describe('refusing a register, naming row and column', () => {
  it('names both rows of a unit listed twice, however it was written', async () => {
    const problems = await problemsOf('名册.csv', registerCsv([['地址'], ['3栋2单元501'], ['3栋2单元502'], ['3-2-501']]));
    expect(problems).toEqual([{ key: 'register.duplicate_unit', line: 4, params: { unit: '3栋-2单元-501', first: 2 } }]);
  });

  it('ignores an unknown column and reports it', async () => {
    const table = await read('名册.csv', registerCsv([['楼栋', '单元', '房号', '备注', ''], ['1', '1', '101', '独居老人', 'x']]));
    expect(table.rows).toHaveLength(1);
    expect(table.ignored).toEqual([{ column: 'D', heading: '备注', sensitive: false }]);
  });

  it('refuses the register of another community as one problem', async () => {
    const rows = [['社区', '楼栋', '单元', '房号'], ...Array.from({ length: 50 }, (_, i) => ['莲花社区', '1', '1', String(101 + i)])];
    const problems = await problemsOf('名册.csv', registerCsv(rows));
    expect(problems).toEqual([{ key: 'register.other_community', line: 2, column: 'A', heading: '社区', params: { names: '莲花社区', rows: 50, community: '巴登社区' } }]);
  });

  it('accepts its own community written with or without 社区, or by slug', async () => {
    const table = await read('名册.csv', registerCsv([['所属社区', '地址'], ['巴登社区', '1-1-101'], ['巴登', '1-1-102'], ['巴登社区居委会', '1-1-103'], ['badeng', '1-1-104']]));
    expect(table.rows).toHaveLength(4);
  });

  it('names the row and column of each bad cell, and all of them at once', async () => {
    const file = registerCsv([
      ['楼栋', '单元', '房号', '常住人数', '户别', '户主'],
      ['1', '1', '101', '三', '户籍', '王芳'],
      ['1', '1', '102', '2', '暂住', ''],
      ['1', '一楼', '103', '', '', ''],
      ['1', '1', '', '', '', ''],
      ['1', '1', '105', '', '', '13800138000'],
      ['', '', '', '', '户籍', ''],
    ]);
    const problems = await problemsOf('名册.csv', file);
    expect(problems).toEqual([
      { key: 'register.bad_residents', line: 2, column: 'D', heading: '常住人数', params: { value: '三' } },
      { key: 'register.bad_kind', line: 3, column: 'E', heading: '户别', params: { value: '暂住' } },
      { key: 'register.bad_cell', line: 4, column: 'B', heading: '单元', params: { value: '一楼' } },
      { key: 'register.empty_cell', line: 5, column: 'C', heading: '房号' },
      { key: 'register.head_looks_like_number', line: 6, column: 'F', heading: '户主' },
      { key: 'register.row_without_unit', line: 7 },
    ]);
  });

  it('refuses a date Excel made of a unit cell', async () => {
    const file = await registerXlsx([[3, 2, new Date('2026-03-02T00:00:00Z'), 1, '户籍', null]]);
    expect(await problemsOf('名册.xlsx', file)).toEqual([{ key: 'register.date_cell', line: 4, column: 'C', heading: '房号' }]);
  });

  it('refuses an address it cannot read', async () => {
    expect(await problemsOf('名册.csv', registerCsv([['地址'], ['3楼501']]))).toEqual([{ key: 'register.bad_unit', line: 2, column: 'A', heading: '地址', params: { value: '3楼501' } }]);
  });

  it('refuses a file without unit columns, and a column named twice', async () => {
    expect(await problemsOf('名册.csv', registerCsv([['姓名', '电话'], ['王芳', '138']]))).toEqual([{ key: 'register.no_header' }]);
    expect(await problemsOf('名册.csv', registerCsv([['楼栋', '单元', '房号', '楼号'], ['1', '1', '101', '2']]))).toEqual([
      { key: 'register.duplicate_column', column: 'D', heading: '楼号', params: { first: 'A', firstHeading: '楼栋' } },
    ]);
    expect(await problemsOf('名册.csv', registerCsv([['楼栋', '单元'], ['1', '1']]))).toEqual([{ key: 'register.no_room_column', column: 'A', heading: '楼栋' }]);
  });

  it(`refuses more than ${MAX_REGISTER_ROWS.toLocaleString('en')} rows as a whole`, async () => {
    expect(await refusalOf('huge.csv', generatedCsv(MAX_REGISTER_ROWS + 1))).toEqual({ key: 'register.too_many_rows', params: { max: MAX_REGISTER_ROWS, count: MAX_REGISTER_ROWS + 1 } });
  });

  it('refuses files of another kind, empty files, a header without rows, and broken spreadsheets', async () => {
    expect((await refusalOf('名册.xls', Buffer.from('x'))).key).toBe('register.unsupported_file');
    expect((await refusalOf('名册.csv', Buffer.alloc(0))).key).toBe('register.no_rows');
    expect((await refusalOf('名册.csv', registerCsv([['楼栋', '单元', '房号'], []]))).key).toBe('register.no_rows');
    expect((await refusalOf('名册.xlsx', Buffer.from('not a zip'))).key).toBe('register.not_a_spreadsheet');
  });

  it('counts every problem but keeps the report short', async () => {
    const rows = [['地址'], ...Array.from({ length: 300 }, () => ['?'])];
    try {
      await read('名册.csv', registerCsv(rows));
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(RegisterRefused);
      expect((err as RegisterRefused).total).toBe(300);
      expect((err as RegisterRefused).problems).toHaveLength(200);
    }
  });
});

describe('small parts', () => {
  it('reads 户别 words in both languages', () => {
    expect(['户籍', '本地户籍', '非户籍', '外来', '租住', '租户', 'Tenant', 'registered', ''].map(parseKind)).toEqual([
      'registered',
      'registered',
      'nonregistered',
      'nonregistered',
      'tenant',
      'tenant',
      'tenant',
      'registered',
      null,
    ]);
    expect(parseKind('暂住')).toBeUndefined();
  });

  it('names columns as a spreadsheet does', () => {
    expect([0, 1, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});

/** GBK bytes of a text, as a Chinese Windows Excel saves CSV (built from the GB18030 decoder's inverse). */
function iconvGbk(text: string): Uint8Array {
  const decoder = new TextDecoder('gb18030');
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) {
      out.push(ch.charCodeAt(0));
      continue;
    }
    out.push(...gbkOf(ch, decoder));
  }
  return new Uint8Array(out);
}

const gbkCache = new Map<string, number[]>();
/** Finds the two GBK bytes that decode to `ch` (a brute-force search over the GBK range, cached). */
function gbkOf(ch: string, decoder: InstanceType<typeof TextDecoder>): number[] {
  if (!gbkCache.size) {
    for (let hi = 0x81; hi <= 0xfe; hi++) {
      for (let lo = 0x40; lo <= 0xfe; lo++) {
        if (lo === 0x7f) continue;
        const c = decoder.decode(new Uint8Array([hi, lo]));
        if (!gbkCache.has(c)) gbkCache.set(c, [hi, lo]);
      }
    }
  }
  const bytes = gbkCache.get(ch);
  if (!bytes) throw new Error(`no GBK bytes for ${ch}`);
  return bytes;
}
