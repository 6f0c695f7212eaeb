/**
 * A small RFC 4180 CSV reader that keeps line numbers, so a refusal can say "line 7, column
 * 金额". Handles a UTF-8 BOM, CRLF or LF line ends, quoted fields with commas, quotes ("") and
 * line breaks. Spreadsheets saved by Excel/WPS on Chinese Windows are often GBK, not UTF-8:
 * bytes that are not valid UTF-8 are decoded as GB18030.
 */
import { DomainError } from '../errors.ts';

/** One record and the file line it starts on (1-based). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/** Decodes CSV bytes: UTF-8 (with or without BOM), else GB18030 (a superset of GBK). */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/**
 * Parses CSV text into records. Blank lines are skipped. A quote that is never closed, or text
 * right after a closing quote, is refused with the line and column (1-based field number).
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 1;
  let afterQuote = false;
  const endField = () => {
    cells.push(field);
    field = '';
    afterQuote = false;
  };
  const endRecord = () => {
    endField();
    if (cells.some((c) => c.trim() !== '')) records.push({ line: recordLine, cells });
    cells = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === ',') {
      endField();
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (ch === '"' && field.trim() === '' && !afterQuote) {
      quoted = true;
      quoteLine = line;
      field = '';
    } else if (afterQuote) {
      if (ch === ' ' || ch === '\t') continue;
      throw new DomainError('disclosures.csv_text_after_quote', { line, column: cells.length + 1 });
    } else {
      field += ch;
    }
  }
  if (quoted) throw new DomainError('disclosures.csv_unclosed_quote', { line: quoteLine, column: cells.length + 1 });
  if (field !== '' || cells.length) endRecord();
  return records;
}
