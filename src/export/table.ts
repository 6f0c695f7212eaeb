/**
 * Tabular exports (CSV and XLSX) of anything the bot keeps: poll ballots, ratings, project
 * ledgers, disclosure lists.
 *
 * Why this file exists: residents' committee staff do their paperwork in Excel (WPS), so every
 * report the bot can show in chat must also be downloadable as a spreadsheet. One writer serves
 * every feature: callers describe sheets as columns plus a (possibly async, possibly huge) row
 * source, and this module handles the format details that are easy to get wrong:
 *
 * - CSV starts with a UTF-8 byte order mark, or Excel opens Chinese text as mojibake; quoting
 *   follows RFC 4180 (CRLF line ends; fields with commas, quotes or line breaks are quoted) via
 *   `csv-stringify`; cells a spreadsheet would run as formulas (`=`, `+`, `-`, `@` …) get a `'`.
 * - XLSX is written with exceljs's streaming `WorkbookWriter`, committing each row as soon as it
 *   is added and pausing for the zip stream to catch up, so 100,000 rows take no more memory than
 *   100; the header row is bold and frozen.
 *
 * Rows are pulled one at a time from the caller's iterable, so a database cursor can feed an
 * export directly. This module contains no user-facing words: sheet names and headers come from
 * callers (i18n).
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { XML_INVALID } from './xmlText.ts';

/** A cell value: text, a number, a point in time, or empty (`null`). */
export type TableCell = string | number | Date | null;

/** One row: cell values by column key. Keys not named in the sheet's columns are ignored. */
export type TableRow = Record<string, TableCell>;

/** A column of a {@link TableSheet}. */
export interface TableColumn {
  /** Which property of each row goes in this column. */
  key: string;
  /** Header text in the first row (from i18n). */
  header: string;
  /**
   * XLSX column width in Excel's units (about one Latin character; a Chinese character takes
   * two). Default: fitted to the header, between 10 and 60. Ignored for CSV.
   */
  width?: number;
  /**
   * How a clerk computes with the column: `percent` — a share between 0 and 1, an Excel
   * percentage (`0.0%`) and `62.5%` in CSV; `datetime`/`date` — a `Date` shown as the wall-clock
   * time in the export's time zone, an Excel date that sorts and filters as one. Default: as the
   * value is.
   */
  kind?: 'percent' | 'datetime' | 'date';
}

/** One table: a worksheet in XLSX, a section in CSV. */
export interface TableSheet {
  /**
   * Sheet name (from i18n). In XLSX, characters Excel forbids (`: \ / ? * [ ]`) become `_`, the
   * name is cut to 31 characters and made unique; in CSV it is the title line of its section.
   */
  name: string;
  /** The columns, left to right. */
  columns: TableColumn[];
  /** The data rows, read once from start to end; an async iterable can stream from a database. */
  rows: AsyncIterable<TableRow> | Iterable<TableRow>;
}

/** Where and what {@link writeTable} writes. */
export interface WriteTableOptions {
  /** `csv`: UTF-8 with BOM, RFC 4180. `xlsx`: an Excel workbook, one worksheet per sheet. */
  format: 'csv' | 'xlsx';
  /**
   * A file path (created or overwritten) or a writable stream. A stream is ended when the table
   * is complete, as with `stream.pipeline`.
   */
  out: string | NodeJS.WritableStream;
  /** The tables to write, in order. */
  sheets: TableSheet[];
  /**
   * CSV only: prefix text cells starting with `=`, `+`, `-`, `@`, tab or CR with `'` so that a
   * spreadsheet shows them instead of running them as formulas (CSV injection). Numbers are never
   * touched. Default `true`. XLSX cells are always typed as text, never formulas.
   */
  escapeFormulas?: boolean;
  /**
   * IANA time zone for `datetime`/`date` columns (the community's, e.g. Asia/Shanghai). Without
   * one, dates are written in UTC.
   */
  timeZone?: string;
}

/** What {@link writeTable} wrote. */
export interface WriteTableResult {
  /** Data rows written, over all sheets (header and title lines not counted). */
  rows: number;
  /** Bytes written to `out`. */
  bytes: number;
}

/**
 * Writes the sheets as a CSV or XLSX file (or stream) and resolves once every byte has been
 * handed to `out` (for a path: once the file is closed). Rejects if a row source throws or the
 * output fails; a file given by path is then deleted, a stream is destroyed with the error.
 *
 * CSV: a UTF-8 BOM, then for a single sheet the header line and the rows. With several sheets,
 * each section is its name alone on a line, the header line and the rows, and sections are
 * separated by a blank line. Dates are written as `Date.prototype.toISOString()` (UTC); callers
 * who want local time pass preformatted strings. `null`, NaN and invalid dates are empty cells.
 *
 * XLSX: one worksheet per sheet with a bold, frozen header row and column widths. Numbers stay
 * numbers; a `Date` becomes an Excel date-time (`yyyy-mm-dd hh:mm:ss`) showing its UTC time.
 * Characters XML forbids (control characters) are dropped and text is cut to Excel's 32,767
 * characters per cell.
 */
export async function writeTable(options: WriteTableOptions): Promise<WriteTableResult> {
  const counter = new ByteCounter();
  const destination = typeof options.out === 'string' ? createWriteStream(options.out) : options.out;
  const delivered = pipeline(counter, destination);
  // A failing destination ends the export at once: the writers see `counter` destroyed and stop
  // pulling rows, and we stop waiting for them (exceljs would wait forever for a zip stream that
  // can no longer flush).
  const destinationFailed = delivered.then(
    () => new Promise<never>(() => undefined),
    (err: unknown) => {
      const error = err instanceof Error ? err : new Error(String(err));
      counter.destroy(error);
      throw error;
    },
  );
  destinationFailed.catch(() => undefined);

  const writing = options.format === 'csv' ? writeCsv(options, counter) : writeXlsx(options, counter);
  writing.catch(() => undefined); // its failure is reported below, or superseded by the destination's
  let rows: number;
  try {
    rows = await Promise.race([writing, destinationFailed]);
    await delivered;
  } catch (err) {
    counter.destroy(err instanceof Error ? err : new Error(String(err)));
    await delivered.catch(() => undefined);
    if (typeof options.out === 'string') await rm(options.out, { force: true }).catch(() => undefined);
    throw err;
  }
  return { rows, bytes: counter.bytes };
}

/**
 * Like {@link writeTable}, but returns the whole file in memory, ready to send as a chat
 * document. Meant for small exports (a few thousand rows); large ones should go to a file.
 */
export async function writeTableToBuffer(options: Omit<WriteTableOptions, 'out'>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await writeTable({ ...options, out: sink });
  return Buffer.concat(chunks);
}

/** Counts the bytes that pass through on their way to the real destination. */
class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

// --- CSV ---------------------------------------------------------------------------------------

async function writeCsv(options: WriteTableOptions, out: Writable): Promise<number> {
  let rows = 0;
  const multi = options.sheets.length > 1;
  async function* records(): AsyncGenerator<(string | number)[]> {
    for (const [index, sheet] of options.sheets.entries()) {
      if (multi) {
        if (index > 0) yield [];
        yield [sheet.name];
      }
      yield sheet.columns.map((c) => c.header);
      for await (const row of sheet.rows) {
        yield sheet.columns.map((c) => csvCell(row[c.key], c.kind, options.timeZone));
        rows++;
      }
    }
  }
  const stringifier = stringify({
    bom: true,
    record_delimiter: 'windows',
    // Quote fields holding a lone LF or CR too, not only the CRLF we end records with.
    quote_record_delimiter: true,
    escape_formulas: options.escapeFormulas ?? true,
  });
  await pipeline(Readable.from(records()), stringifier, out);
  return rows;
}

/**
 * A cell for csv-stringify: dates in ISO form, empty for null and for numbers or dates that are
 * not valid. Numbers stay numbers so that formula escaping leaves negative numbers alone.
 */
function csvCell(value: TableCell | undefined, kind?: TableColumn['kind'], timeZone?: string): string | number {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    if (kind === 'datetime' || kind === 'date') {
      const local = wallClock(value, timeZone).toISOString();
      return kind === 'date' ? local.slice(0, 10) : `${local.slice(0, 10)} ${local.slice(11, 19)}`;
    }
    return value.toISOString();
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    // Excel reads "62.5%" back as the number 0.625 shown as a percentage.
    return kind === 'percent' ? `${Math.round(value * 1000) / 10}%` : value;
  }
  return String(value);
}

/**
 * The same instant shifted so that its UTC fields read as the wall clock in `timeZone`: Excel
 * dates carry no zone, so a clerk in Shenzhen must see 09:00, not 01:00.
 */
function wallClock(date: Date, timeZone?: string): Date {
  if (!timeZone) return date;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second), date.getUTCMilliseconds()));
}

// --- XLSX --------------------------------------------------------------------------------------

/** Excel's limits: sheet names, characters per cell. */
const SHEET_NAME_MAX = 31;
const CELL_TEXT_MAX = 32767;
/** How many rows to add between checks that the zip stream keeps up (see letZipCatchUp). */
const ROWS_PER_PAUSE = 200;
/** Number formats of typed cells. */
const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';
const DATE_FORMAT = 'yyyy-mm-dd';
const PERCENT_FORMAT = '0.0%';

async function writeXlsx(options: WriteTableOptions, out: Writable): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    // Shared strings would keep every distinct text in memory until the end.
    useSharedStrings: false,
  });
  const names = new Set<string>();
  let rows = 0;
  for (const [index, sheet] of options.sheets.entries()) {
    const worksheet = workbook.addWorksheet(uniqueSheetName(sheet.name, index, names), {
      views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
    });
    // Keys and widths only: the header row is added by hand so that it can be styled.
    worksheet.columns = sheet.columns.map((c) => ({ key: c.key, width: c.width ?? defaultWidth(c.header) }));
    const header = worksheet.addRow(sheet.columns.map((c) => xlsxText(c.header)));
    header.font = { bold: true };
    header.commit();

    let sinceLastPause = 0;
    for await (const row of sheet.rows) {
      if (out.destroyed) throw out.errored ?? new Error('table output closed before the export finished');
      const values = sheet.columns.map((c) => {
        const v = xlsxCell(row[c.key]);
        return v instanceof Date && (c.kind === 'datetime' || c.kind === 'date') ? wallClock(v, options.timeZone) : v;
      });
      const added = worksheet.addRow(values);
      values.forEach((v, i) => {
        const kind = sheet.columns[i].kind;
        if (v instanceof Date) added.getCell(i + 1).numFmt = kind === 'date' ? DATE_FORMAT : DATE_TIME_FORMAT;
        else if (typeof v === 'number' && kind === 'percent') added.getCell(i + 1).numFmt = PERCENT_FORMAT;
      });
      added.commit();
      rows++;
      if (++sinceLastPause >= ROWS_PER_PAUSE) {
        sinceLastPause = 0;
        await letZipCatchUp(worksheet, out);
      }
    }
    await worksheet.commit();
  }
  await workbook.commit();
  return rows;
}

/** Uncompressed sheet XML allowed to wait for the zip's deflate before rows are paused. */
const ZIP_BACKLOG_LIMIT = 1024 * 1024;

/**
 * Pauses the row loop until the zip stream has caught up with the rows committed so far.
 *
 * exceljs's worksheet stream (a `StreamBuf`) hands its XML to archiver's entry stream without
 * honouring backpressure, and deflate runs on libuv's thread pool, so a fast row source would
 * otherwise pile up the whole uncompressed sheet in memory (about 18 MB per 100,000 rows here).
 * We read the backlog from exceljs 4.4's internals (`worksheet.stream.pipes[0]`, a stream whose
 * `_writableState.length` is the waiting byte count) and wait while it is over
 * {@link ZIP_BACKLOG_LIMIT}. Should those internals change, this degrades to a plain yield to
 * the event loop. It also gives up waiting once `out` has been destroyed (a failed destination),
 * so an error can never leave the loop waiting forever.
 */
async function letZipCatchUp(worksheet: object, out: Writable): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  const pipes = (worksheet as { stream?: { pipes?: unknown } }).stream?.pipes;
  const input = Array.isArray(pipes) ? (pipes[0] as { _writableState?: { length?: unknown } } | undefined) : undefined;
  const backlog = () => {
    const length = input?._writableState?.length;
    return typeof length === 'number' ? length : 0;
  };
  while (backlog() > ZIP_BACKLOG_LIMIT && !out.destroyed) {
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
}


function xlsxText(text: string): string {
  const clean = text.replace(XML_INVALID, '');
  return clean.length > CELL_TEXT_MAX ? clean.slice(0, CELL_TEXT_MAX) : clean;
}

function xlsxCell(value: TableCell | undefined): string | number | Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return xlsxText(String(value));
}

/** Width fitted to the header: wide (CJK) characters count two, others one, plus a margin. */
function defaultWidth(header: string): number {
  let width = 0;
  for (const ch of header) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return Math.min(60, Math.max(10, width + 2));
}

/**
 * A sheet name Excel accepts: no forbidden characters, at most 31 characters, unique ignoring
 * case. A name with nothing usable left becomes the sheet's number (1-based), so that no word
 * of ours ends up in the file.
 */
function uniqueSheetName(name: string, index: number, taken: Set<string>): string {
  let base = name.replace(XML_INVALID, '').replace(/[:\\/?*[\]]/g, '_').replace(/^'+|'+$/g, '').trim();
  if (!base) base = String(index + 1);
  base = [...base].slice(0, SHEET_NAME_MAX).join('');
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    candidate = [...base].slice(0, SHEET_NAME_MAX - suffix.length).join('') + suffix;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}
