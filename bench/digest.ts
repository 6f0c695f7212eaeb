/**
 * Digest benchmark: building a community's weekly digest when the week holds 10,000 items
 * (announcements — the section this branch owns; other features' sections add their own
 * queries), target < 1 s including the chart image, next to a baseline measured in the same
 * run: a raw SQL count over the same rows.
 */
import { createLinli } from '../src/app/createLinli.ts';
import { loadConfig } from '../src/config.ts';
import { buildDigest } from '../src/features/digest/digest.ts';
import { createLogger } from '../src/log.ts';
import { freshDatabase } from '../tests/support/harness.ts';
import { makeCommunity } from '../tests/support/fixtures.ts';
import type { BenchResult } from './types.ts';


const ITEMS = 10_000;
const RUNS = 5;
const WEEK = { year: 2026, week: 47 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function run(): Promise<BenchResult[]> {
  const { db, file } = await freshDatabase();
  try {
    const config = loadConfig({ DATABASE_URL: `file:${file}`, LOG_LEVEL: 'silent' });
    const linli = await createLinli({ config, db, log: createLogger('silent'), telegram: false, wechat: false, schedule: false });
    const community = await makeCommunity(db);
    const from = Date.parse('2026-11-15T16:00:00Z'); // W47 in Shanghai
    const rows = Array.from({ length: ITEMS }, (_, i) => ({
      communityId: community.id,
      text: `第${i}号通知：${i % 50}栋电梯例行维保，请居民合理安排出行。`,
      status: 'sent',
      sendAt: new Date(from + Math.floor((i / ITEMS) * 7 * 86_400_000)),
    }));
    for (let i = 0; i < rows.length; i += 1000) await db.announcement.createMany({ data: rows.slice(i, i + 1000) });

    await buildDigest(linli.services, community, WEEK, 'zh-CN'); // warm-up (fonts, statements)
    const full: number[] = [];
    const text: number[] = [];
    const raw: number[] = [];
    let items = 0;
    for (let r = 0; r < RUNS; r++) {
      let t = performance.now();
      const d = await buildDigest(linli.services, community, WEEK, 'zh-CN');
      full.push(performance.now() - t);
      items = d.sections.reduce((n, s) => n + s.items, 0);
      t = performance.now();
      await buildDigest(linli.services, community, WEEK, 'zh-CN', { chart: false });
      text.push(performance.now() - t);
      t = performance.now();
      await db.$queryRaw`SELECT COUNT(*) AS n FROM "Announcement" WHERE "communityId" = ${community.id} AND status = 'sent' AND "sendAt" >= ${new Date(from)} AND "sendAt" < ${new Date(from + 7 * 86_400_000)}`;
      raw.push(performance.now() - t);
    }
    const baseline = { name: 'raw SQL count over the same rows', value: round(median(raw)), unit: 'ms' };
    return [
      {
        name: `digest for a community with ${items} items in the week, with chart (median of ${RUNS})`,
        value: round(median(full)),
        unit: 'ms',
        baseline,
        ratio: round(median(full) / median(raw)),
        target: '< 1000 ms',
        pass: median(full) < 1000 && items === ITEMS,
      },
      { name: `digest text only, ${items} items (median of ${RUNS})`, value: round(median(text)), unit: 'ms', baseline, ratio: round(median(text) / median(raw)) },
    ];
  } finally {
    await db.$disconnect();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
