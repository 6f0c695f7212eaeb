/**
 * Where the database lives on disk, asked of the open connection itself (the configuration may
 * name another file: tests and embedders pass their own). Files that belong next to the
 * database — the ballot key — are placed by it.
 */
import type { Db } from './client.ts';
import { engineOf } from './engine.ts';

/**
 * The file of the main SQLite database; '' for an in-memory one and for PostgreSQL (nothing of
 * it is on this disk: files such as the ballot key come from settings there). `db` may be a transaction.
 */
export async function databaseFileOf(db: Pick<Db, '$queryRawUnsafe'>): Promise<string> {
  if (engineOf(db) === 'postgresql') return '';
  const rows = await db.$queryRawUnsafe<{ name: string; file: string | null }[]>('PRAGMA database_list');
  return rows.find((r) => r.name === 'main')?.file ?? '';
}
