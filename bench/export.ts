/**
 * Export of a named poll with 100,000 votes, as CSV and as XLSX: wall time and peak RSS of a
 * child process that does only the export (ballots are paged from SQLite and streamed into the
 * file). Baseline in the same run: reading the same ballots with raw better-sqlite3 and writing
 * them as plain CSV lines.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPoll } from '../src/domain/polls/polls.ts';
import { makeCommunity, OPERATOR } from '../tests/support/fixtures.ts';
import { freshDatabase, tempDir } from '../tests/support/harness.ts';
import type { BenchResult } from './types.ts';
// The same heap limit `linli export` runs with, so the figure is the CLI's.
import { EXPORT_HEAP_FLAG } from '../bin/heap.mjs';


const VOTES = 100_000;

/** Fills the poll with ballots straight through SQLite (setup, not measured). */
function fill(file: string, pollId: string, optionIds: string[]): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const participation = db.prepare('INSERT INTO PollParticipation (id, pollId, voterKey, personId, voterName, advisory, castAt, updatedAt) VALUES (?, ?, ?, NULL, ?, 0, ?, ?)');
  const ballot = db.prepare('INSERT INTO Ballot (id, pollId, advisory, participationId) VALUES (?, ?, 0, ?)');
  const choice = db.prepare('INSERT INTO BallotChoice (ballotId, optionId) VALUES (?, ?)');
  const t0 = Date.now() - VOTES * 1000;
  db.transaction(() => {
    for (let i = 0; i < VOTES; i++) {
      const id = `b${String(i).padStart(8, '0')}`;
      // Prisma's text form of a DateTime in SQLite.
      const at = new Date(t0 + i * 1000).toISOString().replace('Z', '+00:00');
      participation.run(id, pollId, `p:${i}`, `居民${i}`, at, at);
      ballot.run(`${id}-b`, pollId, id);
      choice.run(`${id}-b`, optionIds[i % optionIds.length]);
    }
  })();
  db.close();
}

async function rawExportMs(file: string, pollId: string, out: string): Promise<number> {
  const db = new Database(file, { readonly: true });
  const start = performance.now();
  const stream = createWriteStream(out);
  const rows = db
    .prepare('SELECT p.voterName, c.optionId, p.castAt FROM PollParticipation p JOIN Ballot b ON b.participationId = p.id JOIN BallotChoice c ON c.ballotId = b.id WHERE p.pollId = ? ORDER BY p.id')
    .iterate(pollId);
  for (const r of rows as Iterable<{ voterName: string; optionId: string; castAt: number }>) {
    if (!stream.write(`${r.voterName},${r.optionId},${new Date(r.castAt).toISOString()}\n`)) await new Promise<void>((res) => stream.once('drain', () => res()));
  }
  await new Promise<void>((res) => stream.end(res));
  db.close();
  return performance.now() - start;
}

export async function run(): Promise<BenchResult[]> {
  const dir = tempDir('linli-bench-export-');
  const { db, file } = await freshDatabase(join(dir, 'linli.db'));
  const community = await makeCommunity(db);
  const now = new Date();
  const poll = await createPoll(db, { actor: OPERATOR, via: 'bench' }, community.id, {
    question: '请选出本年度实施的民生微实事项目',
    options: [{ label: '加装休闲座椅' }, { label: '增设电动车充电桩' }, { label: '更换楼道照明' }, { label: '修缮儿童游乐设施' }],
    maxChoices: 1,
    electorate: 'residents',
    anonymous: false,
    allowChange: true,
    closesAt: new Date(now.getTime() + 86_400_000),
    quorum: { kind: 'none' },
    rule: 'majority',
    liveResults: false,
  }, now);
  await db.$disconnect();
  fill(file, poll.id, poll.options.map((o) => o.id));

  const child = fileURLToPath(new URL('./support/exportChild.ts', import.meta.url));
  const results: BenchResult[] = [];
  const raw = await rawExportMs(file, poll.id, join(dir, 'raw.csv'));
  for (const format of ['csv', 'xlsx'] as const) {
    const json = execFileSync(process.execPath, [EXPORT_HEAP_FLAG, '--import', 'tsx', child, file, poll.id, join(dir, `poll.${format}`), format], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const m = JSON.parse(json) as { ms: number; peakRssMb: number; baseRssMb: number; rows: number };
    results.push({
      name: `export of ${VOTES.toLocaleString('en')} votes as ${format.toUpperCase()}: time`,
      value: m.ms / 1000,
      unit: 's',
      baseline: { name: 'raw better-sqlite3 read + plain CSV write', value: raw / 1000, unit: 's' },
      ratio: m.ms / raw,
      target: '< 10 s',
      pass: m.ms < 10_000 && m.rows >= VOTES,
    });
    results.push({
      name: `export of ${VOTES.toLocaleString('en')} votes as ${format.toUpperCase()}: peak RSS`,
      value: m.peakRssMb,
      unit: 'MB',
      baseline: { name: 'RSS of the same process before the first ballot was read', value: m.baseRssMb, unit: 'MB' },
      ratio: m.peakRssMb / m.baseRssMb,
      target: '< 300 MB',
      pass: m.peakRssMb < 300,
    });
  }
  return results;
}
