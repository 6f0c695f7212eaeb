/**
 * `linli request list|show|export|settings` in-process against a real database: the list shows
 * numbers and statuses but never the words, `show` gives the operator the words and the steps
 * (and is audited), the export's XLSX has both sheets, settings change a deadline and the head,
 * and bad options are refused with the usage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Db } from '../../src/db/client.ts';
import type { Community } from '../../src/generated/prisma/client.ts';
import { loadActor } from '../../src/domain/residents/people.ts';
import { raiseRequest, replyRequest } from '../../src/domain/requests/requests.ts';
import { requestRules } from '../../src/domain/requests/rules.ts';
import { freshDatabase, tempDir } from '../support/harness.ts';
import { grantRole, makeCommunity, telegramPerson } from '../support/fixtures.ts';
import { linli as linliIn } from '../support/cliRun.ts';

// These tests quote the CLI's English: the operator reads it in English (LINLI_CLI_LOCALE=en).
const linli = (dbFile: string, args: string[]) => linliIn(dbFile, args, { LINLI_CLI_LOCALE: 'en' });

let db: Db;
let file: string;
let community: Community;
let committeeId: string;

beforeAll(async () => {
  ({ db, file } = await freshDatabase());
  community = await makeCommunity(db);
  const resident = await telegramPerson(db, 4001, '赵阿姨');
  const committee = await grantRole(db, community, 4009, 'committee');
  committeeId = committee.id;
  const now = new Date('2026-11-02T02:00:00Z');
  const r = await raiseRequest(db, { actor: await loadActor(db, resident), via: 'test', now }, community.id, { category: 'repair', text: '2栋电梯按钮失灵，老人上下楼不便。' }, 'Asia/Shanghai');
  await replyRequest(db, { actor: await loadActor(db, committee), via: 'test', now: new Date('2026-11-03T02:00:00Z') }, r.id, '已联系电梯维保单位，明日上午维修。');
  await raiseRequest(db, { actor: await loadActor(db, resident), via: 'test', now }, community.id, { category: 'safety', text: '5栋消防通道被电动车堵住了。' }, 'Asia/Shanghai');
});
afterAll(async () => {
  await db.$disconnect();
});

describe('linli request', () => {
  it('lists requests without their words', async () => {
    const { code, out } = await linli(file, ['request', 'list', '--community', 'badeng']);
    expect(code).toBe(0);
    // States and categories read as the chat words them, not as keys (replied, safety).
    expect(out).toMatch(/^1\tRepairs?\tAnswered\t/m);
    expect(out).toContain('2\tSafety hazard\tReceived');
    const zh = await linliIn(file, ['request', 'list', '--community', 'badeng'], { LINLI_CLI_LOCALE: 'zh-CN' });
    expect(zh.out).not.toMatch(/\b(replied|received|safety|repair)\b/);
    expect(zh.out).toContain('2\t安全隐患\t已受理');
    expect(out).toContain('2 requests');
    expect(out).not.toContain('电梯');
    const replied = await linli(file, ['request', 'list', '--community', 'badeng', '--status', 'replied']);
    expect(replied.out).toContain('1 requests');
    const bad = await linli(file, ['request', 'list', '--community', 'badeng', '--status', 'done']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--status: "done" is not');
  });

  it('shows one request with its words and steps, audited', async () => {
    const { code, out } = await linli(file, ['request', 'show', '--community', 'badeng', '--number', '1']);
    expect(code).toBe(0);
    expect(out).toContain('text: 2栋电梯按钮失灵');
    expect(out).toContain('reply (2026-11-03T02:00:00Z): 已联系电梯维保单位');
    expect(out).toMatch(/raise - → received[\s\S]*reply received → replied/);
    expect(await db.auditEntry.count({ where: { action: 'request.show' } })).toBe(1);
    const missing = await linli(file, ['request', 'show', '--community', 'badeng', '--number', '9']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('There is no request no. 9');
  });

  it('exports both sheets as XLSX', async () => {
    const out = join(tempDir(), 'requests.xlsx');
    const { code } = await linli(file, ['request', 'export', '--community', 'badeng', '--format', 'xlsx', '--out', out, '--locale', 'zh-CN']);
    expect(code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['月度统计', '诉求明细']);
    const list = wb.getWorksheet('诉求明细')!;
    expect(list.getRow(1).values).toContain('按时答复');
    expect(list.rowCount).toBe(3);
    const text = JSON.stringify(wb.worksheets.map((w) => w.getSheetValues()));
    expect(text).not.toContain('电梯');
  });

  it('changes a deadline and the head, refusing a head outside the committee', async () => {
    const { code, out } = await linli(file, ['request', 'settings', '--community', 'badeng', '--deadline', 'repair=5', '--head', committeeId]);
    expect(code).toBe(0);
    expect(out).toContain('repair (Repairs)\t5 working days');
    const rules = await requestRules(db, community.id);
    expect(rules.deadlines.repair).toBe(5);
    expect(rules.deadlines.safety).toBe(1);
    expect(rules.headPersonId).toBe(committeeId);
    const bad = await linli(file, ['request', 'settings', '--community', 'badeng', '--deadline', 'repair=99']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('1 to 22 working days');
    const stranger = await linli(file, ['request', 'settings', '--community', 'badeng', '--head', 'nobody']);
    expect(stranger.code).toBe(1);
  });
});
