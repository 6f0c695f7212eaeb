/**
 * Publishing announcements: a recorded announcement whose time has come goes into the outbox
 * under `announcement:<id>` per chat, so a scheduled one is posted once however often the job
 * runs; the job publishes scheduled ones when their time comes.
 */
import type { Services } from '../../core/services.ts';
import {
  claimAnnouncement,
  dueAnnouncements,
  markAnnouncementSent,
  recordAnnouncement,
  releaseAnnouncement,
  type NewAnnouncement,
} from '../../domain/announcements/announcements.ts';
import type { Actor } from '../../domain/residents/roles.ts';
import type { Announcement } from '../../generated/prisma/client.ts';
import { audienceOf, readScope, scopeLine, type Scope } from '../../domain/register/scope.ts';
import type { TFn } from '../../i18n/i18n.ts';

/** The notice with its scope line under the heading, so residents elsewhere see it is not theirs. */
function withScopeLine(t: TFn, notice: string, scope: Scope): string {
  const line = scopeLine(t, scope);
  if (!line) return notice;
  const [head, ...rest] = notice.split('\n');
  return [head, line, ...rest].join('\n');
}

/** Records an announcement (audited) and, when its time has come, publishes it at once. */
export async function createAnnouncement(services: Services, actor: Actor, via: string, input: NewAnnouncement): Promise<Announcement> {
  const { announcement, sendNow } = await recordAnnouncement(services.db, services.clock(), actor, via, input);
  return sendNow ? publishAnnouncement(services, announcement) : announcement;
}

/** Puts an announcement into the outbox for its groups (idempotent) and marks it sent. */
export async function publishAnnouncement(services: Services, a: Announcement): Promise<Announcement> {
  const community = await services.db.community.findUniqueOrThrow({ where: { id: a.communityId } });
  // Chosen groups are the committee's explicit choice; otherwise the audience follows the scope:
  // community-wide groups and the 楼栋群 of the buildings in scope (see groupHearsScope).
  const scope = readScope(a.scope);
  const groupIds = a.groupIds ? (JSON.parse(a.groupIds) as string[]) : await audienceOf(services.db, a.communityId, scope);
  const image = a.image ? { data: new Uint8Array(a.image), name: a.imageName ?? 'announcement.jpg' } : undefined;
  await services.outbox.publishToCommunity(
    a.communityId,
    `announcement:${a.id}`,
    (locale) => ({ text: withScopeLine(services.i18n.bind(locale), services.i18n.t(locale, 'announcements.notice', { community: community.name, text: a.text }), scope), ...(image ? { image } : {}) }),
    { refType: 'announcement', refId: a.id, pin: a.pin, groupIds },
  );
  return markAnnouncementSent(services.db, a.id, services.clock());
}

/** The scheduler's job: publishes every scheduled announcement whose time has come. */
export async function publishDueAnnouncements(services: Services, now: Date): Promise<number> {
  let published = 0;
  for (const a of await dueAnnouncements(services.db, now)) {
    if (!(await claimAnnouncement(services.db, a.id, now))) continue;
    try {
      await publishAnnouncement(services, a);
      published++;
    } catch (err) {
      // Back to scheduled, so the next run tries again (the outbox keys make a retry harmless).
      await releaseAnnouncement(services.db, a.id);
      services.log.error({ err, announcement: a.id }, 'scheduled announcement failed; will retry');
    }
  }
  return published;
}
