/**
 * A deliberation period before a vote (网上议事厅 as a required step before a decision, seed 002
 * 1.(4)): the poll is created scheduled to open when the period ends; until then its notice in
 * the groups takes comments and says when voting opens, and ballots are refused (the poll is not
 * open). The scheduler opens the poll at the end like any scheduled poll.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import type { DeliberationPeriod } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { ActorRef } from '../polls/polls.ts';
import { DELIBERATION_LIMITS as L } from './limits.ts';
import type { Subject } from './subjects.ts';

const DAY_MS = 86_400_000;

/**
 * Reads "议事3天" / "议事 3 天" / "deliberate 3 days" / "discuss 3d" as a period in days, or
 * null when the text names none (it is then some other answer). Out of range: a refusal.
 */
export function parsePeriod(raw: string): number | null {
  const text = raw.normalize('NFKC').trim().toLowerCase();
  const m = /^(?:议事|讨论|deliberat(?:e|ion)|discuss(?:ion)?)\s*(\d{1,3})\s*(?:天|日|d|days?)?$/.exec(text);
  if (!m) return null;
  const days = Number(m[1]);
  if (days < 1 || days > L.periodMaxDays) throw new DomainError('deliberation.period_range', { max: L.periodMaxDays });
  return days;
}

/** When voting opens after a period of `days` from `now`. */
export function votingOpensAfter(days: number, now: Date): Date {
  return new Date(now.getTime() + days * DAY_MS);
}

/**
 * Records a poll's deliberation period (committee; the poll must be scheduled to open at the
 * period's end, which the scene arranges).
 */
export async function startPeriod(db: Db, by: ActorRef, pollId: string, now: Date): Promise<DeliberationPeriod> {
  const poll = await db.poll.findUnique({ where: { id: pollId } });
  if (!poll) throw new DomainError('deliberation.subject_unknown');
  requirePermission(by.actor, 'poll.create', poll.communityId);
  if (poll.status !== 'scheduled' || poll.opensAt <= now) throw new DomainError('deliberation.period_not_scheduled');
  return db.$transaction(async (tx) => {
    const period = await tx.deliberationPeriod.upsert({
      where: { subjectKind_subjectId: { subjectKind: 'poll', subjectId: pollId } },
      create: { communityId: poll.communityId, subjectKind: 'poll', subjectId: pollId, votingOpensAt: poll.opensAt, createdById: by.actor.personId, createdAt: now },
      update: { votingOpensAt: poll.opensAt },
    });
    await recordAudit(tx, { actorId: by.actor.personId, via: by.via, action: 'deliberation.period', communityId: poll.communityId, targetType: 'poll', targetId: pollId, details: { votingOpensAt: poll.opensAt.toISOString() } });
    return period;
  });
}

/** The period of a subject, if it has one. */
export function periodOf(db: Db, subject: Subject): Promise<DeliberationPeriod | null> {
  return db.deliberationPeriod.findUnique({ where: { subjectKind_subjectId: { subjectKind: subject.kind, subjectId: subject.id } } });
}

/** Periods whose notice has not gone out yet (a crash between creation and posting). */
export function unpostedPeriods(db: Db): Promise<DeliberationPeriod[]> {
  return db.deliberationPeriod.findMany({ where: { postedAt: null }, take: 50 });
}

/** Records that a period's notice went out; true for the caller that did. */
export async function markPeriodPosted(db: Db, id: string, now: Date): Promise<boolean> {
  const { count } = await db.deliberationPeriod.updateMany({ where: { id, postedAt: null }, data: { postedAt: now } });
  return count === 1;
}
