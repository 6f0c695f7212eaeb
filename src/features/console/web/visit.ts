/**
 * Who is asking: the session behind the cookie, its person, their actor (built as the chat
 * builds it), the communities they may open and the page's language. A missing or dead session
 * is a localized refusal, never a guess. Forms are checked here too: the CSRF token on every
 * state-changing request, and the one-time form id that makes a second submit a no-op.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../core/services.ts';
import { isUniqueViolation } from '../../../db/client.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { Actor } from '../../../domain/residents/roles.ts';
import type { Community, ConsoleSession, Person } from '../../../generated/prisma/client.ts';
import type { Locale, TFn } from '../../../i18n/i18n.ts';
import { consoleActor, consoleCommunities } from '../access.ts';
import { csrfMatches, sessionOf } from '../sessions.ts';
import { LANG_COOKIE, readCookies, SESSION_COOKIE, setCookie } from './cookies.ts';
import type { FormBody } from './forms.ts';
import { pageLocale, queryLocale } from './locale.ts';
import { secureCookies } from './paths.ts';

/** A signed-in request. */
export interface Visit {
  person: Person;
  actor: Actor;
  session: ConsoleSession;
  communities: Community[];
  locale: Locale;
  t: TFn;
}

/** What the console's handlers share. */
export interface ConsoleDeps {
  services: Services;
  /** The console's path as the browser sees it. */
  prefix: string;
}

/** Remembers a language chosen with ?lang= for the next pages. */
export function rememberLanguage(req: FastifyRequest, reply: FastifyReply, deps: ConsoleDeps): void {
  const chosen = queryLocale(req);
  if (chosen) setCookie(reply, LANG_COOKIE, chosen, { path: deps.prefix, secure: secureCookies(deps.services.config), maxAge: 365 * 86_400, httpOnly: false });
}

/** Forgets the session cookie (signed out, or one that matches nothing). */
export function clearSessionCookie(reply: FastifyReply, deps: ConsoleDeps): void {
  setCookie(reply, SESSION_COOKIE, '', { path: deps.prefix, secure: secureCookies(deps.services.config), maxAge: 0 });
}

/** The signed-in visit, or a refusal that says how to sign in. */
export async function visitOf(req: FastifyRequest, reply: FastifyReply, deps: ConsoleDeps): Promise<Visit> {
  const { services } = deps;
  const found = await sessionOf(services.db, readCookies(req)[SESSION_COOKIE], services.clock());
  if (found === 'none') throw new DomainError('webconsole.errors.signed_out');
  if (found === 'ended') {
    clearSessionCookie(reply, deps);
    throw new DomainError('webconsole.errors.session_ended');
  }
  const actor = await consoleActor(services.db, services.config, found.person);
  const communities = await consoleCommunities(services.db, actor);
  const locale = pageLocale(req, found.person, services.config.LINLI_DEFAULT_LOCALE);
  rememberLanguage(req, reply, deps);
  return { person: found.person, actor, session: found.session, communities, locale, t: services.i18n.bind(locale) };
}

/** Refuses a state-changing request without the session's form token. */
export function checkCsrf(v: Visit, form: FormBody): void {
  if (!csrfMatches(v.session, form.fields._csrf)) throw new DomainError('webconsole.errors.csrf');
}

/**
 * Runs a form's action once per form id: a second submit of the same form (a double click,
 * the back button) is refused and changes nothing. A refused action frees the id, so the
 * person can correct the form and send it again.
 */
export async function once<T>(deps: ConsoleDeps, v: Visit, form: FormBody, action: () => Promise<T>): Promise<T> {
  const formId = form.fields._form;
  if (!formId || !/^[A-Za-z0-9_-]{16,64}$/.test(formId)) throw new DomainError('webconsole.errors.form_expired');
  const { db } = deps.services;
  let claimId: string;
  try {
    claimId = (await db.consoleSubmission.create({ data: { sessionId: v.session.id, formId, at: deps.services.clock() } })).id;
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('webconsole.errors.sent_twice');
    throw err;
  }
  try {
    return await action();
  } catch (err) {
    await db.consoleSubmission.delete({ where: { id: claimId } }).catch(() => undefined);
    throw err;
  }
}
