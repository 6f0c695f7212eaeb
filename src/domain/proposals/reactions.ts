/**
 * How proposals follow the other features: a poll that puts shortlisted projects to the vote,
 * the poll's outcome, and the residents' evaluation of a completed project. Each reaction is
 * idempotent: an event delivered twice (or after the move was already made) changes nothing,
 * and a proposal in an unexpected status is skipped, not forced.
 */
import type { DomainEvents } from '../events.ts';
import type { Db } from '../../db/client.ts';
import { move, TX_OPTIONS, type MoveResult } from './lifecycle.ts';

const POLL = { kind: 'system', mover: 'system:poll' } as const;

/** The moves an event made, and the ids it skipped (wrong community or status). */
export interface Reaction {
  moved: MoveResult[];
  skipped: string[];
}

/** `poll.created`: linked shortlisted proposals go to the vote (shortlisted → voting). */
export async function onPollCreated(db: Db, e: DomainEvents['poll.created'], now: Date): Promise<Reaction> {
  const out: Reaction = { moved: [], skipped: [] };
  for (const id of new Set(e.proposalIds)) {
    const r = await db.$transaction(async (tx) => {
      const p = await tx.proposal.findUnique({ where: { id } });
      if (!p || p.communityId !== e.communityId || p.status !== 'shortlisted') return null;
      return move(tx, p, 'voting', POLL, { now, data: { pollId: e.pollId }, details: { pollId: e.pollId } });
    }, TX_OPTIONS);
    if (r) out.moved.push(r);
    else out.skipped.push(id);
  }
  return out;
}

/**
 * `poll.closed`: the vote decides (voting → approved | not_approved); a cancelled poll hands
 * its proposals back to the shortlist. Only proposals voting in THIS poll are moved.
 */
export async function onPollClosed(db: Db, e: DomainEvents['poll.closed'], now: Date): Promise<Reaction> {
  const out: Reaction = { moved: [], skipped: [] };
  const plan = new Map<string, 'approved' | 'not_approved' | 'shortlisted'>();
  if (e.status === 'cancelled') {
    for (const id of [...e.approvedProposalIds, ...e.rejectedProposalIds]) plan.set(id, 'shortlisted');
    const linked = await db.proposal.findMany({ where: { pollId: e.pollId, status: 'voting' }, select: { id: true } });
    for (const p of linked) plan.set(p.id, 'shortlisted');
  } else {
    for (const id of e.rejectedProposalIds) plan.set(id, 'not_approved');
    for (const id of e.approvedProposalIds) plan.set(id, 'approved');
  }
  for (const [id, to] of plan) {
    const r = await db.$transaction(async (tx) => {
      const p = await tx.proposal.findUnique({ where: { id } });
      if (!p || p.communityId !== e.communityId || p.status !== 'voting' || p.pollId !== e.pollId) return null;
      return move(tx, p, to, POLL, {
        now,
        data: to === 'shortlisted' ? { pollId: null } : { decidedAt: now },
        details: { pollId: e.pollId, pollStatus: e.status },
      });
    }, TX_OPTIONS);
    if (r) out.moved.push(r);
    else out.skipped.push(id);
  }
  return out;
}

/** `rating.campaignClosed` for a project: its evaluation is done (completed → evaluated). */
export async function onRatingClosed(db: Db, e: DomainEvents['rating.campaignClosed'], now: Date): Promise<Reaction> {
  if (!e.proposalId) return { moved: [], skipped: [] };
  const id = e.proposalId;
  const r = await db.$transaction(async (tx) => {
    const p = await tx.proposal.findUnique({ where: { id } });
    if (!p || p.communityId !== e.communityId || p.status !== 'completed') return null;
    return move(tx, p, 'evaluated', { kind: 'system', mover: 'system:rating' }, {
      now,
      data: { evaluatedAt: now, satisfactionRate: e.satisfactionRate },
      details: { targetId: e.targetId, answers: e.answers, satisfactionRate: e.satisfactionRate },
    });
  }, TX_OPTIONS);
  return r ? { moved: [r], skipped: [] } : { moved: [], skipped: [id] };
}
