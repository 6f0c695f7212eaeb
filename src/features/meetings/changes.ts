/**
 * Cancelling or moving a meeting, and telling everyone: a 取消通知 / 更改通知 to the groups
 * through the outbox (with the reason), the original notice (and any reminder) edited — a
 * cancelled meeting's loses its sign-in button, a moved meeting's shows the new time and place —
 * and each member of the body told privately. Shared by the card's scene and the CLI.
 */
import type { Services } from '../../core/services.ts';
import { membersOf } from '../../domain/meetings/bodies.ts';
import { cancelMeeting, rescheduleMeeting, type MeetingMove } from '../../domain/meetings/changes.ts';
import type { FullMeeting, MeetingActing } from '../../domain/meetings/meetings.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { notifyPerson } from '../notify.ts';
import { signInTap } from './actions.ts';
import { bodyName, noticeText } from './render.ts';

/** The words of a cancellation. */
export function cancelText(t: TFn, community: string, m: FullMeeting, reason: string): string {
  return t('meetings.cancel_notice', { community, body: bodyName(t, m.body), title: m.title, number: m.number, when: m.startsAt, place: m.place, reason });
}

/** The words of a change of time and/or place. */
export function changeText(t: TFn, community: string, before: FullMeeting, m: FullMeeting, reason: string): string {
  const lines = [t('meetings.change_notice', { community, body: bodyName(t, m.body), title: m.title, number: m.number, oldWhen: before.startsAt, oldPlace: before.place, reason })];
  if (before.startsAt.getTime() !== m.startsAt.getTime()) lines.push(t('meetings.change_time', { when: m.startsAt }));
  if (before.place !== m.place) lines.push(t('meetings.change_place', { place: m.place }));
  lines.push(t('meetings.change_tail'));
  return lines.join('\n');
}

/** Rewrites the meeting's posted notice and reminders in each group (where the outbox keeps them). */
async function editPosted(services: Services, meeting: FullMeeting, render: (t: TFn, community: string) => { text: string; buttons?: { label: string; action: string }[][] }): Promise<void> {
  const community = await services.db.community.findUniqueOrThrow({ where: { id: meeting.communityId } });
  const posted = await services.db.outboxMessage.findMany({ where: { refType: 'meeting', refId: meeting.id, kind: { not: 'edit' }, key: { startsWith: `meeting:${meeting.id}:notice:` } } });
  const groups = await services.db.chatGroup.findMany({ where: { communityId: meeting.communityId } });
  for (const p of posted) {
    const group = groups.find((g) => g.platform === p.platform && g.chatId === p.chatId);
    const t = services.i18n.bind(group?.locale ?? community.locale);
    await services.outbox.enqueueEdit(p.key, render(t, community.name));
  }
}

/** Tells each member of the body privately. */
async function tellMembers(services: Services, meeting: FullMeeting, key: string, text: (t: TFn, community: string) => string): Promise<number> {
  const community = await services.db.community.findUniqueOrThrow({ where: { id: meeting.communityId } });
  let told = 0;
  for (const member of await membersOf(services.db, meeting.body)) {
    await notifyPerson(services, member.personId, { key: `${key}:${member.personId}`, communityId: meeting.communityId, refType: 'meeting', refId: meeting.id, message: (t) => ({ text: text(t, community.name) }) });
    told++;
  }
  return told;
}

/** Cancels a meeting and tells the groups and the body's members. */
export async function cancelAndAnnounce(services: Services, acting: MeetingActing, meetingId: string, reason: string): Promise<FullMeeting> {
  const { meeting, reason: why } = await cancelMeeting(services.db, acting, meetingId, reason);
  const community = await services.db.community.findUniqueOrThrow({ where: { id: meeting.communityId } });
  const key = `meeting:${meeting.id}:cancel`;
  await services.outbox.publishToCommunity(meeting.communityId, key, (locale) => ({ text: cancelText(services.i18n.bind(locale), community.name, meeting, why) }), { refType: 'meeting', refId: meeting.id });
  // The old notice stays readable, marked cancelled, without the button that would only be refused.
  await editPosted(services, meeting, (t, name) => ({ text: `${t('meetings.notice_cancelled_mark')}\n${noticeText(t, name, meeting)}` }));
  await tellMembers(services, meeting, key, (t, name) => cancelText(t, name, meeting, why));
  return meeting;
}

/** Moves a meeting and tells the groups and the body's members; the reminder goes out for the new date. */
export async function rescheduleAndAnnounce(services: Services, acting: MeetingActing, meetingId: string, move: MeetingMove): Promise<FullMeeting> {
  const { before, meeting, reason } = await rescheduleMeeting(services.db, acting, meetingId, move);
  const community = await services.db.community.findUniqueOrThrow({ where: { id: meeting.communityId } });
  // One key per change: a meeting moved twice gets two change notices.
  const key = `meeting:${meeting.id}:change@${acting.now.getTime()}`;
  const button = (t: TFn) => [[{ label: t('meetings.signin_button'), action: signInTap.pack({ meeting: meeting.id }) }]];
  await services.outbox.publishToCommunity(
    meeting.communityId,
    key,
    (locale) => {
      const t = services.i18n.bind(locale);
      return { text: changeText(t, community.name, before, meeting, reason), buttons: button(t) };
    },
    { refType: 'meeting', refId: meeting.id },
  );
  await editPosted(services, meeting, (t, name) => ({ text: `${t('meetings.notice_changed_mark')}\n${noticeText(t, name, meeting)}`, buttons: button(t) }));
  await tellMembers(services, meeting, key, (t, name) => changeText(t, name, before, meeting, reason));
  return meeting;
}
