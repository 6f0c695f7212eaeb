/**
 * The satisfaction report of a community for one quarter — per target the domain's summary,
 * verdict against the community's threshold and its trend — and the comments waiting for
 * moderation. The same functions /ratings and /ratingcomments use.
 */
import type { Db } from '../../../db/client.ts';
import { parsePeriod, periodOf, periodsUpTo } from '../../../domain/ratings/periods.ts';
import { countPendingComments, dimensionsOf, pendingComments } from '../../../domain/ratings/ratings.ts';
import { ruleOf, targetSummary, trend, verdict, type RatingSummary, type ThresholdRule, type ThresholdVerdict, type TrendPoint } from '../../../domain/ratings/reports.ts';
import { listTargets } from '../../../domain/ratings/targets.ts';
import type { Community, Rating, RatingTarget } from '../../../generated/prisma/client.ts';
import { isDomainError } from '../../../domain/errors.ts';

/** One target's figures in the period. */
export interface TargetReport {
  target: RatingTarget;
  summary: RatingSummary;
  verdict: ThresholdVerdict;
  trend: TrendPoint[];
}

/** The report page's data. */
export interface RatingsReport {
  period: string;
  periods: string[];
  rule: ThresholdRule;
  dimensionKeys: string[];
  targets: TargetReport[];
  pending: (Rating & { target: RatingTarget })[];
  pendingTotal: number;
}

/** The quarter asked for (2026Q3), else the current one. */
export function reportPeriod(raw: string | undefined, now: Date, timeZone: string): string {
  if (raw) {
    try {
      return parsePeriod(raw);
    } catch (err) {
      if (!isDomainError(err)) throw err;
    }
  }
  return periodOf(now, timeZone);
}

/** Reads the report of a period. */
export async function readRatings(db: Db, community: Community, period: string, now: Date, timeZone: string): Promise<RatingsReport> {
  const rule = ruleOf(community);
  const keys = dimensionsOf(community);
  const targets = await listTargets(db, community.id);
  const reports = await Promise.all(
    targets.map(async (target) => {
      const summary = await targetSummary(db, target.id, period, keys);
      return { target, summary, verdict: verdict(summary, rule), trend: await trend(db, target.id, period, 6) };
    }),
  );
  const [pending, pendingTotal] = await Promise.all([pendingComments(db, community.id, 20), countPendingComments(db, community.id)]);
  return {
    period,
    periods: periodsUpTo(periodOf(now, timeZone), 8).reverse(),
    rule,
    dimensionKeys: keys,
    // An inactive target with no answers this period has nothing to report (as in /ratings).
    targets: reports.filter((r) => r.target.active || r.summary.answers),
    pending,
    pendingTotal,
  };
}
