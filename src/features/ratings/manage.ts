/**
 * The committee's management of ratings, in a private chat: /ratingtargets (rename, switch
 * off and on, add, launch a campaign), /ratingcampaign (the campaign scene) and
 * /ratingcomments (approve or hide each comment before anyone else sees it).
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef, type CommandDef } from '../../core/feature.ts';
import type { Button } from '../../platform/messages.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { countPendingComments, pendingComments, reviewComment, scoreLabel } from '../../domain/ratings/ratings.ts';
import { ensureDefaultTargets, listTargets, setTargetActive, targetLabel } from '../../domain/ratings/targets.ts';
import { privateCommand } from '../privateCommand.ts';
import { activateTarget, addTarget, approveComment, campaignFor, deactivateTarget, hideComment, renameTarget } from './actions.ts';

/** Targets listed at most (three buttons each). */
const MAX_TARGETS = 15;
/** Comments shown per /ratingcomments (one message each). */
const QUEUE_SHOWN = 5;
/** Characters of a target's name on a button (three buttons share a row). */
const BUTTON_NAME_CHARS = 8;

function shortLabel(name: string): string {
  const c = [...name];
  return c.length <= BUTTON_NAME_CHARS ? name : `${c.slice(0, BUTTON_NAME_CHARS - 1).join('')}…`;
}

/** /ratingtargets: the community's targets with their management buttons. */
async function targetsList(ctx: Ctx): Promise<void> {
  const community = ctx.requireCommunity();
  const { db } = ctx.services;
  await ensureDefaultTargets(db, community.id);
  const targets = await listTargets(db, community.id);
  const lines = [ctx.t('ratings.targets_title', { community: community.name })];
  const buttons: Button[][] = [];
  targets.slice(0, MAX_TARGETS).forEach((target, i) => {
    const label = targetLabel(ctx.t, target);
    const kindName = ctx.t(`ratings.kind.${target.kind}`);
    // An unnamed default target is called by its kind: say it once, not 党群服务中心（党群服务中心）.
    const kind = kindName === label ? '' : ctx.t('ratings.targets_kind', { kind: kindName });
    lines.push(ctx.t(target.active ? 'ratings.targets_line' : 'ratings.targets_line_inactive', { i: i + 1, target: label, kind }));
    // Buttons name the target, not its list number: WeChat numbers the options itself, and
    // "3. 1 改名" would make a resident reply 3 to rename target 1.
    const short = shortLabel(label);
    buttons.push([
      { label: ctx.t('ratings.btn_rename', { target: short }), action: renameTarget.pack({ target: target.id }) },
      target.active
        ? { label: ctx.t('ratings.btn_deactivate', { target: short }), action: deactivateTarget.pack({ target: target.id }) }
        : { label: ctx.t('ratings.btn_activate', { target: short }), action: activateTarget.pack({ target: target.id }) },
      ...(target.active ? [{ label: ctx.t('ratings.btn_campaign', { target: short }), action: campaignFor.pack({ target: target.id }) }] : []),
    ]);
  });
  buttons.push([{ label: ctx.t('ratings.btn_add'), action: addTarget.pack({}) }]);
  await ctx.reply({ text: lines.join('\n'), buttons });
}

/** /ratingcomments: the moderation queue, one message per comment with approve / hide. */
async function commentsQueue(ctx: Ctx): Promise<void> {
  const community = ctx.requireCommunity();
  const { db } = ctx.services;
  const pending = await pendingComments(db, community.id, QUEUE_SHOWN);
  if (!pending.length) return void (await ctx.reply(ctx.t('ratings.queue_empty')));
  const total = await countPendingComments(db, community.id);
  await ctx.reply(ctx.t('ratings.queue_title', { n: total, shown: pending.length }));
  for (const r of pending) {
    await ctx.reply({
      text: ctx.t('ratings.queue_item', { target: targetLabel(ctx.t, r.target), period: r.period, answer: scoreLabel(ctx.t, r.overall), comment: r.comment }),
      buttons: [moderationButtons(ctx.t, r.id)],
    });
  }
}

/** Approve / hide under a comment (the queue and the committee's alert). */
export function moderationButtons(t: TFn, ratingId: string): Button[] {
  return [
    { label: t('ratings.approve'), action: approveComment.pack({ rating: ratingId }) },
    { label: t('ratings.hide'), action: hideComment.pack({ rating: ratingId }) },
  ];
}

export const ratingTargetsCommand: CommandDef = privateCommand('ratings.private_only', {
  name: 'ratingtargets',
  description: 'ratings.command_targets',
  order: 56,
  permission: 'rating.manage',
  run: targetsList,
});

/** The campaign scene is private: started in a group it continues in the private chat. */
export const ratingCampaignCommand: CommandDef = {
  name: 'ratingcampaign',
  description: 'ratings.command_campaign',
  order: 57,
  permission: 'rating.manage',
  run: (ctx) => ctx.services.scenes.start(ctx, 'ratingcampaign'),
};

export const ratingCommentsCommand: CommandDef = privateCommand('ratings.private_only', {
  name: 'ratingcomments',
  description: 'ratings.command_comments',
  order: 58,
  permission: 'rating.manage',
  run: commentsQueue,
});

/** Moderating a comment: the comment's community decides, so only the chat is declared. */
const moderate = (decision: 'approved' | 'hidden') => async (ctx: Ctx, { rating: ratingId }: { rating: string }) => {
  const rating = await reviewComment(ctx.services.db, { actor: ctx.actor, via: ctx.via }, ratingId, decision, ctx.services.clock());
  await ctx.toast(ctx.t(decision === 'approved' ? 'ratings.approved' : 'ratings.hidden', { target: targetLabel(ctx.t, rating.target) }), true);
};

/** Switching a target off or on, in the community the person acts in. */
const switchTarget = (active: boolean) => async (ctx: Ctx, { target: targetId }: { target: string }) => {
  const target = await setTargetActive(ctx.services.db, { actor: ctx.actor, via: ctx.via }, ctx.requireCommunity().id, targetId, active);
  await ctx.toast('');
  await ctx.reply(ctx.t(active ? 'ratings.target_activated' : 'ratings.target_deactivated', { target: targetLabel(ctx.t, target) }));
};

/** Starts a management scene (its begin checks again). */
const startScene = (scene: string, args: (value: { target?: string }) => string) => async (ctx: Ctx, value: { target?: string }) => {
  await ctx.toast('');
  await ctx.services.scenes.start(ctx, scene, args(value));
};

const managing = { chat: 'private', permission: 'rating.manage' } as const;

/** The management buttons. */
export const manageActions: ActionDef[] = [
  onAction(approveComment, moderate('approved'), { chat: 'private' }),
  onAction(hideComment, moderate('hidden'), { chat: 'private' }),
  onAction(deactivateTarget, switchTarget(false), managing),
  onAction(activateTarget, switchTarget(true), managing),
  onAction(renameTarget, startScene('ratingtarget', (v) => v.target ?? ''), managing),
  onAction(addTarget, startScene('ratingtarget', () => ''), managing),
  onAction(campaignFor, startScene('ratingcampaign', (v) => v.target ?? ''), managing),
];
