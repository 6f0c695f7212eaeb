/**
 * Signing in to the console and staying signed in, request by request: one-time links (used,
 * expired, retired by a newer one, guessed), the sign-in form's own token, rate limits on links
 * and on guessing, sessions that end after a day idle or a week in any case, revocation from
 * the CLI, erased people and roles taken away, Secure cookies on https, and the language of the
 * pages. Real bot, real database, the console's real server (Fastify inject).
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConsole } from '../../../src/features/console/index.ts';
import { createSignInLink, hashSecret, LINK_TTL_MS } from '../../../src/features/console/links.ts';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../../../src/features/console/sessions.ts';
import { consoleActor } from '../../../src/features/console/access.ts';
import { forgetPerson } from '../../../src/domain/residents/privacy.ts';
import { linli as linliIn } from '../../support/cliRun.ts';
import { grantRole, telegramPerson } from '../../support/fixtures.ts';
import { textOf as chatText } from '../../support/harness.ts';
import { buildWorld, PEOPLE, type World } from './support/world.ts';
import { setCookies, textOf, Visitor } from './support/visit.ts';

// These tests quote the CLI's English: the operator reads it in English (LINLI_CLI_LOCALE=en).
const linli = (dbFile: string, args: string[]) => linliIn(dbFile, args, { LINLI_CLI_LOCALE: 'en' });

describe('console sign-in and sessions', () => {
  let world: World;
  const app = () => world.server.app;

  beforeAll(async () => {
    world = await buildWorld();
    await telegramPerson(world.bot.db, PEOPLE.english.id, PEOPLE.english.first_name);
    await grantRole(world.bot.db, world.community, PEOPLE.english.id, 'staff');
    await world.bot.db.person.updateMany({ where: { displayName: PEOPLE.english.first_name }, data: { locale: 'en' } });
  }, 120_000);
  afterAll(async () => world?.close());

  it('signs in with the link once; the page before the button uses nothing up', async () => {
    const link = await world.linkFor(PEOPLE.committee);
    const v = new Visitor(app());
    // A link preview fetching the URL twice does not spend it.
    expect((await v.get(new URL(link).pathname)).statusCode).toBe(200);
    const res = await v.signIn(link);
    expect(res.statusCode).toBe(303);
    const session = setCookies(res).linli_console;
    expect(session.raw).toMatch(/HttpOnly/);
    expect(session.raw).toMatch(/SameSite=Lax/);
    expect(session.raw).not.toMatch(/Secure/);
    expect(session.raw).toMatch(/Path=\/console/);
    // Only a hash of the cookie is stored.
    const stored = await world.bot.db.consoleSession.findMany({ where: { personId: world.committee.id } });
    expect(stored.map((s) => s.tokenHash)).not.toContain(session.value);
    expect((await v.get('/console/c/badeng')).statusCode).toBe(200);

    const again = new Visitor(app());
    const reused = await again.signIn(link);
    expect(reused.statusCode).toBe(410);
    expect(textOf(reused.body)).toContain('该登录链接已使用过');
    expect(textOf(reused.body)).toContain('发送 /console');
  });

  it('refuses the sign-in button without the token its page set (no signing in someone else)', async () => {
    const link = await world.linkFor(PEOPLE.committee);
    const token = new URL(link).pathname.split('/').pop()!;
    const attacker = new Visitor(app());
    const res = await attacker.post('/console/signin', { token, _signin: 'made-up' });
    expect(res.statusCode).toBe(403);
    expect(textOf(res.body)).toContain('页面已过期或来源无法核实');
    expect((await world.bot.db.consoleLink.findUniqueOrThrow({ where: { tokenHash: hashSecret(token) } })).usedAt).toBeNull();
    // The link itself is still good for its owner.
    expect((await new Visitor(app()).signIn(link)).statusCode).toBe(303);
  });

  it('lets a link expire after ten minutes and retires an older link when a new one is asked for', async () => {
    const first = await world.linkFor(PEOPLE.committee);
    const second = await world.linkFor(PEOPLE.committee);
    const retired = await new Visitor(app()).signIn(first);
    expect(retired.statusCode).toBe(410);
    // Retired by the newer link, not timed out: the page says so, not "已过期".
    expect(textOf(retired.body)).toContain('该登录链接已被您此后申请的新链接取代');
    expect(textOf(retired.body)).not.toContain('已过期');
    world.clock.advance(10 * 60_000 + 1);
    const late = await new Visitor(app()).signIn(second);
    expect(late.statusCode).toBe(410);
    // The lifetime the page states is the one the link had; the steps below say the same.
    expect(textOf(late.body)).toContain(`该登录链接已过期（有效期${LINK_TTL_MS / 60_000}分钟）`);
    expect(textOf(late.body)).toContain(`在${LINK_TTL_MS / 60_000}分钟内用浏览器打开该链接`);
  });

  it('limits links to five an hour per person, answered in chat', async () => {
    world.clock.advance(2 * 3600_000);
    for (let i = 0; i < 5; i++) await world.linkFor(PEOPLE.staff);
    await world.bot.say(PEOPLE.staff, '/console');
    const answer = chatText(world.bot.last(PEOPLE.staff.id));
    expect(answer).toContain('一小时内最多可申请5次登录链接');
    expect(answer).not.toMatch(/signin/);
    world.clock.advance(3600_000 + 1);
    expect(await world.linkFor(PEOPLE.staff)).toMatch(/signin/);
  });

  it('turns a guessing client away after ten wrong links, even with a right one, for a while', async () => {
    const guesser = new Visitor(app(), '10.9.8.7');
    for (let i = 0; i < 10; i++) expect((await guesser.get(`/console/signin/${'x'.repeat(42)}${i}`)).statusCode).toBe(404);
    const link = await world.linkFor(PEOPLE.committee);
    const blocked = await guesser.get(new URL(link).pathname);
    expect(blocked.statusCode).toBe(429);
    expect(textOf(blocked.body)).toContain('尝试登录的次数过多，请15分钟后再试');
    // Another address is not affected; the guesser may try again later.
    expect((await new Visitor(app(), '10.9.8.6').get(new URL(link).pathname)).statusCode).toBe(200);
    world.clock.advance(15 * 60_000 + 1);
    expect((await guesser.signIn(await world.linkFor(PEOPLE.committee))).statusCode).toBe(303);
  });

  it('ends a session after a day unused and a week in any case; use keeps it alive until then', async () => {
    const v = new Visitor(app());
    await v.signIn(await world.linkFor(PEOPLE.committee));
    for (let day = 0; day < 7; day++) {
      world.clock.advance(23 * 3600_000);
      expect((await v.get('/console/c/badeng/polls')).statusCode).toBe(200);
    }
    world.clock.advance(23 * 3600_000);
    const ended = await v.get('/console/c/badeng/polls');
    expect(ended.statusCode).toBe(401);
    expect(textOf(ended.body)).toContain('您的登录已失效');
    expect(textOf(ended.body)).toContain(`超过${SESSION_IDLE_MS / 3_600_000}小时未使用或登录已满${SESSION_MAX_MS / 86_400_000}天`);
    expect(setCookies(ended).linli_console.raw).toMatch(/Max-Age=0/);

    const idle = new Visitor(app());
    await idle.signIn(await world.linkFor(PEOPLE.committee));
    world.clock.advance(24 * 3600_000);
    expect((await idle.get('/console/c/badeng')).statusCode).toBe(401);
  });

  it('refuses a forged cookie, and answers a visitor without one with how to sign in', async () => {
    for (const cookie of ['linli_console=forged', `linli_console=${'A'.repeat(43)}`, 'linli_console=%E0%A4%A']) {
      const res = await app().inject({ method: 'GET', url: '/console/c/badeng', headers: { cookie } });
      expect(res.statusCode, cookie).toBe(401);
      expect(textOf(res.body)).not.toContain('巴登社区居民群');
    }
    const landing = await app().inject({ method: 'GET', url: '/console', headers: { 'accept-language': 'zh-CN' } });
    expect(landing.statusCode).toBe(200);
    expect(textOf(landing.body)).toContain('发送 /console，机器人会回复一条登录链接');
  });

  it('signs out, and the CLI revokes every session of a person', async () => {
    const a = new Visitor(app());
    await a.signIn(await world.linkFor(PEOPLE.committee));
    const page = await a.get('/console/c/badeng');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    expect((await a.post('/console/signout', { _csrf: 'wrong' })).statusCode).toBe(403);
    const out = await a.post('/console/signout', { _csrf: csrf });
    expect(out.statusCode).toBe(200);
    expect(textOf(out.body)).toContain('您已退出登录');
    expect((await a.get('/console/c/badeng')).statusCode).toBe(401);

    const b = new Visitor(app());
    await b.signIn(await world.linkFor(PEOPLE.committee));
    const pending = await world.linkFor(PEOPLE.committee);
    const cli = await linli(world.bot.dbFile, ['console', 'revoke', '--person', 'telegram:1']);
    expect(cli.code).toBe(0);
    expect(cli.out).toMatch(/\d+ session\(s\) of 张丽华 ended/);
    expect((await b.get('/console/c/badeng')).statusCode).toBe(401);
    expect((await new Visitor(app()).signIn(pending)).statusCode).toBe(410);
    expect(await world.bot.db.auditEntry.count({ where: { action: 'console.revoke', targetId: world.committee.id } })).toBe(1);
  });

  it('prints a link with `linli console link`, and refuses a resident there too', async () => {
    const ok = await linli(world.bot.dbFile, ['console', 'link', '--person', world.committee.id]);
    expect(ok.code).toBe(0);
    const url = /https?:\/\/\S+\/console\/signin\/\S+/.exec(ok.out)![0];
    expect((await new Visitor(app()).signIn(url)).statusCode).toBe(303);
    const audit = await world.bot.db.auditEntry.findFirstOrThrow({ where: { action: 'console.link', via: 'cli' }, orderBy: { at: 'desc' } });
    expect(audit.actorId).toBe(world.committee.id);

    const refused = await linli(world.bot.dbFile, ['console', 'link', '--person', 'telegram:11']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('open to residents\' committee members');
    const unknown = await linli(world.bot.dbFile, ['console', 'link', '--person', 'nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no person nobody');
  });

  it('refuses a link whose person lost the role or was erased since', async () => {
    const link = await world.linkFor(PEOPLE.staff);
    const staff = await world.bot.db.identity.findFirstOrThrow({ where: { platformUserId: String(PEOPLE.staff.id) } });
    await world.bot.db.membership.deleteMany({ where: { personId: staff.personId, role: 'staff' } });
    const refused = await new Visitor(app()).signIn(link);
    expect(refused.statusCode).toBe(403);
    expect(textOf(refused.body)).toContain('管理后台仅向社区居委会成员');
    await grantRole(world.bot.db, world.community, PEOPLE.staff.id, 'staff');

    const v = new Visitor(app());
    await v.signIn(await world.linkFor(PEOPLE.staff));
    expect((await v.get('/console/c/badeng')).statusCode).toBe(200);
    await forgetPerson(world.bot.db, staff.personId, { now: world.clock(), via: 'test', placeholder: '已注销居民', privateChats: [] });
    expect((await v.get('/console/c/badeng')).statusCode).toBe(401);
  });

  it('shows pages in the person\'s saved language, and switches with ?lang= (remembered)', async () => {
    const v = new Visitor(app());
    const person = await world.bot.db.person.findFirstOrThrow({ where: { displayName: PEOPLE.english.first_name } });
    const { url } = await createSignInLink(world.bot.db, world.bot.config, await consoleActor(world.bot.db, world.bot.config, person), 'test', world.clock());
    const page = await v.get(new URL(url).pathname, { 'accept-language': 'zh-CN' });
    expect(textOf(page.body)).toContain('You are about to enter the community console as "Alex Chen"');
    await v.signIn(url);
    expect(textOf((await v.get('/console/c/badeng')).body)).toContain('Polls in progress');
    const zh = await v.get('/console/c/badeng?lang=zh-CN');
    expect(textOf(zh.body)).toContain('进行中的投票');
    expect(textOf((await v.get('/console/c/badeng/polls')).body)).toContain('议事投票');
  });

  it('uses absolute https links, Secure cookies and the proxy prefix when LINLI_PUBLIC_URL is https', async () => {
    const services = { ...world.bot.linli.services, config: { ...world.bot.config, LINLI_PUBLIC_URL: 'https://linli.example.org/jd' } };
    const server = Fastify();
    await registerConsole(server, services);
    try {
      const { url } = await createSignInLink(services.db, services.config, await consoleActor(services.db, services.config, world.committee), 'test', world.clock());
      expect(url).toMatch(/^https:\/\/linli\.example\.org\/jd\/console\/signin\//);
      const v = new Visitor(server);
      const confirm = await v.get(new URL(url).pathname.replace('/jd', ''));
      expect(confirm.body).toContain('action="/jd/console/signin"');
      const res = await v.post('/console/signin', Object.fromEntries([...confirm.body.matchAll(/name="(token|_signin)" value="([^"]+)"/g)].map((m) => [m[1], m[2]])));
      expect(res.headers.location).toBe('/jd/console');
      expect(setCookies(res).linli_console.raw).toMatch(/; Secure/);
      expect(setCookies(res).linli_console.raw).toMatch(/Path=\/jd\/console/);
    } finally {
      await server.close();
    }
  });

  it('offers an administrator every community to choose from', async () => {
    const created = await telegramPerson(world.bot.db, 99, '系统管理员');
    const admin = await world.bot.db.person.update({ where: { id: created.id }, data: { isAdmin: true } });
    const { url } = await createSignInLink(world.bot.db, world.bot.config, await consoleActor(world.bot.db, world.bot.config, admin), 'test', world.clock());
    const v = new Visitor(app());
    await v.signIn(url);
    const home = await v.get('/console');
    expect(home.statusCode).toBe(200);
    expect(textOf(home.body)).toContain('请选择社区');
    expect(textOf(home.body)).toContain('巴登社区');
    expect(textOf(home.body)).toContain('桂园社区');
    expect((await v.get('/console/c/guiyuan/polls')).statusCode).toBe(200);
  });
});
