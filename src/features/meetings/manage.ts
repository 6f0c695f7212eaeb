/**
 * A meeting's card for committee members (private chat): its agenda, record and attendance, and
 * the secretary's buttons — roll call, the sign-in sheet, minutes, publishing (or, once
 * published, a correction). Every handler checks the permission against the meeting's own
 * community; the router's guard is only the first line.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef } from '../../core/feature.ts';
import { attendanceOf, tickAttendee } from '../../domain/meetings/attendance.ts';
import { getMeeting, type FullMeeting } from '../../domain/meetings/meetings.ts';
import { requirePermission } from '../../domain/residents/permissions.ts';
import type { Button } from '../../platform/messages.ts';
import { cancelMeetingAction, enrolAttendees, manageMeeting, moveMeetingAction, publishAsk, publishYes, recordMinutesAction, rollCall, showMeetings, signInSheet, tickMember } from './actions.ts';
import { meetingsList } from './commands.ts';
import { publishAndAnnounce } from './recording.ts';
import { bodyName, meetingCard } from './render.ts';
import { renderSignInSheetPdf, signInPayload } from './sheet.ts';

/** Loads a meeting for a committee member of its community. */
async function managed(ctx: Ctx, id: string): Promise<FullMeeting> {
  const meeting = await getMeeting(ctx.services.db, id);
  requirePermission(ctx.actor, 'meeting.manage', meeting.communityId);
  return meeting;
}

/** The card's buttons for the meeting's state. */
function cardButtons(ctx: Ctx, m: FullMeeting): Button[][] {
  const id = { meeting: m.id };
  if (m.status === 'cancelled') return [];
  const enrol = m.attendance.some((a) => !a.member) ? [[{ label: ctx.t('meetings.enrol_button'), action: enrolAttendees.pack(id) }]] : [];
  if (m.status === 'published') return [[{ label: ctx.t('meetings.correct_button'), action: recordMinutesAction.pack(id) }], ...enrol];
  return [
    [
      { label: ctx.t('meetings.rollcall_button'), action: rollCall.pack(id) },
      { label: ctx.t('meetings.sheet_button'), action: signInSheet.pack(id) },
    ],
    [
      { label: ctx.t('meetings.minutes_button'), action: recordMinutesAction.pack(id) },
      { label: ctx.t('meetings.publish_button'), action: publishAsk.pack(id) },
    ],
    [
      { label: ctx.t('meetings.move_button'), action: moveMeetingAction.pack(id) },
      { label: ctx.t('meetings.cancel_button'), action: cancelMeetingAction.pack(id) },
    ],
    ...enrol,
  ];
}

/** Sends a meeting's card to the committee member. */
export async function sendCard(ctx: Ctx, meetingId: string): Promise<void> {
  const m = await managed(ctx, meetingId);
  await ctx.reply({ text: meetingCard(ctx.t, m, await attendanceOf(ctx.services.db, m)), buttons: cardButtons(ctx, m) });
}

/** The roll call: each member with ☐/☑ (a tap toggles), as one message. */
async function rollCallMessage(ctx: Ctx, m: FullMeeting) {
  const summary = await attendanceOf(ctx.services.db, m);
  const present = new Set(m.attendance.map((a) => a.personId));
  return {
    text: ctx.t('meetings.rollcall', { title: m.title, present: summary.present, members: summary.members.length, needed: summary.needed }),
    buttons: summary.members.map((p) => [{ label: `${present.has(p.personId) ? '☑' : '☐'} ${p.name}`, action: tickMember.pack({ meeting: m.id, person: p.personId }) }]),
  };
}

/** The buttons of meetings' cards (committee, private) and the digest's list (anyone). */
export const manageActions: ActionDef[] = [
  onAction(
    manageMeeting,
    async (ctx, { meeting }) => {
      await ctx.toast('');
      await sendCard(ctx, meeting);
    },
    { chat: 'private', permission: 'meeting.manage' },
  ),
  onAction(
    rollCall,
    async (ctx, { meeting }) => {
      const m = await managed(ctx, meeting);
      await ctx.toast('');
      const message = await rollCallMessage(ctx, m);
      await ctx.reply(message.buttons.length ? message : ctx.t('meetings.rollcall_no_members', { body: bodyName(ctx.t, m.body) }));
    },
    { chat: 'private', permission: 'meeting.manage' },
  ),
  onAction(
    tickMember,
    async (ctx, { meeting, person }) => {
      const m = await managed(ctx, meeting);
      const present = !m.attendance.some((a) => a.personId === person);
      await tickAttendee(ctx.services.db, { actor: ctx.actor, via: ctx.via, now: ctx.services.clock() }, meeting, person, present, ctx.services.config.LINLI_TIMEZONE);
      await ctx.toast(ctx.t(present ? 'meetings.ticked' : 'meetings.unticked'));
      await ctx.reply(await rollCallMessage(ctx, await managed(ctx, meeting)));
    },
    { chat: 'private', permission: 'meeting.manage' },
  ),
  onAction(
    recordMinutesAction,
    async (ctx, { meeting }) => {
      await managed(ctx, meeting);
      await ctx.toast('');
      await ctx.services.scenes.start(ctx, 'meetingMinutes', meeting);
    },
    { chat: 'private', permission: 'meeting.manage' },
  ),
  onAction(
    publishAsk,
    async (ctx, { meeting }) => {
      const m = await managed(ctx, meeting);
      await ctx.toast('');
      const summary = await attendanceOf(ctx.services.db, m);
      await ctx.reply({
        text: ctx.t('meetings.publish_confirm', { title: m.title, items: m.agenda.length, minuted: m.agenda.filter((i) => i.minutes).length, decisions: m.decisions.length, present: summary.present + summary.others }),
        buttons: [[{ label: ctx.t('meetings.publish_yes'), action: publishYes.pack({ meeting }) }]],
      });
    },
    { chat: 'private', permission: 'meeting.manage' },
  ),
  onAction(
    publishYes,
    async (ctx, { meeting }) => {
      await managed(ctx, meeting);
      const { disclosure } = await publishAndAnnounce(ctx.services, { actor: ctx.actor, via: ctx.via, now: ctx.services.clock() }, meeting);
      await ctx.toast('');
      await ctx.reply(ctx.t('meetings.published', { number: disclosure.number }));
    },
    { chat: 'private', permission: 'meeting.manage' },
  ),
  ...(['cancel', 'move'] as const).map((mode) =>
    onAction(
      mode === 'cancel' ? cancelMeetingAction : moveMeetingAction,
      async (ctx, { meeting }) => {
        await managed(ctx, meeting);
        await ctx.toast('');
        await ctx.services.scenes.start(ctx, 'meetingChange', `${mode}:${meeting}`);
      },
      { chat: 'private', permission: 'meeting.manage' },
    ),
  ),
  onAction(
    signInSheet,
    async (ctx, { meeting }) => {
      const m = await managed(ctx, meeting);
      await ctx.toast('');
      const community = await ctx.services.db.community.findUniqueOrThrow({ where: { id: m.communityId } });
      // The sheet is read by everyone in the room: in the community's language.
      const t = ctx.services.i18n.bind(community.locale);
      const telegram = ctx.services.adapters.get('telegram');
      const pdf = await renderSignInSheetPdf({
        t,
        community: community.name,
        heading: `${bodyName(t, m.body)} · ${m.title}`,
        when: m.startsAt,
        place: m.place,
        link: telegram?.deepLink(signInPayload(m.id)),
        words: t('meetings.signin_words', { number: m.number }),
      });
      await ctx.reply({ text: ctx.t('meetings.sheet_caption', { title: m.title }), document: { data: pdf, name: `${community.slug}-meeting-${m.number}-signin.pdf`, mimeType: 'application/pdf' } });
    },
    { chat: 'private', permission: 'meeting.manage' },
  ),
  onAction(showMeetings, async (ctx) => {
    const { text } = await meetingsList(ctx);
    if (ctx.chat.kind === 'private') {
      await ctx.toast('');
      await ctx.reply(text);
      return;
    }
    try {
      await ctx.replyPrivately(text);
      await ctx.toast('');
    } catch {
      await ctx.toast(ctx.t('meetings.start_private'), true);
    }
  }),
];
