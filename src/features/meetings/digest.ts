/**
 * The meetings section of the weekly digest: the meetings held that week (with their minutes'
 * disclosure number when published and the decisions taken) and those of the coming week.
 */
import type { DigestContributor } from '../../core/feature.ts';
import { meetingsBetween } from '../../domain/meetings/meetings.ts';
import { showMeetings } from './actions.ts';
import { bodyName } from './render.ts';

const WEEK = 7 * 86_400_000;

export const meetingsDigest: DigestContributor = async (services, q) => {
  const [held, coming] = await Promise.all([
    meetingsBetween(services.db, q.communityId, q.from, q.to),
    meetingsBetween(services.db, q.communityId, q.to, new Date(q.to.getTime() + WEEK)),
  ]);
  if (!held.length && !coming.length) return null;
  const t = services.i18n.bind(q.locale);
  const disclosures = await services.db.disclosure.findMany({ where: { id: { in: held.map((m) => m.minutesDisclosureId).filter((x): x is string => Boolean(x)) } }, select: { id: true, number: true } });
  const numberOf = new Map(disclosures.map((d) => [d.id, d.number]));
  const lines = [
    ...held.map((m) => {
      const minutes = m.minutesDisclosureId ? t('meetings.digest_minutes', { number: numberOf.get(m.minutesDisclosureId) }) : t('meetings.digest_no_minutes');
      return t('meetings.digest_held', { body: bodyName(t, m.body), title: m.title, when: m.startsAt, present: m.attendance.length, decisions: m.decisions.length, minutes });
    }),
    ...coming.map((m) => t('meetings.digest_coming', { body: bodyName(t, m.body), title: m.title, when: m.startsAt, place: m.place })),
  ];
  return { title: t('meetings.digest_title'), lines, items: held.length + coming.length, buttons: [{ label: t('meetings.digest_button'), action: showMeetings.pack({}) }] };
};
