/**
 * 民生微实事 in chat: /propose, 附议 buttons, /proposals, /myproposals, the committee's /review,
 * the export and the digest section, and the reactions to polls and ratings. Rules live in
 * src/domain/proposals; the files here only connect chat and domain.
 */
import type { Feature } from '../feature.ts';
import { browseActions, browsePayload, myProposalsCommand, proposalsCommand } from './browse.ts';
import { proposalsDigest } from './digest.ts';
import { proposalsExporter } from './export.ts';
import { proposeActions, proposeCommand, proposePayload } from './propose.ts';
import { proposalReactions } from './reactions.ts';
import { reviewActions, reviewCommand, reviewPayload } from './review.ts';
import { budgetScene, progressScene, proposeScene, rejectScene } from './scenes.ts';
import { secondAction, secondCommand } from './second.ts';

/** The proposals feature. */
export const proposalsFeature: Feature = {
  name: 'proposals',
  scenes: [proposeScene, rejectScene, budgetScene, progressScene],
  commands: [proposeCommand, proposalsCommand, secondCommand, myProposalsCommand, reviewCommand],
  actions: [secondAction, ...proposeActions, ...browseActions, ...reviewActions],
  startPayloads: [proposePayload, browsePayload, reviewPayload],
  on: proposalReactions,
  digest: proposalsDigest,
  exporters: [proposalsExporter],
};
