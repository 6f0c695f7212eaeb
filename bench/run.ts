/**
 * `npm run bench`: runs every benchmark module in this folder (each exports `run()`), prints
 * each figure next to its same-run baseline and the ratio, and exits non-zero when a target is
 * missed. `npm run bench -- votes` runs only modules whose file name contains "votes".
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { BenchResult } from './types.ts';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2];
const modules = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'types.ts'].includes(f) && !f.startsWith('_'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));
let failed = 0;
for (const file of modules) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { run: () => Promise<BenchResult[]> };
  process.stdout.write(`\n## ${file}\n`);
  const results = await mod.run();
  for (const r of results) {
    const base = r.baseline ? `   baseline ${r.baseline.name}: ${fmt(r.baseline.value)} ${r.baseline.unit}   ratio ${r.ratio !== undefined ? r.ratio.toFixed(3) : '-'}` : '';
    const verdict = r.pass === undefined ? '' : r.pass ? '   ✔' : '   ✘';
    process.stdout.write(`${r.name}: ${fmt(r.value)} ${r.unit}${base}${r.target ? `   target ${r.target}` : ''}${verdict}\n`);
    if (r.pass === false) failed++;
  }
}
process.stdout.write(failed ? `\n${failed} target(s) missed\n` : '\nall targets met\n');
process.exit(failed ? 1 : 0);
