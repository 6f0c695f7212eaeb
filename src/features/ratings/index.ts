/**
 * 满意度评议 in chat: /rate (residents), /ratings (committee and staff reports), /ratingtargets,
 * /ratingcampaign and /ratingcomments (committee), the rate button, the job that closes
 * campaigns, the digest section, the staff export, and project targets from completed proposals.
 * The rules live in src/domain/ratings; the files here only translate between chat and domain.
 */
import type { Feature } from '../feature.ts';
import { ensureProjectTarget } from '../../domain/ratings/targets.ts';
import { createRateScene } from '../../../scenes/rate.ts';
import { createRatingCampaignScene } from '../../../scenes/ratingCampaign.ts';
import { ratingTargetScene } from '../../../scenes/ratingTarget.ts';
import { alertCommittee } from './alerts.ts';
import { announceCampaign, closeDueCampaigns } from './campaigns.ts';
import { ratingsDigest } from './digest.ts';
import { ratingsExporter } from './export.ts';
import { manageActions, ratingCampaignCommand, ratingCommentsCommand, ratingTargetsCommand } from './manage.ts';
import { rateCommand, rateTargetAction } from './rate.ts';
import { detailAction, ratingsCommand } from './reports.ts';

/** Name of the job that closes campaigns. */
export const CLOSE_JOB = 'ratings-close-campaigns';

/** The ratings feature. */
export const ratingsFeature: Feature = {
  name: 'ratings',
  scenes: [createRateScene({ alertCommittee }), createRatingCampaignScene({ announceCampaign }), ratingTargetScene],
  commands: [rateCommand, ratingsCommand, ratingTargetsCommand, ratingCampaignCommand, ratingCommentsCommand],
  actions: [rateTargetAction, detailAction, ...manageActions],
  jobs: [{ name: CLOSE_JOB, cron: '*/5 * * * *', run: (services, now) => closeDueCampaigns(services, now).then(() => undefined) }],
  on: {
    'proposal.completed': async (services, payload) => {
      await ensureProjectTarget(services.db, payload);
    },
  },
  digest: ratingsDigest,
  exporters: [ratingsExporter],
};
