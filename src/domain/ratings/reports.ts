/**
 * Satisfaction reports: the arithmetic the committee acts on.
 *
 * Satisfaction rate = (非常满意 + 满意) / all answers, kept as a fraction of two integers so the
 * threshold comparison is exact: "below 60%" is decided as satisfied × 10000 < 6000 × answers,
 * never by comparing floating-point shares (18/30 is exactly 60%, not 59.999…%). The flag —
 * the basis of a veto (一票否决) under the rules — applies only with enough answers; below that
 * the report says the sample is too small instead of passing a verdict.
 */
import type { Db } from '../../db/client.ts';
import type { Community } from '../../generated/prisma/client.ts';
import { parseDimensions, SCALE } from './ratings.ts';
import { periodsUpTo } from './periods.ts';

/** Answers per score, 5 (非常满意) … 1 (非常不满意). */
export type Distribution = Record<1 | 2 | 3 | 4 | 5, number>;

/** The figures of one target in one period. */
export interface RatingSummary {
  answers: number;
  distribution: Distribution;
  /** 非常满意 + 满意. */
  satisfied: number;
  /** satisfied / answers, or null without answers. */
  rate: number | null;
  /** Mean overall score 1..5, or null without answers. */
  mean: number | null;
  /** Mean per dimension over the answers that scored it, in the community's dimension order. */
  dimensions: { key: string; answers: number; mean: number | null }[];
}

/** none: no answers; too_few: under the minimum; below: under the threshold; ok. */
export type ThresholdVerdict = 'none' | 'too_few' | 'below' | 'ok';

/** Summarises ratings. Pure: the tests check the arithmetic here. */
export function summarize(rows: { overall: number; dimensions?: string | null }[], dimensionKeys: string[] = []): RatingSummary {
  const distribution: Distribution = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  let sum = 0;
  const dimSums = new Map<string, { n: number; sum: number }>(dimensionKeys.map((k) => [k, { n: 0, sum: 0 }]));
  for (const row of rows) {
    distribution[row.overall as keyof Distribution]++;
    sum += row.overall;
    for (const [key, value] of Object.entries(parseDimensions(row.dimensions ?? null))) {
      const acc = dimSums.get(key);
      if (!acc) continue; // a dimension the community no longer asks about
      acc.n++;
      acc.sum += value;
    }
  }
  const answers = rows.length;
  const satisfied = distribution[5] + distribution[4];
  return {
    answers,
    distribution,
    satisfied,
    rate: answers ? satisfied / answers : null,
    mean: answers ? sum / answers : null,
    dimensions: [...dimSums].map(([key, acc]) => ({ key, answers: acc.n, mean: acc.n ? acc.sum / acc.n : null })),
  };
}

/** The community's rule: flag below `threshold` (0..1) once there are `minAnswers` answers. */
export interface ThresholdRule {
  threshold: number;
  minAnswers: number;
}

/** The rule of a community. */
export function ruleOf(community: Pick<Community, 'ratingThreshold' | 'ratingMinAnswers'>): ThresholdRule {
  return { threshold: community.ratingThreshold, minAnswers: community.ratingMinAnswers };
}

/** Exactly at the threshold is not below it; compared in integers (basis points). */
export function verdict(summary: Pick<RatingSummary, 'answers' | 'satisfied'>, rule: ThresholdRule): ThresholdVerdict {
  if (summary.answers === 0) return 'none';
  if (summary.answers < Math.max(1, rule.minAnswers)) return 'too_few';
  const thresholdBp = Math.round(rule.threshold * 10_000);
  return summary.satisfied * 10_000 < thresholdBp * summary.answers ? 'below' : 'ok';
}

/** The summary of a target in a period (all answers, comments aside). */
export async function targetSummary(db: Db, targetId: string, period: string, dimensionKeys: string[]): Promise<RatingSummary> {
  const rows = await db.rating.findMany({ where: { targetId, period }, select: { overall: true, dimensions: true } });
  return summarize(rows, dimensionKeys);
}

/** One point of a trend. */
export interface TrendPoint {
  period: string;
  answers: number;
  rate: number | null;
}

/** The satisfaction rate of a target over `count` periods ending with `last`, oldest first. */
export async function trend(db: Db, targetId: string, last: string, count = 6): Promise<TrendPoint[]> {
  const periods = periodsUpTo(last, count);
  const groups = await db.rating.groupBy({ by: ['period', 'overall'], where: { targetId, period: { in: periods } }, _count: { _all: true } });
  return periods.map((period) => {
    const mine = groups.filter((g) => g.period === period);
    const answers = mine.reduce((n, g) => n + g._count._all, 0);
    const satisfied = mine.filter((g) => g.overall >= SCALE[1]).reduce((n, g) => n + g._count._all, 0);
    return { period, answers, rate: answers ? satisfied / answers : null };
  });
}

/** Approved comments of a target in a period, newest first — the only ones shown in public. */
export function approvedComments(db: Db, targetId: string, period: string, take = 5): Promise<{ comment: string | null; overall: number }[]> {
  return db.rating.findMany({
    where: { targetId, period, commentStatus: 'approved', comment: { not: null } },
    select: { comment: true, overall: true },
    orderBy: { updatedAt: 'desc' },
    take,
  });
}
