/**
 * The columns of a register file, recognised by their headings in Chinese or English. A 社区工作站
 * names them in many ways (楼栋 / 楼号 / 栋号, 房号 / 门牌号, 常住人数 / 居住人数…); headings are
 * compared after removing spaces, full-width forms, asterisks and bracketed notes such as
 * "常住人数（人）".
 */

/** What a column holds. */
export type Field =
  | 'compound'
  | 'building'
  | 'entrance'
  | 'room'
  | 'address'
  | 'group'
  | 'residents'
  | 'kind'
  | 'head'
  | 'community'
  /** A running number (序号): expected in every register, read by nobody. */
  | 'serial';

/** Headings of each field, compared in their cleaned form (see {@link cleanHeading}). */
const HEADINGS: Record<Field, readonly string[]> = {
  compound: ['小区', '小区名称', '小区名', '院落', '院落名称', '苑', 'compound', 'estate', 'residentialcompound'],
  building: ['楼栋', '楼栋号', '栋', '栋号', '幢', '幢号', '楼号', '楼宇', '楼座', '座', 'building', 'buildingno', 'bldg', 'block'],
  entrance: ['单元', '单元号', 'entrance', 'stairwell', 'staircase', 'stair'],
  room: ['房号', '房间号', '房屋号', '室', '室号', '户号', '房间', 'room', 'roomno', 'flat', 'flatno', 'apartment', 'apt', 'door', 'doorno'],
  address: ['地址', '住址', '房屋地址', '门牌', '门牌号', '户址', '楼栋单元房号', '楼栋单元房号地址', 'address', 'unit', 'unitaddress', 'householdaddress'],
  group: ['居民小组', '小组', '网格', '网格号', '网格名称', '所属网格', '所属小组', 'group', 'residentgroup', 'grid'],
  residents: ['常住人数', '常住人口', '居住人数', '人数', '人口数', '在住人数', 'residents', 'persons', 'people', 'occupants', 'residentcount'],
  kind: ['户别', '户籍类型', '户口类型', '户籍性质', '住户类型', '户类型', 'householdtype', 'kind', 'type', 'registration'],
  head: ['户主', '户主姓名', '户主名', '户主名称', 'head', 'headofhousehold', 'householdhead', 'householder'],
  community: ['社区', '社区名称', '所属社区', 'community', 'communityname'],
  serial: ['序号', '编号', '序', 'no', 'number', '#', 'serial', 'id'],
};

/**
 * Headings that name personal data the register must not hold (PIPL): ID numbers, phones.
 * Such a column is ignored like any unknown one, but the report says why.
 */
const SENSITIVE = /身份证|证件|电话|手机|联系方式|idcard|idno|identity|passport|phone|mobile|tel/;

const LOOKUP = new Map<string, Field>(Object.entries(HEADINGS).flatMap(([field, names]) => names.map((n) => [n, field as Field])));

/** A heading as compared: NFKC, lower case, no spaces, asterisks, colons or bracketed notes. */
export function cleanHeading(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[(（[【].*?[)）\]】]/g, '')
    .replace(/[\s*:：._\-/]/g, '');
}

/** The field a heading names, or null for a column Linli does not read. */
export function fieldOf(heading: string): Field | null {
  return LOOKUP.get(cleanHeading(heading)) ?? null;
}

/** True when a heading names data the register must not keep (ID numbers, phones). */
export function isSensitiveHeading(heading: string): boolean {
  return SENSITIVE.test(cleanHeading(heading));
}

/** Fields that locate the unit; a header row needs at least one of them. */
export const UNIT_FIELDS: readonly Field[] = ['building', 'room', 'address'];
