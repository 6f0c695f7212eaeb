/**
 * The domain events one feature's action raises for others (a poll that decides proposals
 * closes; a completed project becomes something residents rate). The payloads are domain facts;
 * the bus that carries them is in src/core/events.ts.
 */

/** Every event and its payload. */
export interface DomainEvents {
  /** A poll was created; `proposalIds` are the micro-projects it decides (approval vote). */
  'poll.created': { pollId: string; communityId: string; proposalIds: string[]; actorId: string | null };
  /** A poll closed (or was cancelled) with its outcome per linked proposal. */
  'poll.closed': {
    pollId: string;
    communityId: string;
    status: 'closed' | 'cancelled';
    passed: boolean;
    /** Linked proposals the vote approved / did not approve. */
    approvedProposalIds: string[];
    rejectedProposalIds: string[];
  };
  /** A micro-project was completed; residents can now rate its result. */
  'proposal.completed': { proposalId: string; communityId: string; title: string };
  /** A rating campaign closed (for a completed project: its evaluation is done). */
  'rating.campaignClosed': { communityId: string; targetId: string; proposalId: string | null; answers: number; satisfactionRate: number | null };
}
