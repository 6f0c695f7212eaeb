/**
 * /ratings [period] for committee and staff, in a private chat: one block per target with its
 * verdict, and a button per target for the detailed report with the trend chart. Reports hold
 * figures still under moderation and the threshold flag, so they never go to a group.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type CommandDef } from '../../core/feature.ts';
import type { Button } from '../../platform/messages.ts';
import { parsePeriod, periodOf } from '../../domain/ratings/periods.ts';
import { countPendingComments, dimensionsOf } from '../../domain/ratings/ratings.ts';
import { ruleOf, targetSummary, trend, verdict } from '../../domain/ratings/reports.ts';
import { ensureDefaultTargets, listTargets, targetIn, targetLabel } from '../../domain/ratings/targets.ts';
import { privateCommand } from '../privateCommand.ts';
import { reportDetail } from './actions.ts';
import { requestsQuarterLines } from '../requests/ratingsSection.ts';
import { changeLine, summaryLines, trendChart, verdictLine } from './render.ts';

/** Most targets with a detail button (one row each). */
const MAX_DETAIL_BUTTONS = 20;

/** The overview of a period (the current one by default). */
async function overview(ctx: Ctx, args: string): Promise<void> {
  const community = ctx.requireCommunity();
  const { db, clock, config } = ctx.services;
  const period = args.trim() ? parsePeriod(args) : periodOf(clock(), config.LINLI_TIMEZONE);
  await ensureDefaultTargets(db, community.id);
  const keys = dimensionsOf(community);
  const rule = ruleOf(community);
  const targets = await listTargets(db, community.id);
  const lines = [ctx.t('ratings.report_title', { community: community.name, period })];
  const buttons: Button[][] = [];
  for (const target of targets) {
    const summary = await targetSummary(db, target.id, period, keys);
    if (!target.active && !summary.answers) continue;
    const v = verdict(summary, rule);
    lines.push(
      '',
      ctx.t(target.active ? 'ratings.report_target' : 'ratings.report_target_inactive', { target: targetLabel(ctx.t, target) }),
      summary.answers ? ctx.t('ratings.report_target_line', { n: summary.answers, share: summary.rate, mean: Math.round(summary.mean! * 100) / 100 }) : ctx.t('ratings.no_answers'),
      verdictLine(ctx.t, v, rule),
    );
    buttons.push([{ label: ctx.t('ratings.report_detail', { target: targetLabel(ctx.t, target) }), action: reportDetail.pack({ target: target.id, period }) }]);
  }
  // Residents' requests are judged with the services (seed 002: 系统考评): their monthly figures.
  lines.push(...(await requestsQuarterLines(ctx.services, ctx.t, community.id, period)));
  const pending = await countPendingComments(db, community.id);
  if (pending) lines.push('', ctx.t('ratings.report_pending_comments', { n: pending }));
  await ctx.reply({ text: lines.join('\n'), buttons: buttons.slice(0, MAX_DETAIL_BUTTONS) });
}

/** The detailed report of one target: figures, dimensions, verdict, change and trend chart. */
async function detail(ctx: Ctx, targetId: string, rawPeriod: string): Promise<void> {
  const community = ctx.requireCommunity();
  const { db } = ctx.services;
  const period = parsePeriod(rawPeriod);
  const target = await targetIn(db, community.id, targetId);
  const keys = dimensionsOf(community);
  const rule = ruleOf(community);
  const summary = await targetSummary(db, target.id, period, keys);
  const points = await trend(db, target.id, period, 6);
  const lines = [ctx.t('ratings.detail_title', { target: targetLabel(ctx.t, target), period }), ...summaryLines(ctx.t, summary, keys), verdictLine(ctx.t, verdict(summary, rule), rule)];
  const change = changeLine(ctx.t, points);
  if (change) lines.push(change);
  const image = points.some((p) => p.rate !== null) ? trendChart(ctx.t, target, points, rule) : undefined;
  await ctx.reply(image ? { text: lines.join('\n'), image } : { text: lines.join('\n') });
}

/** The /ratings command. */
export const ratingsCommand: CommandDef = privateCommand('ratings.private_only', {
  name: 'ratings',
  description: 'ratings.command_ratings',
  order: 55,
  permission: 'rating.report',
  run: overview,
});

/** A target's detail button under the overview. */
export const detailAction = onAction(
  reportDetail,
  async (ctx, { target, period }) => {
    await ctx.toast('');
    await detail(ctx, target, period);
  },
  { chat: 'private', permission: 'rating.report' },
);
