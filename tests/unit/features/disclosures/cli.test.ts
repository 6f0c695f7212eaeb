/**
 * `linli disclosure publish` and `linli export disclosures`: preview first, --yes to publish
 * (CI has no stdin), refusals that name the line and column, exports with every version.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { bindTelegramGroup, makeCommunity } from '../../../support/fixtures.ts';
import { freshDatabase, tempDir } from '../../../support/harness.ts';
import { linli as linliIn } from '../../../support/cliRun.ts';

// These tests quote the CLI's English: the operator reads it in English (LINLI_CLI_LOCALE=en).
const linli = (dbFile: string, args: string[]) => linliIn(dbFile, args, { LINLI_CLI_LOCALE: 'en' });

describe('linli disclosure publish / export disclosures', () => {
  const dir = tempDir('linli-disclosure-cli-');
  let db: Db;
  let file: string;
  const write = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const base = ['disclosure', 'publish', '--community', 'badeng', '--category', '财务', '--period', '2026年第三季度', '--title', '第三季度经费收支'];

  beforeAll(async () => {
    ({ db, file } = await freshDatabase(join(dir, 'linli.db')));
    const community = await makeCommunity(db);
    await bindTelegramGroup(db, community, -100321);
  });

  it('prints a preview and publishes nothing without --yes when there is no terminal', async () => {
    const csv = write('q3.csv', '日期,项目,收支,金额,资金来源\n2026-09-12,路灯维修,支出,1200,民生微实事资金\n2026-07-01,区拨款,收入,3000,民生微实事资金\n');
    const r = await linli(file, [...base, '--file', csv]);
    expect(r.out).toContain('9月12日 路灯维修 支出 ¥1,200.00（民生微实事资金）');
    expect(r.out).toContain('本期结余 ¥1,800.00');
    expect(r.err).toContain('add --yes');
    expect(r.code).toBe(1);
    expect(await db.disclosure.count()).toBe(0);
  });

  it('publishes with --yes and queues the notice for the groups', async () => {
    const csv = join(dir, 'q3.csv');
    const r = await linli(file, [...base, '--file', csv, '--note', '经办人：王会计', '--yes']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/published badeng #1 \(finance, 2026年第三季度\), tamper-check code [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}; notice queued for 1 groups/);
    const v = await db.disclosureVersion.findFirstOrThrow({ include: { disclosure: true } });
    expect(v.publishedVia).toBe('cli');
    expect(v.body).toBe('经办人：王会计');
    expect(v.disclosure.periodKey).toBe('2026Q3');
    const notice = await db.outboxMessage.findFirstOrThrow({ where: { refType: 'disclosure' } });
    expect(notice.chatId).toBe('-100321');
    expect(JSON.parse(notice.payload).text).toContain('【居务公开｜财务类】2026年第三季度');
    expect(await db.auditEntry.count({ where: { action: 'disclosure.publish', via: 'cli' } })).toBe(1);
  });

  it('publishes Markdown as plain text', async () => {
    const md = write('notice.md', '# 居委会十月工作安排\n\n- **10月15日** 召开居民议事会\n- 10月20日 重阳节慰问\n');
    const r = await linli(file, ['disclosure', 'publish', '--community', 'badeng', '--category', 'affairs', '--period', '2026年10月', '--title', '十月工作安排', '--file', md, '--yes']);
    expect(r.code).toBe(0);
    const v = await db.disclosureVersion.findFirstOrThrow({ where: { title: '十月工作安排' } });
    expect(v.body).toBe('【居委会十月工作安排】\n\n• 10月15日 召开居民议事会\n• 10月20日 重阳节慰问');
  });

  it.each([
    ['a malformed CSV', 'bad.csv', '日期,项目,收支,金额\n2026-09-01,"保洁,支出,100\n', /Line 2, column 2: a quote is never closed/],
    ['a wrong total', 'total.csv', '项目,收支,金额\n保洁,支出,100\n绿化,支出,50\n支出合计,支出,160\n', /Line 4, column “金额”: the stated total is ¥160 but the line items add up to ¥150/],
    ['an unsupported file', 'scan.pdf', '%PDF', /not supported/],
  ])('refuses %s', async (_name, fileName, content, message) => {
    const before = await db.disclosureVersion.count();
    const r = await linli(file, [...base, '--file', write(fileName, content), '--yes']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(await db.disclosureVersion.count()).toBe(before);
  });

  it('refuses an unknown category, a missing option, a missing file and an oversized one', async () => {
    const csv = join(dir, 'q3.csv');
    const cat = await linli(file, ['disclosure', 'publish', '--community', 'badeng', '--category', '事务', '--period', '2026Q3', '--title', '标题标题', '--file', csv, '--yes']);
    expect(cat.code).toBe(1);
    expect(cat.err).toContain('Party affairs, Committee affairs, Finances, Services');
    const missing = await linli(file, ['disclosure', 'publish', '--community', 'badeng', '--category', 'finance', '--period', '2026Q3', '--file', csv]);
    expect(missing.err).toContain('--title is required');
    const nofile = await linli(file, [...base, '--file', join(dir, 'nope.csv')]);
    expect(nofile.err).toContain('cannot read');
    const huge = await linli(file, [...base, '--file', write('huge.csv', Buffer.alloc(3 * 1024 * 1024, 0x41)), '--yes']);
    expect(huge.err).toContain('too large');
    const nocommunity = await linli(file, ['disclosure', 'verify', '--community', 'nowhere']);
    expect(nocommunity.code).toBe(1);
  });

  it('exports every version and the line items as XLSX', async () => {
    const out = join(dir, 'export.xlsx');
    const r = await linli(file, ['export', 'disclosures', '--community', 'badeng', '--format', 'xlsx', '--out', out]);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['公开记录', '收支明细']);
    const versions = wb.worksheets[0];
    expect(versions.getRow(1).getCell(1).value).toBe('编号');
    expect(versions.rowCount).toBe(3);
    const items = wb.worksheets[1];
    expect(items.getRow(2).getCell(4).value).toBe('路灯维修');
    expect(items.getRow(2).getCell(6).value).toBe(1200);
    const bad = await linli(file, ['export', 'disclosures', '--community', 'badeng', '--format', 'pdf', '--out', out]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('csv or xlsx');
  });
});
