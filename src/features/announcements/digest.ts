/** The announcements section of the weekly digest: what the committee announced that week. */
import type { DigestContributor } from '../../core/feature.ts';
import { announcementsOfWeek, headline } from '../../domain/announcements/announcements.ts';

export const announcementsDigest: DigestContributor = async (services, q) => {
  const { count, latest } = await announcementsOfWeek(services.db, q.communityId, q.from, q.to);
  if (!count) return null;
  const t = services.i18n.bind(q.locale);
  const lines = latest.map((a) => t('announcements.digest_line', { when: a.sendAt, headline: headline(a.text) }));
  if (count > latest.length) lines.push(t('announcements.digest_more', { count: count - latest.length }));
  return { title: t('announcements.digest_title'), lines, items: count, buttons: [{ label: t('announcements.digest_button'), action: 'ann:list' }] };
};
