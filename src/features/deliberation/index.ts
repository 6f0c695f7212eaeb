/**
 * 网上议事厅 (online deliberation), wiring only: residents comment on a proposal, a poll or an
 * agenda item from its group card (`/discuss`, the 议一议 button), comments wait for approval
 * where the community wants it (`/moderate`), a poll may begin with a deliberation period, a
 * voter may give a reason in a named poll, and the committee posts a closing statement
 * (`/outcome`). Rules live in src/domain/deliberation.
 */
import type { Feature } from '../feature.ts';
import { deliberationDigest } from './digest.ts';
import { discussCommand, discussionActions } from './discussion.ts';
import { moderateCommand, moderationActions } from './moderation.ts';
import { deliberationTick, onPollPosted } from './periods.ts';
import { reasonActions } from './reasons.ts';
import { deliberationScenes } from './scenes.ts';
import { outcomeCommand } from './statements.ts';

/** The deliberation feature. */
export const deliberationFeature: Feature = {
  name: 'deliberation',
  scenes: deliberationScenes,
  commands: [discussCommand, moderateCommand, outcomeCommand],
  actions: [...discussionActions, ...moderationActions, ...reasonActions],
  jobs: [{ name: 'deliberation-tick', cron: '* * * * *', run: (services) => deliberationTick(services) }],
  on: { 'poll.created': onPollPosted, 'poll.closed': onPollPosted },
  digest: deliberationDigest,
};
