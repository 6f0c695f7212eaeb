/**
 * Paper ballots in chat: `/paper <poll>` (the scene asks for the ballot's code or unit and the
 * choice) or in one line `/paper <poll> <code|unit> <option>`; a household that voted already is
 * refused with when and how. `/paper <poll>` also offers two buttons: upload the list of returned
 * ballots as a file (scenes/paperBatch.ts: preview, then confirm) and print the ballots (the PDF
 * sent privately; a 楼栋长 gets their own buildings' only). The card's turnout is refreshed like
 * after a tap.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef, type CommandDef } from '../../core/feature.ts';
import { requirePoll } from '../../domain/polls/polls.ts';
import { createPaperScene, ballotRefOf, PAPER_SCENE, typedPositions } from '../../../scenes/paper.ts';
import { createPaperBatchScene, PAPER_BATCH_SCENE } from '../../../scenes/paperBatch.ts';
import { requireHouseholdPoll, type BallotRef } from '../../domain/polls/paper.ts';
import { requirePermission } from '../../domain/residents/permissions.ts';
import { paperFileAction, paperPrintAction } from './actions.ts';
import { ballotsPdfOf } from './ballots.ts';
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

/** The file scene of /paper. */
export const paperBatchScene = createPaperBatchScene({ label: (ctx, o) => optionLabel(ctx.t, o), changed: (ctx, pollId) => ctx.services.polls.cards.schedule(pollId) });

/**
 * Prints the poll's ballots and sends the PDF to the private chat — drawn in the community's
 * language (the paper is read by the residents), captioned in the person's.
 */
export async function sendBallots(ctx: Ctx, pollId: string): Promise<void> {
  const community = ctx.requireCommunity();
  const { db, i18n, clock } = ctx.services;
  const printed = await ballotsPdfOf(db, { actor: ctx.actor, via: ctx.via }, pollId, i18n.bind(community.locale), clock());
  const scope = printed.buildings ? ctx.t('ballots.print_scope_buildings', { buildings: printed.buildings.join('、') }) : ctx.t('ballots.print_scope_all');
  await ctx.replyPrivately({ text: ctx.t('ballots.print_caption', { number: printed.number, count: printed.count, scope }), document: { data: printed.pdf, name: printed.name, mimeType: 'application/pdf' } });
}

const inPrivate = { chat: 'private', privateReason: 'residents.private_only', permission: 'poll.paper' } as const;

/** The buttons under /paper <poll>. */
export const paperActions: ActionDef[] = [
  onAction(
    paperFileAction,
    async (ctx, { poll }) => {
      requirePermission(ctx.actor, 'poll.paper', ctx.requireCommunity().id);
      await ctx.toast('');
      await ctx.services.scenes.start(ctx, PAPER_BATCH_SCENE, poll);
    },
    inPrivate,
  ),
  onAction(
    paperPrintAction,
    async (ctx, { poll }) => {
      requirePermission(ctx.actor, 'poll.paper', ctx.requireCommunity().id);
      await ctx.toast('');
      await sendBallots(ctx, (await requirePoll(ctx.services.db, poll, ctx.requireCommunity().id)).id);
    },
    inPrivate,
  ),
];

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
    if (tokens[0]) {
      // The other ways with paper: a file of returned ballots, the ballots to print.
      const poll = await requirePoll(ctx.services.db, tokens[0], ctx.requireCommunity().id);
      requireHouseholdPoll(poll);
      if (poll.status === 'open' || poll.status === 'scheduled') {
        await ctx.reply({
          text: ctx.t('ballots.paper_more', { number: poll.number }),
          buttons: [[{ label: ctx.t('ballots.paper_button_file'), action: paperFileAction.pack({ poll: poll.id }) }], [{ label: ctx.t('ballots.paper_button_print'), action: paperPrintAction.pack({ poll: poll.id }) }]],
        });
      }
    }
    await ctx.services.scenes.start(ctx, PAPER_SCENE, tokens[0] ?? '');
  },
};
