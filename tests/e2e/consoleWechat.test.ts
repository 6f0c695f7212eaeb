/**
 * /console from WeChat (real wechaty, mock puppet): the sign-in link arrives in the private
 * chat as text (WeChat has no link buttons), opening it and confirming starts a console session
 * over real HTTP; a 楼栋长 appointed on WeChat lands on their buildings; a resident is refused
 * in the chat and gets no link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyImport } from '../../src/domain/register/apply.ts';
import { issueLeadCode } from '../../src/domain/register/leads.ts';
import { unitFromCells } from '../../src/domain/register/units.ts';
import { issueCodes } from '../../src/domain/residents/verification.ts';
import { FEATURES } from '../../src/features.ts';
import { startConsoleServer, type ConsoleServer } from '../../src/features/console/index.ts';
import type { Community } from '../../src/generated/prisma/client.ts';
import { freePort } from './console/support/world.ts';
import { startWechatDriver } from '../scenarios/wechatDriver.ts';
import { makeCommunity, OPERATOR } from '../support/fixtures.ts';

const committee = { id: 5201, name: '居委会刘主任' };
const lead = { id: 5202, name: '孙楼长' };
const resident = { id: 5203, name: '钱阿姨' };
const LINK = /https?:\/\/\S+\/console\/signin\/[A-Za-z0-9_-]{43}/;

describe('/console from WeChat', () => {
  let driver: Awaited<ReturnType<typeof startWechatDriver>>;
  let server: ConsoleServer;
  let community: Community;
  let origin: string;
  const last = (user: { id: number; name: string }) => driver.textsTo(user).at(-1) ?? '';

  /** Opens a sign-in link like a browser: the page, then its button; returns the session cookie and where it went. */
  async function signIn(link: string): Promise<{ cookie: string; landing: string }> {
    const pageRes = await fetch(link);
    expect(pageRes.status).toBe(200);
    const body = await pageRes.text();
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(body)![1];
    const signinCookie = pageRes.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const post = await fetch(`${origin}/console/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: signinCookie },
      body: new URLSearchParams({ token: field('token'), _signin: field('_signin') }).toString(),
    });
    expect(post.status).toBe(303);
    const session = post.headers.getSetCookie().find((c) => c.startsWith('linli_console='))!;
    const cookie = session.split(';')[0];
    let landing = `${origin}/console`;
    for (let hop = 0; hop < 3; hop++) {
      const r = await fetch(landing, { redirect: 'manual', headers: { cookie } });
      if (r.status !== 303) break;
      landing = new URL(r.headers.get('location')!, origin).toString();
    }
    return { cookie, landing };
  }

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    driver = await startWechatDriver({ features: FEATURES, env: { PORT: String(port), LINLI_PUBLIC_URL: origin } });
    server = await startConsoleServer(driver.bot.linli.services, { port, host: '127.0.0.1' });
    const { db } = driver.bot;
    community = await makeCommunity(db);
    const rows = [['1', '101'], ['1', '102'], ['2', '201']].map(([building, room], i) => {
      const parts = unitFromCells({ building, room });
      if ('problem' in parts) throw new Error('bad row');
      return { line: i + 2, unit: parts.unit, building: parts.building, group: null, residents: null, kind: null, headName: null };
    });
    await applyImport(db, OPERATOR, 'cli', community.id, { rows, facts: { group: false, residents: false, kind: false, head: false } }, new Date());
  });
  afterAll(async () => {
    await server?.close();
    await driver?.close();
  });

  it('sends a committee member the link in the private chat, and the link signs them in', async () => {
    const [code] = await issueCodes(driver.bot.db, OPERATOR, 'cli', { communityId: community.id, role: 'committee', count: 1, expiresInMs: 86_400_000 });
    await driver.say(committee, `认证 ${code}`);
    await driver.say(committee, '/console');
    const text = last(committee);
    expect(text).toContain('管理后台登录链接');
    const link = LINK.exec(text)?.[0];
    expect(link?.startsWith(`${origin}/console/signin/`)).toBe(true);
    const { cookie, landing } = await signIn(link!);
    expect(landing).toBe(`${origin}/console/c/badeng`);
    const dashboard = await fetch(landing, { headers: { cookie } });
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('巴登社区');
    const link2 = await driver.bot.db.consoleLink.findFirstOrThrow({ where: { usedAt: { not: null } } });
    expect(link2.via).toBe('wechat');
  });

  it('gives a 楼栋长 appointed on WeChat a link that opens their building only', async () => {
    const building = await driver.bot.db.building.findUniqueOrThrow({ where: { communityId_name: { communityId: community.id, name: '1栋' } } });
    const { code } = await issueLeadCode(driver.bot.db, OPERATOR, 'cli', building.id, new Date());
    await driver.say(lead, `认证 ${code}`);
    await driver.say(lead, '/console');
    const link = LINK.exec(last(lead))?.[0];
    expect(link).toBeDefined();
    const { cookie, landing } = await signIn(link!);
    expect(landing).toBe(`${origin}/console/c/badeng/register`);
    const page = await (await fetch(landing, { headers: { cookie } })).text();
    expect(page).toContain('1栋');
    expect(page).not.toContain('2栋');
    expect((await fetch(`${origin}/console/c/badeng/polls`, { headers: { cookie } })).status).toBe(403);
  });

  it('refuses a resident in the chat, with no link made', async () => {
    const [code] = await issueCodes(driver.bot.db, OPERATOR, 'cli', { communityId: community.id, role: 'verified', unit: '2栋-201', count: 1, expiresInMs: 86_400_000 });
    await driver.say(resident, `认证 ${code}`);
    const before = await driver.bot.db.consoleLink.count();
    await driver.say(resident, '/console');
    expect(last(resident)).not.toMatch(LINK);
    expect(last(resident)).toMatch(/权限|管理后台/);
    expect(await driver.bot.db.consoleLink.count()).toBe(before);
  });
});
