/**
 * A 楼栋长 in the web console, in a real headless Chromium: /console answers them with a link;
 * signing in lands on their own buildings (never the community's dashboard, polls or members);
 * a building's page lists the households not verified yet and prints its slips as a PDF; the
 * URL of another building, another section or another community is refused by the domain. The
 * committee's dashboard shows the register's verified share. Screenshots in
 * tmp/console-screenshots/ (20-…).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyImport } from '../../../src/domain/register/apply.ts';
import { issueLeadCode } from '../../../src/domain/register/leads.ts';
import { unitFromCells } from '../../../src/domain/register/units.ts';
import { loadActor } from '../../../src/domain/residents/people.ts';
import { redeemCode } from '../../../src/domain/residents/verification.ts';
import { grantRole, OPERATOR, telegramPerson } from '../../support/fixtures.ts';
import { chromiumAvailable, launchBrowser, PHONE, type Browser, type Page } from './support/browser.ts';
import { buildWorld, PEOPLE, type World } from './support/world.ts';

const SHOTS = join(import.meta.dirname, '../../../tmp/console-screenshots');
const LEAD = { id: 7, first_name: '赵建国', language_code: 'zh-CN' };

describe.skipIf(!chromiumAvailable())('楼栋长 in the web console', () => {
  let world: World;
  let browser: Browser;
  let page: Page;
  let b1: string;
  let b2: string;
  const shot = async (p: Page, name: string, viewport?: typeof PHONE) => p.screenshot(join(SHOTS, `${name}.png`), viewport);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    world = await buildWorld();
    const { db } = world.bot;
    const rows = [
      ['1', '1', '101', '王秀英'],
      ['1', '1', '102', ''],
      ['1', '2', '201', ''],
      ['2', '', '301', '李强'],
      ['2', '', '302', ''],
    ].map(([building, entrance, room, head], i) => {
      const parts = unitFromCells({ building, entrance, room });
      if ('problem' in parts) throw new Error('bad row');
      return { line: i + 2, unit: parts.unit, building: parts.building, group: null, residents: null, kind: null, headName: head || null };
    });
    await applyImport(db, OPERATOR, 'cli', world.community.id, { rows, facts: { group: false, residents: false, kind: false, head: true } }, world.clock());
    b1 = (await db.building.findFirstOrThrow({ where: { communityId: world.community.id, name: '1栋' } })).id;
    b2 = (await db.building.findFirstOrThrow({ where: { communityId: world.community.id, name: '2栋' } })).id;
    // One household of 1栋 verified; the lead appointed for 1栋 with a real one-building code.
    await grantRole(db, world.community, 61, 'verified', '1栋-1单元-101');
    const person = await telegramPerson(db, LEAD.id, LEAD.first_name);
    const { code } = await issueLeadCode(db, await loadActor(db, world.committee), 'test', b1, world.clock());
    await redeemCode(db, person, { platform: 'telegram', userId: String(LEAD.id) }, code, world.clock());
    browser = await launchBrowser();
    page = browser.page;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('answers /console for a 楼栋长 and lands on their own buildings only', async () => {
    await page.goto(await world.linkFor(LEAD));
    await page.click('#signin');
    expect(await page.url()).toBe(`${world.origin}/console/c/badeng/register`);
    const text = await page.text();
    expect(text).toContain('我负责的楼栋');
    expect(text).toMatch(/1栋\s*3\s*1/);
    expect(text).not.toContain('2栋');
    // The menu offers the register alone: no dashboard, polls, members or audit for a lead.
    expect(text).not.toContain('概览');
    expect(text).not.toContain('成员与认证');
    expect(text).not.toContain('操作记录');
    await shot(page, '20-lead-register');
  });

  it('shows the building’s unverified households without names and prints its slips', async () => {
    await page.click(`a[href="/console/c/badeng/register/b/${b1}"]`);
    const text = await page.text();
    expect(text).toContain('尚未认证的住户（2户）');
    expect(text).toContain('1栋-1单元-102');
    expect(text).toContain('1栋-2单元-201');
    expect(text).not.toContain('1栋-1单元-101');
    expect(text).not.toContain('王秀英');
    await shot(page, '21-lead-building');
    await shot(page, '21-lead-building-phone', PHONE);
    const pdf = await page.download('#print-all');
    expect(pdf.name).toMatch(/1栋.*\.pdf$/);
    expect(pdf.data.subarray(0, 5).toString()).toBe('%PDF-');
    const slips = await world.bot.db.verificationCode.findMany({ where: { purpose: 'slip', revokedAt: null }, include: { household: true } });
    expect(slips.map((s) => s.household?.unit).sort()).toEqual(['1栋-1单元-101', '1栋-1单元-102', '1栋-2单元-201']);
    expect(await world.bot.db.auditEntry.count({ where: { via: 'console', action: { startsWith: 'register.slips' } } })).toBe(1);
  });

  it('refuses another building’s URL, the community pages and another community', async () => {
    await page.goto(`${world.origin}/console/c/badeng/register/b/${b2}`);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('您不是2栋的楼栋长');
    await page.goto(`${world.origin}/console/c/badeng/register/b/not-a-building`);
    expect(page.status).not.toBe(200);
    for (const path of ['/console/c/badeng/polls', '/console/c/badeng/members', '/console/c/badeng/audit']) {
      await page.goto(`${world.origin}${path}`);
      expect(page.status).toBe(403);
    }
    await page.goto(`${world.origin}/console/c/guiyuan/register`);
    expect(page.status).not.toBe(200);
    expect(await page.text()).not.toContain('桂园');
    expect(await world.bot.db.verificationCode.count({ where: { purpose: 'slip', household: { buildingId: b2 } } })).toBe(0);
  });

  it('shows the committee the register’s verified share on the dashboard and every building', async () => {
    const committee = await browser.newContext();
    await committee.goto(await world.linkFor(PEOPLE.committee));
    await committee.click('#signin');
    const text = await committee.text();
    expect(text).toContain('已认证1户／名册5户（20%）');
    await committee.goto(`${world.origin}/console/c/badeng/register`);
    const register = await committee.text();
    expect(register).toMatch(/1栋\s*3\s*1/);
    expect(register).toMatch(/2栋\s*2\s*0/);
    await shot(committee, '22-committee-register');
  });
});
