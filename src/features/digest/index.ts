/**
 * The weekly digest job: every few minutes it checks each community's schedule and sends the
 * digest of the week that just ended when it is due and not yet done (see src/domain/digest).
 */
import type { Feature } from '../feature.ts';
import { runDigestJob } from './digest.ts';

/** The digest feature. List it after the features whose sections it gathers (any order works). */
export const digestFeature: Feature = {
  name: 'digest',
  jobs: [{ name: 'weekly-digest', cron: '*/5 * * * *', run: (services, now) => runDigestJob(services, now).then(() => undefined) }],
};
