/**
 * 附议: the button on a proposal's card, page or the digest, and "附议 3" / `/second 3` by
 * number. Answered with a toast only — in a group nobody else sees who seconded, or who was
 * refused.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type CommandDef } from '../../core/feature.ts';
import { DomainError } from '../../domain/errors.ts';
import { secondProposal } from '../../domain/proposals/proposals.ts';
import { proposalByNumber } from '../../domain/proposals/queries.ts';
import { SECONDABLE_STATUSES } from '../../domain/proposals/states.ts';
import { can } from '../../domain/residents/permissions.ts';
import { second } from './actions.ts';
import { afterSecond } from './flow.ts';

/**
 * On a text-only platform a bare number in a group stands for the option of the LAST message
 * with options there; with several proposals collecting seconds a resident answering an older
 * card would second the wrong one, so the number is refused with a pointer to "附议 <number>".
 */
async function ambiguousNumber(ctx: Ctx): Promise<boolean> {
  const byNumber = ctx.incoming.type === 'action' && !ctx.incoming.actionId && ctx.chat.kind === 'group';
  if (!byNumber || !ctx.community) return false;
  const open = await ctx.services.db.proposal.count({ where: { communityId: ctx.community.id, status: { in: [...SECONDABLE_STATUSES] } } });
  if (open < 2) return false;
  await ctx.toast(ctx.t('proposals.second_which', { n: open }), true);
  return true;
}

/** Seconds a proposal; the domain checks the person may second in its community. */
async function secondOne(ctx: Ctx, proposalId: string): Promise<void> {
  if (await ambiguousNumber(ctx)) return;
  const result = await secondProposal(ctx.services.db, { actor: ctx.actor, via: ctx.via, now: ctx.services.clock() }, proposalId);
  const p = result.proposal;
  await ctx.toast(
    result.review
      ? ctx.t('proposals.seconded_threshold', { number: p.number, n: result.seconds })
      : ctx.t('proposals.seconded', { number: p.number, n: result.seconds, threshold: result.threshold }),
  );
  await afterSecond(ctx.services, result);
}

/** The 附议 button, in a group or a private chat. */
export const secondAction = onAction(second, (ctx, { proposal }) => secondOne(ctx, proposal));

/**
 * "附议 3" / `/second 3`. Its permission is not declared as a guard on purpose: the router
 * would answer a refusal in the group, and refusals here go to the person only (a toast, or a
 * private message on text platforms). The offer in /help follows the same permission.
 */
export const secondCommand: CommandDef = {
  name: 'second',
  description: 'proposals.commands.second',
  order: 23,
  visible: (ctx) => can(ctx.actor, 'proposal.second', ctx.community?.id),
  async run(ctx, args) {
    try {
      const community = ctx.requireCommunity();
      const ref = args.split(/\s+/)[0] ?? '';
      if (!ref) throw new DomainError('proposals.second_usage');
      const p = await proposalByNumber(ctx.services.db, community.id, ref);
      await secondOne(ctx, p.id);
    } catch (err) {
      if (!(err instanceof DomainError) || ctx.chat.kind !== 'group') throw err;
      await ctx.toast(ctx.t(err.key, err.params), true);
    }
  },
};
