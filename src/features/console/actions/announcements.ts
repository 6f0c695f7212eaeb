/**
 * 公告 from the console: the same parser for the send time as the chat ("现在", "明天 9:00"),
 * the same scope parser (buildings or 居民小组; left empty, the whole community; an unknown name
 * is refused before anything is stored), the same domain record (permission, length, groups of
 * this community, a time not past) and the same publishing — at once through the outbox, or by the scheduler's job at its time.
 * Withdrawing works while it has not gone out.
 */
import type { Services } from '../../../core/services.ts';
import { cancelAnnouncement } from '../../../domain/announcements/announcements.ts';
import { parseSendTime } from '../../../domain/announcements/sendTime.ts';
import { DomainError } from '../../../domain/errors.ts';
import { scopeFromText, WHOLE_COMMUNITY } from '../../../domain/register/scope.ts';
import type { Actor } from '../../../domain/residents/roles.ts';
import type { Announcement } from '../../../generated/prisma/client.ts';
import { createAnnouncement } from '../../announcements/publishing.ts';
import { IMAGE_TYPES } from '../limits.ts';
import type { UploadedFile } from '../web/forms.ts';


/** Records the announcement of a form and publishes it when its time is now. */
export async function announceFromForm(services: Services, actor: Actor, communityId: string, fields: Record<string, string>, groupIds: string[], image: UploadedFile | undefined): Promise<Announcement> {
  const when = parseSendTime(fields.when?.trim() || '现在', services.clock(), services.config.LINLI_TIMEZONE);
  if (!when.ok) throw new DomainError(`announcements.time_${when.reason}`);
  if (image && !Object.hasOwn(IMAGE_TYPES, image.contentType)) throw new DomainError('webconsole.errors.bad_image_type');
  const scope = fields.scope?.trim() ? await scopeFromText(services.db, communityId, fields.scope) : WHOLE_COMMUNITY;
  return createAnnouncement(services, actor, 'console', {
    communityId,
    text: fields.text ?? '',
    image: image ? { data: image.data, name: image.filename || 'announcement.jpg' } : null,
    groupIds: groupIds.length ? groupIds : null,
    pin: fields.pin === 'yes',
    sendAt: when.at,
    scope,
  });
}

/** Withdraws a scheduled announcement of the community (another community's is not found). */
export async function withdrawAnnouncement(services: Services, actor: Actor, communityId: string, id: string): Promise<void> {
  const a = /^[a-z0-9]{10,40}$/.test(id) ? await services.db.announcement.findUnique({ where: { id }, select: { communityId: true } }) : null;
  if (!a || a.communityId !== communityId) throw new DomainError('webconsole.announcements.not_found');
  await cancelAnnouncement(services.db, actor, 'console', id);
}
