/**
 * The dependencies every handler and job receives. Built once by `createLinli` and passed
 * down explicitly — there are no module-level singletons, so tests build as many bots as they
 * like side by side.
 */
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Translator } from '../i18n/i18n.ts';
import type { Logger } from '../log.ts';
import type { Outbox } from '../outbox/outbox.ts';
import type { PacedSender } from '../outbox/pacedSender.ts';
import type { Adapter } from '../platform/adapter.ts';
import type { Platform } from '../platform/messages.ts';
import type { EventBus } from './events.ts';
import type { SceneRunner } from './sceneRunner.ts';
import type { DigestContributor, ExporterDef, StartPayloadHandler } from './feature.ts';
import type { PollServices } from '../domain/polls/services.ts';
import type { ChainCheckCache } from '../domain/disclosures/chainCache.ts';

/** Shared services. */
export interface Services {
  config: Config;
  db: Db;
  log: Logger;
  i18n: Translator;
  /** The current time; tests replace it to move through deadlines. */
  clock: () => Date;
  outbox: Outbox;
  /** Paces every message to a chat — replies and outbox sends — within the platform's limits. */
  sender: PacedSender;
  /** The running adapter of a platform named in stored data (an identity, a group), if any. */
  adapterFor(platform: string): Adapter | undefined;
  /** Domain events between features (poll closed → proposals decided, …). */
  events: EventBus;
  scenes: SceneRunner;
  /** Running adapters by platform, for private messages outside a conversation (reminders). */
  adapters: Map<Platform, Adapter>;
  /** Deep-link payload handlers of all features (verification codes, …). */
  startPayloads: StartPayloadHandler[];
  /** Digest sections of all features, in feature order. */
  digestContributors: { feature: string; build: DigestContributor }[];
  /** Staff exports of all features. */
  exporters: ExporterDef[];
  /** The ballot box, open-poll cache and card refresher of this bot. */
  polls: PollServices;
  /** Kept disclosure-chain checks for the dashboard (recomputed when something was published). */
  chainChecks: ChainCheckCache;
}
