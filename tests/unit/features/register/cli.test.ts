/**
 * `linli register import|slips|status` against a real database file: the preview, dry runs,
 * re-imports with changes, refused files (nothing stored changes), 10,000 rows, and slips PDFs
 * that render to a page that is not blank, carry each unit and its code, and withdraw the codes
 * of an earlier printing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { redeemCode } from '../../../../src/domain/residents/verification.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { linli as run } from '../../../support/cliRun.ts';
import { makeCommunity, telegramPerson } from '../../../support/fixtures.ts';
import { freshDatabase, tempDir } from '../../../support/harness.ts';
import { generatedCsv, registerCsv, registerXlsx } from './files.ts';
import { inkShare, pdfPages, pdfText, renderPage } from './pdf.ts';

const CODE = /[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}/g;

let dir: string;
let dbFile: string;
let db: Db;
let community: Community;
// The operator reads the CLI in English here (LINLI_CLI_LOCALE=en): the assertions quote it.
const linli = (args: string[]) => run(dbFile, args, { LINLI_CLI_LOCALE: 'en' });
const file = (name: string, bytes: Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

const FIRST = () =>
  registerXlsx([
    [1, 1, 101, 3, '户籍', '13800000000'],
    [1, 1, 102, 2, '租住', null],
    [1, 2, 101, 1, '非户籍', null],
    [null, null, null, null, null, null],
    [2, null, 301, 4, '户籍', null],
    [2, null, 302, 2, '户籍', null],
  ]);

beforeAll(async () => {
  dir = tempDir('linli-register-cli-');
  ({ db, file: dbFile } = await freshDatabase(join(dir, 'linli.db')));
  community = await makeCommunity(db);
});
afterAll(async () => {
  await db?.$disconnect();
});

describe('linli register import', () => {
  it('previews without writing on --dry-run', async () => {
    const r = await linli(['register', 'import', '--community', 'badeng', '--file', file('名册.xlsx', await FIRST()), '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('【名册预览】名册.xlsx → 巴登社区');
    expect(r.out).toContain('共读取5户');
    expect(r.out).toContain('新增5户，变更0户，不变0户');
    expect(r.out).toContain('新楼栋：1栋、2栋');
    expect(r.out).toContain('F列“联系电话”（个人敏感信息，不予保存）');
    expect(r.out).toContain('dry run: nothing was written');
    expect(await db.household.count()).toBe(0);
  });

  it('imports, then re-imports a changed file in English', async () => {
    const first = await linli(['register', 'import', '--community', 'badeng', '--file', join(dir, '名册.xlsx')]);
    expect(first.code).toBe(0);
    expect(first.out).toContain('名册已导入巴登社区：新增5户');
    expect(await db.household.count({ where: { communityId: community.id, active: true } })).toBe(5);

    const changed = registerCsv([
      ['Building', 'Entrance', 'Room', 'Residents', 'Household type'],
      [1, 1, 101, 4, 'registered'],
      [1, 2, 101, 1, 'tenant'],
      [2, '', 301, 4, 'registered'],
      [2, '', 302, 2, 'registered'],
      [3, 1, 101, 2, 'registered'],
    ]);
    const again = await linli(['register', 'import', '--community', 'badeng', '--file', file('register.csv', changed), '--locale', 'en']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('1 added, 2 changed, 2 unchanged; 1 not in the new file');
    expect(again.out).toContain('· 1栋-1单元-101: residents 3→4');
    expect(again.out).toContain('· 1栋-2单元-101: household type non-registered→tenant');
    expect(again.out).toContain('Not in the new file (first 1):\n· 1栋-1单元-102');
    expect(again.out).toContain('Register imported into 巴登社区: 1 added, 2 changed, 2 unchanged, 1 marked no longer in the register.');
    const gone = await db.household.findUniqueOrThrow({ where: { communityId_unit: { communityId: community.id, unit: '1栋-1单元-102' } } });
    expect(gone.active).toBe(false);
  });

  it('refuses a bad file with every problem named, changing nothing', async () => {
    const before = await db.household.findMany({ orderBy: { id: 'asc' } });
    const bad = registerCsv([
      ['楼栋', '单元', '房号', '常住人数', '备注'],
      ['1', '1', '101', '3', ''],
      ['1', '1', '一零一', '3', ''],
      ['1', '1', '103', 'x', ''],
      ['1', '1', '101', '2', ''],
    ]);
    const r = await linli(['register', 'import', '--community', 'badeng', '--file', file('bad.csv', bad)]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('名册未导入：发现3处问题，已存数据没有任何改动。');
    expect(r.err).toContain('第3行C列“房号”：“一零一”无法识别。');
    expect(r.err).toContain('第4行D列“常住人数”：“x”不是0至99之间的整数。');
    expect(r.err).toContain('第5行：1栋-1单元-101与第2行重复，同一户只能登记一次。');
    expect(await db.household.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('refuses the register of another community', async () => {
    const other = registerCsv([['社区', '地址'], ['莲花社区', '1-1-101'], ['莲花社区', '1-1-102']]);
    const r = await linli(['register', 'import', '--community', 'badeng', '--file', file('other.csv', other), '--locale', 'en']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Row 2, column A “社区”: this register belongs to “莲花社区” (2 rows), not to 巴登社区.');
  });

  it('names usage errors', async () => {
    expect((await linli(['register', 'import', '--community', 'badeng'])).err).toContain('--file is required');
    expect((await linli(['register', 'import', '--community', 'badeng', '--file', join(dir, 'missing.csv')])).err).toContain('cannot read');
    expect((await linli(['register', 'import', '--community', 'nowhere', '--file', join(dir, 'bad.csv')])).err).toContain('nowhere');
    expect((await linli(['register', 'status', '--community', 'badeng', '--locale', 'fr'])).err).toContain('--locale: "fr" is not one of');
  });

  it('imports 10,000 rows', async () => {
    const big = await makeCommunity(db, 'dachong', '大冲社区');
    const r = await linli(['register', 'import', '--community', 'dachong', '--file', file('big.csv', generatedCsv(10_000))]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('新增10,000户');
    expect(await db.household.count({ where: { communityId: big.id, active: true, inRegister: true } })).toBe(10_000);
    expect(await db.building.count({ where: { communityId: big.id } })).toBe(70);
  });
});

describe('linli register slips', () => {
  let firstCodes: string[] = [];

  it('writes an A4 PDF for a building that renders with ink in every slip, naming each unit and its code', async () => {
    const out = join(dir, 'slips-1.pdf');
    const r = await linli(['register', 'slips', '--community', 'badeng', '--building', '1栋', '--out', out, '--bot', 'linli_test_bot']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('wrote 2 slips (1 pages) for 1栋');
    expect(pdfPages(out)).toBe(1);
    const text = pdfText(out);
    expect(text).toContain('巴登社区 · 住户认证单');
    expect(text).toContain('1栋-1单元-101');
    expect(text).toContain('1栋-2单元-101');
    // The inactive household gets no slip.
    expect(text).not.toContain('1栋-1单元-102');
    expect(text).toContain('① 用手机扫描二维码');
    firstCodes = [...new Set(text.match(CODE) ?? [])];
    expect(firstCodes).toHaveLength(2);
    const page = renderPage(out);
    expect(page.width).toBeGreaterThan(300);
    // Two slips in the top row, each with text and a QR code; the rows below are empty.
    expect(inkShare(page)).toBeGreaterThan(0.02);
    expect(inkShare(page, { x: 0.05, y: 0.05, w: 0.4, h: 0.25 })).toBeGreaterThan(0.05);
    expect(inkShare(page, { x: 0.55, y: 0.05, w: 0.4, h: 0.25 })).toBeGreaterThan(0.05);
    expect(inkShare(page, { x: 0.3, y: 0.1, w: 0.15, h: 0.1 })).toBeGreaterThan(0.2); // the QR code
    expect(inkShare(page, { x: 0.05, y: 0.72, w: 0.9, h: 0.25 })).toBeLessThan(0.01);
  });

  it('reprinting withdraws the earlier slips; without a bot the slip says what to send on WeChat', async () => {
    const out = join(dir, 'slips-2.pdf');
    const r = await linli(['register', 'slips', '--community', 'badeng', '--out', out, '--locale', 'en']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('wrote 5 slips (1 pages) for All households of 巴登社区');
    expect(r.out).toContain('2 earlier unused slips of these households were withdrawn');
    expect(r.out).toContain('no Telegram bot username known');
    const text = pdfText(out);
    const codes = [...new Set(text.match(CODE) ?? [])];
    expect(codes).toHaveLength(5);
    expect(text).toContain(`2. Send: 认证 ${codes[0]}`);
    const person = await telegramPerson(db, 7001);
    await expect(redeemCode(db, person, { platform: 'telegram', userId: '7001' }, firstCodes[0])).rejects.toMatchObject({ key: 'codes.revoked' });
    const done = await redeemCode(db, person, { platform: 'telegram', userId: '7001' }, codes[0]);
    expect(done.unit).toBe('1栋-1单元-101');
  });

  it('prints only the unverified, and refuses an unknown building', async () => {
    const out = join(dir, 'slips-3.pdf');
    const r = await linli(['register', 'slips', '--community', 'badeng', '--building', '1', '--unverified', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('wrote 1 slips');
    expect(pdfText(out)).toContain('1栋-2单元-101');
    const bad = await linli(['register', 'slips', '--community', 'badeng', '--building', '9栋', '--out', out, '--locale', 'en']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('The community\'s register has no building “9栋”.');
  });
});

describe('linli register status', () => {
  it('prints the progress per building, and one building’s unverified households', async () => {
    const r = await linli(['register', 'status', '--community', 'badeng']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('【住户名册】巴登社区');
    expect(r.out).toContain('在册5户，已认证1户（20%）。');
    expect(r.out).toContain('1栋　2户　已认证1户（50%）');
    expect(r.out).toContain('另有1户已不在册');
    const one = await linli(['register', 'status', '--community', 'badeng', '--building', '2栋']);
    expect(one.out).toContain('尚未认证（2户）：\n2栋-301、2栋-302');
  });
});
