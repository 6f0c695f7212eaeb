/**
 * The database seam: which Prisma driver adapter serves a database URL. Everything above it
 * talks to a PrismaClient and never learns which engine is underneath; a second engine (the
 * PostgreSQL issue: `@prisma/adapter-pg`, wrapped or not) is one more branch here.
 */
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { SqliteAdapterFactory } from './sqlite/adapter.ts';

/** The path a `file:` URL (or a bare path, as older callers pass) names, without `?options`. */
export function sqlitePathOf(target: string): string {
  return target.replace(/^file:/, '').replace(/\?.*$/, '');
}

/** The driver adapter factory for `target`: a `file:` URL, a bare SQLite path, or `:memory:`. */
export function adapterFor(target: string): SqlDriverAdapterFactory {
  if (/^postgres(ql)?:\/\//i.test(target)) {
    throw new Error('DATABASE_URL names PostgreSQL, which this version of Linli does not support yet; use a file: URL (SQLite)');
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) throw new Error(`unsupported database URL ${target.replace(/\/\/[^@/]*@/, '//…@')}: use a file: URL (SQLite)`);
  return new SqliteAdapterFactory({ file: sqlitePathOf(target) });
}
