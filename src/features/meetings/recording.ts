/**
 * The meetings feature's moves with a public side: scheduling (then the notice), recording a
 * decision (a poll it opens is posted like any poll), publishing the minutes and correcting them
 * (the disclosure's notice to the groups). Shared by the scenes, the buttons and the CLI.
 */
import type { Services } from '../../core/services.ts';
import { DomainError } from '../../domain/errors.ts';
import type { BodyKind } from '../../domain/meetings/bodies.ts';
import { scheduleMeeting, type FullMeeting, type MeetingActing, type NewAgendaItem } from '../../domain/meetings/meetings.ts';
import { correctMinutes, publishMinutes, recordDecision, recordMinutes, type DecisionInput } from '../../domain/meetings/minutes.ts';
import { announceVersion } from '../disclosures/publishing.ts';
import { publishPoll } from '../polls/lifecycle.ts';
import { postNotice } from './notices.ts';
import { minutesRenderer } from './render.ts';

/** A meeting as scheduled from chat or the CLI: without a title, the body's name and the month. */
export async function scheduleAndAnnounce(
  services: Services,
  acting: MeetingActing,
  input: { communityId: string; body: BodyKind; title: string | null; startsAt: Date; place: string; agenda: NewAgendaItem[] },
): Promise<FullMeeting> {
  const community = await services.db.community.findUniqueOrThrow({ where: { id: input.communityId } });
  const t = services.i18n.bind(community.locale);
  const title = input.title?.trim() || t('meetings.title_default', { when: input.startsAt });
  const meeting = await scheduleMeeting(services.db, acting, { ...input, title });
  await postNotice(services, meeting);
  return meeting;
}

/** Records an item's minutes and its decision; a poll the meeting opened is posted to the groups. */
export async function recordItem(services: Services, acting: MeetingActing, itemId: string, minutes: string, decision: DecisionInput | null): Promise<void> {
  await recordMinutes(services.db, acting, itemId, minutes);
  if (!decision) return;
  const { poll } = await recordDecision(services.db, acting, itemId, decision);
  if (poll && poll.status === 'open') await publishPoll(services, poll);
}

/** The renderer of a community's minutes, in the community's language. */
async function rendererFor(services: Services, communityId: string) {
  const community = await services.db.community.findUniqueOrThrow({ where: { id: communityId } });
  return minutesRenderer(services.i18n.bind(community.locale), services.config.LINLI_TIMEZONE);
}

/** Publishes the minutes as a 居务 disclosure and posts its notice to the groups. */
export async function publishAndAnnounce(services: Services, acting: MeetingActing, meetingId: string) {
  const meeting = await services.db.meeting.findUnique({ where: { id: meetingId } });
  if (!meeting) throw new DomainError('meetings.not_found');
  const render = await rendererFor(services, meeting.communityId);
  const published = await publishMinutes(services.db, acting, meetingId, render);
  await announceVersion(services.outbox, services.i18n, published.disclosure, published.version);
  return published;
}

/** Corrects a published item with a reason and posts the correction's notice. */
export async function correctAndAnnounce(services: Services, acting: MeetingActing, itemId: string, minutes: string, reason: string): Promise<void> {
  const item = await services.db.meetingAgendaItem.findUniqueOrThrow({ where: { id: itemId }, include: { meeting: true } });
  const render = await rendererFor(services, item.meeting.communityId);
  const { disclosure, version } = await correctMinutes(services.db, acting, itemId, minutes, reason, render);
  await announceVersion(services.outbox, services.i18n, disclosure, version);
}
