/**
 * The ratings spreadsheet: a summary per target and period, and every answer without any
 * identity (no rater, no timestamp; comments only once approved). Shared by the staff /export
 * in chat and `linli export ratings`.
 */
import type { ExporterDef } from '../../core/feature.ts';
import { readableFileName } from '../../export/fileName.ts';
import type { Db } from '../../db/client.ts';
import { writeTableToBuffer, type TableColumn, type TableRow, type TableSheet } from '../../export/table.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { parsePeriod } from '../../domain/ratings/periods.ts';
import { dimensionLabel, dimensionsOf, parseDimensions, SCALE, scoreLabel } from '../../domain/ratings/ratings.ts';
import { ruleOf, summarize, verdict } from '../../domain/ratings/reports.ts';
import { targetLabel } from '../../domain/ratings/targets.ts';

/** Periods that have ratings in the community, newest first. */
export async function ratedPeriods(db: Db, communityId: string): Promise<string[]> {
  const rows = await db.rating.groupBy({ by: ['period'], where: { target: { communityId } } });
  return rows.map((r) => r.period).sort().reverse();
}

/** The sheets of the export (all periods when `period` is null). */
export async function ratingSheets(db: Db, t: TFn, communityId: string, period: string | null): Promise<TableSheet[]> {
  const community = await db.community.findUniqueOrThrow({ where: { id: communityId } });
  const keys = dimensionsOf(community);
  const rule = ruleOf(community);
  const targets = await db.ratingTarget.findMany({ where: { communityId }, orderBy: { createdAt: 'asc' } });
  const byId = new Map(targets.map((x) => [x.id, x]));
  const ratings = await db.rating.findMany({
    where: { target: { communityId }, ...(period ? { period } : {}) },
    select: { targetId: true, period: true, overall: true, dimensions: true, comment: true, commentStatus: true },
    orderBy: [{ period: 'asc' }, { targetId: 'asc' }, { overall: 'desc' }, { id: 'asc' }],
  });

  const groups = new Map<string, typeof ratings>();
  for (const r of ratings) {
    const key = `${r.period}\u0000${r.targetId}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const summaryRows: TableRow[] = [];
  for (const [key, rows] of groups) {
    const [p, targetId] = key.split('\u0000');
    const target = byId.get(targetId)!;
    const s = summarize(rows, keys);
    const row: TableRow = {
      period: t('ratings.period_label', { period: p }),
      target: targetLabel(t, target),
      kind: t(`ratings.kind.${target.kind}`),
      answers: s.answers,
      rate: s.rate === null ? null : Math.round(s.rate * 10_000) / 10_000,
      mean: s.mean === null ? null : Math.round(s.mean * 100) / 100,
      verdict: t(`ratings.verdict_short_${verdict(s, rule)}`),
    };
    for (const score of SCALE) row[`s${score}`] = s.distribution[score];
    for (const d of s.dimensions) row[`d_${d.key}`] = d.mean === null ? null : Math.round(d.mean * 100) / 100;
    summaryRows.push(row);
  }
  const dimColumns: TableColumn[] = keys.map((k) => ({ key: `d_${k}`, header: dimensionLabel(t, k) }));
  const summary: TableSheet = {
    name: t('ratings.sheet_summary'),
    columns: [
      { key: 'period', header: t('ratings.col_period') },
      { key: 'target', header: t('ratings.col_target') },
      { key: 'kind', header: t('ratings.col_kind') },
      { key: 'answers', header: t('ratings.col_answers') },
      ...SCALE.map((s) => ({ key: `s${s}`, header: scoreLabel(t, s) })),
      { key: 'rate', header: t('ratings.col_rate'), kind: 'percent' },
      { key: 'mean', header: t('ratings.col_mean') },
      ...dimColumns,
      { key: 'verdict', header: t('ratings.col_verdict') },
    ],
    rows: summaryRows,
  };
  const answers: TableSheet = {
    name: t('ratings.sheet_answers'),
    columns: [
      { key: 'period', header: t('ratings.col_period') },
      { key: 'target', header: t('ratings.col_target') },
      { key: 'score', header: t('ratings.col_score') },
      { key: 'answer', header: t('ratings.col_answer') },
      ...dimColumns,
      { key: 'comment', header: t('ratings.col_comment') },
    ],
    rows: ratings.map((r) => {
      const dims = parseDimensions(r.dimensions);
      const row: TableRow = {
        period: t('ratings.period_label', { period: r.period }),
        target: targetLabel(t, byId.get(r.targetId)!),
        score: r.overall,
        answer: scoreLabel(t, r.overall),
        comment: r.commentStatus === 'approved' ? r.comment : null,
      };
      for (const k of keys) row[`d_${k}`] = dims[k] ?? null;
      return row;
    }),
  };
  return [summary, answers];
}

/** File name of an export: 满意度评议-巴登社区-2026Q4.xlsx in the reader's language. */
export function exportFileName(t: TFn, communityName: string, period: string | null, format: 'csv' | 'xlsx'): string {
  return readableFileName(period ? t('exports.file_ratings', { community: communityName, period }) : t('exports.file_ratings_all', { community: communityName }), format);
}

/** The staff export in /export: all periods, or one of the last twelve. */
export const ratingsExporter: ExporterDef = {
  id: 'ratings',
  label: 'ratings.export_label',
  async items(ctx, communityId) {
    const periods = await ratedPeriods(ctx.services.db, communityId);
    return [{ id: 'all', label: ctx.t('ratings.export_all_periods') }, ...periods.slice(0, 12).map((p) => ({ id: p, label: ctx.t('ratings.period_label', { period: p }) }))];
  },
  async build(ctx, communityId, itemId, format) {
    const community = await ctx.services.db.community.findUniqueOrThrow({ where: { id: communityId } });
    const period = itemId && itemId !== 'all' ? parsePeriod(itemId) : null;
    const sheets = await ratingSheets(ctx.services.db, ctx.t, communityId, period);
    return { name: exportFileName(ctx.t, community.name, period, format), data: await writeTableToBuffer({ format, sheets }) };
  },
};
