/**
 * The committee's work on proposals: the /review queue and a panel per proposal with the moves
 * its status allows — take into review, shortlist, reject (reason via a scene), merge (pick the
 * original), budget and implementer, progress, complete. The buttons are only offers: every
 * handler goes through the domain, which checks the role and the transition table.
 */
import type { Ctx } from '../../core/context.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Button } from '../../platform/messages.ts';
import { loadProposal } from '../../domain/proposals/lifecycle.ts';
import { completeProposal, mergeProposal, shortlistProposal, startReview } from '../../domain/proposals/proposals.ts';
import { mergeTargets, proposalByNumber, proposalDetail, reviewQueue } from '../../domain/proposals/queries.ts';
import { requirePermission } from '../../domain/residents/permissions.ts';
import { afterMove } from './flow.ts';
import { listLine, proposalPage } from './render.ts';

const acting = (ctx: Ctx) => ({ actor: ctx.actor, via: ctx.via, now: ctx.services.clock() });

/** /review: the queue of proposals waiting for the committee. */
export async function showQueue(ctx: Ctx): Promise<void> {
  const community = ctx.requireCommunity();
  requirePermission(ctx.actor, 'proposal.review', community.id);
  const queue = await reviewQueue(ctx.services.db, community.id);
  if (!queue.length) return void (await ctx.reply(ctx.t('proposals.review.queue_empty')));
  await ctx.reply({
    text: [ctx.t('proposals.review.queue_title', { n: queue.length }), ...queue.map((p) => listLine(ctx.t, p))].join('\n'),
    buttons: queue.map((p) => [{ label: ctx.t('proposals.list.open', { number: p.number, title: p.title }), action: `prv:o:${p.id}` }]),
  });
}

/** The moves the panel offers for a status (the domain decides whether they are allowed). */
function panelButtons(ctx: Ctx, id: string, status: string): Button[][] {
  const b = (key: string, op: string): Button => ({ label: ctx.t(`proposals.review.${key}`), action: `prv:${op}:${id}` });
  switch (status) {
    case 'submitted':
      return [[b('start_review', 'rv'), b('shortlist', 'sl')], [b('reject', 'rj'), b('merge', 'mg')]];
    case 'under_review':
      return [[b('shortlist', 'sl'), b('reject', 'rj')], [b('merge', 'mg')]];
    case 'shortlisted':
      return [[b('reject', 'rj')]];
    case 'approved':
      return [[b('budget', 'bg'), b('progress', 'pg')]];
    case 'in_progress':
      return [[b('budget', 'bg'), b('progress', 'pg')], [b('complete', 'cp')]];
    default:
      return [];
  }
}

/** A proposal's committee panel. */
export async function showPanel(ctx: Ctx, id: string): Promise<void> {
  const d = await proposalDetail(ctx.services.db, id);
  requirePermission(ctx.actor, 'proposal.review', d.proposal.communityId);
  const rows = panelButtons(ctx, id, d.proposal.status);
  const hint = d.proposal.status === 'shortlisted' ? `\n\n${ctx.t('proposals.review.vote_hint')}` : '';
  await ctx.reply({ text: proposalPage(ctx.t, d) + hint, buttons: rows.length ? rows : undefined });
}

/** Button handler of the panel: `prv:<op>:<proposalId>[:<target number>]`. */
export async function reviewAction(ctx: Ctx, [op, id, extra]: string[]): Promise<void> {
  if (!id) throw new DomainError('errors.stale_button');
  const { services } = ctx;
  const db = services.db;
  switch (op) {
    case 'o':
      await ctx.toast('');
      return showPanel(ctx, id);
    case 'rv': {
      const r = await startReview(db, acting(ctx), id);
      await afterMove(services, r);
      await ctx.toast(ctx.t('proposals.review.done_status', { number: r.proposal.number, status: ctx.t(`proposals.status.${r.to}`) }));
      return showPanel(ctx, id);
    }
    case 'sl': {
      // Shortlisting straight from "submitted" passes through review, so the history shows both steps.
      const current = await loadProposal(db, id);
      requirePermission(ctx.actor, 'proposal.review', current.communityId);
      if (current.status === 'submitted') await afterMove(services, await startReview(db, acting(ctx), id));
      const r = await shortlistProposal(db, acting(ctx), id);
      await afterMove(services, r);
      await ctx.toast(ctx.t('proposals.review.done_status', { number: r.proposal.number, status: ctx.t(`proposals.status.${r.to}`) }));
      return showPanel(ctx, id);
    }
    case 'rj':
    case 'bg':
    case 'pg': {
      const p = await loadProposal(db, id);
      requirePermission(ctx.actor, 'proposal.review', p.communityId);
      await ctx.toast('');
      const scene = op === 'rj' ? 'proposalreject' : op === 'bg' ? 'proposalbudget' : 'proposalprogress';
      return services.scenes.start(ctx, scene, id);
    }
    case 'mg': {
      const p = await loadProposal(db, id);
      requirePermission(ctx.actor, 'proposal.review', p.communityId);
      const targets = await mergeTargets(db, p);
      await ctx.toast('');
      if (!targets.length) return void (await ctx.reply(ctx.t('proposals.review.no_merge_targets')));
      await ctx.reply({
        text: ctx.t('proposals.review.choose_merge_target', { number: p.number }),
        buttons: targets.map((x) => [{ label: ctx.t('proposals.list.open', { number: x.number, title: x.title }), action: `prv:mt:${id}:${x.number}` }]),
      });
      return;
    }
    case 'mt': {
      const p = await loadProposal(db, id);
      const target = await proposalByNumber(db, p.communityId, extra ?? '');
      const r = await mergeProposal(db, acting(ctx), id, target.id);
      await afterMove(services, r);
      await ctx.toast('');
      await ctx.reply(ctx.t('proposals.review.done_merged', { number: p.number, into: target.number }));
      return;
    }
    case 'cp': {
      const p = await loadProposal(db, id);
      requirePermission(ctx.actor, 'proposal.review', p.communityId);
      await ctx.toast('');
      await ctx.reply({
        text: ctx.t('proposals.review.confirm_complete', { number: p.number, title: p.title }),
        buttons: [[{ label: ctx.t('proposals.review.complete_yes'), action: `prv:cpy:${id}` }]],
      });
      return;
    }
    case 'cpy': {
      const r = await completeProposal(db, acting(ctx), id);
      await afterMove(services, r);
      await ctx.toast('');
      await ctx.reply(ctx.t('proposals.review.done_completed', { number: r.proposal.number }));
      return;
    }
    default:
      throw new DomainError('errors.stale_button');
  }
}
