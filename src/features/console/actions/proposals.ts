/**
 * The committee's moves on a proposal from the console — the same domain functions /review and
 * its scenes call, each followed by `afterMove` (the group notice, the author's message, the
 * card refresh), so a move made here has the same consequences as in chat. The domain checks
 * proposal.review against the proposal's community and the transition table.
 */
import type { Services } from '../../../core/services.ts';
import { DomainError } from '../../../domain/errors.ts';
import { completeProposal, mergeProposal, postProgress, rejectProposal, setBudget, shortlistProposal, startReview } from '../../../domain/proposals/proposals.ts';
import { proposalByNumber } from '../../../domain/proposals/queries.ts';
import type { Actor } from '../../../domain/residents/roles.ts';
import type { Proposal } from '../../../generated/prisma/client.ts';
import { afterMove } from '../../proposals/flow.ts';

/** The moves the console offers. */
export const REVIEW_MOVES = ['start', 'shortlist', 'reject', 'merge', 'budget', 'progress', 'complete'] as const;
export type ReviewMove = (typeof REVIEW_MOVES)[number];

/** True for a move name the console knows. */
export function isReviewMove(value: string): value is ReviewMove {
  return (REVIEW_MOVES as readonly string[]).includes(value);
}

/** Makes a move with the form's fields (reason, target number, budget, implementer, percent, note). */
export async function reviewMove(services: Services, actor: Actor, proposal: Proposal, move: ReviewMove, fields: Record<string, string>): Promise<void> {
  const { db } = services;
  const acting = { actor, via: 'console', now: services.clock() };
  switch (move) {
    case 'start':
      return afterMove(services, await startReview(db, acting, proposal.id));
    case 'shortlist':
      // As the chat's button does: from "submitted" it passes through review, so the history shows both steps.
      if (proposal.status === 'submitted') await afterMove(services, await startReview(db, acting, proposal.id));
      return afterMove(services, await shortlistProposal(db, acting, proposal.id));
    case 'reject':
      return afterMove(services, await rejectProposal(db, acting, proposal.id, fields.reason ?? ''));
    case 'merge': {
      const target = await proposalByNumber(db, proposal.communityId, fields.target ?? '');
      return afterMove(services, await mergeProposal(db, acting, proposal.id, target.id));
    }
    case 'budget': {
      const yuan = Number((fields.budget ?? '').replace(/[,，\s¥￥元]/g, ''));
      await setBudget(db, acting, proposal.id, fields.budget?.trim() ? yuan : Number.NaN, fields.implementer ?? '');
      return;
    }
    case 'progress': {
      const percent = /^\d{1,3}$/.test(fields.percent?.trim() ?? '') ? Number(fields.percent) : Number.NaN;
      const result = await postProgress(db, acting, proposal.id, { percent, note: fields.note ?? '' });
      if (result.started) await afterMove(services, result.started);
      return;
    }
    case 'complete':
      if (fields.confirm !== 'yes') throw new DomainError('webconsole.review.confirm_needed', { number: proposal.number });
      return afterMove(services, await completeProposal(db, acting, proposal.id));
  }
}
