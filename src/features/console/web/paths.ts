/**
 * Where the console lives. Its routes are under /console on whatever server carries it; links
 * sent to people are absolute — on LINLI_PUBLIC_URL when set (a path there, such as
 * https://example.org/linli, is the reverse proxy's prefix), else on this machine's PORT.
 */
import type { Config } from '../../../config.ts';

/** The route prefix on the server. */
export const CONSOLE_PREFIX = '/console';

/** The public origin plus any proxy prefix, without a trailing slash. */
function publicBase(config: Pick<Config, 'LINLI_PUBLIC_URL' | 'PORT'>): string {
  return (config.LINLI_PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

/** An absolute console URL for a path such as "/signin/…". */
export function consoleUrl(config: Pick<Config, 'LINLI_PUBLIC_URL' | 'PORT'>, path: string): string {
  return `${publicBase(config)}${CONSOLE_PREFIX}${path}`;
}

/** The path browsers see for console pages (the proxy prefix, then /console). */
export function browserPrefix(config: Pick<Config, 'LINLI_PUBLIC_URL'>): string {
  const path = config.LINLI_PUBLIC_URL ? new URL(config.LINLI_PUBLIC_URL).pathname.replace(/\/+$/, '') : '';
  return `${path}${CONSOLE_PREFIX}`;
}

/** True when cookies must be Secure (the public address is https). */
export function secureCookies(config: Pick<Config, 'LINLI_PUBLIC_URL'>): boolean {
  return config.LINLI_PUBLIC_URL?.startsWith('https:') ?? false;
}
