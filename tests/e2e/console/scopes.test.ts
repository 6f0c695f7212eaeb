/**
 * Scopes in the web console, in a real headless Chromium: a committee member tags the
 * community's groups with the buildings they serve on the 居民群 page (setGroupScope, as
 * /groupscope), composes an announcement for 3栋 and it reaches, through the outbox and the fake
 * Bot API, the community-wide group (with the scope line) and the 3栋 group but not the 5栋 one;
 * re-tagging the 5栋 group with 3栋 makes the next one reach it too. An unknown building is named
 * back and nothing is stored or sent; staff and another community's committee are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyImport } from '../../../src/domain/register/apply.ts';
import { unitFromCells } from '../../../src/domain/register/units.ts';
import { bindTelegramGroup, OPERATOR } from '../../support/fixtures.ts';
import { textOf } from '../../support/harness.ts';
import { chromiumAvailable, launchBrowser, type Browser, type Page } from './support/browser.ts';
import { Visitor } from './support/visit.ts';
import { buildWorld, GROUP, PEOPLE, type World } from './support/world.ts';

const GROUP3 = -100_303;
const GROUP5 = -100_505;

describe.skipIf(!chromiumAvailable())('scopes in the web console', () => {
  let world: World;
  let browser: Browser;
  let page: Page;
  let group3: string;
  let group5: string;
  const received = (chat: number, words: string) => world.bot.fake.messagesTo(chat).filter((m) => textOf(m).includes(words));

  beforeAll(async () => {
    world = await buildWorld();
    const { db } = world.bot;
    const rows = [
      ['3', '1', '101', '第二居民小组'],
      ['3', '1', '102', '第二居民小组'],
      ['5', '1', '101', ''],
      ['5', '2', '201', ''],
    ].map(([building, entrance, room, group], i) => {
      const parts = unitFromCells({ building, entrance, room });
      if ('problem' in parts) throw new Error('bad row');
      return { line: i + 2, unit: parts.unit, building: parts.building, group: group || null, residents: null, kind: null, headName: null };
    });
    await applyImport(db, OPERATOR, 'cli', world.community.id, { rows, facts: { group: true, residents: false, kind: false, head: false } }, world.clock());
    await bindTelegramGroup(db, world.community, GROUP3, '3栋楼栋群');
    await bindTelegramGroup(db, world.community, GROUP5, '5栋楼栋群');
    group3 = (await db.chatGroup.findFirstOrThrow({ where: { chatId: String(GROUP3) } })).id;
    group5 = (await db.chatGroup.findFirstOrThrow({ where: { chatId: String(GROUP5) } })).id;
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(await world.linkFor(PEOPLE.committee));
    await page.click('#signin');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  const tag = async (groupId: string, scope: string) => {
    await page.fill(`form[action$="/groups/${groupId}/scope"] input[name="scope"]`, scope);
    await page.click(`#scope-${groupId}`);
  };

  it('tags groups with buildings on the 居民群 page, audited as the chat path', async () => {
    await page.click('a[href="/console/c/badeng/groups"]');
    const before = await page.text();
    expect(before).toContain('本社区名册中的楼栋：3栋、5栋；居民小组：第二居民小组');
    expect(before).toContain('面向全社区');
    await tag(group3, '３号楼');
    expect(await page.text()).toContain('已设置：“3栋楼栋群”为3栋的楼栋群。');
    await tag(group5, '5栋');
    expect(await page.text()).toContain('楼栋群：5栋');
    const stored = await world.bot.db.chatGroup.findUniqueOrThrow({ where: { id: group5 } });
    expect(JSON.parse(stored.scope!).buildings.map((b: { name: string }) => b.name)).toEqual(['5栋']);
    const audit = await world.bot.db.auditEntry.findMany({ where: { action: 'group.scope', via: 'console', actorId: world.committee.id } });
    expect(audit.map((a) => a.targetId).sort()).toEqual([group3, group5].sort());
  });

  it('names an unknown building back and keeps the group as it was', async () => {
    await page.goto(`${world.origin}/console/c/badeng/groups`);
    await tag(group5, '5栋、7栋');
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('本社区名册中没有“7栋”');
    expect(await page.evaluate(`document.querySelector('form[action$="/groups/${group5}/scope"] input[name="scope"]').value`)).toBe('5栋、7栋');
    expect(JSON.parse((await world.bot.db.chatGroup.findUniqueOrThrow({ where: { id: group5 } })).scope!).buildings.map((b: { name: string }) => b.name)).toEqual(['5栋']);
  });

  it('sends a 3栋 announcement to the community-wide group and the 3栋 group only', async () => {
    await page.goto(`${world.origin}/console/c/badeng/announcements`);
    expect(await page.text()).toContain('本社区名册中的楼栋：3栋、5栋');
    await page.fill('textarea[name="text"]', '3栋本周四上午更换二次供水水箱，停水半天，请提前储水。');
    await page.fill('input[name="scope"]', '3栋');
    await page.click('#announce');
    expect(await page.text()).toContain('公告已排入发送队列');
    expect(await page.text()).toContain('范围：3栋');
    await world.bot.flushOutbox();
    const wide = received(GROUP, '更换二次供水水箱');
    expect(wide).toHaveLength(1);
    expect(textOf(wide[0])).toContain('范围：3栋');
    expect(received(GROUP3, '更换二次供水水箱')).toHaveLength(1);
    expect(received(GROUP5, '更换二次供水水箱')).toHaveLength(0);
    const a = await world.bot.db.announcement.findFirstOrThrow({ where: { text: { contains: '更换二次供水水箱' } } });
    expect(JSON.parse(a.scope!).buildings.map((b: { name: string }) => b.name)).toEqual(['3栋']);
  });

  it('refuses an unknown building in the composer with nothing stored or sent', async () => {
    const announcements = await world.bot.db.announcement.count();
    const outbox = await world.bot.db.outboxMessage.count();
    await page.goto(`${world.origin}/console/c/badeng/announcements`);
    await page.fill('textarea[name="text"]', '7栋电梯年检，周五停运。');
    await page.fill('input[name="scope"]', '3栋、7栋');
    await page.click('#announce');
    expect(page.status).toBe(400);
    const text = await page.text();
    expect(text).toContain('本社区名册中没有“7栋”，本次未作任何保存');
    expect(await page.evaluate(`document.querySelector('textarea[name="text"]').value`)).toBe('7栋电梯年检，周五停运。');
    expect(await page.evaluate(`document.querySelector('input[name="scope"]').value`)).toBe('3栋、7栋');
    expect(await world.bot.db.announcement.count()).toBe(announcements);
    expect(await world.bot.db.outboxMessage.count()).toBe(outbox);
    await world.bot.flushOutbox();
    expect([GROUP, GROUP3, GROUP5].flatMap((c) => received(c, '电梯年检'))).toHaveLength(0);
  });

  it('reaches the 5栋 group once the console tags it with 3栋 as well', async () => {
    await page.goto(`${world.origin}/console/c/badeng/groups`);
    await tag(group5, '3栋、5栋');
    expect(await page.text()).toContain('楼栋群：3栋、5栋');
    await page.goto(`${world.origin}/console/c/badeng/announcements`);
    await page.fill('textarea[name="text"]', '3栋楼道粉刷，下周一开工。');
    await page.fill('input[name="scope"]', '3栋');
    await page.click('#announce');
    await world.bot.flushOutbox();
    expect(received(GROUP5, '楼道粉刷')).toHaveLength(1);
    expect(received(GROUP3, '楼道粉刷')).toHaveLength(1);
    // "全体" makes it a community-wide group again.
    await page.goto(`${world.origin}/console/c/badeng/groups`);
    await tag(group5, '全体');
    expect(await page.text()).toContain('已设置：“5栋楼栋群”面向全社区。');
    expect((await world.bot.db.chatGroup.findUniqueOrThrow({ where: { id: group5 } })).scope).toBeNull();
  });

  it('refuses staff and another community’s committee, changing nothing', async () => {
    const staff = await browser.newContext();
    await staff.goto(await world.linkFor(PEOPLE.staff));
    await staff.click('#signin');
    await staff.goto(`${world.origin}/console/c/badeng/groups`);
    expect(staff.status).toBe(403);
    // Staff read the tagging in the audit log in words, not codes.
    await staff.goto(`${world.origin}/console/c/badeng/audit?action=group.scope`);
    const log = await staff.text();
    expect(log).toContain('设置楼栋群范围');
    expect(log).toContain('居民群');
    expect(log).toContain('范围 3栋');
    expect(log).not.toContain('group.scope');
    // A form a browser would not offer: the domain (setGroupScope) refuses it.
    const visitor = new Visitor(world.server.app);
    await visitor.signIn(await world.linkFor(PEOPLE.staff));
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await visitor.get('/console/c/badeng/ratings')).body)![1];
    const refused = await visitor.post(`/console/c/badeng/groups/${group3}/scope`, { _csrf: csrf, scope: '5栋' });
    expect(refused.statusCode).toBe(403);
    const other = new Visitor(world.server.app);
    await other.signIn(await world.linkFor(PEOPLE.otherCommittee));
    const otherCsrf = /name="_csrf" value="([^"]+)"/.exec((await other.get('/console/c/guiyuan')).body)![1];
    expect((await other.post(`/console/c/badeng/groups/${group3}/scope`, { _csrf: otherCsrf, scope: '5栋' })).statusCode).toBe(404);
    expect((await other.post(`/console/c/guiyuan/groups/${group3}/scope`, { _csrf: otherCsrf, scope: '全体' })).statusCode).toBe(404);
    const stored = await world.bot.db.chatGroup.findUniqueOrThrow({ where: { id: group3 } });
    expect(JSON.parse(stored.scope!).buildings.map((b: { name: string }) => b.name)).toEqual(['3栋']);
    expect(await world.bot.db.auditEntry.count({ where: { action: 'group.scope', targetId: group3 } })).toBe(1);
  });
});
