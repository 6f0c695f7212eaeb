/**
 * Counts the SQL statements the bot sends to its database, at the driver: better-sqlite3's
 * statements (every `run`/`all`/`get`, BEGIN and COMMIT included) and node-postgres's
 * `Client#query` (every statement, BEGIN and COMMIT included). Used by bench/queries.ts to say
 * how many statements a plain message and a vote tap cost.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

/** A running count; `stop()` puts the drivers back as they were. */
export interface QueryCounter {
  /** Statements since the counter started or was last reset, by SQL text. */
  readonly bySql: Map<string, number>;
  total(): number;
  transactions(): number;
  reset(): void;
  stop(): void;
}

type Method = (...args: unknown[]) => unknown;

export function countQueries(): QueryCounter {
  const bySql = new Map<string, number>();
  const note = (sql: string) => bySql.set(sql, (bySql.get(sql) ?? 0) + 1);
  const probe = new Database(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, Method>;
  probe.close();
  const restore: (() => void)[] = [];
  for (const name of ['run', 'all', 'get', 'iterate'] as const) {
    const original = statementProto[name];
    statementProto[name] = function (this: { source: string }, ...args: unknown[]) {
      note(this.source);
      return original.apply(this, args);
    };
    restore.push(() => (statementProto[name] = original));
  }
  const clientProto = pg.Client.prototype as unknown as Record<string, Method>;
  const originalQuery = clientProto.query;
  clientProto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    note(typeof first === 'string' ? first : (first?.text ?? '?'));
    return originalQuery.apply(this, args);
  };
  restore.push(() => (clientProto.query = originalQuery));
  return {
    bySql,
    total: () => [...bySql.values()].reduce((a, b) => a + b, 0),
    transactions: () => [...bySql].filter(([sql]) => /^\s*BEGIN/i.test(sql)).reduce((a, [, n]) => a + n, 0),
    reset: () => bySql.clear(),
    stop: () => {
      for (const r of restore) r();
    },
  };
}
