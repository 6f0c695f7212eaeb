/**
 * The proposals export (CLI and the /export exporter's sheet) and the digest section: the right
 * columns and values, only the author's chosen display name, the 附议 buttons of the digest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../src/cli/main.ts';
import type { Services } from '../../../../src/core/services.ts';
import type { Db } from '../../../../src/db/client.ts';
import { rejectProposal, secondProposal } from '../../../../src/domain/proposals/proposals.ts';
import { proposalsDigest } from '../../../../src/features/proposals/digest.ts';
import { second } from '../../../../src/features/proposals/actions.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { createTranslator } from '../../../../src/i18n/i18n.ts';
import { makeCommunity } from '../../../support/fixtures.ts';
import { freshDatabase, tempDir } from '../../../support/harness.ts';
import { actorFor, submit } from './support.ts';

const NOW = new Date('2026-11-03T02:00:00Z');
let db: Db;
let file: string;
let community: Community;
const dir = tempDir();
const env = () => ({ DATABASE_URL: `file:${file}`, LOG_LEVEL: 'silent' });

beforeAll(async () => {
  ({ db, file } = await freshDatabase());
  community = await makeCommunity(db);
  const author = await actorFor(db, community, 701, 'verified');
  const other = await actorFor(db, community, 702, 'verified');
  const committee = await actorFor(db, community, 703, 'committee');
  const a = await submit(db, author, community, NOW, { title: '更换3栋楼道照明灯' });
  await submit(db, author, community, NOW, { title: '=HYPERLINK("x")恶意标题', costYuan: null, category: 'culture' });
  await secondProposal(db, { actor: other, via: 'telegram', now: NOW }, a.proposal.id);
  await rejectProposal(db, { actor: committee, via: 'telegram', now: NOW }, a.proposal.id, '已列入物业年度维修计划');
});
afterAll(async () => {
  await db.$disconnect();
});

describe('linli export proposals', () => {
  it('writes a CSV with every proposal, its status, cost, seconds and outcome', async () => {
    const out = join(dir, 'p.csv');
    expect(await runCli(['export', 'proposals', '--community', 'badeng', '--format', 'csv', '--out', out], env())).toBe(0);
    const csv = readFileSync(out, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('编号,项目名称,类别,状态,预估费用（元）,核定预算（元）,附议人数,提交时间,决定时间,完成时间,办理结果/理由,提议人（公开称呼）');
    expect(lines[1]).toContain('1,更换3栋楼道照明灯,设施维修,不予采纳,3000,,1,2026-11-03 10:00:00,2026-11-03 10:00:00,,已列入物业年度维修计划,王阿姨');
    // Formula-looking text is neutralised; no unit numbers leak.
    expect(lines[2]).toContain("'=HYPERLINK");
    expect(csv).not.toMatch(/栋-1单元/);
    const audit = await db.auditEntry.findFirst({ where: { action: 'export', targetType: 'proposals' } });
    expect(audit?.via).toBe('cli');
  });

  it('writes an XLSX in English on request', async () => {
    const out = join(dir, 'p.xlsx');
    expect(await runCli(['export', 'proposals', '--community', 'badeng', '--format', 'xlsx', '--out', out, '--locale', 'en'], env())).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const sheet = wb.worksheets[0];
    expect(sheet.getRow(1).getCell(4).value).toBe('Status');
    expect(sheet.getRow(2).getCell(4).value).toBe('not adopted');
    expect(sheet.getRow(2).getCell(5).value).toBe(3000);
    // Submitted: an Excel date a clerk can sort by, reading 10:00 as in Shanghai (02:00 UTC).
    const submitted = sheet.getRow(2).getCell(8);
    expect(submitted.value).toBeInstanceOf(Date);
    expect((submitted.value as Date).toISOString()).toBe('2026-11-03T10:00:00.000Z');
    expect(submitted.numFmt).toMatch(/yyyy/);
  });

  it('refuses a bad format or an unknown community', async () => {
    expect(await runCli(['export', 'proposals', '--community', 'badeng', '--format', 'pdf', '--out', join(dir, 'x.pdf')], env())).not.toBe(0);
    expect(await runCli(['export', 'proposals', '--community', 'nowhere', '--format', 'csv', '--out', join(dir, 'y.csv')], env())).not.toBe(0);
    expect(await runCli(['export', 'proposals', '--community', 'badeng', '--format', 'csv', '--out', join(dir, 'z.csv'), '--locale', 'fr'], env())).not.toBe(0);
  });
});

describe('digest section', () => {
  it('lists new proposals, moves and proposals waiting for seconds with 附议 buttons', async () => {
    const services = { db, i18n: createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' }) } as unknown as Services;
    const section = await proposalsDigest(services, { communityId: community.id, from: new Date('2026-11-02T00:00:00Z'), to: new Date('2026-11-09T00:00:00Z'), locale: 'zh-CN' });
    expect(section).not.toBeNull();
    const text = section!.lines.join('\n');
    expect(section!.lines.filter((l) => l.startsWith('新提议：'))).toHaveLength(2);
    expect(text).toContain('#1 更换3栋楼道照明灯：不予采纳');
    expect(text).toContain('征集附议中（已附议');
    const waiting = await db.proposal.findFirstOrThrow({ where: { number: 2 } });
    expect(section!.buttons).toEqual([{ label: '附议 #2', action: second.pack({ proposal: waiting.id }) }]);
    // It counts what it lists: two new, one move, one still collecting seconds.
    expect(section!.items).toBe(4);
    const quiet = await proposalsDigest(services, { communityId: community.id, from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-08T00:00:00Z'), locale: 'en' });
    expect(quiet!.items).toBe(1);
    expect(quiet!.lines).toEqual([expect.stringContaining('collecting seconds')]);
  });
});
