/**
 * The committee's work on proposals: the /review queue and a panel per proposal with the moves
 * its status allows — take into review, shortlist, reject (reason via a scene), merge (pick the
 * original), budget and implementer, progress, complete. The buttons are only offers: every
 * handler goes through the domain, which checks the role (in the proposal's own community) and
 * the transition table.
 */
import type { Ctx } from '../../core/context.ts';
import type { ActionCodec } from '../../core/actionCodec.ts';
import { onAction, type ActionDef, type CommandDef, type StartPayloadHandler } from '../../core/feature.ts';
import type { Button } from '../../platform/messages.ts';
import { isRecused, loadProposal } from '../../domain/proposals/lifecycle.ts';
import { completeProposal, mergeProposal, shortlistProposal, startReview } from '../../domain/proposals/proposals.ts';
import { mergeTargets, proposalByNumber, proposalDetail, reviewQueue } from '../../domain/proposals/queries.ts';
import { requirePermission } from '../../domain/residents/permissions.ts';
import {
  reviewBudget,
  reviewComplete,
  reviewCompleteYes,
  reviewMerge,
  reviewMergeInto,
  reviewOpen,
  reviewProgress,
  reviewReject,
  reviewShortlist,
  reviewStart,
} from './actions.ts';
import { afterMove } from './flow.ts';
import { continuePrivately, PAYLOAD } from './privately.ts';
import { listLine, proposalPage } from './render.ts';

const acting = (ctx: Ctx) => ({ actor: ctx.actor, via: ctx.via, now: ctx.services.clock() });

/** The panel's deliberation buttons, left out for the proposal's own author. */
const DELIBERATION_ACTIONS: ActionCodec<{ proposal: string }>[] = [reviewStart, reviewShortlist, reviewReject, reviewMerge];
/** Statuses in which a deliberation move is still to come. */
const RECUSED_STATUSES: ReadonlySet<string> = new Set(['submitted', 'under_review', 'shortlisted']);

/** Proposals listed in /review at most (one button each). */
const QUEUE_SHOWN = 20;

/**
 * /review: every proposal waiting for a committee move — to deliberate, to put to the vote, to
 * follow through — each with what it needs next; the member's own ones marked as recused.
 */
async function showQueue(ctx: Ctx): Promise<void> {
  const community = ctx.requireCommunity();
  requirePermission(ctx.actor, 'proposal.review', community.id);
  const queue = await reviewQueue(ctx.services.db, community.id, QUEUE_SHOWN + 1);
  if (!queue.length) return void (await ctx.reply(ctx.t('proposals.review.queue_empty')));
  const shown = queue.slice(0, QUEUE_SHOWN);
  const lines = [ctx.t('proposals.review.queue_title', { n: shown.length })];
  for (const p of shown) {
    const own = isRecused(ctx.actor, p, 'shortlisted');
    lines.push(`${listLine(ctx.t, p)}\n  ${ctx.t(own ? 'proposals.review.queue_recused' : `proposals.review.next.${p.status}`, { percent: p.progressPercent })}`);
  }
  if (queue.length > QUEUE_SHOWN) lines.push(ctx.t('proposals.review.queue_more'));
  await ctx.reply({
    text: lines.join('\n'),
    buttons: shown.map((p) => [{ label: ctx.t('proposals.list.open', { number: p.number, title: p.title }), action: reviewOpen.pack({ proposal: p.id }) }]),
  });
}

/** The moves the panel offers for a status (the domain decides whether they are allowed). */
function panelButtons(ctx: Ctx, id: string, status: string): Button[][] {
  const b = (key: string, codec: ActionCodec<{ proposal: string }>): Button => ({ label: ctx.t(`proposals.review.${key}`), action: codec.pack({ proposal: id }) });
  switch (status) {
    case 'submitted':
      return [[b('start_review', reviewStart), b('shortlist', reviewShortlist)], [b('reject', reviewReject), b('merge', reviewMerge)]];
    case 'under_review':
      return [[b('shortlist', reviewShortlist), b('reject', reviewReject)], [b('merge', reviewMerge)]];
    case 'shortlisted':
      return [[b('reject', reviewReject)]];
    case 'approved':
      return [[b('budget', reviewBudget), b('progress', reviewProgress)]];
    case 'in_progress':
      return [[b('budget', reviewBudget), b('progress', reviewProgress)], [b('complete', reviewComplete)]];
    default:
      return [];
  }
}

/** A proposal's committee panel. Its author, if a committee member, is offered no deliberation. */
async function showPanel(ctx: Ctx, id: string): Promise<void> {
  const d = await proposalDetail(ctx.services.db, id);
  requirePermission(ctx.actor, 'proposal.review', d.proposal.communityId);
  const own = isRecused(ctx.actor, d.proposal, 'shortlisted');
  const all = panelButtons(ctx, id, d.proposal.status);
  // The domain refuses them anyway; offering them would invite a refusal.
  const rows = own ? all.map((r) => r.filter((b) => !DELIBERATION_ACTIONS.some((c) => c.parse(b.action ?? '')))).filter((r) => r.length) : all;
  const hint = own && RECUSED_STATUSES.has(d.proposal.status) ? `\n\n${ctx.t('proposals.review.recused_hint')}` : d.proposal.status === 'shortlisted' ? `\n\n${ctx.t('proposals.review.vote_hint')}` : '';
  await ctx.reply({ text: proposalPage(ctx.t, d) + hint, buttons: rows.length ? rows : undefined });
}

/** Loads a proposal for a committee question, checking the role in its community. */
async function reviewable(ctx: Ctx, id: string) {
  const p = await loadProposal(ctx.services.db, id);
  requirePermission(ctx.actor, 'proposal.review', p.communityId);
  return p;
}

/** Starts one of the committee's scenes on a proposal (reject, budget, progress). */
const sceneFor = (scene: string) => async (ctx: Ctx, { proposal }: { proposal: string }) => {
  await reviewable(ctx, proposal);
  await ctx.toast('');
  await ctx.services.scenes.start(ctx, scene, proposal);
};

/** The /review command: the queue, in the private chat. */
export const reviewCommand: CommandDef = {
  name: 'review',
  description: 'proposals.commands.review',
  order: 40,
  permission: 'proposal.review',
  run: (ctx) => continuePrivately(ctx, PAYLOAD.review, showQueue),
};

const privateChat = { chat: 'private' } as const;

/**
 * The panel's buttons, in the private chat. No permission is declared: a proposal may belong
 * to another community than the one the person acts in, so the domain checks its own.
 */
export const reviewActions: ActionDef[] = [
  onAction(
    reviewOpen,
    async (ctx, { proposal }) => {
      await ctx.toast('');
      await showPanel(ctx, proposal);
    },
    privateChat,
  ),
  onAction(
    reviewStart,
    async (ctx, { proposal }) => {
      const r = await startReview(ctx.services.db, acting(ctx), proposal);
      await afterMove(ctx.services, r);
      await ctx.toast(ctx.t('proposals.review.done_status', { number: r.proposal.number, status: ctx.t(`proposals.status.${r.to}`) }));
      await showPanel(ctx, proposal);
    },
    privateChat,
  ),
  onAction(
    reviewShortlist,
    async (ctx, { proposal }) => {
      const { services } = ctx;
      // Shortlisting straight from "submitted" passes through review, so the history shows both steps.
      const current = await reviewable(ctx, proposal);
      if (current.status === 'submitted') await afterMove(services, await startReview(services.db, acting(ctx), proposal));
      const r = await shortlistProposal(services.db, acting(ctx), proposal);
      await afterMove(services, r);
      await ctx.toast(ctx.t('proposals.review.done_status', { number: r.proposal.number, status: ctx.t(`proposals.status.${r.to}`) }));
      await showPanel(ctx, proposal);
    },
    privateChat,
  ),
  onAction(reviewReject, sceneFor('proposalreject'), privateChat),
  onAction(reviewBudget, sceneFor('proposalbudget'), privateChat),
  onAction(reviewProgress, sceneFor('proposalprogress'), privateChat),
  onAction(
    reviewMerge,
    async (ctx, { proposal }) => {
      const p = await reviewable(ctx, proposal);
      const targets = await mergeTargets(ctx.services.db, p);
      await ctx.toast('');
      if (!targets.length) return void (await ctx.reply(ctx.t('proposals.review.no_merge_targets')));
      await ctx.reply({
        text: ctx.t('proposals.review.choose_merge_target', { number: p.number }),
        buttons: targets.map((x) => [{ label: ctx.t('proposals.list.open', { number: x.number, title: x.title }), action: reviewMergeInto.pack({ proposal, into: x.number }) }]),
      });
    },
    privateChat,
  ),
  onAction(
    reviewMergeInto,
    async (ctx, { proposal, into }) => {
      const { db } = ctx.services;
      const p = await loadProposal(db, proposal);
      const target = await proposalByNumber(db, p.communityId, String(into));
      const r = await mergeProposal(db, acting(ctx), proposal, target.id);
      await afterMove(ctx.services, r);
      await ctx.toast('');
      await ctx.reply(ctx.t('proposals.review.done_merged', { number: p.number, into: target.number }));
    },
    privateChat,
  ),
  onAction(
    reviewComplete,
    async (ctx, { proposal }) => {
      const p = await reviewable(ctx, proposal);
      await ctx.toast('');
      await ctx.reply({
        text: ctx.t('proposals.review.confirm_complete', { number: p.number, title: p.title }),
        buttons: [[{ label: ctx.t('proposals.review.complete_yes'), action: reviewCompleteYes.pack({ proposal }) }]],
      });
    },
    privateChat,
  ),
  onAction(
    reviewCompleteYes,
    async (ctx, { proposal }) => {
      const r = await completeProposal(ctx.services.db, acting(ctx), proposal);
      await afterMove(ctx.services, r);
      await ctx.toast('');
      await ctx.reply(ctx.t('proposals.review.done_completed', { number: r.proposal.number }));
    },
    privateChat,
  ),
];

/** The deep link into the review queue. */
export const reviewPayload: StartPayloadHandler = async (ctx, payload) => {
  if (payload !== PAYLOAD.review) return false;
  await showQueue(ctx);
  return true;
};
