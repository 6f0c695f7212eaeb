/**
 * What commands and buttons may ask of the scene engine. The engine (src/engine) implements it;
 * core names only this contract, so the engine can depend on core and never the other way round.
 */
import type { SceneSession } from '../generated/prisma/client.ts';
import type { Ctx } from './context.ts';

/** Prefix of scene prompts' button data (`sc:<version>:<index>`). */
export const SCENE_ACTION = 'sc';

/** A scene as far as its callers need to know it: its id, and the state its `begin` builds. */
export interface SceneRef<S> {
  readonly id: string;
  begin(ctx: Ctx, args: string): S | Promise<S>;
}

/** Runs conversation scenes with their progress stored in the database. */
export interface SceneRunner {
  /** True when a scene with this id is registered. */
  has(id: string): boolean;
  /** Starts a scene (a private one started in a group continues in the private chat). */
  start(ctx: Ctx, sceneId: string, args?: string): Promise<void>;
  /** Offers an event to the person's open scene; false when it is not the scene's. */
  handle(ctx: Ctx): Promise<boolean>;
  /** Leaves the person's scene in this chat; false when there was none. */
  cancel(ctx: Ctx): Promise<boolean>;
  /** The open, unexpired scene's state in this chat when it is `scene`, else null. */
  draft<S>(ctx: Ctx, scene: SceneRef<S>): Promise<S | null>;
  /** Asks the open (or paused) scene's current step again; false when none is open here. */
  resume(ctx: Ctx): Promise<boolean>;
  /** Pauses the open scene here (the person started something else); true when one was open. */
  pause(ctx: Ctx): Promise<boolean>;
  /** True when a paused scene waits here for /resume. */
  hasPaused(ctx: Ctx): Promise<boolean>;
  /** The id of the open, unexpired scene in this chat, if any. */
  openScene(ctx: Ctx): Promise<string | null>;
  /** Removes scenes idle past their expiry and returns them, so each person can be told. */
  expireIdle(now: Date): Promise<SceneSession[]>;
}
