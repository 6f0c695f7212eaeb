/**
 * Keeps queries outside a transaction out of it.
 *
 * The better-sqlite3 driver adapter has ONE connection. An interactive transaction
 * (`db.$transaction(async (tx) => …)`) holds it open across awaits, and the adapter serialises
 * only transactions against each other: a plain query from another handler, made while such a
 * transaction is open, runs on the same connection and so INSIDE that transaction — it sees its
 * uncommitted rows, and a rollback undoes it. This fence makes plain queries wait while a
 * transaction is open (from its BEGIN to its commit or rollback). A query that waits longer than
 * FENCE_TIMEOUT_MS — which would mean a transaction waiting on a plain query of its own, i.e.
 * `db` used where `tx` was meant — runs anyway with a warning, so that mistake slows down
 * instead of hanging.
 */
import type { Database } from 'better-sqlite3';

/** Longest a plain query waits for an open transaction before it runs regardless. */
export const FENCE_TIMEOUT_MS = 5000;

interface FencedAdapter {
  client?: Database;
  startTransaction?: (...args: unknown[]) => Promise<{ commit(): Promise<void>; rollback(): Promise<void> }>;
  queryRaw?: (query: unknown) => Promise<unknown>;
  executeRaw?: (query: unknown) => Promise<unknown>;
}

/** Installs the fence on a connected adapter; `onTimeout` hears about a query that waited too long. */
export function fenceTransactions<A extends FencedAdapter>(adapter: A, onTimeout: (sqlPreview: string) => void = () => {}): A {
  const { client } = adapter;
  if (!client || !adapter.startTransaction || !adapter.queryRaw || !adapter.executeRaw) return adapter;
  let open = false;
  let closed: Promise<void> = Promise.resolve();
  let release: () => void = () => {};

  // The transaction is open from the moment its BEGIN runs (synchronously, on the connection).
  const prepare = client.prepare.bind(client);
  (client as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
    const stmt = prepare(sql) as { run: (...a: unknown[]) => unknown };
    if (sql !== 'BEGIN') return stmt;
    return new Proxy(stmt, {
      get(target, prop, receiver) {
        if (prop !== 'run') return Reflect.get(target, prop, receiver);
        return (...args: unknown[]) => {
          const result = target.run(...args);
          open = true;
          closed = new Promise((resolve) => (release = resolve));
          return result;
        };
      },
    });
  };
  const close = () => {
    if (!open) return;
    open = false;
    release();
  };

  const start = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args: unknown[]) => {
    const tx = await start(...args);
    const commit = tx.commit.bind(tx);
    const rollback = tx.rollback.bind(tx);
    tx.commit = async () => {
      try {
        await commit();
      } finally {
        close();
      }
    };
    tx.rollback = async () => {
      try {
        await rollback();
      } finally {
        close();
      }
    };
    return tx;
  };

  const fenced = (run: (query: unknown) => Promise<unknown>) => async (query: unknown) => {
    const deadline = Date.now() + FENCE_TIMEOUT_MS;
    while (open) {
      const left = deadline - Date.now();
      if (left <= 0) {
        onTimeout(String((query as { sql?: string }).sql ?? '').slice(0, 80));
        break;
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, left)))]);
      clearTimeout(timer);
    }
    return run(query);
  };
  adapter.queryRaw = fenced(adapter.queryRaw.bind(adapter));
  adapter.executeRaw = fenced(adapter.executeRaw.bind(adapter));
  return adapter;
}
