/**
 * The database seam: which Prisma driver adapter serves a database URL. Everything above it
 * talks to a PrismaClient and never learns which engine is underneath; a second engine (the
 * PostgreSQL engine: `@prisma/adapter-pg`) is one more branch here.
 */
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { isPostgresUrl, redactUrl } from './engine.ts';
import { postgresAdapterFactory } from './postgres/adapter.ts';
import { SqliteAdapterFactory } from './sqlite/adapter.ts';
import { assertSqlitePath } from './sqlite/holders.ts';

/** The path a `file:` URL (or a bare path, as older callers pass) names, without `?options`. */
export function sqlitePathOf(target: string): string {
  const path = target.replace(/^file:/, '').replace(/\?.*$/, '');
  if (path !== ':memory:') assertSqlitePath(path);
  return path;
}

/** The driver adapter factory for `target`: a `postgres(ql)://` URL, a `file:` URL, a bare SQLite path, or `:memory:`. */
export function adapterFor(target: string): SqlDriverAdapterFactory {
  if (isPostgresUrl(target)) return postgresAdapterFactory(target);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) throw new Error(`unsupported database URL ${redactUrl(target)}: use a file: URL (SQLite) or postgresql://`);
  return new SqliteAdapterFactory({ file: sqlitePathOf(target) });
}
