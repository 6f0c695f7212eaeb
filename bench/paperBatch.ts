/**
 * Entering a stack of 3,000 returned paper ballots from one file (issue 16, item 5): a whole
 * community's household poll returned on paper, as `linli poll paper --file` and /paper's 上传登记表
 * enter it — the file read, every row checked, the good ones entered (a participation, a ballot,
 * its choice and an audit entry each) and the rest refused by row. 30 of the households entered a
 * ballot by hand before, so 30 rows are refused as "already voted" and 2,970 entered. Then the
 * same file again as a dry run (every row refused, nothing written). Baseline in the same run:
 * importing a register of the same 3,000 households from CSV (read + plan + apply), the other
 * file a committee hands Linli; the ratio says how the ballot entry compares with it. With
 * LINLI_BENCH_DATABASE set to a PostgreSQL server, the same on PostgreSQL (support/benchEngines.ts).
 *
 * Before the batch stored its rows in chunks (each row through enterPaper, which read the whole
 * electorate again): 41.6 s, ratio 64 on SQLite (2026-12-05, shared 2-core machine, load ~4).
 */
import { join } from 'node:path';
import { enterPaperBatch, readPaperBatch } from '../src/domain/polls/paperBatch.ts';
import { createPoll } from '../src/domain/polls/polls.ts';
import { createBallotSeal } from '../src/domain/polls/secrecy.ts';
import { BallotBox } from '../src/domain/polls/voting.ts';
import { applyImport } from '../src/domain/register/apply.ts';
import { readRegisterFile } from '../src/domain/register/import.ts';
import { planImport } from '../src/domain/register/plan.ts';
import { makeCommunity, OPERATOR } from '../tests/support/fixtures.ts';
import { freshDatabase, tempDir } from '../tests/support/harness.ts';
import { generatedCsv, registerCsv } from '../tests/unit/features/register/files.ts';
import { newPostgresTestDatabase } from '../tests/support/testDatabase.ts';
import { withPostgresRow } from './support/benchEngines.ts';
import type { BenchResult } from './types.ts';

const HOUSEHOLDS = 3000;
/** Households whose ballot was entered one by one before the file (refused in it). */
const ENTERED_BEFORE = 30;
const BY = { actor: OPERATOR, via: 'bench' };

/** Imports the register, then enters the file and dry-runs it again, on the database `target` (a SQLite file or a PostgreSQL URL). */
async function measure(target: string) {
  const { db } = await freshDatabase(target);
  const community = await makeCommunity(db);

  const importStart = performance.now();
  const table = await readRegisterFile({ name: '住户名册.csv', bytes: generatedCsv(HOUSEHOLDS) }, community);
  const plan = await planImport(db, community.id, table.rows, table.facts);
  await applyImport(db, OPERATOR, 'bench', community.id, { rows: table.rows, facts: table.facts, expectedFingerprint: plan.fingerprint }, new Date());
  const importMs = performance.now() - importStart;

  const now = new Date();
  const poll = await createPoll(
    db,
    BY,
    community.id,
    { question: '是否同意增设电动自行车充电棚？', options: 'standard', maxChoices: 1, electorate: 'households', anonymous: false, allowChange: true, closesAt: new Date(now.getTime() + 86_400_000), quorum: { kind: 'none' }, rule: 'majority', liveResults: false },
    now,
  );
  const box = new BallotBox(db, createBallotSeal(async () => Buffer.alloc(32, 7)));
  const units = (await db.household.findMany({ where: { communityId: community.id }, select: { unit: true }, orderBy: { unit: 'asc' } })).map((h) => h.unit);
  for (const unit of units.slice(0, ENTERED_BEFORE)) await box.enterPaper(BY, poll.id, { unit }, [2], now);
  const file = registerCsv([['房号', '选项'], ...units.map((u, i) => [u, i % 3 === 0 ? '反对' : '1'])]);

  const start = performance.now();
  const report = await enterPaperBatch(db, box, BY, poll.id, await readPaperBatch(file, '回收选票.csv'), now);
  const enterMs = performance.now() - start;
  const stored = await db.pollParticipation.count({ where: { pollId: poll.id, source: 'paper' } });
  const audited = await db.auditEntry.count({ where: { targetId: poll.id, action: 'poll.paper_entry' } });

  const dryStart = performance.now();
  const dry = await enterPaperBatch(db, box, BY, poll.id, await readPaperBatch(file, '回收选票.csv'), now, { dryRun: true });
  const dryMs = performance.now() - dryStart;
  await db.$disconnect();
  const complete = report.entered.length === HOUSEHOLDS - ENTERED_BEFORE && report.refused.length === ENTERED_BEFORE && stored === HOUSEHOLDS && audited === HOUSEHOLDS;
  return { importMs, enterMs, dryMs, report, dry, complete };
}

export async function run(): Promise<BenchResult[]> {
  const dir = tempDir('linli-bench-paper-');
  const m = await measure(join(dir, 'paper.db'));
  const baseline = { name: `register import of the same ${HOUSEHOLDS.toLocaleString('en')} households from CSV (read + plan + apply)`, value: m.importMs, unit: 'ms' };
  const results: BenchResult[] = [
    {
      name: `${HOUSEHOLDS.toLocaleString('en')} returned ballots from one CSV: ${m.report.entered.length} entered, ${m.report.refused.length} refused (read + check + enter)`,
      value: m.enterMs,
      unit: 'ms',
      baseline,
      ratio: m.enterMs / m.importMs,
      target: '< 3× the register import, every row entered or refused',
      pass: m.enterMs < 3 * m.importMs && m.complete,
    },
    {
      name: `the same file again, dry run: ${m.dry.refused.length} refused as already voted, nothing written`,
      value: m.dryMs,
      unit: 'ms',
      baseline,
      ratio: m.dryMs / m.importMs,
      target: '< the register import',
      pass: m.dryMs < m.importMs && m.dry.refused.length === HOUSEHOLDS,
    },
  ];
  return withPostgresRow('paper ballots from a file', results, async (server) => {
    const pg = await measure(await newPostgresTestDatabase(server));
    return {
      name: `${HOUSEHOLDS.toLocaleString('en')} returned ballots from one CSV on PostgreSQL (read + check + enter)`,
      value: pg.enterMs,
      unit: 'ms',
      baseline: { name: 'the same register import on PostgreSQL', value: pg.importMs, unit: 'ms' },
      ratio: pg.enterMs / pg.importMs,
      target: 'every row entered or refused (no ratio target for PostgreSQL)',
      pass: pg.complete,
    };
  });
}
