/**
 * Turns the rows of a register file into households: finds the header row (below a title, over
 * one or two header lines of merged cells), recognises the columns, reads each data row into a
 * canonical unit and its optional facts, and collects every problem with its row and column
 * instead of stopping at the first. Blank rows and 合计 lines are skipped; a 楼栋 left empty under
 * a filled one (a merged cell saved as CSV) is taken from the row above, and the preview says how
 * often that happened.
 */
import { DomainError } from '../errors.ts';
import { cleanHeading, fieldOf, isSensitiveHeading, UNIT_FIELDS, type Field } from './columns.ts';
import { cellText, findHeader } from './header.ts';
import { columnLetter, type SheetCell, type SheetRow } from './sheet.ts';
import { parseUnit, unitFromCells, type UnitParts } from './units.ts';

/** 户别 as stored. */
export const HOUSEHOLD_KINDS = ['registered', 'nonregistered', 'tenant'] as const;
export type HouseholdKind = (typeof HOUSEHOLD_KINDS)[number];

/** One household as the file gives it. */
export interface RegisterRow {
  line: number;
  unit: string;
  building: string;
  group: string | null;
  residents: number | null;
  kind: HouseholdKind | null;
  headName: string | null;
}

/** The optional facts a file carries; a fact whose column is absent is left as stored. */
export interface RegisterFacts {
  group: boolean;
  residents: boolean;
  kind: boolean;
  head: boolean;
}

/** A column Linli did not read. */
export interface IgnoredColumn {
  column: string;
  heading: string;
  /** It names personal data the register must not keep (ID number, phone). */
  sensitive: boolean;
}

/** A problem in the file, located as a spreadsheet user finds it. */
export interface RegisterProblem {
  key: string;
  line?: number;
  column?: string;
  heading?: string;
  params?: Record<string, unknown>;
}

/** A file read without problems. */
export interface RegisterTable {
  rows: RegisterRow[];
  facts: RegisterFacts;
  ignored: IgnoredColumn[];
  /** Rows skipped: blank separator rows are not counted, 合计/小计 lines are. */
  skippedTotals: number;
  /** Rows whose 楼栋 (and 单元) came from the row above. */
  filledDown: number;
}

/** Most data rows one file may hold (a large community has about 5,000 households). */
export const MAX_REGISTER_ROWS = 20_000;
/** Problems kept for the report; the count says how many there were in all. */
export const MAX_PROBLEMS = 200;
/** Longest 居民小组 name and 户主 name kept. */
const MAX_GROUP = 30;
const MAX_HEAD = 30;

const KIND_WORDS: [RegExp, HouseholdKind][] = [
  [/^(非户籍|非本地户籍|外来|外来人口|流动|流动人口|非户籍户|non-?registered|non-?local|migrant)$/i, 'nonregistered'],
  [/^(租住|租户|出租|租赁|承租|租房|tenant|rent(ed|al)?|renting)$/i, 'tenant'],
  [/^(户籍|本地户籍|户籍户|本地|常住户籍|registered|local|hukou)$/i, 'registered'],
];

/** 户别 from a cell; undefined when the word is not one we know. */
export function parseKind(raw: string): HouseholdKind | null | undefined {
  const s = raw.normalize('NFKC').trim().replace(/\s+/g, '');
  if (!s) return null;
  return KIND_WORDS.find(([re]) => re.test(s))?.[1];
}

/** The problems of a file Linli refuses, with how many there were in all. */
export class RegisterRefused extends DomainError {
  constructor(
    readonly problems: RegisterProblem[],
    readonly total: number,
  ) {
    super('register.file_refused', { count: total });
  }
}

const text = cellText;
const isBlank = (cells: SheetCell[]) => cells.every((c) => text(c) === '');

interface Header {
  /** Row index (in the rows array) of the first data row. */
  dataStart: number;
  fields: Map<Field, number>;
  headings: string[];
  ignored: IgnoredColumn[];
}

/** Finds and reads the header: the first row naming a unit column, plus a second header line under it. */
function readHeader(rows: SheetRow[], problems: RegisterProblem[]): Header | null {
  const found = findHeader(rows, fieldOf, (f) => UNIT_FIELDS.includes(f as Field));
  if (!found) {
    problems.push({ key: 'register.no_header' });
    return null;
  }
  const fields = new Map<Field, number>();
  const headings: string[] = [];
  const ignored: IgnoredColumn[] = [];
  for (const { col, field, name } of found.columns) {
    headings.push(name);
    if (!field) {
      if (name) ignored.push({ column: columnLetter(col), heading: name, sensitive: isSensitiveHeading(name) });
      continue;
    }
    const seen = fields.get(field);
    if (seen !== undefined) {
      problems.push({ key: 'register.duplicate_column', column: columnLetter(col), heading: name, params: { first: columnLetter(seen), firstHeading: headings[seen] } });
      continue;
    }
    fields.set(field, col);
  }
  if (fields.has('building') && !fields.has('room') && !fields.has('address')) problems.push({ key: 'register.no_room_column', column: columnLetter(fields.get('building')!), heading: headings[fields.get('building')!] });
  return { dataStart: found.dataStart, fields, headings, ignored };
}

/** Whether a 社区 cell names this community: its name, with or without 社区/居委会, or its slug. */
function sameCommunity(value: string, community: { name: string; slug: string }): boolean {
  const core = (s: string) => cleanHeading(s).replace(/(社区居民委员会|社区居委会|居民委员会|居委会|社区)$/, '');
  return core(value) === core(community.name) || cleanHeading(value) === community.slug.toLowerCase();
}

/**
 * Reads a register table for a community. Throws {@link RegisterRefused} listing every problem
 * (up to {@link MAX_PROBLEMS}) when there is any: an import is all or nothing.
 */
export function readRegisterTable(rows: SheetRow[], community: { name: string; slug: string }): RegisterTable {
  const problems: RegisterProblem[] = [];
  let total = 0;
  const problem = (p: RegisterProblem) => {
    total++;
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const header = readHeader(rows, problems);
  total = problems.length;
  if (!header || problems.length) throw new RegisterRefused(problems, total);
  const { fields, headings } = header;
  const col = (f: Field) => fields.get(f);
  const at = (cells: SheetCell[], f: Field) => (col(f) === undefined ? '' : text(cells[col(f)!]));
  const where = (f: Field) => ({ column: columnLetter(col(f)!), heading: headings[col(f)!] });

  const data = rows.slice(header.dataStart);
  const nonBlank = data.filter((r) => !isBlank(r.cells)).length;
  if (nonBlank > MAX_REGISTER_ROWS) throw new DomainError('register.too_many_rows', { max: MAX_REGISTER_ROWS, count: nonBlank });

  const out: RegisterRow[] = [];
  const firstLine = new Map<string, number>();
  const foreign = new Map<string, number[]>();
  let skippedTotals = 0;
  let filledDown = 0;
  let above: { building: string; entrance: string; compound: string } | null = null;
  const unitColumns: Field[] = ['compound', 'building', 'entrance', 'room', 'address'];

  let previousLine = rows[header.dataStart - 1]?.line ?? 0;
  for (const row of data) {
    const { cells, line } = row;
    // A blank separator row (absent from the readers' output, or all empty cells) ends a
    // building's block: nothing is carried over it.
    if (line > previousLine + 1) above = null;
    previousLine = line;
    if (isBlank(cells)) {
      above = null;
      continue;
    }
    const first = cells.map(text).find((c) => c !== '') ?? '';
    if (/^(合计|总计|小计|共计|总数|total|subtotal)/i.test(first)) {
      skippedTotals++;
      continue;
    }
    const dateColumn = unitColumns.find((f) => col(f) !== undefined && cells[col(f)!] instanceof Date);
    if (dateColumn) {
      problem({ key: 'register.date_cell', line, ...where(dateColumn) });
      continue;
    }
    let compound = at(cells, 'compound');
    let building = at(cells, 'building');
    let entrance = at(cells, 'entrance');
    const room = at(cells, 'room');
    const address = at(cells, 'address');
    if (!building && !room && !address) {
      // Only a running number (序号) left: a row the committee numbered but never filled.
      const filled = cells.map((c, i) => (text(c) ? i : -1)).filter((i) => i >= 0);
      if (filled.every((i) => i === col('serial'))) continue;
      problem({ key: 'register.row_without_unit', line });
      continue;
    }

    let parts: UnitParts | null;
    if (col('building') !== undefined && col('room') !== undefined && (building || !address)) {
      if (!building && room && above) {
        building = above.building;
        entrance ||= above.entrance;
        compound ||= above.compound;
        filledDown++;
      }
      if (!building) {
        problem({ key: 'register.empty_cell', line, ...where('building') });
        continue;
      }
      if (!room) {
        problem({ key: 'register.empty_cell', line, ...where('room') });
        continue;
      }
      const read = unitFromCells({ compound, building, entrance, room });
      if ('problem' in read) {
        const f: Field = read.problem;
        problem({ key: 'register.bad_cell', line, ...where(f), params: { value: at(cells, f) || (f === 'building' ? building : entrance) } });
        continue;
      }
      parts = read;
      above = { building, entrance, compound };
    } else {
      const f: Field = address ? 'address' : 'room';
      parts = parseUnit(address || room);
      if (parts && compound && !parts.building.startsWith(compound)) parts = parseUnit(`${compound}${address || room}`);
      if (!parts) {
        problem({ key: 'register.bad_unit', line, ...where(f), params: { value: address || room } });
        continue;
      }
    }

    const communityCell = at(cells, 'community');
    if (communityCell && !sameCommunity(communityCell, community)) {
      foreign.set(communityCell, [...(foreign.get(communityCell) ?? []), line]);
      continue;
    }

    const seen = firstLine.get(parts.unit);
    if (seen !== undefined) {
      problem({ key: 'register.duplicate_unit', line, params: { unit: parts.unit, first: seen } });
      continue;
    }
    firstLine.set(parts.unit, line);

    const residentsCell = at(cells, 'residents').replace(/\s*(人|口|名)$/, '');
    let residents: number | null = null;
    if (residentsCell) {
      residents = /^\d{1,3}$/.test(residentsCell) ? Number(residentsCell) : NaN;
      if (!(residents >= 0 && residents <= 99)) {
        problem({ key: 'register.bad_residents', line, ...where('residents'), params: { value: residentsCell } });
        continue;
      }
    }
    const kindCell = at(cells, 'kind');
    const kind = parseKind(kindCell);
    if (kind === undefined) {
      problem({ key: 'register.bad_kind', line, ...where('kind'), params: { value: kindCell } });
      continue;
    }
    const group = at(cells, 'group').replace(/\s+/g, ' ') || null;
    if (group && [...group].length > MAX_GROUP) {
      problem({ key: 'register.too_long', line, ...where('group'), params: { max: MAX_GROUP } });
      continue;
    }
    const head = at(cells, 'head').replace(/\s+/g, ' ') || null;
    if (head && [...head].length > MAX_HEAD) {
      problem({ key: 'register.too_long', line, ...where('head'), params: { max: MAX_HEAD } });
      continue;
    }
    // A long run of digits in a name cell is an ID or phone number typed in the wrong column.
    if (head && /\d{6,}/.test(head.replace(/[\s-]/g, ''))) {
      problem({ key: 'register.head_looks_like_number', line, ...where('head') });
      continue;
    }
    out.push({ line, unit: parts.unit, building: parts.building, group, residents, kind, headName: head });
  }

  if (foreign.size) {
    // One line for the whole file: a register of another community is one mistake, not 3,000.
    const names = [...foreign.keys()];
    const lines = [...foreign.values()].flat();
    problems.unshift({ key: 'register.other_community', line: lines[0], ...where('community'), params: { names: names.slice(0, 3).join('、'), rows: lines.length, community: community.name } });
    total++;
  }
  if (total) throw new RegisterRefused(problems.slice(0, MAX_PROBLEMS), total);
  if (!out.length) throw new DomainError('register.no_rows');
  return {
    rows: out,
    facts: { group: col('group') !== undefined, residents: col('residents') !== undefined, kind: col('kind') !== undefined, head: col('head') !== undefined },
    ignored: header.ignored,
    skippedTotals,
    filledDown,
  };
}
