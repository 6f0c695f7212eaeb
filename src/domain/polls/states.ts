/**
 * A poll's life as one table: every move its status can make, who makes it, whether a reason
 * must go with it and the audit action that records it. Anything not in the table is refused
 * (see `findTransition`). A poll is created `scheduled` (voting opens later) or `open`.
 */
import { DomainError } from '../errors.ts';

/** Every status a poll can be in. */
export const POLL_STATUSES = ['scheduled', 'open', 'closed', 'cancelled'] as const;
export type PollStatus = (typeof POLL_STATUSES)[number];

/** Statuses in which a poll may still take votes, now or later. */
export const RUNNING_STATUSES: readonly PollStatus[] = ['scheduled', 'open'];

/** Who moves a poll: a committee member (poll.manage) or the clock (its opening or closing time came). */
export type PollMover = 'poll.manage' | 'system:clock';

/** One allowed move. */
export interface PollTransition {
  from: PollStatus;
  to: PollStatus;
  by: PollMover;
  /** A public reason must accompany the move (cancellations). */
  reasonRequired: boolean;
  /** The audit action that records it. */
  audit: string;
}

const t = (from: PollStatus, to: PollStatus, by: PollMover, audit: string, reasonRequired = false): PollTransition => ({ from, to, by, reasonRequired, audit });

/** The lifecycle. Keep it the only place that says which move is allowed. */
export const POLL_TRANSITIONS: readonly PollTransition[] = [
  t('scheduled', 'open', 'system:clock', 'poll.open'),
  t('open', 'closed', 'system:clock', 'poll.close'),
  // A poll whose whole period passed while the bot was down closes without ever opening.
  t('scheduled', 'closed', 'system:clock', 'poll.close'),
  t('open', 'closed', 'poll.manage', 'poll.close_early'),
  t('scheduled', 'closed', 'poll.manage', 'poll.close_early'),
  t('open', 'cancelled', 'poll.manage', 'poll.cancel', true),
  t('scheduled', 'cancelled', 'poll.manage', 'poll.cancel', true),
];

/** The row that allows `from → to` by `mover`, or a localized refusal. */
export function findTransition(from: string, to: PollStatus, mover: PollMover, reason?: string | null): PollTransition {
  const row = POLL_TRANSITIONS.find((x) => x.from === from && x.to === to && x.by === mover);
  if (!row) throw new DomainError('polls.not_open_now');
  if (row.reasonRequired && !reason?.trim()) throw new DomainError('polls.cancel_reason_needed');
  return row;
}
