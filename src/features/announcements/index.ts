/**
 * Announcements in chat: /announce starts the scene, /announcements lists recent ones (and lets
 * committee members withdraw scheduled ones), a job publishes scheduled announcements when
 * their time comes, and the digest gets the week's announcements.
 */
import type { Feature } from '../feature.ts';
import type { CommandDef } from '../../core/feature.ts';
import { createAnnounceScene } from '../../../scenes/announce.ts';
import { announcementsDigest } from './digest.ts';
import { announcementsCommand, listActions } from './list.ts';
import { createAnnouncement, publishDueAnnouncements } from './publishing.ts';

/** /announce: the scene, in the private chat. */
const announceCommand: CommandDef = {
  name: 'announce',
  description: 'announcements.cmd_announce',
  order: 40,
  permission: 'announcement.create',
  run: (ctx) => ctx.services.scenes.start(ctx, 'announce'),
};

/** The announcements feature. */
export const announcementsFeature: Feature = {
  name: 'announcements',
  scenes: [createAnnounceScene({ create: createAnnouncement })],
  commands: [announceCommand, announcementsCommand],
  actions: listActions,
  jobs: [{ name: 'announcements-scheduled', cron: '* * * * *', run: (services, now) => publishDueAnnouncements(services, now).then(() => undefined) }],
  digest: announcementsDigest,
};
