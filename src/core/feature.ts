/**
 * What the router and the scheduler run: commands people type, buttons they press, jobs, deep
 * links, digest sections and exports, each with its guard. A feature bundles them (see
 * src/features/feature.ts). Nothing here knows about Telegram or WeChat.
 */
import type { Ctx } from './context.ts';
import type { Services } from './services.ts';
import type { Button } from '../platform/messages.ts';
import type { Permission } from '../domain/residents/permissions.ts';
import type { ActionCodec } from './actionCodec.ts';

/** Where a command or button works: the router refuses it elsewhere, with a pointer. */
export type ChatScope = 'private' | 'group' | 'any';

/**
 * Who may use a command or button, declared once: the router checks it before the handler runs
 * and /help offers only what passes. The domain still checks every action itself — this is the
 * first line, not the only one.
 */
export interface Guard {
  /** Needed in the community the person acts in (the group's, or the one chosen in private). */
  permission?: Permission;
  /** Default 'any'. */
  chat?: ChatScope;
  /** For `chat: 'private'`: the i18n key of the feature's own pointer to the private chat. */
  privateReason?: string;
}

/** A slash command (and, on text platforms, its Chinese keywords). */
export interface CommandDef extends Guard {
  /** Without the slash, e.g. "propose". */
  name: string;
  /** i18n key of the one-line description shown in /help. */
  description: string;
  /**
   * An extra condition for offering it in /help and the menu, beyond its guard (e.g. /community
   * only for people in several communities). Never a permission check: declare `permission`.
   */
  visible?(ctx: Ctx): boolean;
  /**
   * True for commands that only tell something (/help, /cancel, /resume): they leave an open
   * scene as it is. Any other command pauses it first, so two prompts never compete for the
   * person's next reply.
   */
  keepsScene?: boolean;
  /**
   * Without arguments its answer in a group is the same whoever asks (a public list): typed again
   * in that group within seconds, it is answered once.
   */
  sameForAll?: boolean;
  /** Offered as a button in the /start main menu. */
  menu?: boolean;
  /** Sort order in /help (lower first). */
  order?: number;
  run(ctx: Ctx, args: string): Promise<void>;
}

/** A button handler: its button data is packed and parsed by one typed codec. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ActionDef<V = any> extends Guard {
  codec: ActionCodec<V>;
  run(ctx: Ctx, value: V): Promise<void>;
}

/** Declares a button handler for a codec (the value's type flows from the codec). */
export function onAction<V>(codec: ActionCodec<V>, run: (ctx: Ctx, value: V) => Promise<void>, guard: Guard = {}): ActionDef<V> {
  return { codec, run, ...guard };
}

/** A recurring job. `cron` is evaluated in LINLI_TIMEZONE; jobs must be idempotent. */
export interface JobDef {
  name: string;
  cron: string;
  run(services: Services, now: Date): Promise<void>;
}

/** Handles `/start <payload>` (deep links) for payloads it recognises; returns false otherwise. */
export type StartPayloadHandler = (ctx: Ctx, payload: string) => Promise<boolean>;

/**
 * Handles a plain message in a private chat that no scene, menu or keyword took (a verification
 * code typed on its own); returns false when the text is not one it recognises.
 */
export type PlainTextHandler = (ctx: Ctx, text: string) => Promise<boolean>;

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
