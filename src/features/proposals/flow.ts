/**
 * What follows a domain move once its transaction committed: publications, private notices,
 * card refreshes and domain events. Commands, buttons, scenes and event handlers all call
 * these, so a move has the same consequences whichever way it was made.
 */
import type { Services } from '../../core/services.ts';
import type { Seconded, Submitted } from '../../domain/proposals/proposals.ts';
import type { MoveResult } from '../../domain/proposals/lifecycle.ts';
import { announceCompletion, announceDecision, notifyAuthor, publishProposal, refreshCards } from './publish.ts';

/** Statuses whose arrival is a decision the groups are told about (publication 2). */
const DECISIONS = new Set(['shortlisted', 'rejected', 'merged', 'approved', 'not_approved']);

/** After a submission: publication 1 (the proposal, with its 附议 button). */
export async function afterSubmit(services: Services, submitted: Submitted): Promise<void> {
  await publishProposal(services, submitted.proposal);
}

/** After a second: the cards show the new count; reaching the threshold tells the author. */
export async function afterSecond(services: Services, seconded: Seconded): Promise<void> {
  await refreshCards(services, seconded.proposal.id);
  if (seconded.review) {
    await notifyAuthor(services, seconded.review.proposal, 'threshold', 'proposals.notify.threshold', { n: seconded.seconds });
  }
}

/** After any move: the publication it calls for, if any. */
export async function afterMove(services: Services, result: MoveResult): Promise<void> {
  if (DECISIONS.has(result.to)) await announceDecision(services, result.proposal);
  else if (result.to === 'completed') await announceCompletion(services, result.proposal);
  else if (result.to === 'under_review') await refreshCards(services, result.proposal.id);
}
