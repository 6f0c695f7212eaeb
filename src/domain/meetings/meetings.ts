/**
 * Scheduling meetings and their agenda, and reading them back. A meeting belongs to a body of a
 * community, is numbered per community, starts in the future and has a place and an agenda of
 * up to LIMITS.agendaItems items, each free text or linked to a proposal, a poll or a resident's
 * request. Announcing it to the groups is the meetings feature's job (through the outbox).
 */
import { DomainError } from '../errors.ts';
import { isUniqueViolation, type Db } from '../../db/client.ts';
import type { Meeting, MeetingAgendaItem, MeetingAttendance, MeetingBody, MeetingDecision } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { Actor } from '../residents/roles.ts';
import { bodyFor, type BodyKind } from './bodies.ts';
import { AGENDA_KINDS, chars, LIMITS, MAX_AHEAD_DAYS, oneLine, type AgendaKind } from './states.ts';

/** Who acts, through what, and when. */
export interface MeetingActing {
  actor: Actor;
  via: string;
  now: Date;
}

/** One agenda item as asked for. `title` may be empty for a proposal or poll (its own title is used). */
export interface NewAgendaItem {
  kind: AgendaKind;
  refId?: string | null;
  title: string;
}

/** A meeting as a committee member schedules it. */
export interface NewMeeting {
  communityId: string;
  body: BodyKind;
  /** Empty: the body's name and the date are title enough (the feature fills it in). */
  title: string;
  startsAt: Date;
  place: string;
  agenda: NewAgendaItem[];
}

/** A meeting with everything it keeps. */
export type FullMeeting = Meeting & { body: MeetingBody; agenda: MeetingAgendaItem[]; attendance: MeetingAttendance[]; decisions: MeetingDecision[] };

/** The includes of a full meeting. */
export const FULL_MEETING = {
  body: true,
  agenda: { orderBy: { position: 'asc' as const } },
  attendance: { orderBy: { at: 'asc' as const } },
  decisions: { orderBy: { at: 'asc' as const } },
};

const audit = (acting: MeetingActing) => ({ actorId: acting.via === 'cli' ? null : acting.actor.personId, via: acting.via });

/** Checks a one-line text against a limit; `key` names the refusal. */
function checkLine(raw: string, max: number, key: string, min = 2): string {
  const text = oneLine(raw);
  if (chars(text) < min || chars(text) > max) throw new DomainError(key, { max, min, length: chars(text) });
  return text;
}

/** Resolves an agenda item: a linked proposal or poll must be the community's, its title is the default. */
async function resolveItem(db: Db, communityId: string, item: NewAgendaItem): Promise<{ kind: AgendaKind; refId: string | null; title: string }> {
  if (!AGENDA_KINDS.includes(item.kind)) throw new DomainError('meetings.bad_agenda_kind');
  let fallback = '';
  if (item.kind === 'proposal') {
    const p = item.refId ? await db.proposal.findUnique({ where: { id: item.refId } }) : null;
    if (!p || p.communityId !== communityId) throw new DomainError('meetings.agenda_unknown_ref');
    fallback = `#${p.number} ${p.title}`;
  } else if (item.kind === 'poll') {
    const p = item.refId ? await db.poll.findUnique({ where: { id: item.refId } }) : null;
    if (!p || p.communityId !== communityId) throw new DomainError('meetings.agenda_unknown_ref');
    fallback = `#${p.number} ${p.question}`;
  } else if (item.kind === 'request' && !item.refId) {
    throw new DomainError('meetings.agenda_unknown_ref');
  }
  const raw = oneLine(item.title ?? '') || fallback;
  const title = [...raw].length > LIMITS.agendaTitle ? `${[...raw].slice(0, LIMITS.agendaTitle - 1).join('')}…` : raw;
  if (item.kind === 'text' || item.kind === 'request') checkLine(item.title ?? '', LIMITS.agendaTitle, 'meetings.bad_agenda_title');
  return { kind: item.kind, refId: item.kind === 'text' ? null : (item.refId ?? null), title };
}

/**
 * Schedules a meeting (committee; audited). Refuses a time in the past or more than
 * MAX_AHEAD_DAYS ahead, an empty or huge title or place, and too many agenda items.
 */
export async function scheduleMeeting(db: Db, acting: MeetingActing, input: NewMeeting): Promise<FullMeeting> {
  requirePermission(acting.actor, 'meeting.manage', input.communityId);
  const { now } = acting;
  if (Number.isNaN(input.startsAt.getTime())) throw new DomainError('meetings.time_unparsable');
  if (input.startsAt.getTime() < now.getTime() - 60_000) throw new DomainError('meetings.time_past');
  if (input.startsAt.getTime() > now.getTime() + MAX_AHEAD_DAYS * 86_400_000) throw new DomainError('meetings.time_too_far', { days: MAX_AHEAD_DAYS });
  const title = checkLine(input.title, LIMITS.title, 'meetings.bad_title');
  const place = checkLine(input.place, LIMITS.place, 'meetings.bad_place');
  if (input.agenda.length > LIMITS.agendaItems) throw new DomainError('meetings.too_many_items', { max: LIMITS.agendaItems });
  const items: Awaited<ReturnType<typeof resolveItem>>[] = [];
  for (const item of input.agenda) items.push(await resolveItem(db, input.communityId, item));
  const body = await bodyFor(db, input.communityId, input.body);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const last = await tx.meeting.findFirst({ where: { communityId: input.communityId }, orderBy: { number: 'desc' }, select: { number: true } });
        const meeting = await tx.meeting.create({
          data: {
            communityId: input.communityId,
            number: (last?.number ?? 0) + 1,
            bodyId: body.id,
            title,
            startsAt: input.startsAt,
            place,
            createdById: audit(acting).actorId,
            createdAt: now,
            agenda: { create: items.map((it, i) => ({ position: i + 1, ...it })) },
          },
          include: FULL_MEETING,
        });
        await recordAudit(tx, {
          ...audit(acting),
          action: 'meeting.schedule',
          communityId: input.communityId,
          targetType: 'meeting',
          targetId: meeting.id,
          details: { number: meeting.number, body: body.kind, startsAt: meeting.startsAt.toISOString(), items: items.length },
        });
        return meeting;
      });
    } catch (err) {
      if (isUniqueViolation(err) && attempt < 3) continue;
      throw err;
    }
  }
}

/**
 * Adds an item to a meeting's agenda (committee; audited) — also for other features: a
 * resident's request raised to a meeting (`{ kind: 'request', refId, title }`). Refused once the
 * minutes are published or the meeting was cancelled. Returns the item; its id is stable and
 * may be the subject of comments.
 */
export async function addAgendaItem(db: Db, meetingId: string, item: NewAgendaItem, acting: MeetingActing): Promise<MeetingAgendaItem> {
  const meeting = await db.meeting.findUnique({ where: { id: meetingId } });
  if (!meeting) throw new DomainError('meetings.not_found');
  requirePermission(acting.actor, 'meeting.manage', meeting.communityId);
  if (meeting.status !== 'scheduled') throw new DomainError(meeting.status === 'published' ? 'meetings.already_published' : 'meetings.cancelled');
  const resolved = await resolveItem(db, meeting.communityId, item);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const count = await tx.meetingAgendaItem.count({ where: { meetingId } });
        if (count >= LIMITS.agendaItems) throw new DomainError('meetings.too_many_items', { max: LIMITS.agendaItems });
        const last = await tx.meetingAgendaItem.findFirst({ where: { meetingId }, orderBy: { position: 'desc' }, select: { position: true } });
        const created = await tx.meetingAgendaItem.create({ data: { meetingId, position: (last?.position ?? 0) + 1, ...resolved } });
        await recordAudit(tx, { ...audit(acting), action: 'meeting.agenda_add', communityId: meeting.communityId, targetType: 'meetingAgendaItem', targetId: created.id, details: { meeting: meeting.number, kind: resolved.kind, refId: resolved.refId } });
        return created;
      });
    } catch (err) {
      if (isUniqueViolation(err) && attempt < 3) continue;
      throw err;
    }
  }
}

/** An agenda item with its meeting's community (for features that refer to items by id). */
export async function agendaItemById(db: Db, id: string): Promise<(MeetingAgendaItem & { meeting: Meeting }) | null> {
  return db.meetingAgendaItem.findUnique({ where: { id }, include: { meeting: true } });
}

/** A meeting with everything, or a refusal. */
export async function getMeeting(db: Db, id: string): Promise<FullMeeting> {
  const m = await db.meeting.findUnique({ where: { id }, include: FULL_MEETING });
  if (!m) throw new DomainError('meetings.not_found');
  return m;
}

/** A meeting by its number in a community, or a refusal. */
export async function meetingByNumber(db: Db, communityId: string, number: number): Promise<FullMeeting> {
  const m = await db.meeting.findUnique({ where: { communityId_number: { communityId, number } }, include: FULL_MEETING });
  if (!m) throw new DomainError('meetings.not_found');
  return m;
}

/** Upcoming meetings (starting after `now` less a day, so today's stays up) and the latest past ones; cancelled ones are left out. */
export async function recentMeetings(db: Db, communityId: string, now: Date, take = 8) {
  const since = new Date(now.getTime() - 86_400_000);
  const [upcoming, past] = await Promise.all([
    db.meeting.findMany({ where: { communityId, status: { not: 'cancelled' }, startsAt: { gte: since } }, orderBy: { startsAt: 'asc' }, take, include: { body: true } }),
    db.meeting.findMany({ where: { communityId, status: { not: 'cancelled' }, startsAt: { lt: since } }, orderBy: { startsAt: 'desc' }, take, include: { body: true } }),
  ]);
  return { upcoming, past };
}

/** Meetings of a community that start in [from, to), oldest first, with everything. */
export function meetingsBetween(db: Db, communityId: string, from: Date, to: Date): Promise<FullMeeting[]> {
  return db.meeting.findMany({ where: { communityId, status: { not: 'cancelled' }, startsAt: { gte: from, lt: to } }, orderBy: { startsAt: 'asc' }, include: FULL_MEETING });
}

/** Meetings due a reminder: starting within a day, announced more than a day before, not yet reminded. */
export function meetingsToRemind(db: Db, now: Date) {
  const inADay = new Date(now.getTime() + 86_400_000);
  return db.meeting.findMany({ where: { status: 'scheduled', reminderSentAt: null, startsAt: { gt: now, lte: inADay } }, include: { body: true, agenda: { orderBy: { position: 'asc' } } } });
}

/** Claims a meeting's reminder (once, whoever runs the job). */
export async function claimReminder(db: Db, id: string, now: Date): Promise<boolean> {
  const { count } = await db.meeting.updateMany({ where: { id, reminderSentAt: null }, data: { reminderSentAt: now } });
  return count > 0;
}
