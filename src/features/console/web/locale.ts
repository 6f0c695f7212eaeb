/**
 * The language of a console page: ?lang= (remembered in a cookie), then that cookie, then the
 * person's saved language or their app's, then the browser's, then the deployment's default —
 * the same order the chat uses, with the page's own choice first.
 */
import type { FastifyRequest } from 'fastify';
import { LOCALES, resolveLocale, type Locale } from '../../../i18n/i18n.ts';
import type { Person } from '../../../generated/prisma/client.ts';
import { LANG_COOKIE, readCookies } from './cookies.ts';

/** A language the console can show, or null. */
export function asLocale(value: unknown): Locale | null {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value) ? (value as Locale) : null;
}

/** The language asked for in the query string, if any (the page then remembers it). */
export function queryLocale(req: FastifyRequest): Locale | null {
  return asLocale((req.query as Record<string, unknown> | undefined)?.lang);
}

/** The language of a page for a request (and its person, once known). */
export function pageLocale(req: FastifyRequest, person: Pick<Person, 'locale' | 'clientLanguage'> | null, fallback: string): Locale {
  const chosen = queryLocale(req) ?? asLocale(readCookies(req)[LANG_COOKIE]);
  if (chosen) return chosen;
  const first = (req.headers['accept-language'] ?? '').split(',')[0]?.split(';')[0]?.trim();
  // "*" (what many HTTP clients send) states no preference: the deployment's language applies.
  const browser = first && first !== '*' ? first : undefined;
  return resolveLocale(person?.locale, person?.clientLanguage ?? browser, fallback);
}
