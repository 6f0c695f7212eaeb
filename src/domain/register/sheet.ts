/**
 * Reads a register file — CSV (csv-parse) or XLSX (exceljs) — into rows of cells with the row
 * numbers a spreadsheet shows, so every refusal can name "row 12, column C". Nothing here knows
 * what the columns mean (see table.ts).
 *
 * Merged cells: exceljs gives every cell of a merged range the value of its top-left cell, which
 * is what a reader sees, so a merged header or a 楼栋 cell merged down a building reads right.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DomainError } from '../errors.ts';
import { decodeCsv } from '../disclosures/csv.ts';

/** One cell: text, or a date Excel made of what was typed (a unit column must not hold one). */
export type SheetCell = string | Date;

/** One row of the file, as the spreadsheet numbers it (1-based). */
export interface SheetRow {
  line: number;
  cells: SheetCell[];
}

/** Largest register file accepted: a 20,000-row XLSX is about 1 MB. */
export const MAX_REGISTER_BYTES = 10 * 1024 * 1024;

/** The kind of a file by its name (chat apps' mime types are unreliable), else its mime type. */
export function registerFileKind(name: string | undefined, mimeType?: string): 'csv' | 'xlsx' | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name ?? '')?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  if (ext) return null;
  if (mimeType === 'text/csv') return 'csv';
  if (mimeType === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') return 'xlsx';
  return null;
}

/** Column letter as a spreadsheet shows it: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function csvRows(bytes: Uint8Array): SheetRow[] {
  const text = decodeCsv(bytes);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, delimiter: [',', '\t', ';'] }) as unknown as typeof records;
  } catch (err) {
    throw new DomainError('register.csv_malformed', { line: (err as { lines?: number }).lines ?? 0 });
  }
  return records.map((r) => ({ line: r.info.lines, cells: r.record }));
}

function xlsxText(value: ExcelJS.CellValue, line: number, column: number): SheetCell {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value;
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result instanceof Date) return result;
    if (result === undefined || result === null || typeof result === 'object') throw new DomainError('register.formula_without_value', { line, column: columnLetter(column - 1) });
    return String(result);
  }
  if ('error' in value) throw new DomainError('register.cell_error', { line, column: columnLetter(column - 1) });
  if ('text' in value) return String((value as { text: unknown }).text);
  return String(value);
}

async function xlsxRows(bytes: Uint8Array): Promise<SheetRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw new DomainError('register.not_a_spreadsheet');
  }
  // The first sheet with anything on it: registers often keep a cover or notes sheet after it.
  const sheet = workbook.worksheets.find((s) => s.actualRowCount > 0);
  if (!sheet) return [];
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: SheetCell[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(xlsxText(row.getCell(c).value, line, c));
    rows.push({ line, cells });
  });
  return rows;
}

/**
 * Reads the rows of a register file. Refuses, with a reason a committee member can act on, a
 * file that is too large, of another kind, or not readable as a table.
 */
export async function readSheet(file: { name?: string; mimeType?: string; bytes: Uint8Array }): Promise<SheetRow[]> {
  if (file.bytes.length > MAX_REGISTER_BYTES) {
    throw new DomainError('register.file_too_large', { maxMb: MAX_REGISTER_BYTES / 1024 / 1024, sizeMb: Math.round((file.bytes.length / 1024 / 1024) * 10) / 10 });
  }
  const kind = registerFileKind(file.name, file.mimeType);
  if (!kind) throw new DomainError('register.unsupported_file', { name: file.name ?? '' });
  if (file.bytes.length === 0) throw new DomainError('register.no_rows');
  return kind === 'csv' ? csvRows(file.bytes) : xlsxRows(file.bytes);
}
