/**
 * /announcements: the community's recent announcements (scheduled ones too for committee
 * members, who can withdraw them from their private chat), and the digest's button that shows
 * the same list to whoever taps it — privately, also under a group's digest.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef, type CommandDef } from '../../core/feature.ts';
import { cancelAnnouncement, headline, recentAnnouncements } from '../../domain/announcements/announcements.ts';
import { can, requirePermission } from '../../domain/residents/permissions.ts';
import { cancelAsk, cancelYes, showAnnouncements } from './actions.ts';

/** Scheduled announcements offered for withdrawal at most. */
const MAX_WITHDRAWABLE = 10;

async function listText(ctx: Ctx): Promise<string> {
  const community = ctx.requireCommunity();
  const committee = can(ctx.actor, 'announcement.create', community.id);
  const rows = await recentAnnouncements(ctx.services.db, community.id, { includeScheduled: committee });
  if (!rows.length) return ctx.t('announcements.list_empty');
  const lines = [ctx.t('announcements.list_title', { community: community.name })];
  for (const a of rows) {
    const key = a.status === 'scheduled' ? 'announcements.list_scheduled' : 'announcements.list_sent';
    lines.push(ctx.t(key, { when: a.sendAt, headline: headline(a.text), pin: a.pin ? ctx.t('announcements.list_pin') : '' }));
  }
  return lines.join('\n');
}

/** The /announcements command. */
export const announcementsCommand: CommandDef = {
  name: 'announcements',
  sameForAll: true,
  description: 'announcements.cmd_list',
  order: 41,
  async run(ctx) {
    const text = await listText(ctx);
    const community = ctx.community;
    // Committee members can withdraw a scheduled announcement from their private chat.
    const scheduled =
      community && ctx.chat.kind === 'private' && can(ctx.actor, 'announcement.create', community.id)
        ? await ctx.services.db.announcement.findMany({ where: { communityId: community.id, status: 'scheduled' }, orderBy: { sendAt: 'asc' }, take: MAX_WITHDRAWABLE })
        : [];
    await ctx.reply({
      text,
      buttons: scheduled.length ? scheduled.map((a) => [{ label: ctx.t('announcements.cancel_button', { headline: headline(a.text, 16) }), action: cancelAsk.pack({ announcement: a.id }) }]) : undefined,
    });
  },
};

/** Loads an announcement for withdrawal; its own community decides who may withdraw it. */
async function withdrawable(ctx: Ctx, id: string) {
  const a = await ctx.services.db.announcement.findUnique({ where: { id } });
  if (a) requirePermission(ctx.actor, 'announcement.create', a.communityId);
  return a;
}

/** Withdrawing (in the private chat) and the digest's list button (anywhere). */
export const listActions: ActionDef[] = [
  onAction(
    cancelAsk,
    async (ctx, { announcement }) => {
      const a = await withdrawable(ctx, announcement);
      if (!a) return ctx.toast(ctx.t('errors.stale_button'));
      await ctx.toast('');
      await ctx.reply({
        text: ctx.t('announcements.cancel_confirm', { headline: headline(a.text), when: a.sendAt }),
        buttons: [[{ label: ctx.t('announcements.cancel_yes'), action: cancelYes.pack({ announcement: a.id }) }]],
      });
    },
    { chat: 'private' },
  ),
  onAction(
    cancelYes,
    async (ctx, { announcement }) => {
      const a = await withdrawable(ctx, announcement);
      if (!a) return ctx.toast(ctx.t('errors.stale_button'));
      await ctx.toast('');
      await cancelAnnouncement(ctx.services.db, ctx.actor, ctx.via, a.id);
      await ctx.reply(ctx.t('announcements.cancelled', { headline: headline(a.text) }));
    },
    { chat: 'private' },
  ),
  onAction(showAnnouncements, async (ctx) => {
    const text = await listText(ctx);
    if (ctx.chat.kind === 'private') {
      await ctx.toast('');
      await ctx.reply(text);
      return;
    }
    // A press under a group's digest answers the presser privately, not the whole group.
    try {
      await ctx.replyPrivately(text);
      await ctx.toast('');
    } catch {
      await ctx.toast(ctx.t('announcements.start_private'), true);
    }
  }),
];
