/**
 * 居务公开 in chat: /disclosures to browse and search (anyone in a bound group, residents in
 * private), reading a disclosure and checking the chain, /publish and /correct for committee
 * members (scenes/disclosures.ts), the quarterly reminder job, the digest section and the
 * staff export.
 */
import type { Feature } from '../feature.ts';
import { createCorrectionScene, createPublishScene } from '../../../scenes/disclosures.ts';
import { browseActions, disclosuresCommand } from './browse.ts';
import { correctAction, correctCommand, publishCommand } from './committee.ts';
import { disclosuresDigest } from './digest.ts';
import { disclosuresExporter } from './export.ts';
import { announceVersion } from './publishing.ts';
import { readActions, readPayload } from './read.ts';
import { reminderJob } from './reminders.ts';
import { renderPreview } from './render.ts';

const sceneDeps = { renderPreview, announceVersion };

/** The disclosures feature. */
export const disclosuresFeature: Feature = {
  name: 'disclosures',
  scenes: [createPublishScene(sceneDeps), createCorrectionScene(sceneDeps)],
  commands: [disclosuresCommand, publishCommand, correctCommand],
  actions: [...browseActions, ...readActions, correctAction],
  startPayloads: [readPayload],
  jobs: [reminderJob],
  digest: disclosuresDigest,
  exporters: [disclosuresExporter],
};
