/**
 * The database layer alone: Prisma queries per second through `openDatabase` (the driver
 * adapter, its statement cache and its connection gate), without Telegram, HTTP or the router
 * around them, so that a change to the adapter shows in the figures instead of drowning in the
 * noise of a busy machine. CPU time per query is printed too (it moves less than wall time when
 * other processes compete for the cores). Baseline in the same run: the same lookup as a raw
 * better-sqlite3 prepared statement. Median of 5 rounds.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, type Db } from '../src/db/client.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { tempDir } from '../tests/support/harness.ts';
import type { BenchResult } from './types.ts';

const ROWS = 2000;
const ROUNDS = 5;

interface Figure {
  perSecond: number;
  cpuMicros: number;
}

async function timed(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<Figure> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { perSecond: n / seconds, cpuMicros: (used.user + used.system) / n };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function medianFigure(figures: Figure[]): Figure {
  return { perSecond: median(figures.map((f) => f.perSecond)), cpuMicros: median(figures.map((f) => f.cpuMicros)) };
}

export async function run(): Promise<BenchResult[]> {
  const file = join(tempDir('linli-bench-adapter-'), 'linli.db');
  applyMigrations(file);
  const db: Db = await openDatabase(file);
  let counter = 0;
  const cases: Record<string, (i: number) => Promise<unknown>> = {
    'findUnique by key': (i) => db.processedUpdate.findUnique({ where: { platform_updateId: { platform: 'bench', updateId: String(i % ROWS) } } }),
    'findMany, 20 rows': (i) => db.processedUpdate.findMany({ where: { platform: 'bench', updateId: { gte: String(i % ROWS) } }, take: 20 }),
    create: () => db.processedUpdate.create({ data: { platform: 'create', updateId: String(counter++) } }),
    'batch transaction of 3 statements': () =>
      db.$transaction([
        db.processedUpdate.create({ data: { platform: 'batch', updateId: String(counter++) } }),
        db.processedUpdate.count({ where: { platform: 'batch' } }),
        db.processedUpdate.deleteMany({ where: { platform: 'batch', updateId: String(counter - 1) } }),
      ]),
    'interactive transaction, read + write': () =>
      db.$transaction(async (tx) => {
        const seen = await tx.processedUpdate.findUnique({ where: { platform_updateId: { platform: 'bench', updateId: '1' } } });
        await tx.processedUpdate.create({ data: { platform: 'itx', updateId: `${counter++}-${seen ? 1 : 0}` } });
      }),
  };
  const counts: Record<string, number> = { 'findUnique by key': 4000, 'findMany, 20 rows': 2000, create: 1500, 'batch transaction of 3 statements': 800, 'interactive transaction, read + write': 800 };
  const raw = new Database(file, { readonly: true });
  try {
    for (let i = 0; i < ROWS; i++) await db.processedUpdate.create({ data: { platform: 'bench', updateId: String(i) } });
    const lookup = raw.prepare('SELECT "platform", "updateId", "handledAt" FROM "ProcessedUpdate" WHERE "platform" = ? AND "updateId" = ?');
    const rounds: Record<string, Figure[]> = { raw: [] };
    for (const name of Object.keys(cases)) rounds[name] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.raw.push(await timed(20_000, (i) => lookup.get('bench', String(i % ROWS))));
      for (const [name, fn] of Object.entries(cases)) rounds[name].push(await timed(counts[name], fn));
    }
    const baseline = medianFigure(rounds.raw);
    return Object.keys(cases).map((name) => {
      const f = medianFigure(rounds[name]);
      return {
        name: `${name} through Prisma (${f.cpuMicros.toFixed(0)} µs CPU per query)`,
        value: f.perSecond,
        unit: 'queries/s',
        baseline: { name: 'raw better-sqlite3 lookup', value: baseline.perSecond, unit: 'queries/s' },
        ratio: f.perSecond / baseline.perSecond,
      };
    });
  } finally {
    raw.close();
    await db.$disconnect();
  }
}
