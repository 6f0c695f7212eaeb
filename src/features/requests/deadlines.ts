/**
 * The deadline job: every 10 minutes, remind whoever holds a request due within a day and
 * escalate the requests whose deadline passed unanswered to the committee head. Each request is
 * reminded and escalated at most once (noted on it in the same step), and a run after downtime
 * catches up on everything it missed.
 */
import type { JobDef } from '../../core/feature.ts';
import type { Services } from '../../core/services.ts';
import { dueWork, escalationRecipients, reminderRecipients } from '../../domain/requests/deadlines.ts';
import { markDeadlineStep } from '../../domain/requests/requests.ts';
import { notifyEscalation, notifyReminder } from './notices.ts';
import { holder } from './render.ts';

/** Runs one pass; how many reminders and escalations were noted. */
export async function runDeadlines(services: Services, now: Date): Promise<{ reminded: number; escalated: number }> {
  const { db } = services;
  const work = await dueWork(db, now);
  let reminded = 0;
  let escalated = 0;
  for (const id of work.remind) {
    const r = await markDeadlineStep(db, id, 'remind', now);
    if (!r) continue;
    reminded++;
    await notifyReminder(services, r, await reminderRecipients(db, r));
  }
  for (const id of work.escalate) {
    const r = await markDeadlineStep(db, id, 'escalate', now);
    if (!r) continue;
    escalated++;
    const assignee = r.assigneeKind === 'person' && r.assigneeId ? await db.person.findUnique({ where: { id: r.assigneeId }, select: { displayName: true } }) : null;
    await notifyEscalation(services, r, await escalationRecipients(db, r.communityId), (t) => holder(t, r, assignee?.displayName ?? null, true));
  }
  return { reminded, escalated };
}

export const deadlinesJob: JobDef = {
  name: 'requests-deadlines',
  cron: '*/10 * * * *',
  run: async (services, now) => void (await runDeadlines(services, now)),
};
