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
  const parsed = new URL(url);
  const pool = Number(parsed.searchParams.get('pool') ?? DEFAULT_POOL_SIZE);
  parsed.searchParams.delete('pool');
  return new PrismaPg({ connectionString: parsed.toString(), max: Number.isInteger(pool) && pool > 0 ? pool : DEFAULT_POOL_SIZE });
}
