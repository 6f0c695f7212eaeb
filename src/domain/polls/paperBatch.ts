/**
 * Returned paper ballots entered from a file (issue 16, items 5–6): a CSV or XLSX the clerk
 * typed while opening the ballot box — one row per ballot: the unit (one 房号/地址 column such
 * as `3栋2单元501`, or 楼栋 + 单元 + 房号 columns), the option marked (its number or its label)
 * and, optionally, the ballot's printed code. The file is read with the register's sheet reader
 * (merged cells, CSV in GBK, full-width digits), units are normalised as the register's.
 *
 * Per row, not all or nothing: a clerk entering a stack of 300 returned ballots wants the 297
 * good ones counted and the 3 refused ones listed by row, to set those ballots aside — a
 * household that already voted online must stay refused whatever else the file holds, and a
 * file refused as a whole for one such ballot would only be entered again without it. What
 * makes the whole file wrong is refused as a whole before anything is entered: no header, no
 * unit or option column, too many rows, another community's file, a poll no longer open.
 *
 * The checks of a single entry (enterPaperBallot: the household, the electorate, the enterer's
 * building, the options, one ballot per household) are made here once for the whole file, with
 * the register, the electorate and who voted read once — not once per row, which made 3,000
 * rows take 40 s (bench/paperBatch.ts). The good rows are then stored by the ballot box's
 * `storePaper`, whose unique (pollId, voterKey) stays the final guard: a household that voted
 * in the group while the file was checked is refused there with when and how. The dry run
 * checks the same things without writing, so the preview a clerk confirms says which rows will
 * be entered and which refused, and why.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import { requirePermission } from '../residents/permissions.ts';
import { cleanHeading, fieldOf, type Field } from '../register/columns.ts';
import { seesWholeRegister } from '../register/leads.ts';
import { cellText, findHeader } from '../register/header.ts';
import { columnLetter, readSheet, type SheetCell, type SheetRow } from '../register/sheet.ts';
import type { RegisterProblem } from '../register/table.ts';
import { parseUnit, unitFromCells } from '../register/units.ts';
import { normalizeBallotCode, pollHouseholds, requireHouseholdPoll, requireVotingTime, type CheckedPaperBallot } from './paper.ts';
import { alreadyVotedByHand } from './paperRefusals.ts';
import { POLL_INCLUDE, type ActorRef, type PollWithOptions } from './polls.ts';

/** Most ballot rows one file may hold: more than a large community's households cannot be one vote's returns. */
export const MAX_PAPER_BATCH_ROWS = 5000;
/** File-level problems kept for the report. */
const MAX_FILE_PROBLEMS = 50;

/** What a column of a returned-ballots file holds: the register's unit columns, plus these. */
type BatchField = Field | 'option' | 'code';

const OPTION_HEADINGS = ['选项', '选项序号', '选项编号', '所选选项', '勾选选项', '投票选项', '选择', '意见', '表决意见', '投票意见', '表决结果', 'option', 'options', 'choice', 'choices', 'vote'];
const CODE_HEADINGS = ['选票编码', '编码', '选票编号', '票号', '选票号', '校验码', 'code', 'ballotcode', 'ballot', 'ballotno'];
const EXTRA = new Map<string, BatchField>([...OPTION_HEADINGS.map((h) => [cleanHeading(h), 'option'] as const), ...CODE_HEADINGS.map((h) => [cleanHeading(h), 'code'] as const)]);

/** The field a heading names in a returned-ballots file. */
function batchFieldOf(heading: string): BatchField | null {
  return EXTRA.get(cleanHeading(heading)) ?? fieldOf(heading);
}

/** One returned ballot as the file gives it. */
export interface PaperBatchRow {
  /** The row number the spreadsheet shows. */
  line: number;
  /** The canonical unit, when the row names one readably. */
  unit: string | null;
  /** The printed code, as typed. */
  code: string | null;
  /** The option cell, as typed ("1", "1 3", "赞成"). */
  choice: string;
  /** A 社区 cell, when the file has that column. */
  community: string | null;
  /** A problem of the row itself (unreadable unit, no option): refused without looking further. */
  problem?: RegisterProblem;
}

/** A returned-ballots file read without file-level problems. */
export interface PaperBatch {
  fileName: string;
  rows: PaperBatchRow[];
  /** Headings of columns not read. */
  ignored: string[];
}

/** A file refused as a whole, with every problem named by row and column. */
export class PaperBatchRefused extends DomainError {
  constructor(
    readonly problems: RegisterProblem[],
    readonly total: number,
  ) {
    super('ballots.batch_refused', { count: total });
  }
}

const text = cellText;
const isBlank = (cells: SheetCell[]) => cells.every((c) => text(c) === '');

interface BatchHeader {
  dataStart: number;
  fields: Map<BatchField, number>;
  headings: string[];
  ignored: string[];
}

/** The header: the first row naming a unit or code column; a second header line under a merged one. */
function readBatchHeader(rows: SheetRow[], problems: RegisterProblem[]): BatchHeader | null {
  const found = findHeader(rows, batchFieldOf, (f) => f === 'building' || f === 'room' || f === 'address' || f === 'code');
  if (!found) {
    problems.push({ key: 'ballots.batch_no_header' });
    return null;
  }
  const fields = new Map<BatchField, number>();
  const headings: string[] = [];
  const ignored: string[] = [];
  for (const { col, field, name } of found.columns) {
    headings.push(name);
    if (!field || field === 'serial') {
      if (name && !field) ignored.push(name);
      continue;
    }
    const seen = fields.get(field);
    if (seen !== undefined) {
      problems.push({ key: 'ballots.batch_duplicate_column', column: columnLetter(col), heading: name, params: { first: columnLetter(seen) } });
      continue;
    }
    fields.set(field, col);
  }
  if (!fields.has('option')) problems.push({ key: 'ballots.batch_no_option_column' });
  if (fields.has('building') && !fields.has('room') && !fields.has('address')) problems.push({ key: 'ballots.batch_no_room_column', column: columnLetter(fields.get('building')!), heading: headings[fields.get('building')!] });
  return { dataStart: found.dataStart, fields, headings, ignored };
}

/**
 * Reads a file of returned paper ballots (CSV or XLSX). Throws {@link PaperBatchRefused} for a
 * file that cannot be a list of ballots (no header, no option column, a column twice), a
 * DomainError for one that is not a table or too large; rows with a problem of their own are
 * kept, marked, for the report.
 */
export async function readPaperBatch(buffer: Uint8Array, fileName: string): Promise<PaperBatch> {
  const sheet = await readSheet({ name: fileName, bytes: buffer });
  const problems: RegisterProblem[] = [];
  const header = readBatchHeader(sheet, problems);
  if (!header || problems.length) throw new PaperBatchRefused(problems.slice(0, MAX_FILE_PROBLEMS), problems.length);
  const { fields, headings } = header;
  const col = (f: BatchField) => fields.get(f);
  const at = (cells: SheetCell[], f: BatchField) => (col(f) === undefined ? '' : text(cells[col(f)!]));
  const where = (f: BatchField) => ({ column: columnLetter(col(f)!), heading: headings[col(f)!] });

  const data = sheet.slice(header.dataStart).filter((r) => !isBlank(r.cells));
  if (data.length > MAX_PAPER_BATCH_ROWS) throw new DomainError('ballots.batch_too_many_rows', { max: MAX_PAPER_BATCH_ROWS, count: data.length });

  const rows: PaperBatchRow[] = [];
  let above: { building: string; entrance: string } | null = null;
  let previousLine = sheet[header.dataStart - 1]?.line ?? 0;
  for (const { cells, line } of sheet.slice(header.dataStart)) {
    // A blank row ends a building's block: a 楼栋 is never carried over it.
    if (line > previousLine + 1 || isBlank(cells)) above = null;
    previousLine = line;
    if (isBlank(cells)) continue;
    const first = cells.map(text).find((c) => c !== '') ?? '';
    if (/^(合计|总计|小计|共计|total|subtotal)/i.test(first)) continue;
    const row: PaperBatchRow = { line, unit: null, code: at(cells, 'code') || null, choice: at(cells, 'option'), community: at(cells, 'community') || null };
    rows.push(row);

    let building = at(cells, 'building');
    let entrance = at(cells, 'entrance');
    const room = at(cells, 'room');
    const address = at(cells, 'address');
    if (col('building') !== undefined && col('room') !== undefined && (building || room)) {
      if (!building && above) {
        // A 楼栋 cell merged down the building, saved as CSV: the row above's.
        building = above.building;
        entrance ||= above.entrance;
      }
      if (!building || !room) {
        row.problem = { key: 'ballots.batch_empty_cell', line, ...where(building ? 'room' : 'building') };
      } else {
        const read = unitFromCells({ compound: at(cells, 'compound'), building, entrance, room });
        if ('problem' in read) row.problem = { key: 'ballots.batch_bad_cell', line, ...where(read.problem), params: { value: at(cells, read.problem) || building } };
        else {
          row.unit = read.unit;
          above = { building, entrance };
        }
      }
    } else if (address || room) {
      const f: BatchField = address ? 'address' : 'room';
      const parts = parseUnit(address || room);
      if (parts) row.unit = parts.unit;
      else row.problem = { key: 'ballots.batch_bad_cell', line, ...where(f), params: { value: address || room } };
    }
    if (row.problem) continue;
    if (!row.unit && !row.code) row.problem = { key: 'ballots.batch_no_ballot', line };
    else if (!row.choice) row.problem = { key: 'ballots.batch_empty_cell', line, ...where('option') };
  }
  if (!rows.length) throw new DomainError('ballots.batch_no_rows');
  return { fileName, rows, ignored: header.ignored };
}

/** Words of the standard options, in both languages, as a clerk types them. */
const STANDARD_WORDS: Record<string, string[]> = {
  yes: ['赞成', '同意', '支持', '赞同', 'yes', 'for', 'agree', 'approve', '√', '✓'],
  no: ['反对', '不同意', '不赞成', 'no', 'against', 'disagree', '×', '✗'],
  abstain: ['弃权', 'abstain', 'abstention'],
};

const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/**
 * The positions an option cell names: numbers ("1", "1 3", "1、3", "第1项") or labels
 * ("赞成", a custom option's label), several separated by 、，; or spaces. Null when one part
 * names no option.
 */
export function positionsOfChoice(poll: Pick<PollWithOptions, 'options'>, raw: string): number[] | null {
  const cell = raw.normalize('NFKC').trim();
  const whole = poll.options.find((o) => labelsOf(o).includes(norm(cell)));
  if (whole) return [whole.position];
  const parts = cell.split(/[\s,，、;；/]+/).filter(Boolean);
  if (!parts.length) return null;
  const out: number[] = [];
  for (const part of parts) {
    const n = /^(?:第)?(\d{1,2})(?:项|号|\.)?$/.exec(part);
    const option = n ? poll.options.find((o) => o.position === Number(n[1])) : poll.options.find((o) => labelsOf(o).includes(norm(part)));
    if (!option) return null;
    out.push(option.position);
  }
  return out;
}

function labelsOf(option: { kind: string; label: string }): string[] {
  return option.kind === 'custom' ? [norm(option.label)] : [...(STANDARD_WORDS[option.kind] ?? []).map(norm), norm(option.label)];
}

/** Why a row is not entered: an i18n key (the existing single-ballot refusals where they apply). */
export interface RowRefusal {
  key: string;
  params: Record<string, unknown>;
}

/** One row of the report. */
export interface BatchLine {
  line: number;
  /** The household's unit, once known. */
  unit: string | null;
  positions: number[];
  refusal?: RowRefusal;
}

/** What a batch did, or (dry run) would do. */
export interface PaperBatchReport {
  pollId: string;
  number: number;
  dryRun: boolean;
  entered: BatchLine[];
  refused: BatchLine[];
}

/** The ballot box's store of checked paper ballots (services.polls.ballots; src/domain/polls/voting.ts). */
export interface PaperEntry {
  storePaper(by: ActorRef, poll: PollWithOptions, ballots: CheckedPaperBallot[], now: Date): Promise<(DomainError | null)[]>;
}

const refusal = (err: DomainError): RowRefusal => ({ key: err.key, params: err.params });

/** Whether a 社区 cell names this community (its name with or without 社区/居委会, or its slug). */
function sameCommunity(value: string, community: { name: string; slug: string }): boolean {
  const core = (s: string) => cleanHeading(s).replace(/(社区居民委员会|社区居委会|居民委员会|居委会|社区)$/, '');
  return core(value) === core(community.name) || cleanHeading(value) === community.slug.toLowerCase();
}

/**
 * Checks every row as a single entry would, reading once what it reads per ballot (the
 * register, the printed codes, the enterer's buildings, who voted already): the report of a dry
 * run, and the rows to enter (by row number).
 */
async function planBatch(db: Db, by: ActorRef, poll: PollWithOptions, batch: PaperBatch): Promise<{ lines: BatchLine[]; checked: Map<number, CheckedPaperBallot> }> {
  const community = await db.community.findUniqueOrThrow({ where: { id: poll.communityId } });
  // Another community's file is one mistake, not 300 refused rows.
  const foreign = batch.rows.filter((r) => r.community && !sameCommunity(r.community, community));
  if (foreign.length) throw new DomainError('ballots.batch_other_community', { names: [...new Set(foreign.map((r) => r.community))].slice(0, 3).join('、'), line: foreign[0].line, rows: foreign.length, community: community.name });

  const register = await db.household.findMany({ where: { communityId: poll.communityId }, select: { id: true, unit: true } });
  const byUnit = new Map(register.map((h) => [h.unit, h]));
  const unitOf = new Map(register.map((h) => [h.id, h.unit]));
  const electorate = await pollHouseholds(db, poll);
  const inElectorate = new Map(electorate.households.map((h) => [h.id, h]));
  const whole = seesWholeRegister(by.actor, poll.communityId);
  const ownBuildings = whole ? null : new Set((await db.buildingLead.findMany({ where: { personId: by.actor.personId, building: { communityId: poll.communityId } }, select: { buildingId: true } })).map((l) => l.buildingId));
  const codes = batch.rows.map((r) => (r.code ? normalizeBallotCode(r.code) : null)).filter((c): c is string => !!c);
  const printed = new Map((codes.length ? await db.paperBallot.findMany({ where: { code: { in: codes } } }) : []).map((p) => [p.code, p]));
  const voted = new Map((await db.pollParticipation.findMany({ where: { pollId: poll.id }, select: { voterKey: true, source: true, castAt: true } })).map((p) => [p.voterKey, p]));

  const lines: BatchLine[] = [];
  const checked = new Map<number, CheckedPaperBallot>();
  const firstOf = new Map<string, BatchLine>();
  for (const row of batch.rows) {
    const line: BatchLine = { line: row.line, unit: row.unit, positions: [] };
    lines.push(line);
    const refuse = (key: string, params: Record<string, unknown> = {}) => {
      line.refusal = { key, params: { ...params, line: row.line } };
    };
    if (row.problem) {
      refuse(row.problem.key, { ...row.problem.params, column: row.problem.column, heading: row.problem.heading });
      continue;
    }
    let householdId: string | undefined;
    if (row.code) {
      const code = normalizeBallotCode(row.code);
      const ballot = code ? printed.get(code) : undefined;
      if (!ballot) {
        refuse('ballots.bad_code', { code: row.code.slice(0, 20) });
        continue;
      }
      if (ballot.pollId !== poll.id) {
        refuse('ballots.code_other_poll', { code: ballot.code, number: poll.number });
        continue;
      }
      householdId = ballot.householdId;
      if (row.unit && unitOf.get(householdId) !== row.unit) {
        refuse('ballots.batch_code_unit_mismatch', { code: ballot.code, unit: row.unit, printed: unitOf.get(householdId) ?? '' });
        continue;
      }
    } else {
      householdId = byUnit.get(row.unit!)?.id;
      if (!householdId) {
        refuse('ballots.unknown_unit', { unit: row.unit });
        continue;
      }
    }
    line.unit = unitOf.get(householdId) ?? row.unit;
    const household = inElectorate.get(householdId);
    if (!household) {
      refuse('ballots.not_in_electorate', { unit: line.unit });
      continue;
    }
    if (ownBuildings && !(household.buildingId && ownBuildings.has(household.buildingId))) {
      refuse('ballots.not_your_building', { unit: household.unit });
      continue;
    }
    const positions = positionsOfChoice(poll, row.choice);
    if (!positions || new Set(positions).size !== positions.length || positions.length > poll.maxChoices) {
      refuse('ballots.batch_bad_choice', { value: row.choice.slice(0, 30), n: poll.options.length, k: poll.maxChoices });
      continue;
    }
    line.positions = [...positions].sort((a, b) => a - b);
    const existing = voted.get(`h:${householdId}`);
    if (existing) {
      line.refusal = refusal(alreadyVotedByHand(existing, household.unit));
      continue;
    }
    // The same household twice in one file: the same marks are one ballot typed twice (the first
    // row counts, the repeat is refused); different marks cannot both be its ballot, and which
    // is right only the paper says — both rows are refused, to be checked and entered by hand.
    const first = firstOf.get(householdId);
    if (first) {
      const same = first.positions.join() === line.positions.join();
      refuse(same ? 'ballots.batch_unit_repeated' : 'ballots.batch_unit_conflict', { unit: household.unit, first: first.line });
      if (!same && !first.refusal) {
        first.refusal = { key: 'ballots.batch_unit_conflict', params: { unit: household.unit, first: row.line, line: first.line } };
        checked.delete(first.line);
      }
      continue;
    }
    firstOf.set(householdId, line);
    checked.set(row.line, { household: { id: household.id, unit: household.unit }, positions: line.positions, by: row.code ? 'code' : 'unit' });
  }
  return { lines, checked };
}

/**
 * Enters a file of returned paper ballots into a household poll: every row checked, the good
 * ones stored through `ballots.storePaper` (or, with `dryRun`, only says what it would do).
 * Refused as a whole — nothing entered — when the enterer may not enter ballots, the poll is
 * not a household poll or not open for ballots, or the file is another community's; otherwise
 * each row is entered or refused with its reason. A row that passed the checks but is refused
 * when stored (a household tapped in the group meanwhile, the poll closed) is reported with the
 * box's own refusal.
 */
export async function enterPaperBatch(db: Db, box: PaperEntry, by: ActorRef, pollId: string, batch: PaperBatch, now: Date, opts: { dryRun?: boolean } = {}): Promise<PaperBatchReport> {
  const poll = await db.poll.findUnique({ where: { id: pollId }, include: POLL_INCLUDE });
  if (!poll) throw new DomainError('polls.not_found', { ref: '' });
  requirePermission(by.actor, 'poll.paper', poll.communityId);
  requireHouseholdPoll(poll);
  requireVotingTime(poll, now);
  const { lines, checked } = await planBatch(db, by, poll, batch);
  const dryRun = opts.dryRun ?? false;
  if (!dryRun) {
    const todo = lines.filter((l) => !l.refusal && checked.has(l.line));
    const outcomes = await box.storePaper(by, poll, todo.map((l) => checked.get(l.line)!), now);
    todo.forEach((line, i) => {
      const err = outcomes[i];
      // Voted meanwhile, or the poll closed while the file was being entered (the rest with it).
      if (err) line.refusal = { ...refusal(err), params: { ...err.params, line: line.line } };
    });
  }
  return {
    pollId,
    number: poll.number,
    dryRun,
    entered: lines.filter((l) => !l.refusal),
    refused: lines.filter((l) => l.refusal),
  };
}
