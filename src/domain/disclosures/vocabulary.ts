/**
 * The words Linli RECOGNISES in what committees type and upload: column headers of a financial
 * statement, 收入/支出 markers, 合计 and 余额 rows, period labels such as 2026年第三季度.
 *
 * These are input data, not output: what Linli says lives in locales/. Keeping the recognised
 * words in one place makes it easy to add a synonym a committee's spreadsheet uses.
 */

/** Normalizes a cell for matching: full-width → half-width, no spaces, no (元), lower case. */
export function normalizeWord(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/\((元|人民币|rmb|yuan|cny)\)/gi, '')
    .toLowerCase();
}

/** Statement columns Linli understands, each with the headers that name it. */
export const STATEMENT_COLUMNS = {
  date: ['日期', '时间', '发生日期', '收支日期', 'date'],
  item: ['项目', '摘要', '事项', '内容', '明细', '名称', '收支项目', 'item', 'description'],
  type: ['收支', '类型', '收支类型', '收/支', '收支方向', 'type', 'direction'],
  amount: ['金额', '发生额', 'amount'],
  income: ['收入', '收入金额', 'income'],
  expense: ['支出', '支出金额', 'expense', 'expenses'],
  fund: ['资金来源', '经费来源', '来源', '资金渠道', '资金', 'fund', 'source', 'fundsource'],
  note: ['备注', '说明', 'note', 'notes'],
} as const;

export type StatementColumn = keyof typeof STATEMENT_COLUMNS;

/** Values of the type column. */
export const INCOME_WORDS = ['收入', '收', '入', 'income', 'in'];
export const EXPENSE_WORDS = ['支出', '支', '出', 'expense', 'out'];

/** Labels of rows that are not line items but state a balance or a total. */
export const SPECIAL_ROWS = {
  opening: ['期初余额', '上期结余', '上期余额', '期初', '期初结余', 'openingbalance', 'opening'],
  closing: ['期末余额', '本期结余', '期末结余', '结余', '余额', '期末', 'closingbalance', 'closing', 'balance'],
  total: ['合计', '总计', '本期合计', '小计', 'total', 'totals'],
  incomeTotal: ['收入合计', '收入总计', '本期收入合计', 'totalincome', 'incometotal'],
  expenseTotal: ['支出合计', '支出总计', '本期支出合计', 'totalexpense', 'totalexpenses', 'expensetotal'],
} as const;

export type SpecialRow = keyof typeof SPECIAL_ROWS;

/** Chinese numerals 一 to 四, for 第三季度. */
export const QUARTER_NUMERALS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4 };

/** Period label patterns (after normalizeWord-style NFKC and space removal). */
export const PERIOD_PATTERNS = {
  quarter: [/^(\d{4})年?第?([一二三四1-4])季度?$/, /^(\d{4})-?q([1-4])$/i, /^q([1-4])-?(\d{4})$/i],
  half: [/^(\d{4})年?(上|下)半年度?$/, /^(\d{4})-?h([12])$/i],
  month: [/^(\d{4})年(\d{1,2})月份?$/, /^(\d{4})[-/.](\d{1,2})$/],
  year: [/^(\d{4})年度?$/, /^(\d{4})$/],
};

/** The first half of the year in a 上/下半年 label. */
export const FIRST_HALF = '上';

/** Date patterns in statements: 2026-10-12, 2026/10/12, 2026.10.12, 2026年10月12日, 10月12日, 10-12. */
export const DATE_PATTERNS = {
  full: [/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/, /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/],
  monthDay: [/^(\d{1,2})月(\d{1,2})日?$/, /^(\d{1,2})[-/.](\d{1,2})$/],
};

/** Currency marks around amounts: ¥1,200.00元. */
export const AMOUNT_DECORATION = /^[¥￥]|(元|块|yuan|rmb|cny)$/gi;
