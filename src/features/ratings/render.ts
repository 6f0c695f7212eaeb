/**
 * Words and pictures of ratings: the summary block shared by /ratings, the public summary when a
 * campaign closes and the digest; the trend chart. Text only through i18n (ratings.json).
 */
import { readScope, scopeLine } from '../../domain/register/scope.ts';
import { renderLineChart } from '../../charts/lineChart.ts';
import type { Button, OutMessage } from '../../platform/messages.ts';
import type { Community, RatingCampaign, RatingTarget } from '../../generated/prisma/client.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { dimensionLabel, SCALE, scoreLabel } from '../../domain/ratings/ratings.ts';
import type { RatingSummary, ThresholdRule, ThresholdVerdict, TrendPoint } from '../../domain/ratings/reports.ts';
import { targetLabel } from '../../domain/ratings/targets.ts';
import { rateTarget } from './actions.ts';

/** Button data that starts the rating scene for a target. */
export const rateAction = (targetId: string) => rateTarget.pack({ target: targetId });

/** A mean score rounded to two decimals for display. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The figures of a summary, one per line (no verdict). */
export function summaryLines(t: TFn, summary: RatingSummary, dimensionKeys: string[] = summary.dimensions.map((d) => d.key)): string[] {
  if (!summary.answers) return [t('ratings.no_answers')];
  const lines = [
    t('ratings.line_answers', { n: summary.answers }),
    t('ratings.line_rate', { share: summary.rate, satisfied: summary.satisfied }),
    t('ratings.line_mean', { n: round2(summary.mean!) }),
    t('ratings.line_distribution', {
      parts: SCALE.map((s) => t('ratings.distribution_part', { label: scoreLabel(t, s), n: summary.distribution[s] })).join(t('ratings.separator')),
    }),
  ];
  const dims = summary.dimensions.filter((d) => d.mean !== null && dimensionKeys.includes(d.key));
  if (dims.length) {
    lines.push(
      t('ratings.line_dimensions', {
        parts: dims.map((d) => t('ratings.dimension_part', { label: dimensionLabel(t, d.key), n: round2(d.mean!), answers: d.answers })).join(t('ratings.separator')),
      }),
    );
  }
  return lines;
}

/** The threshold sentence of a committee report. */
export function verdictLine(t: TFn, verdict: ThresholdVerdict, rule: ThresholdRule): string {
  return t(`ratings.verdict_${verdict}`, { threshold: rule.threshold, min: rule.minAnswers });
}

/** "Up 5.2 points on 2026Q3" or nothing when either period had no answers. */
export function changeLine(t: TFn, points: TrendPoint[]): string | null {
  if (points.length < 2) return null;
  const [prev, cur] = points.slice(-2);
  if (prev.rate === null || cur.rate === null) return null;
  const diff = Math.round((cur.rate - prev.rate) * 1000) / 10;
  if (diff === 0) return t('ratings.change_same', { period: prev.period, share: prev.rate });
  return t(diff > 0 ? 'ratings.change_up' : 'ratings.change_down', { period: prev.period, share: prev.rate, points: Math.abs(diff) });
}

/** The trend chart: satisfaction rate in percent per period, with the threshold line. */
export function trendChart(t: TFn, target: RatingTarget, points: TrendPoint[], rule: ThresholdRule): OutMessage['image'] {
  const data = renderLineChart({
    title: t('ratings.chart_title', { target: targetLabel(t, target) }),
    subtitle: t('ratings.chart_subtitle'),
    points: points.map((p) => ({ label: t('ratings.period_label', { period: p.period }), value: p.rate === null ? Number.NaN : p.rate * 100 })),
    min: 0,
    max: 100,
    valueFormat: (n) => `${Math.round(n * 10) / 10}%`,
    threshold: { value: rule.threshold * 100, label: t('ratings.chart_threshold', { share: rule.threshold }) },
  });
  return { data, name: `ratings-${target.id}.png` };
}

/** The announcement of a campaign in a group. */
export function campaignAnnouncement(t: TFn, community: Community, campaign: RatingCampaign, target: RatingTarget): OutMessage {
  const buttons: Button[][] = [[{ label: t('ratings.rate_button'), action: rateAction(target.id) }]];
  return {
    text: [t('ratings.campaign_announcement', { community: community.name, target: targetLabel(t, target), period: campaign.period, when: campaign.closesAt }), scopeLine(t, readScope(campaign.scope))]
      .filter(Boolean)
      .join('\n'),
    buttons,
  };
}

/** The announcement once the campaign closed (no button). */
export function campaignClosedAnnouncement(t: TFn, community: Community, campaign: RatingCampaign, target: RatingTarget): OutMessage {
  return { text: t('ratings.campaign_announcement_closed', { community: community.name, target: targetLabel(t, target), period: campaign.period, when: campaign.closesAt }) };
}
