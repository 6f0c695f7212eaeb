/**
 * Changing a scheduled meeting: cancelling it with a reason, or moving it to a new time and/or
 * place with a reason (committee; audited). Only a meeting still scheduled and not yet begun
 * changes; a new time must be in the future. Telling the groups and the body's members is the
 * meetings feature's job (through the outbox).
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import { FULL_MEETING, type FullMeeting, type MeetingActing } from './meetings.ts';
import { chars, LIMITS, MAX_AHEAD_DAYS, oneLine } from './states.ts';

/** A day: a meeting moved to less than this ahead gets no separate day-before reminder (its change notice is one). */
const DAY = 86_400_000;

const actorId = (acting: MeetingActing) => (acting.via === 'cli' ? null : acting.actor.personId);

/** A change's reason: one line of 2 to LIMITS.reason characters. */
export function checkChangeReason(raw: string): string {
  const text = oneLine(raw ?? '');
  if (chars(text) < 2 || chars(text) > LIMITS.reason) throw new DomainError('meetings.bad_change_reason', { max: LIMITS.reason, length: chars(text) });
  return text;
}

/** Loads a meeting the actor may change: scheduled, not begun. */
async function changeable(db: Db, acting: MeetingActing, meetingId: string): Promise<FullMeeting> {
  const meeting = await db.meeting.findUnique({ where: { id: meetingId }, include: FULL_MEETING });
  if (!meeting) throw new DomainError('meetings.not_found');
  requirePermission(acting.actor, 'meeting.manage', meeting.communityId);
  if (meeting.status === 'cancelled') throw new DomainError('meetings.already_cancelled');
  if (meeting.status === 'published') throw new DomainError('meetings.already_published');
  if (meeting.startsAt.getTime() <= acting.now.getTime()) throw new DomainError('meetings.change_begun', { when: meeting.startsAt });
  return meeting;
}

/** Claims the change: only one of two changes at once wins (the other is told it was cancelled or moved). */
async function claim(db: Db, meeting: FullMeeting, data: { status?: string; startsAt?: Date; place?: string; reminderSentAt?: Date | null }): Promise<void> {
  const { count } = await db.meeting.updateMany({ where: { id: meeting.id, status: 'scheduled', startsAt: meeting.startsAt, place: meeting.place }, data });
  if (count) return;
  const now = await db.meeting.findUnique({ where: { id: meeting.id } });
  throw new DomainError(now?.status === 'cancelled' ? 'meetings.already_cancelled' : 'meetings.changed_meanwhile');
}

/** Cancels a scheduled meeting with a reason (committee; audited). */
export async function cancelMeeting(db: Db, acting: MeetingActing, meetingId: string, rawReason: string): Promise<{ meeting: FullMeeting; reason: string }> {
  const meeting = await changeable(db, acting, meetingId);
  const reason = checkChangeReason(rawReason);
  await claim(db, meeting, { status: 'cancelled' });
  await recordAudit(db, { actorId: actorId(acting), via: acting.via, action: 'meeting.cancel', communityId: meeting.communityId, targetType: 'meeting', targetId: meeting.id, details: { number: meeting.number, reason } });
  return { meeting: await db.meeting.findUniqueOrThrow({ where: { id: meetingId }, include: FULL_MEETING }), reason };
}

/** What a reschedule asks for: a new time, a new place, or both. */
export interface MeetingMove {
  startsAt?: Date | null;
  place?: string | null;
  reason: string;
}

/**
 * Moves a scheduled meeting to a new time and/or place with a reason (committee; audited). The
 * day-before reminder is reset so it goes out once for the new date (or not at all when the new
 * time is less than a day away: the change notice reminds then).
 */
export async function rescheduleMeeting(db: Db, acting: MeetingActing, meetingId: string, move: MeetingMove): Promise<{ before: FullMeeting; meeting: FullMeeting; reason: string }> {
  const before = await changeable(db, acting, meetingId);
  const { now } = acting;
  const startsAt = move.startsAt ?? null;
  if (startsAt) {
    if (Number.isNaN(startsAt.getTime())) throw new DomainError('meetings.time_unparsable');
    if (startsAt.getTime() <= now.getTime()) throw new DomainError('meetings.time_past');
    if (startsAt.getTime() > now.getTime() + MAX_AHEAD_DAYS * DAY) throw new DomainError('meetings.time_too_far', { days: MAX_AHEAD_DAYS });
  }
  let place: string | null = null;
  if (move.place !== undefined && move.place !== null) {
    place = oneLine(move.place);
    if (chars(place) < 2 || chars(place) > LIMITS.place) throw new DomainError('meetings.bad_place', { max: LIMITS.place, min: 2, length: chars(place) });
  }
  const timeChanged = Boolean(startsAt && startsAt.getTime() !== before.startsAt.getTime());
  const placeChanged = Boolean(place && place !== before.place);
  if (!timeChanged && !placeChanged) throw new DomainError('meetings.change_nothing');
  const reason = checkChangeReason(move.reason);
  const data: { startsAt?: Date; place?: string; reminderSentAt?: Date | null } = {};
  if (timeChanged) {
    data.startsAt = startsAt!;
    data.reminderSentAt = startsAt!.getTime() - now.getTime() <= DAY ? now : null;
  }
  if (placeChanged) data.place = place!;
  await claim(db, before, data);
  await recordAudit(db, {
    actorId: actorId(acting),
    via: acting.via,
    action: 'meeting.reschedule',
    communityId: before.communityId,
    targetType: 'meeting',
    targetId: before.id,
    details: { number: before.number, reason, ...(timeChanged ? { from: before.startsAt.toISOString(), to: startsAt!.toISOString() } : {}), ...(placeChanged ? { fromPlace: before.place, toPlace: place } : {}) },
  });
  return { before, meeting: await db.meeting.findUniqueOrThrow({ where: { id: meetingId }, include: FULL_MEETING }), reason };
}
