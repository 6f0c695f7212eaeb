/**
 * Opens the database: a PrismaClient on the driver adapter the URL calls for (adapterFor.ts).
 * On SQLite that is Linli's own adapter (sqlite/adapter.ts), which sets the connection up:
 * WAL, foreign keys, `synchronous = FULL`, a busy timeout for `linli` commands writing to the
 * same file, one gate so that a plain query never runs inside another handler's transaction,
 * and cached prepared statements.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../generated/prisma/client.ts';
import { PrismaClient as PostgresPrismaClient } from '../generated/prisma-pg/client.ts';
import { adapterFor, sqlitePathOf } from './adapterFor.ts';

export type Db = PrismaClient;
export type { Prisma } from '../generated/prisma/client.ts';

/** Resolves a `file:` URL to an absolute path and makes sure its folder exists. */
export function prepareDatabaseFile(url: string): string {
  const file = resolve(sqlitePathOf(url));
  mkdirSync(dirname(file), { recursive: true });
  return file;
}

/**
 * A connected client on `adapter`. Connecting at once (rather than on the first query) makes a
 * database that cannot be opened, or a driver whose shape changed, stop the start-up loudly.
 */
export async function connectDatabase(adapter: SqlDriverAdapterFactory): Promise<Db> {
  // Prisma 7 compiles the provider into the client and refuses an adapter of another provider,
  // so PostgreSQL gets its own client generated from the same models (scripts/generate-client.mjs).
  // Its model API is the SQLite client's: every caller keeps the one `Db` type.
  const db = adapter.provider === 'postgres' ? (new PostgresPrismaClient({ adapter }) as unknown as Db) : new PrismaClient({ adapter });
  await db.$connect();
  return db;
}

/** Connects to the database `target` names (a `file:` or `postgresql://` URL, or a SQLite path; already migrated). */
export async function openDatabase(target: string): Promise<Db> {
  return connectDatabase(adapterFor(target));
}

/** True when the error is a unique-constraint violation (Prisma P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}
