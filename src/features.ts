/**
 * The features Linli is made of. A new feature exports a `Feature` from its folder and is
 * listed here; nothing else needs to change.
 */
import type { Feature } from './features/feature.ts';
import { residentsFeature } from './features/residents/index.ts';
import { registerFeature } from './features/register/index.ts';
import { consoleFeature } from './features/console/index.ts';
import { maintenanceFeature } from './features/core/maintenance.ts';
import { demoFeature } from './features/demo/index.ts';
import { exportsFeature } from './features/exports/index.ts';
import { ratingsFeature } from './features/ratings/index.ts';
import { proposalsFeature } from './features/proposals/index.ts';
import { disclosuresFeature } from './features/disclosures/index.ts';
import { linkingFeature } from './features/linking/index.ts';
import { pollsFeature } from './features/polls/index.ts';
import { announcementsFeature } from './features/announcements/index.ts';
import { meetingsFeature } from './features/meetings/index.ts';
import { digestFeature } from './features/digest/index.ts';
import { requestsFeature } from './features/requests/index.ts';
import { deliberationFeature } from './features/deliberation/index.ts';

/** All features except the core one (which lists the others' commands in /help). */
export const FEATURES: Feature[] = [
  residentsFeature,
  registerFeature,
  // The weekly digest shows the features' sections in this order: what needs residents first.
  pollsFeature,
  proposalsFeature,
  deliberationFeature,
  ratingsFeature,
  disclosuresFeature,
  meetingsFeature,
  requestsFeature,
  announcementsFeature,
  digestFeature,
  linkingFeature,
  exportsFeature,
  consoleFeature,
  maintenanceFeature,
  demoFeature,
];
