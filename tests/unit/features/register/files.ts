/**
 * Register files as a 社区工作站 makes them, for the tests: XLSX with a merged title and a
 * two-line merged header, CSV in UTF-8 or GBK, and large generated registers.
 */
import ExcelJS from 'exceljs';

/** A cell of a test sheet. */
export type TestCell = string | number | Date | null;

/**
 * An XLSX register: a merged title row, then a header split over two rows (楼栋 merged down,
 * 房屋信息 merged over 单元/房号), then the rows. `merges` adds merges of the caller's own.
 */
export async function registerXlsx(rows: TestCell[][], opts: { title?: string; header?: 'two-line' | TestCell[]; merges?: string[] } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('住户名册');
  ws.addRow([opts.title ?? '巴登社区住户名册（2026年12月）']);
  ws.mergeCells('A1:F1');
  if (!opts.header || opts.header === 'two-line') {
    ws.addRow(['楼栋', '房屋信息', '', '常住人数（人）', '户别', '联系电话']);
    ws.addRow(['', '单元', '房号', '', '', '']);
    ws.mergeCells('A2:A3');
    ws.mergeCells('B2:C2');
    ws.mergeCells('D2:D3');
    ws.mergeCells('E2:E3');
    ws.mergeCells('F2:F3');
  } else {
    ws.addRow(opts.header);
  }
  for (const r of rows) ws.addRow(r);
  for (const m of opts.merges ?? []) ws.mergeCells(m);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A CSV file from rows (quoted where needed), UTF-8 with a BOM as Excel saves it. */
export function registerCsv(rows: TestCell[][]): Buffer {
  const line = (r: TestCell[]) => r.map((c) => (c === null ? '' : /[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',');
  return Buffer.from(`\uFEFF${rows.map(line).join('\r\n')}\r\n`, 'utf8');
}

/** `count` households spread over buildings of 4 entrances × 18 floors × 2 flats (144 each). */
export function generatedUnits(count: number): { building: number; entrance: number; room: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const building = Math.floor(i / 144) + 1;
    const inBuilding = i % 144;
    const entrance = Math.floor(inBuilding / 36) + 1;
    const floor = Math.floor((inBuilding % 36) / 2) + 1;
    return { building, entrance, room: `${floor}0${(inBuilding % 2) + 1}` };
  });
}

/** A CSV register of `count` generated households with 常住人数 and 户别. */
export function generatedCsv(count: number, opts: { residents?: (i: number) => number } = {}): Buffer {
  const kinds = ['户籍', '非户籍', '租住'];
  const rows: TestCell[][] = [['楼栋', '单元', '房号', '常住人数', '户别']];
  generatedUnits(count).forEach((u, i) => rows.push([u.building, u.entrance, u.room, opts.residents ? opts.residents(i) : (i % 5) + 1, kinds[i % 3]]));
  return registerCsv(rows);
}
