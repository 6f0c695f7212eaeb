/**
 * Committee announcements (公告): the record and its rules. An announcement goes to all of the
 * community's groups or chosen ones, now or at a time, optionally pinned; publishing it through
 * the outbox is the announcements feature's job (src/features/announcements/publishing.ts). The
 * image is kept as bytes, not as a platform file id: a Telegram file id means nothing to WeChat
 * (or to another bot token), and the outbox sends bytes anyway.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import type { Announcement } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { Actor } from '../residents/roles.ts';
import { isWholeCommunity, requireScopeOfCommunity, serializeScope, WHOLE_COMMUNITY, type Scope } from '../register/scope.ts';

/** Longest announcement text (characters); longer ones would be split into several messages. */
export const MAX_ANNOUNCEMENT_CHARS = 3000;
/** Largest image accepted. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** What a committee member asked for. */
export interface NewAnnouncement {
  communityId: string;
  text: string;
  image?: { data: Buffer; name: string } | null;
  /** Chosen group ids, or null for all of the community's active groups. */
  groupIds: string[] | null;
  pin: boolean;
  sendAt: Date;
  /** Buildings and groups it concerns (src/domain/register/scope.ts); default the whole community. */
  scope?: Scope;
}

/**
 * Records an announcement (audited); `sendNow` says whether its time has already come (the
 * caller then publishes it). Refuses a past time, an empty text and groups that are not the
 * community's.
 */
export async function recordAnnouncement(db: Db, now: Date, actor: Actor, via: string, input: NewAnnouncement): Promise<{ announcement: Announcement; sendNow: boolean }> {
  requirePermission(actor, 'announcement.create', input.communityId);
  const text = input.text.trim();
  if (!text) throw new DomainError('announcements.empty');
  if ([...text].length > MAX_ANNOUNCEMENT_CHARS) throw new DomainError('announcements.too_long', { max: MAX_ANNOUNCEMENT_CHARS });
  if (input.image && input.image.data.length > MAX_IMAGE_BYTES) throw new DomainError('announcements.image_too_large');
  if (input.sendAt.getTime() < now.getTime() - 60_000) throw new DomainError('announcements.time_past');
  if (input.groupIds) {
    if (!input.groupIds.length) throw new DomainError('announcements.no_groups');
    const found = await db.chatGroup.count({ where: { id: { in: input.groupIds }, communityId: input.communityId, active: true } });
    if (found !== new Set(input.groupIds).size) throw new DomainError('announcements.bad_groups');
  } else if (!(await db.chatGroup.count({ where: { communityId: input.communityId, active: true } }))) {
    throw new DomainError('announcements.no_groups');
  }
  const scope = await requireScopeOfCommunity(db, input.communityId, input.scope ?? WHOLE_COMMUNITY);
  const sendNow = input.sendAt.getTime() <= now.getTime();
  const announcement = await db.$transaction(async (tx) => {
    const a = await tx.announcement.create({
      data: {
        communityId: input.communityId,
        text,
        image: input.image ? Buffer.from(input.image.data) : null,
        imageName: input.image?.name ?? null,
        groupIds: input.groupIds ? JSON.stringify(input.groupIds) : null,
        pin: input.pin,
        scope: serializeScope(scope),
        sendAt: sendNow ? now : input.sendAt,
        createdById: actor.personId,
        createdAt: now,
      },
    });
    await recordAudit(tx, {
      actorId: actor.personId,
      via,
      action: 'announcement.create',
      communityId: input.communityId,
      targetType: 'announcement',
      targetId: a.id,
      details: { sendAt: a.sendAt.toISOString(), groups: input.groupIds?.length ?? 'all', pin: input.pin, image: Boolean(input.image), chars: [...text].length, scope: isWholeCommunity(scope) ? 'all' : [...scope.buildings, ...scope.groups].map((r) => r.name) },
    });
    return a;
  });
  return { announcement, sendNow };
}

/** Cancels an announcement that has not gone out yet (committee members; audited). */
export async function cancelAnnouncement(db: Db, actor: Actor, via: string, id: string): Promise<Announcement> {
  const a = await db.announcement.findUnique({ where: { id } });
  if (!a) throw new DomainError('errors.stale_button');
  requirePermission(actor, 'announcement.create', a.communityId);
  return db.$transaction(async (tx) => {
    const cancelled = await tx.announcement.updateMany({ where: { id, status: 'scheduled' }, data: { status: 'cancelled' } });
    if (!cancelled.count) throw new DomainError('announcements.cancel_not_scheduled');
    await recordAudit(tx, { actorId: actor.personId, via, action: 'announcement.cancel', communityId: a.communityId, targetType: 'announcement', targetId: id });
    return tx.announcement.findUniqueOrThrow({ where: { id } });
  });
}

/** Recent announcements of a community, newest first; scheduled ones only when asked. */
export function recentAnnouncements(db: Db, communityId: string, opts: { includeScheduled: boolean; take?: number }) {
  return db.announcement.findMany({
    where: { communityId, status: opts.includeScheduled ? { in: ['scheduled', 'sent'] } : 'sent' },
    orderBy: { sendAt: 'desc' },
    take: opts.take ?? 10,
    select: { id: true, text: true, status: true, sendAt: true, pin: true, groupIds: true, imageName: true, scope: true },
  });
}

/** First line of an announcement, cut to `max` characters, for lists and the digest. */
export function headline(text: string, max = 40): string {
  const first = text.split('\n').find((l) => l.trim())?.trim() ?? '';
  const chars = [...first];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : first;
}

/** Scheduled announcements whose time has come, oldest first. */
export function dueAnnouncements(db: Db, now: Date, take = 100): Promise<Announcement[]> {
  return db.announcement.findMany({ where: { status: 'scheduled', sendAt: { lte: now } }, orderBy: [{ sendAt: 'asc' }, { id: 'asc' }], take });
}

/**
 * Claims a due announcement (scheduled → sent) before it is handed to the outbox, so a
 * cancellation racing the job either wins — and nothing goes out — or finds it already sent.
 * False when someone else got there first.
 */
export async function claimAnnouncement(db: Db, id: string, now: Date): Promise<boolean> {
  const claimed = await db.announcement.updateMany({ where: { id, status: 'scheduled' }, data: { status: 'sent', sentAt: now } });
  return claimed.count > 0;
}

/** Gives a claimed announcement back to the schedule after a failed hand-over (the next run retries). */
export async function releaseAnnouncement(db: Db, id: string): Promise<void> {
  await db.announcement.updateMany({ where: { id, status: 'sent' }, data: { status: 'scheduled', sentAt: null } });
}

/** Marks an announcement as handed to the outbox. */
export function markAnnouncementSent(db: Db, id: string, now: Date): Promise<Announcement> {
  return db.announcement.update({ where: { id }, data: { status: 'sent', sentAt: now } });
}

/** The week's sent announcements for the digest: how many, and the latest few. */
export async function announcementsOfWeek(db: Db, communityId: string, from: Date, to: Date, take = 5) {
  const where = { communityId, status: 'sent', sendAt: { gte: from, lt: to } };
  const [count, latest] = await Promise.all([
    db.announcement.count({ where }),
    db.announcement.findMany({ where, orderBy: [{ sendAt: 'desc' }, { id: 'desc' }], take, select: { text: true, sendAt: true } }),
  ]);
  return { count, latest };
}
