/**
 * Entering a stack of 3,000 returned paper ballots from one file (issue 16, item 5): a whole
 * community's household poll returned on paper, as `linli poll paper --file` and /paper's 上传登记表
 * enter it — the file read, every row checked, the good ones entered (a participation, a ballot,
 * its choice and an audit entry each) and the rest refused by row. 30 of the households entered a
 * ballot by hand before, so 30 rows are refused as "already voted" and 2,970 entered. Then the
 * same file again as a dry run (every row refused, nothing written). Baseline in the same run:
 * importing a register of the same 3,000 households from CSV (read + plan + apply), the other
 * file a committee hands Linli; the ratio says how the ballot entry compares with it.
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
import type { BenchResult } from './types.ts';

const HOUSEHOLDS = 3000;
/** Households whose ballot was entered one by one before the file (refused in it). */
const ENTERED_BEFORE = 30;
const BY = { actor: OPERATOR, via: 'bench' };

export async function run(): Promise<BenchResult[]> {
  const dir = tempDir('linli-bench-paper-');
  const { db } = await freshDatabase(join(dir, 'paper.db'));
  const community = await makeCommunity(db);

  const importStart = performance.now();
  const table = await readRegisterFile({ name: '住户名册.csv', bytes: generatedCsv(HOUSEHOLDS) }, community);
  const plan = await planImport(db, community.id, table.rows, table.facts);
  await applyImport(db, OPERATOR, 'bench', community.id, { rows: table.rows, facts: table.facts, expectedFingerprint: plan.fingerprint }, new Date());
  const importMs = performance.now() - importStart;
  const baseline = { name: `register import of the same ${HOUSEHOLDS.toLocaleString('en')} households from CSV (read + plan + apply)`, value: importMs, unit: 'ms' };

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

  const entered = HOUSEHOLDS - ENTERED_BEFORE;
  return [
    {
      name: `${HOUSEHOLDS.toLocaleString('en')} returned ballots from one CSV: ${report.entered.length} entered, ${report.refused.length} refused (read + check + enter)`,
      value: enterMs,
      unit: 'ms',
      baseline,
      ratio: enterMs / importMs,
      target: '< 3× the register import, every row entered or refused',
      pass: enterMs < 3 * importMs && report.entered.length === entered && report.refused.length === ENTERED_BEFORE && stored === HOUSEHOLDS && audited === HOUSEHOLDS,
    },
    {
      name: `the same file again, dry run: ${dry.refused.length} refused as already voted, nothing written`,
      value: dryMs,
      unit: 'ms',
      baseline,
      ratio: dryMs / importMs,
      target: '< the register import',
      pass: dryMs < importMs && dry.refused.length === HOUSEHOLDS,
    },
  ];
}
