/**
 * Unit labels (楼栋-单元-房号) in one canonical form, whatever way a register or a person wrote
 * them: `3栋2单元501`, `3-2-501`, `3幢2单元501室`, `３栋２单元５０１`, `三栋二单元501`, or three
 * separate 楼栋 / 单元 / 房号 cells. The canonical form is `3栋-2单元-501` (`3栋-501` for a
 * building without entrances; `阳光花园3栋-2单元-501` when the community has several compounds),
 * the same form codes have used from the start, so units verified before the register existed
 * match the register's.
 *
 * Pure functions, no imports: the residents domain uses them for typed units too.
 */

/** A unit split into its parts, canonically named. */
export interface UnitParts {
  /** "3栋", "A栋", "阳光花园3栋", or a named building ("综合楼"). */
  building: string;
  /** "2单元", or null for a building without entrances. */
  entrance: string | null;
  /** "501", "1201A". */
  room: string;
  /** The canonical label: building, entrance and room joined with "-". */
  unit: string;
}

/** Longest canonical label we accept (as for typed units). */
export const MAX_CANONICAL_UNIT = 40;

const CN_DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** "十二" → 12, "二十" → 20, "三" → 3 (up to 99, which is all a building or entrance needs). */
function chineseNumber(s: string): number | null {
  if (!s) return null;
  const ten = s.indexOf('十');
  if (ten === -1) return s.length === 1 && s in CN_DIGITS ? CN_DIGITS[s] : null;
  const tens = ten === 0 ? 1 : CN_DIGITS[s.slice(0, ten)];
  const ones = ten === s.length - 1 ? 0 : CN_DIGITS[s.slice(ten + 1)];
  if (tens === undefined || ones === undefined || s.length > 3) return null;
  return tens * 10 + ones;
}

/** Markers that end a building number: 栋, 幢, 座 (A座), 号楼, #. */
const BUILDING_MARK = '(?:栋|幢|座|号楼|#)';
/** Characters people put between parts. */
const SEP = '[\\s\\-_/·.,，、—–]';

/**
 * Full-width to ASCII, upper case, Chinese numerals before a building or entrance marker to
 * digits ("三栋二单元" → "3栋2单元").
 */
function prepare(raw: string): string {
  return raw
    .normalize('NFKC')
    .toUpperCase()
    .trim()
    .replace(/[〇零一二两三四五六七八九十]{1,3}(?=栋|幢|座|号楼|单元)/g, (m) => {
      const n = chineseNumber(m);
      return n === null ? m : String(n);
    });
}

/** "007" → "7": a number written with leading zeros names the same building or room. */
function stripZeros(part: string): string {
  return part.replace(/^0+(?=\d)/, '');
}

function join(building: string, entrance: string | null, room: string): UnitParts {
  return { building, entrance, room, unit: [building, entrance, room].filter(Boolean).join('-') };
}

const ADDRESS = new RegExp(
  [
    '^(?<prefix>.*?[^0-9A-Z\\s\\-_/·.,，、—–#])??',
    SEP,
    '*(?<b>[0-9]+[A-Z]?|[A-Z][0-9]*)',
    `(?:${BUILDING_MARK}${SEP}*|${SEP}+)`,
    `(?:(?<e>[0-9]+|[A-Z])(?:单元${SEP}*|${SEP}+))?`,
    '(?<r>[A-Z]?[0-9]+[A-Z]?)(?:室|号|房|户)?$',
  ].join(''),
);

/**
 * Reads a unit written in one cell or typed: `3栋2单元501`, `3-2-501`, `3幢2单元501室`,
 * `12栋-1203`, `阳光花园3栋2单元501`, `A座1201`. Null when it is not a unit we can read with
 * certainty (`3楼501` could be the third floor of anything).
 */
export function parseUnit(raw: string): UnitParts | null {
  const s = prepare(raw);
  const m = ADDRESS.exec(s);
  if (!m?.groups) return null;
  const { prefix, b, e, r } = m.groups;
  const compound = (prefix ?? '').trim();
  const parts = join(`${compound}${stripZeros(b)}栋`, e ? `${stripZeros(e)}单元` : null, stripZeros(r));
  return [...parts.unit].length <= MAX_CANONICAL_UNIT ? parts : null;
}

/** The canonical label of a unit, or null when {@link parseUnit} cannot read it. */
export function canonicalUnit(raw: string): string | null {
  return parseUnit(raw)?.unit ?? null;
}

/** In a 楼栋 column "3楼" can only mean building 3, so 楼 counts as a marker there. */
const BUILDING_CELL = new RegExp(`^(?<prefix>.*?[^0-9A-Z\\s])??${SEP}*(?<b>[0-9]+[A-Z]?|[A-Z][0-9]*)${SEP}*(?:栋|幢|座|号楼|#|楼)?$`);
const ENTRANCE_CELL = /^(?<e>[0-9]+|[A-Z])\s*(?:单元)?$/;
const ROOM_CELL = /^(?<r>[A-Z]?[0-9]+[A-Z]?)\s*(?:室|号|房|户)?$/;

/** Why separate cells could not be read: which of them. */
export type CellProblem = 'building' | 'entrance' | 'room';

/**
 * Reads a unit from separate cells: 楼栋 ("3", "3栋", "3号楼", "A座", "综合楼"), 单元 ("2",
 * "2单元", "二单元", empty) and 房号 ("501", "501室"), with an optional 小区 name in front of the
 * building. Returns the part that could not be read instead of guessing.
 */
export function unitFromCells(cells: { compound?: string; building: string; entrance?: string; room: string }): UnitParts | { problem: CellProblem } {
  const compound = prepare(cells.compound ?? '');
  const building = prepare(cells.building);
  const bm = BUILDING_CELL.exec(building);
  let buildingName: string;
  if (bm?.groups) buildingName = `${(bm.groups.prefix ?? '').trim()}${stripZeros(bm.groups.b)}栋`;
  // A named building (综合楼, 商住楼): no number to normalise, kept as written.
  else if (building && !/[0-9]/.test(building) && [...building].length <= 20 && !new RegExp(SEP).test(building)) buildingName = building;
  else return { problem: 'building' };
  if (compound && !buildingName.startsWith(compound)) buildingName = `${compound}${buildingName}`;

  const entranceRaw = prepare(cells.entrance ?? '');
  let entrance: string | null = null;
  if (entranceRaw) {
    const em = ENTRANCE_CELL.exec(entranceRaw);
    if (!em?.groups) return { problem: 'entrance' };
    entrance = `${stripZeros(em.groups.e)}单元`;
  }
  const rm = ROOM_CELL.exec(prepare(cells.room));
  if (!rm?.groups) return { problem: 'room' };
  const parts = join(buildingName, entrance, stripZeros(rm.groups.r));
  return [...parts.unit].length <= MAX_CANONICAL_UNIT ? parts : { problem: 'building' };
}

/** The building part of a canonical label ("3栋-2单元-501" → "3栋"). */
export function buildingOf(unit: string): string {
  return unit.split('-')[0];
}

const COLLATOR = new Intl.Collator('zh-CN', { numeric: true });

/** Orders units and buildings as people expect: 2栋 before 10栋, 501 before 1201. */
export function compareUnits(a: string, b: string): number {
  return COLLATOR.compare(a, b);
}
