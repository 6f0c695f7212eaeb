/**
 * Reading what committees upload: CSV (UTF-8, BOM, GBK, quotes), XLSX, Markdown; statements
 * whose totals and balances must add up, refused naming the line and the column.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../../../src/domain/errors.ts';
import { decodeCsv, parseCsv } from '../../../../src/domain/disclosures/csv.ts';
import { markdownToPlain, MAX_FILE_BYTES, readDisclosureFile } from '../../../../src/domain/disclosures/files.ts';
import { daysLeftInQuarter, parsePeriodKey, quarterKey } from '../../../../src/domain/disclosures/period.ts';
import { parseYuan, readStatement } from '../../../../src/domain/disclosures/statement.ts';
import { createTranslator } from '../../../../src/i18n/i18n.ts';

const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });

/** The DomainError a call throws, translated, so tests read like what the person sees. */
async function refusal(fn: () => unknown): Promise<{ key: string; text: string; params: Record<string, unknown> }> {
  try {
    await fn();
  } catch (err) {
    if (!isDomainError(err)) throw err;
    return { key: err.key, params: err.params, text: i18n.t('zh-CN', err.key, err.params) };
  }
  throw new Error('expected a refusal');
}

const csvFile = (text: string, name = 'q3.csv') => ({ name, bytes: Buffer.from(text, 'utf8') });

const GOOD = [
  '日期,项目,收支,金额（元）,资金来源',
  '期初余额,,,"5,000.00",',
  '2026-07-03,区财政拨付民生微实事资金,收入,"30,000.00",民生微实事资金',
  '7月15日,长者饭堂补贴,支出,8000,福彩公益金',
  '2026/10/12,路灯维修,支出,¥1200.00,民生微实事资金',
  '2026年9月1日,"儿童活动室桌椅（含运费, 安装）",支出,3500.50元,民生微实事资金',
  '收入合计,,收入,30000,',
  '支出合计,,支出,12700.50,',
  '期末余额,,,22299.50,',
].join('\r\n');

describe('periods', () => {
  it('parses common labels into sortable keys', () => {
    expect(parsePeriodKey('2026年第三季度')).toBe('2026Q3');
    expect(parsePeriodKey('２０２６年第3季度')).toBe('2026Q3');
    expect(parsePeriodKey('2026 Q4')).toBe('2026Q4');
    expect(parsePeriodKey('2026年上半年')).toBe('2026H1');
    expect(parsePeriodKey('2026年10月')).toBe('2026-10');
    expect(parsePeriodKey('2026年度')).toBe('2026');
    expect(parsePeriodKey('国庆节慰问活动')).toBeNull();
    expect(parsePeriodKey('20261')).toBeNull();
    expect(parsePeriodKey('2026年13月')).toBeNull();
  });

  it('knows the quarter and the days left in LINLI_TIMEZONE', () => {
    // 16:30 UTC on 30 Sep is already 1 Oct in Shanghai: Q4, 91 days left.
    expect(quarterKey(new Date('2026-09-30T16:30:00Z'), 'Asia/Shanghai')).toBe('2026Q4');
    expect(quarterKey(new Date('2026-09-30T16:30:00Z'), 'UTC')).toBe('2026Q3');
    expect(daysLeftInQuarter(new Date('2026-12-17T02:00:00Z'), 'Asia/Shanghai')).toBe(14);
    expect(daysLeftInQuarter(new Date('2026-12-31T02:00:00Z'), 'Asia/Shanghai')).toBe(0);
  });
});

describe('CSV', () => {
  it('reads quotes, embedded commas and line breaks, BOM and GBK', () => {
    const rows = parseCsv(decodeCsv(Buffer.from('\uFEFFa,"b, c","d ""x""\ny"\r\n\r\n1,2,3\n', 'utf8')));
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b, c', 'd "x"\ny'] },
      { line: 4, cells: ['1', '2', '3'] },
    ]);
    // 项目 in GBK (what Excel on Chinese Windows writes).
    expect(decodeCsv(Buffer.from([0xcf, 0xee, 0xc4, 0xbf]))).toBe('项目');
  });

  it('refuses an unclosed quote naming the line and column', async () => {
    const r = await refusal(() => parseCsv('日期,项目\n2026-10-01,"路灯维修\n2026-10-02,保洁'));
    expect(r.key).toBe('disclosures.csv_unclosed_quote');
    expect(r.params).toMatchObject({ line: 2, column: 2 });
    expect(r.text).toContain('第2行第2列');
  });

  it('refuses text after a closing quote', async () => {
    const r = await refusal(() => parseCsv('a,b\n1,"x"y'));
    expect(r.params).toMatchObject({ line: 2, column: 2 });
  });
});

describe('statements', () => {
  it('reads items, computes totals and the balance, and checks stated totals', async () => {
    const content = await readDisclosureFile(csvFile(GOOD), 2026);
    expect(content.format).toBe('statement');
    if (content.format !== 'statement') return;
    const s = content.statement;
    expect(s.items).toHaveLength(4);
    expect(s.items[1]).toEqual({ date: '2026-07-15', item: '长者饭堂补贴', type: 'expense', amountFen: 800000, fund: '福彩公益金', note: null });
    expect(s.items[3].item).toBe('儿童活动室桌椅（含运费, 安装）');
    expect(s.items[3].amountFen).toBe(350050);
    expect(s.incomeFen).toBe(3_000_000);
    expect(s.expenseFen).toBe(1_270_050);
    expect(s.openingFen).toBe(500_000);
    expect(s.closingFen).toBe(2_229_950);
    expect(s.byFund.find((f) => f.fund === '民生微实事资金')).toEqual({ fund: '民生微实事资金', incomeFen: 3_000_000, expenseFen: 470_050 });
  });

  it('refuses a statement whose stated total does not add up, naming line and column', async () => {
    const bad = GOOD.replace('支出合计,,支出,12700.50,', '支出合计,,支出,12000.50,');
    const r = await refusal(() => readDisclosureFile(csvFile(bad), 2026));
    expect(r.key).toBe('disclosures.total_mismatch');
    expect(r.params).toMatchObject({ line: 8, column: '金额（元）', stated: 1_200_050, computed: 1_270_050 });
    expect(r.text).toContain('第8行“金额（元）”列');
    expect(r.text).toContain('¥12,700.50');
    expect(r.text).toContain('¥700');
  });

  it('refuses a wrong closing balance with the arithmetic spelled out', async () => {
    const bad = GOOD.replace('期末余额,,,22299.50,', '期末余额,,,22399.50,');
    const r = await refusal(() => readDisclosureFile(csvFile(bad), 2026));
    expect(r.key).toBe('disclosures.balance_mismatch');
    expect(r.params).toMatchObject({ line: 9 });
    expect(r.text).toContain('¥22,299.5');
  });

  it('reads the income/expense column layout and its 合计 row', () => {
    const s = readStatement(
      parseCsv('摘要,收入,支出,经费来源\n社区基金会捐赠,2000,,社区基金\n端午慰问品,,1500.5,社区基金\n合计,2000,1500.50,'),
      null,
    );
    expect(s.incomeFen).toBe(200000);
    expect(s.expenseFen).toBe(150050);
    expect(s.closingFen).toBe(49950);
  });

  it.each([
    ['bad amount', '2026-10-01,保洁,支出,一千二,', 'disclosures.bad_amount', 2, '金额'],
    ['three decimals', '2026-10-01,保洁,支出,12.345,', 'disclosures.bad_amount', 2, '金额'],
    ['unknown type', '2026-10-01,保洁,付款,100,', 'disclosures.bad_type', 2, '收支'],
    ['bad date', '2026-02-30,保洁,支出,100,', 'disclosures.bad_date', 2, '日期'],
    ['missing item', '2026-10-01,,支出,100,', 'disclosures.missing_item', 2, '项目'],
    ['unquoted comma in amount', '2026-10-01,保洁,支出,1,200.00,', 'disclosures.csv_extra_cells', 2, '6'],
    ['negative amount', '2026-10-01,保洁,支出,-100,', 'disclosures.negative_amount', 2, '金额'],
  ])('refuses %s naming line and column', async (_name, row, key, line, column) => {
    const r = await refusal(() => readDisclosureFile(csvFile(`日期,项目,收支,金额,资金来源\n${row}`), 2026));
    expect(r.key).toBe(key);
    expect(r.params).toMatchObject({ line, column });
  });

  it('refuses a table without a header, an empty one, a huge file and unknown kinds', async () => {
    expect((await refusal(() => readDisclosureFile(csvFile('a,b\n1,2'), null))).key).toBe('disclosures.statement_no_header');
    expect((await refusal(() => readDisclosureFile(csvFile('日期,项目,收支,金额\n'), null))).key).toBe('disclosures.statement_empty');
    expect((await refusal(() => readDisclosureFile(csvFile(''), null))).key).toBe('disclosures.statement_empty');
    const huge = await refusal(() => readDisclosureFile({ name: 'big.csv', bytes: Buffer.alloc(MAX_FILE_BYTES + 1, 0x41) }, null));
    expect(huge.key).toBe('disclosures.file_too_large');
    expect(huge.text).toContain('2MB');
    expect((await refusal(() => readDisclosureFile({ name: 'scan.pdf', bytes: Buffer.from('%PDF') }, null))).key).toBe('disclosures.unsupported_file');
    expect((await refusal(() => readDisclosureFile({ name: 'x.xlsx', bytes: Buffer.from('not a zip') }, null))).key).toBe('disclosures.not_a_spreadsheet');
    expect((await refusal(() => readDisclosureFile({ name: 'x.md', bytes: Buffer.from('  \n\n ') }, null))).key).toBe('disclosures.empty_body');
  });

  it('reads an XLSX statement with a title row, date cells, numbers and cached formulas', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('收支');
    ws.addRow(['巴登社区2026年第三季度收支明细']);
    ws.addRow(['日期', '项目', '收支', '金额（元）', '资金来源']);
    ws.addRow([new Date(Date.UTC(2026, 9, 12)), '路灯维修', '支出', 1200, '民生微实事资金']);
    ws.addRow([new Date(Date.UTC(2026, 9, 20)), '垃圾分类宣传', '支出', 350.5, '福彩公益金']);
    ws.addRow(['支出合计', null, '支出', { formula: 'SUM(D3:D4)', result: 1550.5 }]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const content = await readDisclosureFile({ name: '三季度.xlsx', bytes }, 2026);
    if (content.format !== 'statement') throw new Error('expected a statement');
    expect(content.statement.items.map((i) => [i.date, i.amountFen])).toEqual([
      ['2026-10-12', 120000],
      ['2026-10-20', 35050],
    ]);
    ws.getCell('D5').value = { formula: 'SUM(D3:D4)', result: 1500 } as ExcelJS.CellValue;
    const bad = await refusal(async () => readDisclosureFile({ name: 'x.xlsx', bytes: Buffer.from(await wb.xlsx.writeBuffer()) }, 2026));
    expect(bad.key).toBe('disclosures.total_mismatch');
    expect(bad.params).toMatchObject({ line: 5, column: '金额（元）' });
  });

  it('reads amounts as people write them', () => {
    expect(parseYuan('1,200.00')).toBe(120000);
    expect(parseYuan('￥１２００')).toBe(120000);
    expect(parseYuan('0.1')).toBe(10);
    expect(parseYuan(0.1 + 0.2)).toBe(30);
    expect(parseYuan('12.345')).toBeNull();
    expect(parseYuan('abc')).toBeNull();
  });
});

describe('Markdown', () => {
  it('is flattened to plain text chats can show', () => {
    expect(markdownToPlain('# 关于路灯维修的公示\n\n**时间**：10月\n- 第一项\n* 第二项\n[详情](https://example.org)')).toBe(
      '【关于路灯维修的公示】\n\n时间：10月\n• 第一项\n• 第二项\n详情 (https://example.org)',
    );
  });
});
