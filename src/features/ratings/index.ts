/**
 * 满意度评议 in chat: /rate (residents), /ratings (committee and staff reports), /ratingtargets,
 * /ratingcampaign and /ratingcomments (committee), the campaign button, the job that closes
 * campaigns, the digest section, the staff export, and project targets from completed proposals.
 * The rules live in src/domain/ratings; this file only translates between chat and domain.
 */
import type { Ctx } from '../../core/context.ts';
import { DomainError } from '../../domain/errors.ts';
import type { ExporterDef } from '../../core/feature.ts';
import type { Feature } from '../feature.ts';
import type { Button } from '../../platform/messages.ts';
import { writeTableToBuffer } from '../../export/table.ts';
import { can, requirePermission } from '../../domain/residents/permissions.ts';
import { openCampaigns } from '../../domain/ratings/campaigns.ts';
import { parsePeriod, periodOf } from '../../domain/ratings/periods.ts';
import { countPendingComments, dimensionsOf, pendingComments, ratingPeriod, reviewComment, scoreLabel } from '../../domain/ratings/ratings.ts';
import { ruleOf, targetSummary, trend, verdict } from '../../domain/ratings/reports.ts';
import { ensureDefaultTargets, ensureProjectTarget, listTargets, setTargetActive, targetIn, targetLabel } from '../../domain/ratings/targets.ts';
import { rateScene } from '../../../scenes/rate.ts';
import { ratingCampaignScene } from '../../../scenes/ratingCampaign.ts';
import { ratingTargetScene } from '../../../scenes/ratingTarget.ts';
import { closeDueCampaigns } from './campaigns.ts';
import { exportFileName, ratedPeriods, ratingSheets } from './export.ts';
import { changeLine, rateAction, summaryLines, trendChart, verdictLine } from './render.ts';

/** Name of the job that closes campaigns. */
export const CLOSE_JOB = 'ratings-close-campaigns';

function currentPeriod(ctx: Ctx): string {
  return periodOf(ctx.services.clock(), ctx.services.config.LINLI_TIMEZONE);
}

/** Reports hold pending figures and the veto flag: committee and staff, in a private chat. */
function reportCommunity(ctx: Ctx) {
  const community = ctx.requireCommunity();
  requirePermission(ctx.actor, 'rating.report', community.id);
  if (ctx.chat.kind !== 'private') throw new DomainError('ratings.private_only');
  return community;
}

function manageCommunity(ctx: Ctx) {
  const community = ctx.requireCommunity();
  requirePermission(ctx.actor, 'rating.manage', community.id);
  if (ctx.chat.kind !== 'private') throw new DomainError('ratings.private_only');
  return community;
}

/** /ratings [period]: one block per target, with a button for the detailed report and trend. */
async function overview(ctx: Ctx, args: string): Promise<void> {
  const community = reportCommunity(ctx);
  const { db } = ctx.services;
  const period = args.trim() ? parsePeriod(args) : currentPeriod(ctx);
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
    buttons.push([{ label: ctx.t('ratings.report_detail', { target: targetLabel(ctx.t, target) }), action: `rt:rep:${target.id}:${period}` }]);
  }
  const pending = await countPendingComments(db, community.id);
  if (pending) lines.push('', ctx.t('ratings.report_pending_comments', { n: pending }));
  await ctx.reply({ text: lines.join('\n'), buttons: buttons.slice(0, 20) });
}

/** The detailed report of one target: figures, dimensions, verdict, change and trend chart. */
async function detail(ctx: Ctx, targetId: string, rawPeriod: string): Promise<void> {
  const community = reportCommunity(ctx);
  const { db } = ctx.services;
  const period = parsePeriod(rawPeriod ?? '');
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

/** /ratingtargets: the community's targets with their management buttons. */
async function targetsList(ctx: Ctx): Promise<void> {
  const community = manageCommunity(ctx);
  const { db } = ctx.services;
  await ensureDefaultTargets(db, community.id);
  const targets = await listTargets(db, community.id);
  const lines = [ctx.t('ratings.targets_title', { community: community.name })];
  const buttons: Button[][] = [];
  targets.slice(0, 15).forEach((target, i) => {
    const label = targetLabel(ctx.t, target);
    lines.push(ctx.t(target.active ? 'ratings.targets_line' : 'ratings.targets_line_inactive', { i: i + 1, target: label, kind: ctx.t(`ratings.kind.${target.kind}`) }));
    buttons.push([
      { label: ctx.t('ratings.btn_rename', { i: i + 1 }), action: `rt:ren:${target.id}` },
      target.active ? { label: ctx.t('ratings.btn_deactivate', { i: i + 1 }), action: `rt:off:${target.id}` } : { label: ctx.t('ratings.btn_activate', { i: i + 1 }), action: `rt:on:${target.id}` },
      ...(target.active ? [{ label: ctx.t('ratings.btn_campaign', { i: i + 1 }), action: `rt:camp:${target.id}` }] : []),
    ]);
  });
  buttons.push([{ label: ctx.t('ratings.btn_add'), action: 'rt:add' }]);
  await ctx.reply({ text: lines.join('\n'), buttons });
}

/** /ratingcomments: the moderation queue, one message per comment with approve / hide. */
async function commentsQueue(ctx: Ctx): Promise<void> {
  const community = manageCommunity(ctx);
  const { db } = ctx.services;
  const pending = await pendingComments(db, community.id, 5);
  if (!pending.length) return void (await ctx.reply(ctx.t('ratings.queue_empty')));
  const total = await countPendingComments(db, community.id);
  await ctx.reply(ctx.t('ratings.queue_title', { n: total, shown: pending.length }));
  for (const r of pending) {
    await ctx.reply({
      text: ctx.t('ratings.queue_item', { target: targetLabel(ctx.t, r.target), period: r.period, answer: scoreLabel(ctx.t, r.overall), comment: r.comment }),
      buttons: [[
        { label: ctx.t('ratings.approve'), action: `rt:ok:${r.id}` },
        { label: ctx.t('ratings.hide'), action: `rt:hide:${r.id}` },
      ]],
    });
  }
}

/** The campaign button (in a group or a digest): checks, then the scene in the private chat. */
async function rateButton(ctx: Ctx, targetId: string): Promise<void> {
  const community = ctx.requireCommunity();
  requirePermission(ctx.actor, 'rating.submit', community.id);
  const target = await targetIn(ctx.services.db, community.id, targetId ?? '');
  if (!target.active) throw new DomainError('ratings.target_inactive');
  await ratingPeriod(ctx.services.db, target, ctx.services.clock(), ctx.services.config.LINLI_TIMEZONE);
  if (ctx.chat.kind === 'group') {
    // Verified residents have talked to the bot privately (that is where codes are redeemed),
    // so the questions go straight there instead of a hand-off message in the group.
    await ctx.toast(ctx.t('ratings.continue_private'));
    return ctx.services.scenes.start(ctx.privateCtx(), 'rate', target.id);
  }
  await ctx.toast('');
  return ctx.services.scenes.start(ctx, 'rate', target.id);
}

const ratingsExporter: ExporterDef = {
  id: 'ratings',
  label: 'ratings.export_label',
  async items(ctx, communityId) {
    const periods = await ratedPeriods(ctx.services.db, communityId);
    return [{ id: 'all', label: ctx.t('ratings.export_all_periods') }, ...periods.slice(0, 12).map((p) => ({ id: p, label: p }))];
  },
  async build(ctx, communityId, itemId, format) {
    const community = await ctx.services.db.community.findUniqueOrThrow({ where: { id: communityId } });
    const period = itemId && itemId !== 'all' ? parsePeriod(itemId) : null;
    const sheets = await ratingSheets(ctx.services.db, ctx.t, communityId, period);
    return { name: exportFileName(community.slug, period, format), data: await writeTableToBuffer({ format, sheets }) };
  },
};

/** The ratings feature. */
export const ratingsFeature: Feature = {
  name: 'ratings',
  scenes: [rateScene, ratingCampaignScene, ratingTargetScene],
  commands: [
    {
      name: 'rate',
      description: 'ratings.command_rate',
      menu: true,
      order: 30,
      visible: (ctx) => can(ctx.actor, 'rating.submit', ctx.community?.id),
      run: (ctx) => ctx.services.scenes.start(ctx, 'rate'),
    },
    {
      name: 'ratings',
      description: 'ratings.command_ratings',
      order: 55,
      visible: (ctx) => ctx.chat.kind === 'private' && can(ctx.actor, 'rating.report', ctx.community?.id),
      run: overview,
    },
    {
      name: 'ratingtargets',
      description: 'ratings.command_targets',
      order: 56,
      visible: (ctx) => ctx.chat.kind === 'private' && can(ctx.actor, 'rating.manage', ctx.community?.id),
      run: targetsList,
    },
    {
      name: 'ratingcampaign',
      description: 'ratings.command_campaign',
      order: 57,
      visible: (ctx) => can(ctx.actor, 'rating.manage', ctx.community?.id),
      async run(ctx) {
        requirePermission(ctx.actor, 'rating.manage', ctx.requireCommunity().id);
        await ctx.services.scenes.start(ctx, 'ratingcampaign');
      },
    },
    {
      name: 'ratingcomments',
      description: 'ratings.command_comments',
      order: 58,
      visible: (ctx) => ctx.chat.kind === 'private' && can(ctx.actor, 'rating.manage', ctx.community?.id),
      run: commentsQueue,
    },
  ],
  legacyActions: [
    {
      prefix: 'rt',
      async run(ctx, [verb, id, extra]) {
        const { db, clock } = ctx.services;
        const by = { actor: ctx.actor, via: ctx.via };
        switch (verb) {
          case 'go':
            return rateButton(ctx, id);
          case 'rep':
            await ctx.toast('');
            return detail(ctx, id, extra);
          case 'ok':
          case 'hide': {
            const rating = await reviewComment(db, by, id ?? '', verb === 'ok' ? 'approved' : 'hidden', clock());
            await ctx.toast(ctx.t(verb === 'ok' ? 'ratings.approved' : 'ratings.hidden', { target: targetLabel(ctx.t, rating.target) }), true);
            return;
          }
          case 'off':
          case 'on': {
            const community = manageCommunity(ctx);
            const target = await setTargetActive(db, by, community.id, id ?? '', verb === 'on');
            await ctx.toast('');
            await ctx.reply(ctx.t(verb === 'on' ? 'ratings.target_activated' : 'ratings.target_deactivated', { target: targetLabel(ctx.t, target) }));
            return;
          }
          case 'ren':
            manageCommunity(ctx);
            await ctx.toast('');
            return ctx.services.scenes.start(ctx, 'ratingtarget', id ?? '');
          case 'add':
            manageCommunity(ctx);
            await ctx.toast('');
            return ctx.services.scenes.start(ctx, 'ratingtarget');
          case 'camp':
            manageCommunity(ctx);
            await ctx.toast('');
            return ctx.services.scenes.start(ctx, 'ratingcampaign', id ?? '');
          default:
            return ctx.toast(ctx.t('errors.stale_button'));
        }
      },
    },
  ],
  jobs: [{ name: CLOSE_JOB, cron: '*/5 * * * *', run: (services, now) => closeDueCampaigns(services, now).then(() => undefined) }],
  on: {
    'proposal.completed': async (services, payload) => {
      await ensureProjectTarget(services.db, payload);
    },
  },
  async digest(services, query) {
    const { db, i18n } = services;
    const t = i18n.bind(query.locale);
    const open = await openCampaigns(db, query.communityId, services.clock());
    const closed = await db.ratingCampaign.findMany({
      where: { communityId: query.communityId, status: 'closed', closedAt: { gte: query.from, lt: query.to } },
      include: { target: true },
      orderBy: { closedAt: 'asc' },
    });
    if (!open.length && !closed.length) return null;
    const community = await db.community.findUniqueOrThrow({ where: { id: query.communityId } });
    const lines: string[] = [];
    for (const c of open) lines.push(t('ratings.digest_open', { target: targetLabel(t, c.target), period: c.period, when: c.closesAt }));
    for (const c of closed) {
      const s = await targetSummary(db, c.targetId, c.period, dimensionsOf(community));
      lines.push(s.answers ? t('ratings.digest_closed', { target: targetLabel(t, c.target), period: c.period, n: s.answers, share: s.rate }) : t('ratings.digest_closed_empty', { target: targetLabel(t, c.target), period: c.period }));
    }
    return {
      title: t('ratings.digest_title'),
      lines,
      buttons: open.slice(0, 4).map((c) => ({ label: t('ratings.digest_rate_button', { target: targetLabel(t, c.target) }), action: rateAction(c.targetId) })),
      items: open.length + closed.length,
    };
  },
  exporters: [ratingsExporter],
};
