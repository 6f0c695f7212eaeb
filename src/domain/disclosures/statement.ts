/**
 * Financial statements (财务公开): line items read from a CSV or XLSX table, with the
 * arithmetic checked. Amounts are read as yuan and kept in fen (integers), so 0.1 + 0.2 never
 * becomes 0.30000000000000004.
 *
 * Two layouts are understood, by their header row (any of the first five rows):
 * - 日期 | 项目 | 收支 | 金额 | 资金来源 — a type column says 收入 or 支出;
 * - 日期 | 项目 | 收入 | 支出 | 资金来源 — one of the two amount columns is filled.
 * Rows labelled 期初余额, 收入合计, 支出合计, 合计 and 期末余额 state a balance or a total;
 * they must agree with the items, or the statement is refused naming the line and column.
 */
import { DomainError } from '../errors.ts';
import {
  AMOUNT_DECORATION,
  DATE_PATTERNS,
  EXPENSE_WORDS,
  INCOME_WORDS,
  normalizeWord,
  SPECIAL_ROWS,
  STATEMENT_COLUMNS,
  type SpecialRow,
  type StatementColumn,
} from './vocabulary.ts';

/** A cell as read from CSV (text) or XLSX (text, number, date). */
export type RawCell = string | number | Date | null;

/** One row of a table and its line (CSV) or row number (XLSX), 1-based. */
export interface RawRow {
  line: number;
  cells: RawCell[];
}

/** One income or expense. */
export interface LineItem {
  /** YYYY-MM-DD, or MM-DD when neither the cell nor the period gives a year; null if absent. */
  date: string | null;
  item: string;
  type: 'income' | 'expense';
  amountFen: number;
  /** Fund source such as 民生微实事资金 or 福彩公益金. */
  fund: string | null;
  note: string | null;
}

/** Income and expense per fund source. */
export interface FundTotal {
  fund: string | null;
  incomeFen: number;
  expenseFen: number;
}

/** A checked statement. */
export interface Statement {
  items: LineItem[];
  incomeFen: number;
  expenseFen: number;
  /** Stated opening balance (期初余额), when the file has one. */
  openingFen: number | null;
  /** opening (or 0) + income − expense. */
  closingFen: number;
  byFund: FundTotal[];
}

/** Most line items one statement may have (a quarter of a busy community has a few hundred). */
export const MAX_LINE_ITEMS = 2000;
/** Largest single amount, ¥100,000,000. */
export const MAX_AMOUNT_FEN = 10_000_000_000;

const cellText = (c: RawCell): string => (c === null || c === undefined ? '' : c instanceof Date ? c.toISOString() : String(c)).trim();

/** Reads an amount in yuan (1,200.00 / ¥1200 / 1200元 / a number cell) as fen; null if it is not one. */
export function parseYuan(cell: RawCell): number | null {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return null;
    const fen = Math.round(cell * 100);
    return Math.abs(cell * 100 - fen) < 1e-6 ? fen : null;
  }
  if (cell === null || cell instanceof Date) return null;
  const s = cell.normalize('NFKC').replace(/[\s,]/g, '').replace(AMOUNT_DECORATION, '').replace(/^[¥]/, '');
  const m = /^([-+]?)(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) return null;
  return m[1] === '-' ? -fen : fen;
}

/** Reads a date cell; `year` completes dates such as 10月12日. Null when the cell is not a date. */
export function parseItemDate(cell: RawCell, year: number | null): string | null {
  const pad = (n: number) => String(n).padStart(2, '0');
  const valid = (y: number, m: number, d: number) => {
    const probe = new Date(Date.UTC(y, m - 1, d));
    return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
  };
  if (cell instanceof Date) {
    // XLSX dates are calendar dates stored as UTC midnight.
    return `${cell.getUTCFullYear()}-${pad(cell.getUTCMonth() + 1)}-${pad(cell.getUTCDate())}`;
  }
  const s = cellText(cell).normalize('NFKC').replace(/\s+/g, '');
  for (const re of DATE_PATTERNS.full) {
    const m = re.exec(s);
    if (m && valid(+m[1], +m[2], +m[3])) return `${m[1]}-${pad(+m[2])}-${pad(+m[3])}`;
  }
  for (const re of DATE_PATTERNS.monthDay) {
    const m = re.exec(s);
    if (m && valid(year ?? 2000, +m[1], +m[2])) return year ? `${year}-${pad(+m[1])}-${pad(+m[2])}` : `${pad(+m[1])}-${pad(+m[2])}`;
  }
  return null;
}

function typeOf(cell: RawCell): 'income' | 'expense' | null {
  const w = normalizeWord(cellText(cell));
  if (INCOME_WORDS.includes(w)) return 'income';
  if (EXPENSE_WORDS.includes(w)) return 'expense';
  return null;
}

function specialRow(label: string): SpecialRow | null {
  const w = normalizeWord(label).replace(/[:：]$/, '');
  for (const [kind, words] of Object.entries(SPECIAL_ROWS) as [SpecialRow, readonly string[]][]) {
    if (words.includes(w)) return kind;
  }
  return null;
}

interface Header {
  line: number;
  columns: Partial<Record<StatementColumn, number>>;
  names: string[];
}

function findHeader(rows: RawRow[]): { header: Header; index: number } {
  for (const [index, row] of rows.slice(0, 5).entries()) {
    const columns: Header['columns'] = {};
    row.cells.forEach((cell, i) => {
      const w = normalizeWord(cellText(cell));
      for (const [col, words] of Object.entries(STATEMENT_COLUMNS) as [StatementColumn, readonly string[]][]) {
        if (columns[col] === undefined && words.includes(w)) columns[col] = i;
      }
    });
    const hasAmounts = columns.amount !== undefined || columns.income !== undefined || columns.expense !== undefined;
    if (columns.item !== undefined && hasAmounts) return { header: { line: row.line, columns, names: row.cells.map(cellText) }, index };
  }
  throw new DomainError('disclosures.statement_no_header');
}

/** A stated balance or total row, to be compared with the items once they are all read. */
interface StatedRow {
  kind: SpecialRow;
  row: RawRow;
  col: StatementColumn;
  fen: number;
  /** For a plain 合计 row in the type-column layout: which side it totals. */
  type?: 'income' | 'expense';
}

/** Reading cells of a table by the columns its header names, and refusing with line and column. */
class TableReader {
  constructor(readonly header: Header) {}

  get columns(): Header['columns'] {
    return this.header.columns;
  }

  has(col: StatementColumn): boolean {
    return this.columns[col] !== undefined;
  }

  cell(row: RawRow, col: StatementColumn): RawCell {
    const i = this.columns[col];
    return i === undefined ? null : (row.cells[i] ?? null);
  }

  text(row: RawRow, col: StatementColumn): string {
    return cellText(this.cell(row, col));
  }

  /** Throws the localized refusal `disclosures.<key>` naming the row's line and the column. */
  fail(key: string, row: RawRow, col: StatementColumn | number | undefined, extra: Record<string, unknown> = {}): never {
    const i = typeof col === 'number' ? col : col === undefined ? undefined : this.columns[col];
    const column = i === undefined ? '' : this.header.names[i] || String(i + 1);
    throw new DomainError(`disclosures.${key}`, { line: row.line, column, ...extra });
  }

  /** The amount in a column as fen; null when the cell is empty. */
  amount(row: RawRow, col: StatementColumn): number | null {
    const raw = this.cell(row, col);
    if (cellText(raw) === '') return null;
    const fen = parseYuan(raw);
    if (fen === null) this.fail('bad_amount', row, col, { value: cellText(raw) });
    if (Math.abs(fen) > MAX_AMOUNT_FEN) this.fail('amount_too_large', row, col);
    return fen;
  }

  /** The income and expense columns of the two-column layout (null where absent or empty). */
  sides(row: RawRow): { income: number | null; expense: number | null } {
    return { income: this.has('income') ? this.amount(row, 'income') : null, expense: this.has('expense') ? this.amount(row, 'expense') : null };
  }

  /** The first amount column of the two-column layout, for naming it in a refusal. */
  get firstSide(): number | undefined {
    return this.columns.income ?? this.columns.expense;
  }
}

/**
 * In CSV every row has as many cells as the header (Excel pads them); one more usually means an
 * amount such as 1,200.00 written without quotes. Refuses such a row.
 */
function checkWidth(t: TableReader, row: RawRow, strictWidth: boolean): void {
  const width = t.header.names.length;
  const extra = strictWidth && row.cells.length > width ? 0 : row.cells.slice(width).findIndex((c) => cellText(c) !== '');
  if (extra >= 0) t.fail('csv_extra_cells', row, width + extra, { expected: width });
}

/** A balance or total row: whichever amount column is filled, as the stated figures it holds. */
function readStatedRow(t: TableReader, row: RawRow, kind: SpecialRow): StatedRow[] {
  if (t.has('amount')) {
    const fen = t.amount(row, 'amount');
    if (fen === null) t.fail('missing_amount', row, 'amount');
    let type: 'income' | 'expense' | undefined;
    if (kind === 'total') {
      type = t.has('type') ? (typeOf(t.cell(row, 'type')) ?? undefined) : undefined;
      if (!type) t.fail('total_needs_type', row, t.has('type') ? 'type' : 'item');
    }
    return [{ kind, row, col: 'amount', fen, type }];
  }
  const { income, expense } = t.sides(row);
  if (kind === 'total' || kind === 'incomeTotal' || kind === 'expenseTotal') {
    const stated: StatedRow[] = [];
    if (income !== null && kind !== 'expenseTotal') stated.push({ kind: 'incomeTotal', row, col: 'income', fen: income });
    if (expense !== null && kind !== 'incomeTotal') stated.push({ kind: 'expenseTotal', row, col: 'expense', fen: expense });
    if (income === null && expense === null) t.fail('missing_amount', row, t.firstSide);
    return stated;
  }
  const fen = income ?? expense;
  if (fen === null) t.fail('missing_amount', row, t.firstSide);
  return [{ kind, row, col: income !== null ? 'income' : 'expense', fen }];
}

/** The side and amount of an item row, in whichever layout the table has. */
function itemAmount(t: TableReader, row: RawRow): { type: 'income' | 'expense'; amountFen: number } {
  if (t.has('amount')) {
    const fen = t.amount(row, 'amount');
    if (fen === null || fen === 0) t.fail(fen === 0 ? 'zero_amount' : 'missing_amount', row, 'amount');
    // Without a type column, the sign says which side an amount is on.
    if (!t.has('type')) return { type: fen < 0 ? 'expense' : 'income', amountFen: Math.abs(fen) };
    const type = typeOf(t.cell(row, 'type'));
    if (!type) t.fail('bad_type', row, 'type', { value: t.text(row, 'type') });
    if (fen < 0) t.fail('negative_amount', row, 'amount');
    return { type, amountFen: fen };
  }
  const { income, expense } = t.sides(row);
  if (income !== null && expense !== null && income !== 0 && expense !== 0) t.fail('both_amounts', row, 'expense');
  const chosen = income ? { type: 'income' as const, fen: income, col: 'income' as const } : expense ? { type: 'expense' as const, fen: expense, col: 'expense' as const } : null;
  if (!chosen) t.fail('missing_amount', row, t.firstSide);
  if (chosen.fen < 0) t.fail('negative_amount', row, chosen.col);
  return { type: chosen.type, amountFen: chosen.fen };
}

/** One income or expense row. `year` completes dates without one. */
function readItemRow(t: TableReader, row: RawRow, itemText: string, year: number | null): LineItem {
  if (!itemText) t.fail('missing_item', row, 'item');
  const { type, amountFen } = itemAmount(t, row);
  let date: string | null = null;
  const rawDate = t.cell(row, 'date');
  if (cellText(rawDate) !== '') {
    date = parseItemDate(rawDate, year);
    if (!date) t.fail('bad_date', row, 'date', { value: cellText(rawDate) });
  }
  const fund = t.text(row, 'fund') || null;
  const note = t.text(row, 'note') || null;
  if ([...itemText].length > 200) t.fail('item_too_long', row, 'item');
  return { date, item: itemText, type, amountFen, fund, note };
}

/** The side a stated row speaks of: income, expense, or the opening / closing balance. */
function sideOf(s: StatedRow): 'income' | 'expense' | 'opening' | 'closing' {
  if (s.kind === 'incomeTotal' || (s.kind === 'total' && s.type === 'income')) return 'income';
  if (s.kind === 'expenseTotal' || s.kind === 'total') return 'expense';
  return s.kind;
}

/** Every stated total and balance must agree with the items; the first that does not is refused. */
function checkStated(t: TableReader, stated: StatedRow[], totals: { openingFen: number | null; incomeFen: number; expenseFen: number; closingFen: number }): void {
  for (const s of stated) {
    const which = sideOf(s);
    const computed = which === 'income' ? totals.incomeFen : which === 'expense' ? totals.expenseFen : which === 'closing' ? totals.closingFen : null;
    if (computed === null || computed === s.fen) continue;
    t.fail(which === 'closing' ? 'balance_mismatch' : 'total_mismatch', s.row, s.col, {
      stated: s.fen,
      computed,
      difference: Math.abs(s.fen - computed),
      opening: totals.openingFen ?? 0,
      income: totals.incomeFen,
      expense: totals.expenseFen,
      kind: which,
    });
  }
}

/** Income and expense per fund source, in the order the funds first appear. */
function fundTotals(items: LineItem[]): FundTotal[] {
  const funds = new Map<string | null, FundTotal>();
  for (const i of items) {
    const f = funds.get(i.fund) ?? { fund: i.fund, incomeFen: 0, expenseFen: 0 };
    if (i.type === 'income') f.incomeFen += i.amountFen;
    else f.expenseFen += i.amountFen;
    funds.set(i.fund, f);
  }
  return [...funds.values()];
}

const sum = (items: LineItem[], type: 'income' | 'expense') => items.filter((i) => i.type === type).reduce((s, i) => s + i.amountFen, 0);

/**
 * Reads and checks a statement table. `year` (from the period) completes dates without one.
 * Throws a DomainError naming the line and column of the first problem. `strictWidth` (CSV)
 * refuses rows with more cells than the header even when the extra cells are empty.
 */
export function readStatement(rows: RawRow[], year: number | null, opts: { strictWidth?: boolean } = {}): Statement {
  const { header, index } = findHeader(rows);
  const t = new TableReader(header);
  const items: LineItem[] = [];
  const stated: StatedRow[] = [];
  for (const row of rows.slice(index + 1)) {
    checkWidth(t, row, opts.strictWidth ?? false);
    const itemText = t.text(row, 'item');
    const kind = specialRow(itemText) ?? specialRow(t.text(row, 'date'));
    if (kind) {
      stated.push(...readStatedRow(t, row, kind));
      continue;
    }
    items.push(readItemRow(t, row, itemText, year));
    if (items.length > MAX_LINE_ITEMS) throw new DomainError('disclosures.too_many_items', { max: MAX_LINE_ITEMS });
  }
  if (!items.length) throw new DomainError('disclosures.statement_empty');

  const incomeFen = sum(items, 'income');
  const expenseFen = sum(items, 'expense');
  const openings = stated.filter((s) => s.kind === 'opening');
  if (openings.length > 1) t.fail('duplicate_row', openings[1].row, openings[1].col);
  const openingFen = openings[0]?.fen ?? null;
  const closingFen = (openingFen ?? 0) + incomeFen - expenseFen;
  checkStated(t, stated, { openingFen, incomeFen, expenseFen, closingFen });
  return { items, incomeFen, expenseFen, openingFen, closingFen, byFund: fundTotals(items) };
}
