/**
 * Importing a 5,000-household register (issue 16: "well under 10 s"), as XLSX and as CSV, into
 * a fresh database: reading the file, planning the import and applying it in one transaction —
 * the whole of `linli register import`. Then a re-import of the same register with 5% of its
 * households changed and 2% gone. Baseline in the same run: raw better-sqlite3 inserting the
 * same 5,000 household rows in one transaction, the floor of writing that much.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { applyImport } from '../src/domain/register/apply.ts';
import { readRegisterFile } from '../src/domain/register/import.ts';
import { planImport } from '../src/domain/register/plan.ts';
import { makeCommunity, OPERATOR } from '../tests/support/fixtures.ts';
import { freshDatabase, tempDir } from '../tests/support/harness.ts';
import { generatedCsv, generatedUnits, registerXlsx } from '../tests/unit/features/register/files.ts';
import type { BenchResult } from './types.ts';

const HOUSEHOLDS = 5000;
const TARGET_MS = 10_000;

/** Raw inserts of the same rows into a migrated copy: the floor. */
async function rawInsertMs(dir: string): Promise<number> {
  const { db, file } = await freshDatabase(join(dir, 'raw.db'));
  const community = await makeCommunity(db);
  await db.$disconnect();
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  const insert = raw.prepare('INSERT INTO Household (id, communityId, unit, active, inRegister, createdAt) VALUES (?, ?, ?, 1, 1, ?)');
  const units = generatedUnits(HOUSEHOLDS);
  const start = performance.now();
  raw.transaction(() => {
    for (const u of units) insert.run(randomUUID(), community.id, `${u.building}栋-${u.entrance}单元-${u.room}`, Date.now());
  })();
  const ms = performance.now() - start;
  raw.close();
  return ms;
}

/** Reads, plans and applies a file into the community; returns the milliseconds it took. */
async function importMs(db: Awaited<ReturnType<typeof freshDatabase>>['db'], community: Awaited<ReturnType<typeof makeCommunity>>, name: string, bytes: Buffer): Promise<{ ms: number; added: number; changed: number; missing: number }> {
  const start = performance.now();
  const table = await readRegisterFile({ name, bytes }, community);
  const plan = await planImport(db, community.id, table.rows, table.facts);
  await applyImport(db, OPERATOR, 'bench', community.id, { rows: table.rows, facts: table.facts, expectedFingerprint: plan.fingerprint }, new Date());
  return { ms: performance.now() - start, added: plan.added.length, changed: plan.changed.length, missing: plan.missing.length };
}

export async function run(): Promise<BenchResult[]> {
  const dir = tempDir('linli-bench-register-');
  const raw = await rawInsertMs(dir);
  const baseline = { name: `raw better-sqlite3: ${HOUSEHOLDS.toLocaleString('en')} household INSERTs in one transaction`, value: raw, unit: 'ms' };
  const units = generatedUnits(HOUSEHOLDS);
  const kinds = ['户籍', '非户籍', '租住'];
  const xlsx = await registerXlsx(units.map((u, i) => [u.building, u.entrance, u.room, (i % 5) + 1, kinds[i % 3], null]));
  const files: [string, string, Buffer][] = [
    ['XLSX', '住户名册.xlsx', xlsx],
    ['CSV', '住户名册.csv', generatedCsv(HOUSEHOLDS)],
  ];
  const results: BenchResult[] = [];
  for (const [format, name, bytes] of files) {
    const { db } = await freshDatabase(join(dir, `${format}.db`));
    const community = await makeCommunity(db);
    const first = await importMs(db, community, name, bytes);
    results.push({
      name: `first import of ${HOUSEHOLDS.toLocaleString('en')} households from ${format} (read + plan + apply)`,
      value: first.ms,
      unit: 'ms',
      baseline,
      ratio: first.ms / raw,
      target: '< 10 s',
      pass: first.ms < TARGET_MS && first.added === HOUSEHOLDS,
    });
    if (format === 'CSV') {
      // 5% change their 常住人数, 2% are gone from the new file.
      const changedFile = generatedCsv(HOUSEHOLDS, { residents: (i) => (i % 20 === 0 ? 9 : (i % 5) + 1) });
      const lines = changedFile.toString('utf8').split('\r\n');
      const kept = lines.filter((_, i) => i === 0 || i % 50 !== 1);
      const again = await importMs(db, community, name, Buffer.from(kept.join('\r\n'), 'utf8'));
      results.push({
        name: `re-import from CSV: ${again.changed} changed, ${again.missing} gone`,
        value: again.ms,
        unit: 'ms',
        baseline,
        ratio: again.ms / raw,
        target: '< 10 s',
        pass: again.ms < TARGET_MS && again.missing === HOUSEHOLDS / 50 && again.changed > 0,
      });
    }
    await db.$disconnect();
  }
  return results;
}
