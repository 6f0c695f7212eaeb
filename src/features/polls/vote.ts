/**
 * Voting in chat: a tap on a card's option (answered privately with a toast: nothing appears in
 * the group), a bare number on a text-only platform, and "投票 <poll> <option>" by text.
 */
import type { Ctx } from '../../core/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { requirePoll, type PollWithOptions } from '../../domain/polls/polls.ts';
import { openPollCount } from '../../domain/polls/queries.ts';
import type { VoteOutcome } from '../../domain/polls/voting.ts';
import { offerReason, offersReason } from '../deliberation/reasons.ts';
import { optionLabel } from './render.ts';

function toastFor(ctx: Ctx, poll: PollWithOptions, outcome: VoteOutcome): string {
  if (outcome.secret) return ctx.t('polls.voted_secret_final');
  const labels = outcome.positions.map((p) => optionLabel(ctx.t, poll.options.find((o) => o.position === p)!)).join('、');
  if (outcome.advisory) return ctx.t('polls.voted_advisory', { labels });
  switch (outcome.effect) {
    case 'unchanged':
      return ctx.t('polls.voted_unchanged', { labels });
    case 'changed':
      return ctx.t('polls.voted_changed', { labels });
    case 'added':
      return ctx.t('polls.voted_multi', { labels, n: outcome.positions.length, k: poll.maxChoices });
    case 'removed':
      return outcome.positions.length ? ctx.t('polls.voted_multi', { labels, n: outcome.positions.length, k: poll.maxChoices }) : ctx.t('polls.voted_withdrawn');
    default:
      return poll.maxChoices > 1
        ? ctx.t('polls.voted_multi', { labels, n: outcome.positions.length, k: poll.maxChoices })
        : ctx.t(poll.allowChange ? 'polls.voted_can_change' : 'polls.voted_final', { labels });
  }
}

/**
 * On a text-only platform a bare number in a group stands for the option of the LAST message
 * with options there. With several polls open, a voter answering an older card would vote in
 * the wrong poll, so the number is refused with a pointer to "投票 <poll> <option>".
 */
async function ambiguousNumber(ctx: Ctx): Promise<boolean> {
  const byNumber = ctx.incoming.type === 'action' && !ctx.incoming.actionId && ctx.chat.kind === 'group';
  if (!byNumber || !ctx.community) return false;
  const open = await openPollCount(ctx.services.db, ctx.community.id);
  if (open < 2) return false;
  await ctx.toast(ctx.t('polls.vote_which', { n: open }), true);
  return true;
}

/** A tap on an option. Answers only with a toast: nothing appears in the group. */
export async function vote(ctx: Ctx, tap: { poll: string; option: number }): Promise<void> {
  if (await ambiguousNumber(ctx)) return;
  const { clock, polls } = ctx.services;
  const poll = await polls.openPolls.get(tap.poll, clock());
  if (!poll) return void (await ctx.toast(ctx.t('polls.vote_bad_button'), true));
  const outcome = await polls.ballots.cast({ poll, actor: ctx.actor, voterName: ctx.person.displayName, position: tap.option, now: clock() });
  if (outcome.effect !== 'unchanged') polls.cards.schedule(poll.id);
  // The vote is committed; the toast need not hold up the rest of the polling batch.
  await ctx.toastInBackground(toastFor(ctx, poll, outcome), outcome.effect === 'unchanged');
  // Named polls: the private confirmation offers a one-line reason (网上议事厅).
  if (offersReason(poll, outcome)) await offerReason(ctx, poll);
}

/** "投票 2 1" / `/polls 2 1`: a vote for option 1 of poll 2, by text; refusals go to the voter, not the group. */
export async function voteByText(ctx: Ctx, pollRef: string, position: number): Promise<void> {
  try {
    const poll = await requirePoll(ctx.services.db, pollRef, ctx.requireCommunity().id);
    if (!poll.options.some((o) => o.position === position)) throw new DomainError('polls.vote_bad_option');
    await vote(ctx, { poll: poll.shortId, option: position });
  } catch (err) {
    if (!(err instanceof DomainError) || ctx.chat.kind !== 'group') throw err;
    await ctx.toast(ctx.t(err.key, err.params), true);
  }
}
