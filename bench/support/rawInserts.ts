/**
 * The same-run baseline of the throughput benchmarks: the cheapest durable write per event
 * this machine can do — one row per statement into a WAL database with better-sqlite3, no
 * framework in between. Figures are printed as a ratio to it, since machines differ.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { tempDir } from '../../tests/support/harness.ts';

/** Rows per second inserting `n` rows, one statement each, into a table with a unique key. */
export function rawInsertsPerSecond(n: number): number {
  const db = new Database(join(tempDir('linli-bench-'), 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, scope TEXT, key TEXT, value TEXT, at INTEGER, UNIQUE(scope, key))');
  const insert = db.prepare('INSERT INTO t (scope, key, value, at) VALUES (?, ?, ?, ?)');
  const start = performance.now();
  for (let i = 0; i < n; i++) insert.run('bench', String(i), 'value', Date.now());
  const seconds = (performance.now() - start) / 1000;
  db.close();
  return n / seconds;
}
