/**
 * Proposals following other features: a poll that lists proposals puts them to the vote, its
 * result decides them (and the decision is published), a closed rating records the
 * satisfaction of a completed project.
 */
import type { Feature } from '../feature.ts';
import { onPollClosed, onPollCreated, onRatingClosed } from '../../domain/proposals/reactions.ts';
import { afterMove } from './flow.ts';

export const proposalReactions: Feature['on'] = {
  async 'poll.created'(services, e) {
    await onPollCreated(services.db, e, services.clock());
  },
  async 'poll.closed'(services, e) {
    const r = await onPollClosed(services.db, e, services.clock());
    for (const m of r.moved) await afterMove(services, m);
  },
  async 'rating.campaignClosed'(services, e) {
    await onRatingClosed(services.db, e, services.clock());
  },
};
