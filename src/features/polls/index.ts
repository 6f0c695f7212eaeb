/**
 * Council polls and residents' votes in chat (wiring only): `/newpoll` (committee), `/polls`,
 * one-tap voting on the cards posted in groups, closing early, cancelling, in-person counts,
 * private reminders with an opt-out, the scheduler job, the digest section and the staff export.
 */
import type { Feature } from '../feature.ts';
import { createNewPollScene } from '../../../scenes/newpoll.ts';
import { pollActions, pollCommands } from './commands.ts';
import { paperActions, paperBatchScene, paperCommand, paperScene } from './paper.ts';
import { pollsDigest } from './digest.ts';
import { pollsExporter } from './export.ts';
import { pollsTick, publishPoll } from './lifecycle.ts';
import { publishPeriodNotice } from '../deliberation/cards.ts';

/** The polls feature. */
export const pollsFeature: Feature = {
  name: 'polls',
  scenes: [createNewPollScene({ publish: publishPoll, announcePeriod: publishPeriodNotice }), paperScene, paperBatchScene],
  commands: [...pollCommands, paperCommand],
  actions: [...pollActions, ...paperActions],
  jobs: [{ name: 'polls-tick', cron: '* * * * *', run: (services, now) => pollsTick(services, now) }],
  digest: pollsDigest,
  exporters: [pollsExporter],
};
