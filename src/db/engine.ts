/**
 * Which engine a database URL or an open client runs on. SQLite (a `file:` URL or a bare path)
 * is the embedded default; `postgres://` / `postgresql://` is the district engine. Code that must
 * differ between the two (raw SQL, row locks, migrations, backup) asks here, and nowhere else
 * parses a URL for it.
 */
export type Engine = 'sqlite' | 'postgresql';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** True for a `postgres://` or `postgresql://` URL. */
export function isPostgresUrl(url: string): boolean {
  return POSTGRES_URL.test(url);
}

/** The engine `url` names. */
export function engineOfUrl(url: string): Engine {
  return isPostgresUrl(url) ? 'postgresql' : 'sqlite';
}

/** A URL with its password (and user) replaced, safe for logs and operator messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//…@');
}

/**
 * The engine of an open client or of a transaction client it handed out. The generated client
 * carries its provider (`_activeProvider`); a transaction client is a view of the same object.
 */
export function engineOf(db: object): Engine {
  const provider = (db as { _activeProvider?: string })._activeProvider;
  return provider === 'postgresql' || provider === 'postgres' ? 'postgresql' : 'sqlite';
}
