/**
 * A reason with a vote: after a first ballot in a NAMED poll, the voter's private chat gets a
 * confirmation with a "补充理由" button (a tap in the group answers with a toast only, which
 * cannot carry one). A secret poll never offers it and the domain refuses it there.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef } from '../../core/feature.ts';
import type { PollWithOptions } from '../../domain/polls/polls.ts';
import type { VoteOutcome } from '../../domain/polls/voting.ts';
import { reasonAction } from './actions.ts';

/** True when a vote's confirmation offers a reason. */
export function offersReason(poll: Pick<PollWithOptions, 'anonymous'>, outcome: Pick<VoteOutcome, 'effect' | 'secret'>): boolean {
  return !poll.anonymous && !outcome.secret && outcome.effect === 'recorded';
}

/** Sends the private confirmation with the reason button. A failure never undoes the vote. */
export async function offerReason(ctx: Ctx, poll: PollWithOptions): Promise<void> {
  try {
    await ctx.replyPrivately({ text: ctx.t('deliberation.reason_offer', { number: poll.number }), buttons: [[{ label: ctx.t('deliberation.reason_button'), action: reasonAction.pack({ poll: poll.id }) }]] });
  } catch (err) {
    // The person may never have opened the private chat: the vote stands, the offer is skipped.
    ctx.services.log.info({ err, pollId: poll.id }, 'could not offer a vote reason');
  }
}

/** The reason button: starts the reason scene in the private chat. */
export const reasonActions: ActionDef[] = [
  onAction(reasonAction, async (ctx, { poll }) => {
    await ctx.toast('');
    await ctx.services.scenes.start(ctx.privateCtx(), 'vote-reason', poll);
  }),
];
