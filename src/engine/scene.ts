/**
 * The vocabulary scenes are written in. A scene is a short conversation that collects answers
 * step by step and then does one thing (submit a proposal, create a poll…). Scenes describe
 * WHAT to ask; the engine renders it for the platform, parses and validates the answer, stores
 * progress in the database and re-asks with a localized reason when an answer does not fit.
 */
import type { Ctx } from '../core/context.ts';
import type { IncomingFile } from '../platform/messages.ts';

/** A choice offered to the person. */
export interface ChoiceOption {
  value: string;
  label: string;
}

/** What a step asks for. `text` is the question, already translated. */
export type Prompt =
  | { kind: 'text'; text: string; min?: number; max: number; optional?: boolean }
  | { kind: 'number'; text: string; min?: number; max?: number; integer?: boolean; optional?: boolean }
  | { kind: 'choice'; text: string; options: ChoiceOption[]; optional?: boolean; columns?: number }
  | { kind: 'file'; text: string; accept: ('photo' | 'document')[]; mimeTypes?: string[]; maxBytes: number; optional?: boolean; doneLabel?: string }
  | { kind: 'confirm'; text: string; yesLabel?: string; noLabel?: string };

/** The parsed answer to a prompt: null when an optional step was skipped. */
export type Answer = string | number | boolean | IncomingFile | null;

/** A refusal of an answer: an i18n key and its parameters. The step is asked again. */
export interface Invalid {
  invalid: string;
  params?: Record<string, unknown>;
}

/** Where to go after a step: the id of another step, `done` to finish, or nothing for the next. */
export type Next = string | 'done' | undefined;

/** What a step's `apply` returns: the new state and, when it branches, where to go next. */
export interface Applied<S> {
  state: S;
  next?: Next;
}

/** One step of a scene. */
export interface SceneStep<S> {
  id: string;
  /** Skip this step for the current state (e.g. a cap question when no cost was given). */
  skip?(state: S, ctx: Ctx): boolean;
  prompt(ctx: Ctx, state: S): Prompt | Promise<Prompt>;
  /** Checks beyond the prompt's own (length, range, membership); return Invalid to re-ask. */
  validate?(answer: Answer, ctx: Ctx, state: S): Invalid | void | Promise<Invalid | void>;
  /** Stores the answer in the state and optionally says where to go next (one shape, always). */
  apply(state: S, answer: Answer, ctx: Ctx): Applied<S>;
}

/** A conversation flow. */
export interface SceneDef<S> {
  id: string;
  /** Collects personal data: started in a group, it continues in a private chat. */
  private?: boolean;
  /** Idle minutes before the scene expires (default LINLI_SCENE_TIMEOUT_MINUTES). */
  ttlMinutes?: number;
  /** Checks permission and builds the initial state; throw a DomainError to refuse. */
  begin(ctx: Ctx, args: string): Promise<S> | S;
  steps: SceneStep<S>[];
  /** Does the scene's work once every step is answered. A DomainError keeps the scene open. */
  finish(ctx: Ctx, state: S): Promise<void>;
}

/** Helper for steps: a refusal. */
export function invalid(key: string, params?: Record<string, unknown>): Invalid {
  return { invalid: key, params };
}

/** Type guard for `Invalid`. */
export function isInvalid(x: unknown): x is Invalid {
  return typeof x === 'object' && x !== null && 'invalid' in x;
}

/** Identity for typing scene definitions. */
export function defineScene<S>(scene: SceneDef<S>): SceneDef<S> {
  return scene;
}
