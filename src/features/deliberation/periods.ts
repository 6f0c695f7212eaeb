/**
 * The deliberation period of a poll in public: the notice goes to the groups when the poll is
 * created (and again from the job if a crash came between), and says "voting has opened" once
 * the poll opened and its own card went out (the poll.created event).
 */
import type { Services } from '../../core/services.ts';
import { unpostedPeriods } from '../../domain/deliberation/periods.ts';
import { publishPeriodNotice, refreshPeriodNotice } from './cards.ts';

/** The job: posts period notices never posted. Idempotent (outbox keys, postedAt). */
export async function deliberationTick(services: Services): Promise<void> {
  for (const period of await unpostedPeriods(services.db)) await publishPeriodNotice(services, period.subjectId);
}

/** A poll was posted (it opened) or ended: its period notice, if any, says so. */
export async function onPollPosted(services: Services, payload: { pollId: string }): Promise<void> {
  await refreshPeriodNotice(services, payload.pollId);
}
