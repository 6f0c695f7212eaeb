/**
 * How a feature plugs into Linli: the commands people type, the buttons they press, the scenes
 * they walk through and the jobs the scheduler runs. Each feature folder exports one `Feature`;
 * `src/features.ts` lists them. Nothing here knows about Telegram or WeChat.
 */
import type { Ctx } from './context.ts';
import type { Services } from './services.ts';
import type { SceneDef } from '../engine/scene.ts';
import type { Button } from '../platform/messages.ts';
import type { DomainEvents } from './events.ts';

/** A slash command (and, on text platforms, its Chinese keywords). */
export interface CommandDef {
  /** Without the slash, e.g. "propose". */
  name: string;
  /** i18n key of the one-line description shown in /help. */
  description: string;
  /** Whether /help and the menu offer it to this person. The command still checks permissions itself. */
  visible?(ctx: Ctx): boolean;
  /** Offered as a button in the /start main menu. */
  menu?: boolean;
  /** Sort order in /help (lower first). */
  order?: number;
  run(ctx: Ctx, args: string): Promise<void>;
}

/** A button handler: actions are "<prefix>:<rest…>", the rest split on ":". */
export interface ActionDef {
  prefix: string;
  run(ctx: Ctx, parts: string[]): Promise<void>;
}

/** A recurring job. `cron` is evaluated in LINLI_TIMEZONE; jobs must be idempotent. */
export interface JobDef {
  name: string;
  cron: string;
  run(services: Services, now: Date): Promise<void>;
}

/** Handles `/start <payload>` (deep links) for payloads it recognises; returns false otherwise. */
export type StartPayloadHandler = (ctx: Ctx, payload: string) => Promise<boolean>;

/** What a feature contributes to a community's weekly digest. */
export interface DigestSection {
  /** Section heading, translated. */
  title: string;
  /** Lines of the section, translated; keep each short. */
  lines: string[];
  /** Buttons that lead straight to acting (vote, second, rate, read). */
  buttons?: Button[];
  /** How many things happened; a digest whose sections all have 0 is a quiet week. */
  items: number;
}

/** The window and audience of a digest. */
export interface DigestQuery {
  communityId: string;
  /** Start of the ISO week (inclusive) and its end (exclusive). */
  from: Date;
  to: Date;
  locale: string;
}

/** Builds a feature's digest section, or null when it has nothing to say. */
export type DigestContributor = (services: Services, query: DigestQuery) => Promise<DigestSection | null>;

/** A staff export offered by /export: the community's polls, proposals, ratings… */
export interface ExporterDef {
  /** Short id used in button data, e.g. "polls". */
  id: string;
  /** i18n key of its label. */
  label: string;
  /** Items to choose from (e.g. each poll), or absent for one export of the whole community. */
  items?(ctx: Ctx, communityId: string): Promise<{ id: string; label: string }[]>;
  /** Writes the export in a format; the /export command sends it as a file and audits it. */
  build(ctx: Ctx, communityId: string, itemId: string | null, format: 'csv' | 'xlsx'): Promise<{ name: string; data: Buffer }>;
}

/** One feature of Linli. */
export interface Feature {
  name: string;
  commands?: CommandDef[];
  actions?: ActionDef[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  scenes?: SceneDef<any>[];
  jobs?: JobDef[];
  startPayloads?: StartPayloadHandler[];
  /** Its part of the weekly digest, in the order features are listed. */
  digest?: DigestContributor;
  /** Its staff exports. */
  exporters?: ExporterDef[];
  /** Reactions to other features' domain events. */
  on?: { [K in keyof DomainEvents]?: (services: Services, payload: DomainEvents[K]) => Promise<void> };
}
