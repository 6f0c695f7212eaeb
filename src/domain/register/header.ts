/**
 * Finding the header of a spreadsheet a committee made by hand: a title or two above it, and
 * sometimes a merged heading ("房屋信息") over a second line that names the real columns. The
 * register import and the paper-ballot batch both read such files; each knows its own column
 * names (`fieldOf`) and which of them mark the header row (`locates`), and decides itself what a
 * column named twice or a missing column means.
 */
import type { SheetCell, SheetRow } from './sheet.ts';

/** How far down a title may push the header. */
export const HEADER_SEARCH_ROWS = 20;

/** A cell as text for matching: dates as their day, full-width forms folded (NFKC), trimmed. */
export const cellText = (cell: SheetCell | undefined): string =>
  cell instanceof Date ? cell.toISOString().slice(0, 10) : (cell ?? '').normalize('NFKC').trim();

export interface HeaderColumn<F> {
  col: number;
  /** The field the heading names, or null for a column the reader does not know. */
  field: F | null;
  /** The heading as written: the line that named the field, else both lines' words. */
  name: string;
}

export interface FoundHeader<F> {
  /** The index in `rows` of the first data row. */
  dataStart: number;
  columns: HeaderColumn<F>[];
}

/** The first row naming a column that `locates`, plus a second header line under it, or null. */
export function findHeader<F>(rows: SheetRow[], fieldOf: (heading: string) => F | null, locates: (field: F | null) => boolean): FoundHeader<F> | null {
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS);
  let h = -1;
  for (let i = 0; i < limit && h < 0; i++) if (rows[i].cells.some((c) => locates(fieldOf(cellText(c))))) h = i;
  if (h < 0) return null;
  // Headings are shown as written ("常住人数（人）"); fieldOf compares them normalised.
  const heading = (cell: SheetCell | undefined) => (cell instanceof Date ? cellText(cell) : (cell ?? '').trim());
  const upper = rows[h].cells.map(heading);
  let lower: string[] | null = null;
  const next = rows[h + 1];
  // A second header line: it names columns the first did not (merged cells repeat the upper name).
  if (next && next.line === rows[h].line + 1) {
    const cells = next.cells.map(heading);
    if (cells.some((c, i) => c && fieldOf(c) && c !== upper[i])) lower = cells;
  }
  const width = Math.max(upper.length, lower?.length ?? 0);
  const columns: HeaderColumn<F>[] = [];
  for (let col = 0; col < width; col++) {
    const top = upper[col] ?? '';
    const bottom = lower?.[col] ?? '';
    const fromBottom = bottom ? fieldOf(bottom) : null;
    const field = fromBottom || fieldOf(top);
    const name = field ? (fromBottom ? bottom : top) : [top, bottom].filter((s, i, all) => s && all.indexOf(s) === i).join(' ');
    columns.push({ col, field: field || null, name });
  }
  return { dataStart: h + (lower ? 2 : 1), columns };
}
