/**
 * Chat glue for announcements: /announce starts the scene, /announcements lists recent ones
 * (scheduled ones too for committee members), a job publishes scheduled announcements when
 * their time comes, and the digest gets the week's announcements.
 */
import type { Ctx } from '../../core/context.ts';
import type { Feature } from '../feature.ts';
import { cancelAnnouncement, headline, recentAnnouncements } from '../../domain/announcements/announcements.ts';
import { announcementsDigest } from './digest.ts';
import { createAnnouncement, publishDueAnnouncements } from './publishing.ts';
import { can, requirePermission } from '../../domain/residents/permissions.ts';
import { createAnnounceScene } from '../../../scenes/announce.ts';

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

async function list(ctx: Ctx): Promise<void> {
  const text = await listText(ctx);
  const community = ctx.community;
  // Committee members can withdraw a scheduled announcement from their private chat.
  const scheduled =
    community && ctx.chat.kind === 'private' && can(ctx.actor, 'announcement.create', community.id)
      ? await ctx.services.db.announcement.findMany({ where: { communityId: community.id, status: 'scheduled' }, orderBy: { sendAt: 'asc' }, take: 10 })
      : [];
  await ctx.reply({
    text,
    buttons: scheduled.length ? scheduled.map((a) => [{ label: ctx.t('announcements.cancel_button', { headline: headline(a.text, 16) }), action: `annc:${a.id}` }]) : undefined,
  });
}

/** The announcements feature. */
export const announcementsFeature: Feature = {
  name: 'announcements',
  scenes: [createAnnounceScene({ create: createAnnouncement })],
  commands: [
    {
      name: 'announce',
      description: 'announcements.cmd_announce',
      order: 40,
      visible: (ctx) => can(ctx.actor, 'announcement.create', ctx.community?.id),
      run: (ctx) => ctx.services.scenes.start(ctx, 'announce'),
    },
    { name: 'announcements', description: 'announcements.cmd_list', order: 41, run: list },
  ],
  legacyActions: [
    {
      // Withdraw a scheduled announcement: the first tap asks, the second (…:y) cancels.
      prefix: 'annc',
      async run(ctx, [id, confirmed]) {
        const a = await ctx.services.db.announcement.findUnique({ where: { id } });
        if (!a) return ctx.toast(ctx.t('errors.stale_button'));
        requirePermission(ctx.actor, 'announcement.create', a.communityId);
        await ctx.toast('');
        if (confirmed !== 'y') {
          await ctx.reply({
            text: ctx.t('announcements.cancel_confirm', { headline: headline(a.text), when: a.sendAt }),
            buttons: [[{ label: ctx.t('announcements.cancel_yes'), action: `annc:${id}:y` }]],
          });
          return;
        }
        await cancelAnnouncement(ctx.services.db, ctx.actor, ctx.via, id);
        await ctx.reply(ctx.t('announcements.cancelled', { headline: headline(a.text) }));
      },
    },
    {
      // The digest's "announcements" button.
      prefix: 'ann',
      async run(ctx) {
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
      },
    },
  ],
  jobs: [{ name: 'announcements-scheduled', cron: '* * * * *', run: (services, now) => publishDueAnnouncements(services, now).then(() => undefined) }],
  digest: announcementsDigest,
};
