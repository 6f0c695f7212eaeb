#!/usr/bin/env node
// The `linli` executable. Linli is written in TypeScript and runs through tsx, so there is no
// build step between a checkout and a running bot.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EXPORT_HEAP_FLAG } from './heap.mjs';

// Exports stream hundreds of thousands of rows; with V8's default heap sizing the garbage of
// that stream piles up before a major GC and the process peaks around 300 MB. A smaller
// old-space makes V8 collect sooner, keeping an export's peak memory flat at no real cost in
// time. V8 flags must be given at start, so the export re-runs itself with the flag.
if (process.argv[2] === 'export' && !process.execArgv.some((a) => a.startsWith('--max-old-space-size'))) {
  const script = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [EXPORT_HEAP_FLAG, ...process.execArgv, script, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const { register } = await import('tsx/esm/api');
register();
const { runCli } = await import('../src/cli/main.ts');
const code = await runCli(process.argv.slice(2));
if (code >= 0) process.exit(code);
