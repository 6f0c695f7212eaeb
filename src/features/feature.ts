/**
 * How a feature plugs into Linli: the commands people type, the buttons they press, the scenes
 * they walk through, the jobs the scheduler runs, its digest section and exports, and its
 * reactions to other features' events. Each feature folder exports one `Feature`;
 * `src/features.ts` lists them. Nothing here knows about Telegram or WeChat.
 */
import type { ActionDef, CommandDef, DigestContributor, ExporterDef, JobDef, PlainTextHandler, StartPayloadHandler } from '../core/feature.ts';
import type { Services } from '../core/services.ts';
import type { DomainEvents } from '../domain/events.ts';
import type { SceneDef } from '../engine/scene.ts';

/** One feature of Linli. */
export interface Feature {
  name: string;
  commands?: CommandDef[];
  actions?: ActionDef[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  scenes?: SceneDef<any>[];
  jobs?: JobDef[];
  startPayloads?: StartPayloadHandler[];
  /** Plain private messages it recognises when nothing else took them (see PlainTextHandler). */
  plainTexts?: PlainTextHandler[];
  /** Its part of the weekly digest, in the order features are listed. */
  digest?: DigestContributor;
  /** Its staff exports. */
  exporters?: ExporterDef[];
  /** Reactions to other features' domain events. */
  on?: { [K in keyof DomainEvents]?: (services: Services, payload: DomainEvents[K]) => Promise<void> };
}
