/**
 * The console as a Fastify plugin: `registerConsole(app, services)` adds everything under
 * /console to a server — its own form parsers, security headers, refusal pages and routes, all
 * inside one encapsulated scope so nothing leaks onto the server's other routes (the Telegram
 * webhook). The pages live in ../routes; this file is the frame around them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../core/services.ts';
import { isDomainError } from '../../../domain/errors.ts';
import { refusalPage, refusalStatus } from '../pages/refusal.ts';
import type { Frame } from '../pages/layout.ts';
import { registerAssets } from '../routes/assets.ts';
import { registerAudit } from '../routes/audit.ts';
import { registerDashboard } from '../routes/dashboard.ts';
import { registerPolls } from '../routes/polls.ts';
import { registerProposals } from '../routes/proposals.ts';
import { registerDisclosures } from '../routes/disclosures.ts';
import { registerRatings } from '../routes/ratings.ts';
import { registerMembers } from '../routes/members.ts';
import { registerAnnouncements } from '../routes/announcements.ts';
import { registerGroups } from '../routes/groups.ts';
import { registerSignIn } from '../routes/signin.ts';
import { registerRegister } from '../routes/register.ts';
import { registerFormParsers } from './forms.ts';
import { pageLocale } from './locale.ts';
import { browserPrefix, CONSOLE_PREFIX } from './paths.ts';
import { visitOf, type ConsoleDeps, type Visit } from './visit.ts';
import { requireConsoleCommunity } from '../access.ts';
import type { Community } from '../../../generated/prisma/client.ts';

/** Options of the console. */
export interface ConsoleOptions {
  /** Largest upload (statement files), in bytes. Default 5 MB. */
  uploadLimitBytes?: number;
}

/** What a route module gets: the shared deps and the helpers of this scope. */
export interface RouteKit extends ConsoleDeps {
  /** Remembers the visit of a request, so its refusal page is in the person's language and frame. */
  remember(req: FastifyRequest, v: Visit): Visit;
  /** The frame of a page for a request. */
  frame(req: FastifyRequest, v: Visit | null, extra?: Partial<Pick<Frame, 'title' | 'community' | 'section' | 'notice'>>): Frame;
  /** The signed-in visit of a request (remembered for its refusal page). */
  visit(req: FastifyRequest, reply: FastifyReply): Promise<Visit>;
  /** The visit and the community of a /c/:slug page, refused for a community the person may not open. */
  community(req: FastifyRequest, reply: FastifyReply): Promise<{ v: Visit; community: Community }>;
  /** Sends a page. */
  send(reply: FastifyReply, body: string, status?: number): FastifyReply;
  uploadLimit: number;
}

const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Adds the console's routes under /console. */
export async function registerConsole(app: FastifyInstance, services: Services, opts: ConsoleOptions = {}): Promise<void> {
  const prefix = browserPrefix(services.config);
  const uploadLimit = opts.uploadLimitBytes ?? 5 * 1024 * 1024;
  // Per registration, not per module: two bots in one process keep their visits apart.
  const visits = new WeakMap<FastifyRequest, Visit>();

  const kit: RouteKit = {
    services,
    prefix,
    uploadLimit,
    remember(req, v) {
      visits.set(req, v);
      return v;
    },
    frame(req, v, extra = {}) {
      const locale = v?.locale ?? pageLocale(req, null, services.config.LINLI_DEFAULT_LOCALE);
      return {
        title: '',
        ...extra,
        t: services.i18n.bind(locale),
        locale,
        prefix,
        path: `${prefix}${req.url.slice(CONSOLE_PREFIX.length)}`,
        visitor: v ? { person: v.person, actor: v.actor, csrf: v.session.csrfToken, communities: v.communities } : undefined,
      };
    },
    async visit(req, reply) {
      return kit.remember(req, await visitOf(req, reply, kit));
    },
    async community(req, reply) {
      const v = await kit.visit(req, reply);
      const community = await requireConsoleCommunity(services.db, v.actor, (req.params as { slug: string }).slug);
      return { v, community };
    },
    send(reply, body, status = 200) {
      return reply.code(status).type('text/html; charset=utf-8').send(body);
    },
  };

  await app.register(
    async (scope) => {
      registerFormParsers(scope, uploadLimit);

      scope.addHook('onSend', async (_req, reply, payload) => {
        reply.header('content-security-policy', CSP);
        reply.header('x-content-type-options', 'nosniff');
        reply.header('referrer-policy', 'no-referrer');
        reply.header('x-frame-options', 'DENY');
        if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
        return payload;
      });

      scope.setErrorHandler(async (err, req, reply) => {
        const v = visits.get(req) ?? null;
        let key = 'webconsole.errors.internal';
        let params: Record<string, unknown> = {};
        const status = (err as { statusCode?: number }).statusCode;
        if (isDomainError(err)) ({ key, params } = err);
        else if (status === 413) {
          key = 'webconsole.errors.too_large';
          params = { mb: Math.round((uploadLimit / 1024 / 1024) * 10) / 10 };
        } else if (status === 415) key = 'webconsole.errors.bad_form';
        else if (status && status < 500) key = 'webconsole.errors.bad_request';
        else {
          // The route pattern, never the URL: a sign-in URL carries its token.
          services.log.error({ err, route: req.routeOptions.url, method: req.method }, 'console request failed');
        }
        const frame = kit.frame(req, v, {});
        const code = isDomainError(err) || !status || status >= 500 ? refusalStatus(key) : status;
        return kit.send(reply, refusalPage(frame, key, params), code);
      });

      scope.setNotFoundHandler(async (req, reply) => kit.send(reply, refusalPage(kit.frame(req, visits.get(req) ?? null, {}), 'webconsole.errors.not_found'), 404));

      registerAssets(scope, kit);
      registerSignIn(scope, kit);
      registerDashboard(scope, kit);
      registerPolls(scope, kit);
      registerProposals(scope, kit);
      registerRatings(scope, kit);
      registerDisclosures(scope, kit);
      registerAnnouncements(scope, kit);
      registerGroups(scope, kit);
      registerMembers(scope, kit);
      registerRegister(scope, kit);
      registerAudit(scope, kit);
    },
    { prefix: CONSOLE_PREFIX },
  );
}
