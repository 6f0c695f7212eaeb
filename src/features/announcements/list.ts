/**
 * /announcements: the community's recent announcements (scheduled ones too for committee
 * members, who can withdraw them from their private chat), and the digest's button that shows
 * the same list to whoever taps it — privately, also under a group's digest. The list shows first
 * lines; a button under it opens each announcement in full.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef, type CommandDef } from '../../core/feature.ts';
import { cancelAnnouncement, headline, recentAnnouncements } from '../../domain/announcements/announcements.ts';
import { can, requirePermission } from '../../domain/residents/permissions.ts';
import type { OutMessage } from '../../platform/messages.ts';
import { splitText } from '../../outbox/split.ts';
import { cancelAsk, cancelYes, readAnnouncement, showAnnouncements } from './actions.ts';

/** Scheduled announcements offered for withdrawal at most. */
const MAX_WITHDRAWABLE = 10;

/** Announcements a person may read here: the same ones the list shows them. */
function visibleAnnouncements(ctx: Ctx) {
  const community = ctx.requireCommunity();
  const committee = can(ctx.actor, 'announcement.create', community.id);
  return recentAnnouncements(ctx.services.db, community.id, { includeScheduled: committee });
}

/** Characters of an announcement's first line on its "read in full" button. */
const READ_LABEL_CHARS = 18;

/** The list: first lines, and a button per announcement that opens it in full. */
async function listMessage(ctx: Ctx): Promise<OutMessage> {
  const community = ctx.requireCommunity();
  const rows = await visibleAnnouncements(ctx);
  if (!rows.length) return { text: ctx.t('announcements.list_empty') };
  const lines = [ctx.t('announcements.list_title', { community: community.name })];
  for (const a of rows) {
    const key = a.status === 'scheduled' ? 'announcements.list_scheduled' : 'announcements.list_sent';
    lines.push(ctx.t(key, { when: a.sendAt, headline: headline(a.text), pin: a.pin ? ctx.t('announcements.list_pin') : '' }));
  }
  lines.push('', ctx.t('announcements.list_read_hint'));
  return {
    text: lines.join('\n'),
    buttons: rows.map((a) => [{ label: ctx.t('announcements.read_button', { headline: headline(a.text, READ_LABEL_CHARS) }), action: readAnnouncement.pack({ announcement: a.id }) }]),
  };
}

/**
 * One announcement in full — every line as the committee wrote it (contacts, phone numbers,
 * addresses) and its time. Long ones are split, never cut.
 */
async function showFull(ctx: Ctx, id: string, send: (m: OutMessage) => Promise<unknown>, maxTextLength: number): Promise<boolean> {
  const a = (await visibleAnnouncements(ctx)).find((x) => x.id === id);
  if (!a) return false;
  const key = a.status === 'scheduled' ? 'announcements.full_scheduled' : 'announcements.full_sent';
  const text = `${ctx.t(key, { when: a.sendAt })}\n\n${a.text}`;
  for (const part of splitText(text, maxTextLength)) await send({ text: part });
  return true;
}

/** The /announcements command. */
export const announcementsCommand: CommandDef = {
  name: 'announcements',
  sameForAll: true,
  description: 'announcements.cmd_list',
  order: 41,
  async run(ctx) {
    const list = await listMessage(ctx);
    const community = ctx.community;
    // Committee members can withdraw a scheduled announcement from their private chat.
    const scheduled =
      community && ctx.chat.kind === 'private' && can(ctx.actor, 'announcement.create', community.id)
        ? await ctx.services.db.announcement.findMany({ where: { communityId: community.id, status: 'scheduled' }, orderBy: { sendAt: 'asc' }, take: MAX_WITHDRAWABLE })
        : [];
    const withdraw = scheduled.map((a) => [{ label: ctx.t('announcements.cancel_button', { headline: headline(a.text, 16) }), action: cancelAsk.pack({ announcement: a.id }) }]);
    const buttons = [...(list.buttons ?? []), ...withdraw];
    await ctx.reply({ text: list.text, buttons: buttons.length ? buttons : undefined });
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
    const list = await listMessage(ctx);
    if (ctx.chat.kind === 'private') {
      await ctx.toast('');
      await ctx.reply(list);
      return;
    }
    // A press under a group's digest answers the presser privately, not the whole group.
    try {
      await ctx.replyPrivately(list);
      await ctx.toast('');
    } catch {
      await ctx.toast(ctx.t('announcements.start_private'), true);
    }
  }),
  onAction(readAnnouncement, async (ctx, { announcement }) => {
    if (ctx.chat.kind === 'private') {
      if (!(await showFull(ctx, announcement, (m) => ctx.reply(m), ctx.capabilities.maxTextLength))) return ctx.toast(ctx.t('errors.stale_button'));
      return ctx.toast('');
    }
    // From a group's list: the full text goes to the presser privately; the group is not flooded.
    try {
      const priv = ctx.privateCtx();
      if (!(await showFull(ctx, announcement, (m) => priv.reply(m), priv.capabilities.maxTextLength))) return ctx.toast(ctx.t('errors.stale_button'));
      await ctx.toast(ctx.t('announcements.sent_privately'));
    } catch {
      await ctx.toast(ctx.t('announcements.start_private'), true);
    }
  }),
];
