/**
 * How a feature plugs into Linli: the commands people type, the buttons they press, the scenes
 * they walk through and the jobs the scheduler runs. Each feature folder exports one `Feature`;
 * `src/features.ts` lists them. Nothing here knows about Telegram or WeChat.
 */
import type { Ctx } from './context.ts';
import type { Services } from './services.ts';
import type { SceneDef } from '../engine/scene.ts';

/** A slash command (and, on text platforms, its Chinese keywords). */
export interface CommandDef {
  /** Without the slash, e.g. "propose". */
  name: string;
  /** Keywords that work without a slash on text-only platforms, e.g. ["提议"]. */
  aliases?: string[];
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

/** One feature of Linli. */
export interface Feature {
  name: string;
  commands?: CommandDef[];
  actions?: ActionDef[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  scenes?: SceneDef<any>[];
  jobs?: JobDef[];
  startPayloads?: StartPayloadHandler[];
}
