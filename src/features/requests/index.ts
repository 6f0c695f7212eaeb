/**
 * Residents' requests (民意诉求) in chat: /report, /myreports, the committee's /requests with
 * its panel, the deadline job, the digest section and the export. Rules live in
 * src/domain/requests; the files here only connect chat and domain.
 */
import type { Feature } from '../feature.ts';
import { myReportsCommand, reportCommand, reportPayload, requestsCommand } from './commands.ts';
import { deadlinesJob } from './deadlines.ts';
import { requestsDigest } from './digest.ts';
import { requestsExporter } from './export.ts';
import { requestActions } from './handle.ts';
import { referScene, replyScene, reportScene } from './scenes.ts';

export const requestsFeature: Feature = {
  name: 'requests',
  scenes: [reportScene, replyScene, referScene],
  commands: [reportCommand, myReportsCommand, requestsCommand],
  actions: requestActions,
  startPayloads: [reportPayload],
  jobs: [deadlinesJob],
  digest: requestsDigest,
  exporters: [requestsExporter],
};
