/**
 * Committee announcements (公告): created by a committee member, sent to all of the community's
 * groups or chosen ones, now or at a time, optionally pinned — always through the outbox under
 * `announcement:<id>` per chat, so a scheduled announcement is posted once however often the job
 * runs. The image is kept as bytes in the announcement, not as a platform file id: a Telegram
 * file id means nothing to WeChat (or to another bot token), and the outbox sends bytes anyway.
 */
import type { Services } from '../../core/services.ts';
import { DomainError } from '../errors.ts';
import type { DigestContributor } from '../../core/feature.ts';
import type { Db } from '../../db/client.ts';
import type { Announcement } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { Actor } from '../residents/roles.ts';

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
}

/**
 * Records an announcement (audited) and, when its time has come, hands it to the outbox.
 * Refuses a past time, an empty text and groups that are not the community's.
 */
export async function createAnnouncement(services: Services, actor: Actor, via: string, input: NewAnnouncement): Promise<Announcement> {
  const { db } = services;
  const now = services.clock();
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
      details: { sendAt: a.sendAt.toISOString(), groups: input.groupIds?.length ?? 'all', pin: input.pin, image: Boolean(input.image), chars: [...text].length },
    });
    return a;
  });
  if (sendNow) return publishAnnouncement(services, announcement);
  return announcement;
}

/** Puts an announcement into the outbox for its groups (idempotent) and marks it sent. */
export async function publishAnnouncement(services: Services, a: Announcement): Promise<Announcement> {
  const community = await services.db.community.findUniqueOrThrow({ where: { id: a.communityId } });
  const groupIds = a.groupIds ? (JSON.parse(a.groupIds) as string[]) : undefined;
  const image = a.image ? { data: new Uint8Array(a.image), name: a.imageName ?? 'announcement.jpg' } : undefined;
  await services.outbox.publishToCommunity(
    a.communityId,
    `announcement:${a.id}`,
    (locale) => ({ text: services.i18n.t(locale, 'announcements.notice', { community: community.name, text: a.text }), ...(image ? { image } : {}) }),
    { refType: 'announcement', refId: a.id, pin: a.pin, groupIds },
  );
  return services.db.announcement.update({ where: { id: a.id }, data: { status: 'sent', sentAt: services.clock() } });
}

/**
 * The scheduler's job: publishes every scheduled announcement whose time has come. Each one is
 * claimed (scheduled → sent) before it is handed to the outbox, so a cancellation racing the job
 * either wins — and nothing goes out — or finds the announcement already sent.
 */
export async function publishDueAnnouncements(services: Services, now: Date): Promise<number> {
  const due = await services.db.announcement.findMany({ where: { status: 'scheduled', sendAt: { lte: now } }, orderBy: { sendAt: 'asc' }, take: 100 });
  let published = 0;
  for (const a of due) {
    const claimed = await services.db.announcement.updateMany({ where: { id: a.id, status: 'scheduled' }, data: { status: 'sent', sentAt: now } });
    if (!claimed.count) continue;
    try {
      await publishAnnouncement(services, a);
      published++;
    } catch (err) {
      // Back to scheduled, so the next run tries again (the outbox keys make a retry harmless).
      await services.db.announcement.updateMany({ where: { id: a.id, status: 'sent' }, data: { status: 'scheduled', sentAt: null } });
      services.log.error({ err, announcement: a.id }, 'scheduled announcement failed; will retry');
    }
  }
  return published;
}

/** Cancels an announcement that has not gone out yet (committee members; audited). */
export async function cancelAnnouncement(services: Services, actor: Actor, via: string, id: string): Promise<Announcement> {
  const { db } = services;
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
    select: { id: true, text: true, status: true, sendAt: true, pin: true, groupIds: true, imageName: true },
  });
}

/** First line of an announcement, cut to `max` characters, for lists and the digest. */
export function headline(text: string, max = 40): string {
  const first = text.split('\n').find((l) => l.trim())?.trim() ?? '';
  const chars = [...first];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : first;
}

/** The announcements section of the weekly digest: what the committee announced that week. */
export const announcementsDigest: DigestContributor = async (services, q) => {
  const where = { communityId: q.communityId, status: 'sent', sendAt: { gte: q.from, lt: q.to } };
  const [count, latest] = await Promise.all([
    services.db.announcement.count({ where }),
    services.db.announcement.findMany({ where, orderBy: { sendAt: 'desc' }, take: 5, select: { text: true, sendAt: true } }),
  ]);
  if (!count) return null;
  const t = services.i18n.bind(q.locale);
  const lines = latest.map((a) => t('announcements.digest_line', { when: a.sendAt, headline: headline(a.text) }));
  if (count > latest.length) lines.push(t('announcements.digest_more', { count: count - latest.length }));
  return { title: t('announcements.digest_title'), lines, items: count, buttons: [{ label: t('announcements.digest_button'), action: 'ann:list' }] };
};
