/**
 * The 民生微实事 lifecycle as one table. Every move a proposal can make is a row here: from
 * which status to which, who may make it, and whether a reason is required. Anything not in
 * the table is refused with a reason that names the current status (see `findTransition`).
 *
 * The three deliberations of 三议三公开 map onto it: residents propose (draft → submitted,
 * seconds → under_review), the committees deliberate (shortlisted | rejected | merged), the
 * residents decide (voting → approved | not_approved); then the build is supervised
 * (in_progress → completed) and judged (evaluated).
 */
import { DomainError } from '../errors.ts';
import type { Permission } from '../residents/permissions.ts';

/** Every status a proposal can be in, in lifecycle order. */
export const STATUSES = [
  'draft',
  'submitted',
  'under_review',
  'shortlisted',
  'rejected',
  'merged',
  'voting',
  'approved',
  'not_approved',
  'in_progress',
  'completed',
  'evaluated',
] as const;
export type ProposalStatus = (typeof STATUSES)[number];

/** True for a status name Linli knows. */
export function isStatus(value: string): value is ProposalStatus {
  return (STATUSES as readonly string[]).includes(value);
}

/**
 * Who makes a move: the proposal's author, a holder of a permission in the proposal's
 * community, or the system reacting to something that happened (enough seconds, a poll that
 * opened or closed, an evaluation that finished).
 */
export type Mover = 'author' | Permission | 'system:seconds' | 'system:poll' | 'system:rating';

/** One allowed move. */
export interface Transition {
  from: ProposalStatus;
  to: ProposalStatus;
  by: Mover;
  /** A public reason must accompany the move (rejections). */
  reasonRequired: boolean;
}

const t = (from: ProposalStatus, to: ProposalStatus, by: Mover, reasonRequired = false): Transition => ({ from, to, by, reasonRequired });

/** The lifecycle. Keep it the only place that says which move is allowed. */
export const TRANSITIONS: readonly Transition[] = [
  // 居民提议
  t('draft', 'submitted', 'author'),
  t('submitted', 'under_review', 'system:seconds'),
  t('submitted', 'under_review', 'proposal.review'),
  // 两委/议事会商议
  t('under_review', 'shortlisted', 'proposal.review'),
  t('under_review', 'rejected', 'proposal.review', true),
  t('submitted', 'rejected', 'proposal.review', true),
  t('shortlisted', 'rejected', 'proposal.review', true),
  t('under_review', 'merged', 'proposal.review'),
  t('submitted', 'merged', 'proposal.review'),
  // 居民决议
  t('shortlisted', 'voting', 'system:poll'),
  t('voting', 'approved', 'system:poll'),
  t('voting', 'not_approved', 'system:poll'),
  t('voting', 'shortlisted', 'system:poll'),
  // 实施、监督与评议
  t('approved', 'in_progress', 'proposal.review'),
  t('in_progress', 'completed', 'proposal.review'),
  t('completed', 'evaluated', 'system:rating'),
];

/** Statuses after which nothing more happens. */
export const FINAL_STATUSES: ReadonlySet<ProposalStatus> = new Set(['rejected', 'merged', 'not_approved', 'evaluated']);

/** Statuses in which residents may still second (附议) a proposal. */
export const SECONDABLE_STATUSES: ReadonlySet<ProposalStatus> = new Set(['submitted', 'under_review']);

/**
 * Statuses the committee's /review queue shows: every one that waits for a committee move, in
 * the order they need it — deliberation first, then the vote to organise, then the build to
 * follow (budget, progress, completion).
 */
export const REVIEW_QUEUE_STATUSES: readonly ProposalStatus[] = ['under_review', 'submitted', 'shortlisted', 'approved', 'in_progress'];

/**
 * The committee's deliberation moves (两委/议事会商议). A committee member who wrote the proposal
 * is recused (回避): they may not make these moves on it; another member does.
 */
export const RECUSED_MOVES: ReadonlySet<ProposalStatus> = new Set(['under_review', 'shortlisted', 'rejected', 'merged']);

/**
 * The row that allows `from → to` by `mover`, or a localized refusal saying why not: the move
 * does not exist from this status, or someone else makes it, or the reason is missing.
 */
export function findTransition(from: string, to: ProposalStatus, mover: Mover, reason?: string | null): Transition {
  const candidates = TRANSITIONS.filter((x) => x.from === from && x.to === to);
  if (!candidates.length) {
    throw new DomainError('proposals.illegal_move', { from: from, to: to });
  }
  const row = candidates.find((x) => x.by === mover);
  if (!row) {
    const systemOnly = candidates.every((x) => x.by.startsWith('system:'));
    throw new DomainError(systemOnly && !mover.startsWith('system:') ? 'proposals.illegal_move_system' : 'errors.forbidden', { from, to });
  }
  if (row.reasonRequired && !reason?.trim()) throw new DomainError('proposals.reason_required', { to });
  return row;
}
