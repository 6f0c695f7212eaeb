/**
 * Rating in chat: /rate (the rating scene, which continues in the private chat when started in
 * a group) and the rate button of a campaign's announcement or the digest.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type CommandDef } from '../../core/feature.ts';
import { DomainError } from '../../domain/errors.ts';
import { ratingPeriod } from '../../domain/ratings/ratings.ts';
import { targetIn } from '../../domain/ratings/targets.ts';
import { rateTarget } from './actions.ts';

/** The /rate command. */
export const rateCommand: CommandDef = {
  name: 'rate',
  description: 'ratings.command_rate',
  menu: true,
  order: 30,
  permission: 'rating.submit',
  run: (ctx) => ctx.services.scenes.start(ctx, 'rate'),
};

/** The rate button: checks the target can be rated now, then the scene in the private chat. */
async function rateButton(ctx: Ctx, targetId: string): Promise<void> {
  const community = ctx.requireCommunity();
  const target = await targetIn(ctx.services.db, community.id, targetId);
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

/** The rate button acts in the group's (or the chosen) community, so its permission is declared. */
export const rateTargetAction = onAction(rateTarget, (ctx, { target }) => rateButton(ctx, target), { permission: 'rating.submit' });
