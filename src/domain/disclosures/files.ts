/**
 * Files committees send to publish: Markdown or plain text becomes the body; CSV or XLSX is a
 * financial statement. Everything is refused with a reason a person can act on (too large, not
 * a table, line 7 column 金额 …).
 */
import ExcelJS from 'exceljs';
import { DomainError } from '../errors.ts';
import { decodeCsv, parseCsv } from './csv.ts';
import { readStatement, type RawCell, type RawRow, type Statement } from './statement.ts';

/** Largest file accepted (a statement of a few thousand lines is far below this). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Longest body, in characters (a long 居务公开 notice is a few thousand). */
export const MAX_BODY_CHARS = 20_000;

/** What a file becomes. */
export type FileContent = { format: 'text'; body: string } | { format: 'statement'; statement: Statement };

/** The kind of file, by extension first (mime types from chat apps are unreliable), else mime. */
export function fileKind(name: string | undefined, mimeType: string | undefined): 'markdown' | 'csv' | 'xlsx' | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name ?? '')?.[1]?.toLowerCase();
  if (ext === 'md' || ext === 'markdown' || ext === 'txt') return 'markdown';
  if (ext === 'csv') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  if (ext) return null;
  if (mimeType === 'text/markdown' || mimeType === 'text/plain') return 'markdown';
  if (mimeType === 'text/csv') return 'csv';
  if (mimeType === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') return 'xlsx';
  return null;
}

/**
 * Flattens Markdown to the plain text chats show (no markup is rendered there): headings
 * become 【…】 lines, list markers become •, emphasis marks and link syntax are dropped.
 */
export function markdownToPlain(md: string): string {
  return md
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (heading) return `\u3010${heading[1]}\u3011`;
      return line
        .replace(/^\s*[-*+]\s+/, '• ')
        .replace(/^\s*>\s?/, '')
        .replace(/!\[([^\]]*)\]\(([^)]*)\)/g, '$1')
        .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
        .replace(/(\*\*|__)(.+?)\1/g, '$2')
        .replace(/`([^`]+)`/g, '$1')
        .replace(/\s+$/, '');
    })
    .join('\n')
    .replace(/^\s*([-*_]\s*){3,}$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Checks a body: not empty, not too long. Returns it trimmed. */
export function checkBody(body: string): string {
  const text = body.replace(/\r\n?/g, '\n').trim();
  if (!text) throw new DomainError('disclosures.empty_body');
  const length = [...text].length;
  if (length > MAX_BODY_CHARS) throw new DomainError('disclosures.body_too_long', { max: MAX_BODY_CHARS, length });
  return text;
}

function xlsxCell(value: ExcelJS.CellValue, line: number, column: number): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result;
      if (result === undefined || result === null || typeof result === 'object') {
        if (result instanceof Date) return result;
        throw new DomainError('disclosures.formula_without_value', { line, column: String(column) });
      }
      return result as string | number;
    }
    if ('text' in value) return String((value as { text: unknown }).text);
    if ('error' in value) throw new DomainError('disclosures.cell_error', { line, column: String(column) });
  }
  return String(value);
}

/** Reads the first worksheet of an XLSX file as rows (row numbers as Excel shows them). */
export async function readXlsxRows(bytes: Uint8Array): Promise<RawRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw new DomainError('disclosures.not_a_spreadsheet');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new DomainError('disclosures.statement_empty');
  const rows: RawRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: RawCell[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(xlsxCell(row.getCell(c).value, rowNumber, c));
    if (cells.some((c) => c !== null && String(c).trim() !== '')) rows.push({ line: rowNumber, cells });
  });
  return rows;
}

/**
 * Reads a file sent for publication. `year` (from the period) completes dates such as 10月12日.
 * Refuses a file that is too large, of an unknown kind, malformed, or whose totals do not add up.
 */
export async function readDisclosureFile(file: { name?: string; mimeType?: string; bytes: Uint8Array }, year: number | null): Promise<FileContent> {
  if (file.bytes.length > MAX_FILE_BYTES) {
    throw new DomainError('disclosures.file_too_large', { maxMb: MAX_FILE_BYTES / 1024 / 1024, sizeMb: Math.round((file.bytes.length / 1024 / 1024) * 10) / 10 });
  }
  const kind = fileKind(file.name, file.mimeType);
  if (!kind) throw new DomainError('disclosures.unsupported_file', { name: file.name ?? '' });
  if (file.bytes.length === 0) throw new DomainError(kind === 'markdown' ? 'disclosures.empty_body' : 'disclosures.statement_empty');
  if (kind === 'markdown') return { format: 'text', body: checkBody(markdownToPlain(decodeCsv(file.bytes))) };
  const rows = kind === 'csv' ? parseCsv(decodeCsv(file.bytes)) : await readXlsxRows(file.bytes);
  if (!rows.length) throw new DomainError('disclosures.statement_empty');
  return { format: 'statement', statement: readStatement(rows, year, { strictWidth: kind === 'csv' }) };
}
