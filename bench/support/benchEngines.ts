/**
 * Which engines the messages and votes benchmarks run on: always SQLite, and PostgreSQL when
 * LINLI_BENCH_DATABASE names a server (postgresql://…/postgres, one the bench may create
 * databases on) that answers. Otherwise the PostgreSQL rows are skipped with the reason printed,
 * so a run without a server still says what it did not measure.
 */
import pg from 'pg';
import { isPostgresUrl } from '../../src/db/engine.ts';
import { dropCreated } from '../../tests/support/testDatabase.ts';

/** The PostgreSQL server to bench on, or why there is none. */
export async function benchPostgres(): Promise<{ server: string } | { skipped: string }> {
  const url = process.env.LINLI_BENCH_DATABASE ?? '';
  if (!isPostgresUrl(url)) return { skipped: 'LINLI_BENCH_DATABASE is not set to a postgresql:// server URL' };
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { server: url };
  } catch (err) {
    return { skipped: `PostgreSQL at LINLI_BENCH_DATABASE does not answer (${(err as Error).message})` };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Appends the PostgreSQL row of a benchmark to its SQLite rows when a server answers, or prints
 * why `what` was not measured there. The databases the measurement created (cloned from the
 * test template, tests/support/testDatabase.ts) are dropped afterwards, whatever the outcome:
 * outside vitest nothing else drops them, and each run would leave a few behind on the server.
 */
export async function withPostgresRow<R>(what: string, results: R[], measure: (server: string) => Promise<R>): Promise<R[]> {
  const pgServer = await benchPostgres();
  if ('skipped' in pgServer) {
    process.stdout.write(`${what} on PostgreSQL: skipped — ${pgServer.skipped}\n`);
    return results;
  }
  try {
    results.push(await measure(pgServer.server));
  } finally {
    await dropCreated();
  }
  return results;
}
