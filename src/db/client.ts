/**
 * Opens the database: the Prisma client on SQLite through the better-sqlite3 driver adapter.
 *
 * WAL mode lets readers (exports, digests) run while the bot writes; foreign keys are switched
 * on because SQLite leaves them off by default; a busy timeout absorbs short write contention
 * with `linli` CLI commands running against the same file.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.ts';
import { withStatementCache } from './statementCache.ts';

export type Db = PrismaClient;
export type { Prisma } from '../generated/prisma/client.ts';

/** Resolves a `file:` URL to an absolute path and makes sure its folder exists. */
export function prepareDatabaseFile(url: string): string {
  const file = resolve(url.replace(/^file:/, ''));
  mkdirSync(dirname(file), { recursive: true });
  return file;
}

/** Connects to the SQLite file (which must already be migrated) and sets the connection pragmas. */
export async function openDatabase(file: string): Promise<Db> {
  const adapter = withStatementCache(new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5000 }));
  const db = new PrismaClient({ adapter });
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  await db.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
  return db;
}

/** True when the error is a unique-constraint violation (Prisma P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}
