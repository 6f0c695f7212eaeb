/**
 * The console's cookies, read and written by hand (three cookies do not need a plugin): the
 * session, the form token of a sign-in page, and the chosen language. The session cookie is
 * HttpOnly and SameSite=Lax, Secure when the console is served over https, and scoped to the
 * console's path.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'linli_console';
export const SIGNIN_COOKIE = 'linli_console_signin';
export const LANG_COOKIE = 'linli_console_lang';

/** The cookies of a request by name (the first of a repeated name wins). */
export function readCookies(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A cookie that is not valid percent-encoding is ignored, like a missing one.
    }
  }
  return out;
}

/** Attributes of a cookie we set. */
export interface CookieOptions {
  path: string;
  secure: boolean;
  /** Seconds; 0 deletes the cookie; absent: until the browser closes. */
  maxAge?: number;
  httpOnly?: boolean;
}

/** Adds a Set-Cookie header to the reply (Fastify appends Set-Cookie values, keeping earlier ones). */
export function setCookie(reply: FastifyReply, name: string, value: string, opts: CookieOptions): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${opts.path}`, 'SameSite=Lax'];
  if (opts.httpOnly ?? true) parts.push('HttpOnly');
  if (opts.secure) parts.push('Secure');
  if (opts.maxAge !== undefined) parts.push(`Max-Age=${opts.maxAge}`);
  reply.header('set-cookie', parts.join('; '));
}
