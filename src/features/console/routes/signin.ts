/**
 * Signing in and out. A link opens a page that names the person and has one button; only the
 * button (a POST) uses the link up, so a chat app's link preview or a mail scanner that fetches
 * the URL cannot spend it. The page's form carries a token that must match a cookie set with
 * the page, so nobody can sign a browser in with their own link from another site.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../../domain/errors.ts';
import { hashSource, newSecret, openLink, useLink } from '../links.ts';
import { endSession, sessionOf } from '../sessions.ts';
import { chooserPage, confirmPage, landingPage, signedOutPage } from '../pages/signin.ts';
import { communityPath } from '../pages/layout.ts';
import { readCookies, SESSION_COOKIE, SIGNIN_COOKIE, setCookie } from '../web/cookies.ts';
import { formOf } from '../web/forms.ts';
import { pageLocale } from '../web/locale.ts';
import { secureCookies } from '../web/paths.ts';
import type { RouteKit } from '../web/plugin.ts';
import { checkCsrf, clearSessionCookie, rememberLanguage } from '../web/visit.ts';

function same(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function registerSignIn(scope: FastifyInstance, kit: RouteKit): void {
  const { services, prefix } = kit;
  const secure = secureCookies(services.config);

  scope.get('/', async (req, reply) => {
    const live = await sessionOf(services.db, readCookies(req)[SESSION_COOKIE], services.clock());
    if (live === 'none' || live === 'ended') {
      if (live === 'ended') clearSessionCookie(reply, kit);
      rememberLanguage(req, reply, kit);
      return kit.send(reply, landingPage(kit.frame(req, null, {})));
    }
    const v = await kit.visit(req, reply);
    if (v.communities.length === 1) return reply.redirect(communityPath(prefix, v.communities[0]), 303);
    if (!v.communities.length) throw new DomainError('webconsole.link.refused');
    return kit.send(reply, chooserPage(kit.frame(req, v, {}), v.communities));
  });

  scope.get('/signin/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    const now = services.clock();
    const opened = await openLink(services.db, token, hashSource(req.ip), now);
    const formToken = newSecret();
    setCookie(reply, SIGNIN_COOKIE, formToken, { path: prefix, secure, maxAge: Math.max(1, Math.ceil((opened.link.expiresAt.getTime() - now.getTime()) / 1000)) });
    rememberLanguage(req, reply, kit);
    // The person's language: this page is the first one they see.
    const locale = pageLocale(req, opened.person, services.config.LINLI_DEFAULT_LOCALE);
    const frame = { ...kit.frame(req, null, {}), locale, t: services.i18n.bind(locale) };
    return kit.send(reply, confirmPage(frame, { person: opened.person, expiresAt: opened.link.expiresAt, token, formToken }));
  });

  scope.post('/signin', async (req, reply) => {
    const form = formOf(req.body);
    if (!same(form.fields._signin, readCookies(req)[SIGNIN_COOKIE])) throw new DomainError('webconsole.errors.csrf');
    const started = await useLink(services.db, services.config, form.fields.token ?? '', hashSource(req.ip), services.clock());
    setCookie(reply, SIGNIN_COOKIE, '', { path: prefix, secure, maxAge: 0 });
    // A browser-session cookie: closing the browser on a shared 工作站 PC ends it too.
    setCookie(reply, SESSION_COOKIE, started.secret, { path: prefix, secure });
    return reply.redirect(prefix, 303);
  });

  scope.post('/signout', async (req, reply) => {
    const v = await kit.visit(req, reply);
    checkCsrf(v, formOf(req.body));
    await endSession(services.db, v.session, services.clock());
    clearSessionCookie(reply, kit);
    return kit.send(reply, signedOutPage({ ...kit.frame(req, null, {}), locale: v.locale, t: v.t }));
  });
}
