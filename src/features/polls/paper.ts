/**
 * Paper ballots in chat: `/paper <poll>` (the scene asks for the ballot's code or unit and the
 * choice) or in one line `/paper <poll> <code|unit> <option>`; a household that voted already is
 * refused with when and how. The card's turnout is refreshed like after a tap.
 */
import type { Ctx } from '../../core/context.ts';
import type { CommandDef } from '../../core/feature.ts';
import { requirePoll } from '../../domain/polls/polls.ts';
import { createPaperScene, ballotRefOf, PAPER_SCENE, typedPositions } from '../../../scenes/paper.ts';
import type { BallotRef } from '../../domain/polls/paper.ts';
import { optionLabel } from './render.ts';

/** Enters one returned ballot and says what was recorded. */
export async function enterPaper(ctx: Ctx, pollId: string, ref: BallotRef, positions: number[]): Promise<void> {
  const { polls, clock, db } = ctx.services;
  const outcome = await polls.ballots.enterPaper({ actor: ctx.actor, via: ctx.via }, pollId, ref, positions, clock());
  polls.cards.schedule(pollId);
  const poll = await requirePoll(db, pollId);
  const labels = outcome.positions.map((p) => optionLabel(ctx.t, poll.options.find((o) => o.position === p)!)).join('、');
  await ctx.reply(ctx.t('ballots.paper_saved', { number: poll.number, unit: outcome.unit, labels }));
}

/** The /paper scene, wired to the ballot box. */
export const paperScene = createPaperScene({ enter: enterPaper, label: (ctx, o) => optionLabel(ctx.t, o) });

/** `/paper`: the scene, or the whole entry in one line. */
export const paperCommand: CommandDef = {
  name: 'paper',
  description: 'ballots.cmd_paper',
  order: 35,
  permission: 'poll.paper',
  chat: 'private',
  async run(ctx, args) {
    const tokens = args.normalize('NFKC').trim().split(/\s+/).filter(Boolean);
    if (tokens.length >= 3) {
      const positions = typedPositions(tokens.slice(2).join(' '));
      if (positions) {
        const poll = await requirePoll(ctx.services.db, tokens[0], ctx.requireCommunity().id);
        return enterPaper(ctx, poll.id, ballotRefOf(tokens[1]), positions);
      }
    }
    await ctx.services.scenes.start(ctx, PAPER_SCENE, tokens[0] ?? '');
  },
};
