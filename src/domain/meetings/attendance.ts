/**
 * Sign-in at a meeting (签到): an attendee taps the button under the notice or scans the QR code
 * shown in the room; the secretary ticks those who cannot. Once per person and meeting, on the
 * meeting's day only, and not after the minutes are published. Attendance is counted against
 * the body's members and its quorum; other attendees are recorded as 列席.
 */
import { DomainError } from '../errors.ts';
import { isUniqueViolation, type Db } from '../../db/client.ts';
import type { MeetingAttendance } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import { membersOf, quorumNeeded, type BodyMember } from './bodies.ts';
import type { FullMeeting, MeetingActing } from './meetings.ts';
import { isMeetingDay } from './states.ts';

/** How someone signed in. */
export type SignInMethod = 'tap' | 'qr' | 'secretary';

/** What a sign-in did. */
export type SignInResult = { status: 'signed'; attendance: MeetingAttendance; member: boolean } | { status: 'already'; attendance: MeetingAttendance };

/** Refuses a sign-in outside the meeting's day or after its minutes were published. */
function checkOpen(meeting: { status: string; startsAt: Date }, now: Date, timeZone: string): void {
  if (meeting.status === 'cancelled') throw new DomainError('meetings.cancelled');
  if (meeting.status === 'published') throw new DomainError('meetings.signin_closed');
  if (!isMeetingDay(meeting.startsAt, now, timeZone)) throw new DomainError('meetings.signin_not_today', { when: meeting.startsAt });
}

/** Signs a person in themselves (tap or QR). A second sign-in is answered with the first one's time. */
export async function signIn(db: Db, meetingId: string, person: { id: string; displayName: string }, method: Exclude<SignInMethod, 'secretary'>, now: Date, timeZone: string): Promise<SignInResult> {
  const meeting = await db.meeting.findUnique({ where: { id: meetingId }, include: { body: true } });
  if (!meeting) throw new DomainError('meetings.not_found');
  const existing = await db.meetingAttendance.findUnique({ where: { meetingId_personId: { meetingId, personId: person.id } } });
  if (existing) return { status: 'already', attendance: existing };
  checkOpen(meeting, now, timeZone);
  const member = (await membersOf(db, meeting.body)).some((m) => m.personId === person.id);
  try {
    const attendance = await db.meetingAttendance.create({ data: { meetingId, personId: person.id, name: person.displayName, member, method, at: now } });
    return { status: 'signed', attendance, member };
  } catch (err) {
    // Two taps at once: the first one counts.
    if (!isUniqueViolation(err)) throw err;
    return { status: 'already', attendance: (await db.meetingAttendance.findUniqueOrThrow({ where: { meetingId_personId: { meetingId, personId: person.id } } })) };
  }
}

/** The secretary ticks a member present or takes the tick back (committee; audited). */
export async function tickAttendee(db: Db, acting: MeetingActing, meetingId: string, personId: string, present: boolean, timeZone: string): Promise<boolean> {
  const meeting = await db.meeting.findUnique({ where: { id: meetingId }, include: { body: true } });
  if (!meeting) throw new DomainError('meetings.not_found');
  requirePermission(acting.actor, 'meeting.manage', meeting.communityId);
  checkOpen(meeting, acting.now, timeZone);
  const members = await membersOf(db, meeting.body);
  const member = members.find((m) => m.personId === personId);
  const person = member ? null : await db.person.findUnique({ where: { id: personId } });
  if (!member && !person) throw new DomainError('meetings.unknown_person');
  if (present) {
    try {
      await db.meetingAttendance.create({ data: { meetingId, personId, name: member?.name ?? person!.displayName, member: Boolean(member), method: 'secretary', at: acting.now, recordedById: acting.actor.personId } });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return true;
    }
  } else {
    await db.meetingAttendance.deleteMany({ where: { meetingId, personId } });
  }
  await recordAudit(db, { actorId: acting.via === 'cli' ? null : acting.actor.personId, via: acting.via, action: present ? 'meeting.tick' : 'meeting.untick', communityId: meeting.communityId, targetType: 'meeting', targetId: meetingId, details: { number: meeting.number, personId } });
  return present;
}

/** Attendance against the body: members present, members, the quorum and whether it was reached. */
export interface AttendanceSummary {
  members: BodyMember[];
  present: number;
  /** Signed-in people who are not members (列席). */
  others: number;
  needed: number;
  quorate: boolean;
}

/** Counts a meeting's attendance against its body's membership and quorum. */
export async function attendanceOf(db: Db, meeting: Pick<FullMeeting, 'body' | 'attendance'>): Promise<AttendanceSummary> {
  const members = await membersOf(db, meeting.body);
  const ids = new Set(members.map((m) => m.personId));
  const present = meeting.attendance.filter((a) => ids.has(a.personId)).length;
  const needed = quorumNeeded(members.length, meeting.body.quorumShare);
  return { members, present, others: meeting.attendance.length - present, needed, quorate: members.length > 0 && present >= needed };
}
