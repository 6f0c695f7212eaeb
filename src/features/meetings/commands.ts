/**
 * /meeting schedules (the scene, committee members, in private) and /meetings lists the
 * community's upcoming and recent meetings — for committee members in private with a button to
 * each meeting's card.
 */
import type { Ctx } from '../../core/context.ts';
import type { CommandDef } from '../../core/feature.ts';
import { recentMeetings } from '../../domain/meetings/meetings.ts';
import { can } from '../../domain/residents/permissions.ts';
import { manageMeeting } from './actions.ts';
import { bodyName } from './render.ts';

/** /meeting: the scheduling scene. */
export const meetingCommand: CommandDef = {
  name: 'meeting',
  description: 'meetings.cmd_meeting',
  order: 60,
  permission: 'meeting.manage',
  chat: 'private',
  run: (ctx) => ctx.services.scenes.start(ctx, 'meeting'),
};

/** The list /meetings and the digest's button show. */
export async function meetingsList(ctx: Ctx): Promise<{ text: string; ids: { id: string; label: string }[] }> {
  const community = ctx.requireCommunity();
  const { upcoming, past } = await recentMeetings(ctx.services.db, community.id, ctx.services.clock());
  if (!upcoming.length && !past.length) return { text: ctx.t('meetings.list_empty'), ids: [] };
  const lines = [ctx.t('meetings.list_title', { community: community.name })];
  const line = (m: (typeof upcoming)[number]) => ctx.t('meetings.list_line', { number: m.number, body: bodyName(ctx.t, m.body), title: m.title, when: m.startsAt, place: m.place, status: ctx.t(`meetings.status_${m.status}`) });
  if (upcoming.length) lines.push(ctx.t('meetings.list_upcoming'), ...upcoming.map(line));
  if (past.length) lines.push(ctx.t('meetings.list_past'), ...past.map(line));
  return { text: lines.join('\n'), ids: [...upcoming, ...past].map((m) => ({ id: m.id, label: ctx.t('meetings.manage_button', { number: m.number, title: [...m.title].slice(0, 14).join('') }) })) };
}

/** /meetings. */
export const meetingsCommand: CommandDef = {
  name: 'meetings',
  description: 'meetings.cmd_meetings',
  order: 61,
  sameForAll: true,
  async run(ctx) {
    const { text, ids } = await meetingsList(ctx);
    const manage = ctx.chat.kind === 'private' && can(ctx.actor, 'meeting.manage', ctx.community?.id);
    await ctx.reply({ text, buttons: manage && ids.length ? ids.map((m) => [{ label: m.label, action: manageMeeting.pack({ meeting: m.id }) }]) : undefined });
  },
};
