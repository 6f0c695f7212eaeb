/**
 * The PostgreSQL driver adapter: Prisma's own `@prisma/adapter-pg` over a `pg` pool. Unlike the
 * SQLite side (src/db/sqlite/adapter.ts) nothing needs wrapping: PostgreSQL runs concurrent
 * transactions itself, so there is no gate, and `pg` prepares statements per connection.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';

/** Connections per process; a district runs several processes against one server. */
const DEFAULT_POOL_SIZE = 10;

/** The adapter factory for a `postgres(ql)://` URL; `?pool=N` sets the pool size. */
export function postgresAdapterFactory(url: string): SqlDriverAdapterFactory {
  const pool = Number(new URL(url).searchParams.get('pool') ?? DEFAULT_POOL_SIZE);
  return new PrismaPg({ connectionString: connectionStringOf(url), max: Number.isInteger(pool) && pool > 0 ? pool : DEFAULT_POOL_SIZE });
}

/** The URL as `pg` takes it: without our own `?pool=` option (for a client of its own, e.g. a listener). */
export function connectionStringOf(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.delete('pool');
  return parsed.toString();
}
