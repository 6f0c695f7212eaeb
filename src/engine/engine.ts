/**
 * The scene engine: runs scenes step by step, with their progress stored in the database
 * (SceneSession), so a restart in the middle of a scene continues where the person was.
 *
 * Buttons carry the session's version (`sc:<version>:<index>`): a tap on a button from an
 * earlier step is recognised as stale instead of being taken as an answer to the current one.
 */
import type { Ctx } from '../core/context.ts';
import { SCENE_ACTION, type SceneRef, type SceneRunner } from '../core/sceneRunner.ts';
import { isDomainError } from '../domain/errors.ts';
import type { Button, OutMessage } from '../platform/messages.ts';
import type { Db } from '../db/client.ts';
import type { SceneSession } from '../generated/prisma/client.ts';
import { parseAnswer, type AnswerWords } from './answers.ts';
import { forgetChoices } from '../core/choiceMemory.ts';
import { LOCALES } from '../i18n/i18n.ts';
import { isInvalid, type Prompt, type SceneDef, type SceneStep } from './scene.ts';


interface EngineOptions {
  db: Db;
  clock: () => Date;
  defaultTtlMinutes: number;
}

/** Runs scenes. One instance per bot. */
export class SceneEngine implements SceneRunner {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly scenes = new Map<string, SceneDef<any>>();

  constructor(private readonly opts: EngineOptions) {}

  /** Makes a scene available by its id. */
  register<S>(scene: SceneDef<S>): void {
    if (this.scenes.has(scene.id)) throw new Error(`scene ${scene.id} registered twice`);
    this.scenes.set(scene.id, scene);
  }

  /** True when a scene with this id exists. */
  has(id: string): boolean {
    return this.scenes.has(id);
  }

  /**
   * The person's open scene in this chat, if any (expired ones included): the router's reading
   * when this is the event's first look at it (Ctx.takeSceneHint), else a query.
   */
  session(ctx: Ctx): Promise<SceneSession | null> {
    const hint = ctx.takeSceneHint?.();
    if (hint !== undefined) return Promise.resolve(hint);
    return this.opts.db.sceneSession.findUnique({
      where: { personId_platform_chatId: { personId: ctx.person.id, platform: ctx.chat.platform, chatId: ctx.chat.chatId } },
    });
  }

  /**
   * Starts a scene for the person. A scene that collects personal data, started in a group,
   * continues in the private chat (a deep link on Telegram, a direct message elsewhere).
   */
  async start(ctx: Ctx, sceneId: string, args = ''): Promise<void> {
    const scene = this.scenes.get(sceneId);
    if (!scene) throw new Error(`unknown scene ${sceneId}`);
    if (scene.private && ctx.chat.kind === 'group') {
      const link = ctx.deepLink(args ? `s-${sceneId}-${args}` : `s-${sceneId}`);
      if (link) {
        await ctx.reply({ text: ctx.t('scene.continue_private'), buttons: [[{ label: ctx.t('scene.open_private'), url: link }]] });
        return;
      }
      await ctx.reply(ctx.t('scene.continued_private'));
      return this.start(ctx.privateCtx(), sceneId, args);
    }
    const state = await scene.begin(ctx, args);
    const earlier = await this.session(ctx);
    if (earlier && earlier.expiresAt > this.opts.clock()) await ctx.reply(ctx.t('scene.replaced'));
    const first = this.nextStep(scene, -1, state, ctx);
    if (!first && earlier) await this.opts.db.sceneSession.deleteMany({ where: { id: earlier.id } });
    if (!first) {
      await scene.finish(ctx, state);
      return;
    }
    const now = this.opts.clock();
    const data = {
      scene: scene.id,
      step: first.id,
      state: JSON.stringify(state),
      version: 0,
      startedAt: now,
      expiresAt: this.expiry(scene, now),
      pausedAt: null,
    };
    const where = { personId_platform_chatId: { personId: ctx.person.id, platform: ctx.chat.platform, chatId: ctx.chat.chatId } };
    await this.opts.db.sceneSession.upsert({
      where,
      create: { personId: ctx.person.id, platform: ctx.chat.platform, chatId: ctx.chat.chatId, ...data },
      update: data,
    });
    await this.ask(ctx, first, state, 0, true);
  }

  /**
   * Offers an incoming event to the person's open scene. Returns false when there is no scene
   * or the event is not for it (commands, other buttons), so the router handles it instead.
   */
  async handle(ctx: Ctx): Promise<boolean> {
    const incoming = ctx.incoming;
    if (incoming.type === 'command' || incoming.type === 'member_joined' || incoming.type === 'bot_added' || incoming.type === 'bot_removed') return false;
    let buttonIndex: number | 'skip' | undefined;
    let buttonVersion: number | undefined;
    if (incoming.type === 'action') {
      const [prefix, version, index] = incoming.data.split(':');
      if (prefix !== SCENE_ACTION) return false;
      buttonVersion = Number(version);
      buttonIndex = index === 'skip' ? 'skip' : Number(index);
    }
    const session = await this.session(ctx);
    if (!session) {
      if (buttonVersion !== undefined) await ctx.toast(ctx.t('scene.no_active'));
      return buttonVersion !== undefined;
    }
    const now = this.opts.clock();
    if (session.expiresAt <= now) {
      await this.opts.db.sceneSession.deleteMany({ where: { id: session.id } });
      // A paused scene that ran out is simply gone; the person moved on to something else.
      if (session.pausedAt) {
        if (buttonVersion !== undefined) await ctx.toast(ctx.t('scene.no_active'));
        return buttonVersion !== undefined;
      }
      await ctx.reply(ctx.t('scene.expired'));
      return true;
    }
    if (session.pausedAt) {
      // Replies go to what the person started since; a button of the paused scene is stale.
      if (buttonVersion === undefined) return false;
      await ctx.toast(ctx.t('scene.stale_button'));
      return true;
    }
    const scene = this.scenes.get(session.scene);
    const step = scene?.steps.find((s) => s.id === session.step);
    if (!scene || !step) {
      // The scene changed in a new release; start over rather than guess.
      await this.opts.db.sceneSession.deleteMany({ where: { id: session.id } });
      await ctx.reply(ctx.t('scene.expired'));
      return true;
    }
    if (buttonVersion !== undefined && buttonVersion !== session.version) {
      await ctx.toast(ctx.t('scene.stale_button'));
      return true;
    }
    if (buttonIndex !== undefined) await ctx.toast('');

    let state = JSON.parse(session.state);
    const prompt = await step.prompt(ctx, state);
    const shown = { yes: ctx.t('scene.yes'), no: ctx.t('scene.no'), skip: ctx.t('scene.skip') };
    const parsed = parseAnswer(prompt, incoming, this.words(ctx), buttonIndex, shown);
    if (!parsed.ok) return this.reask(ctx, session, step, state, ctx.t(forPlatform(ctx, parsed.reason), parsed.params));
    const verdict = await step.validate?.(parsed.answer, ctx, state);
    if (isInvalid(verdict)) return this.reask(ctx, session, step, state, ctx.t(verdict.invalid, verdict.params));

    const applied = step.apply(state, parsed.answer, ctx);
    state = applied.state;
    const next = applied.next;
    const index = scene.steps.indexOf(step);
    const following = next === 'done' ? undefined : next ? scene.steps.find((s) => s.id === next) : this.nextStep(scene, index, state, ctx);
    if (!following) {
      // Claim the finish first (the same compare-and-set as a save): of two last answers read
      // from one version, only one does the scene's work; the other is told to look again.
      const claimed = await this.save(session, step.id, state, now, scene);
      if (claimed === null) return this.conflicted(ctx);
      try {
        await scene.finish(ctx, state);
      } catch (err) {
        if (!isDomainError(err)) throw err;
        // The answers stay saved; the person can fix the cause and confirm again, or /cancel.
        await ctx.reply(`${ctx.t(err.key, err.params)}\n${ctx.t('scene.still_open')}`);
        return true;
      }
      await this.opts.db.sceneSession.deleteMany({ where: { id: session.id, version: claimed } });
      return true;
    }
    const saved = await this.save(session, following.id, state, now, scene);
    if (saved === null) return this.conflicted(ctx);
    await this.ask(ctx, following, state, saved, false);
    return true;
  }

  /**
   * Another answer of the same person in the same conversation was saved between our read and
   * our write (two instances handled two of their messages at once — the router orders them,
   * except when a stalled handler's lease passed). The answer is not re-applied to the reloaded
   * session: it was given to the question the person saw at the version we read, and the other
   * answer may have moved the scene to another question, where it would count as an answer
   * nobody gave. Nothing is overwritten; the person is told their answer was not taken and is
   * shown the scene's current question (or, when the other answer finished it, just told).
   */
  private async conflicted(ctx: Ctx): Promise<true> {
    const current = await this.session(ctx);
    const scene = current && this.scenes.get(current.scene);
    const step = scene?.steps.find((s) => s.id === current!.step);
    if (!current || !step || current.pausedAt || current.expiresAt <= this.opts.clock()) {
      await ctx.reply(ctx.t('scene.conflict_closed'));
      return true;
    }
    await ctx.reply(ctx.t('scene.conflict'));
    await this.ask(ctx, step, JSON.parse(current.state), current.version, false);
    return true;
  }

  private answerWords?: AnswerWords;

  /** Yes/no/skip words of every language, read once. */
  private words(ctx: Ctx): AnswerWords {
    if (!this.answerWords) {
      const all = (key: string) => new Set(LOCALES.flatMap((l) => ctx.services.i18n.list(l, `scene.words.${key}`)).map((w) => w.toLowerCase()));
      this.answerWords = { yes: all('yes'), no: all('no'), skip: all('skip') };
    }
    return this.answerWords;
  }

  /**
   * Pauses the person's open scene in this chat (they started something else): its answers are
   * kept, replies stop going to it, and /resume continues it. True when a scene was paused.
   */
  async pause(ctx: Ctx): Promise<boolean> {
    // Nothing open here when the router read the session (the common case, every command): no write.
    const hint = ctx.takeSceneHint?.();
    if (hint !== undefined && !(hint && !hint.pausedAt && hint.expiresAt > this.opts.clock())) return false;
    const { count } = await this.opts.db.sceneSession.updateMany({
      where: { personId: ctx.person.id, platform: ctx.chat.platform, chatId: ctx.chat.chatId, pausedAt: null, expiresAt: { gt: this.opts.clock() } },
      data: { pausedAt: this.opts.clock() },
    });
    return count > 0;
  }

  /** True when the person has a paused, unexpired scene in this chat. */
  async hasPaused(ctx: Ctx): Promise<boolean> {
    const session = await this.session(ctx);
    return Boolean(session?.pausedAt && session.expiresAt > this.opts.clock());
  }

  /** The open scene's id in this chat, when it has not expired. */
  async openScene(ctx: Ctx): Promise<string | null> {
    const session = await this.session(ctx);
    return session && session.expiresAt > this.opts.clock() ? session.scene : null;
  }

  /** The open scene's saved answers when it is `scene` and has not expired. */
  async draft<S>(ctx: Ctx, scene: SceneRef<S>): Promise<S | null> {
    const session = await this.session(ctx);
    if (!session || session.scene !== scene.id || session.expiresAt <= this.opts.clock()) return null;
    return JSON.parse(session.state) as S;
  }

  /** Asks the open scene's current step again (after a pause, or "continue my draft"). */
  async resume(ctx: Ctx): Promise<boolean> {
    const session = await this.session(ctx);
    const scene = session && this.scenes.get(session.scene);
    const step = scene?.steps.find((s) => s.id === session!.step);
    if (!session || !step || session.expiresAt <= this.opts.clock()) return false;
    const resumed = await this.opts.db.sceneSession.update({ where: { id: session.id }, data: { pausedAt: null, version: { increment: 1 } } });
    await this.ask(ctx, step, JSON.parse(session.state), resumed.version, false);
    return true;
  }

  /** Leaves the person's scene in this chat. Returns false when there was none. */
  async cancel(ctx: Ctx): Promise<boolean> {
    if (ctx.takeSceneHint?.() === null) return false;
    const { count } = await this.opts.db.sceneSession.deleteMany({
      where: { personId: ctx.person.id, platform: ctx.chat.platform, chatId: ctx.chat.chatId },
    });
    return count > 0;
  }

  /** Removes scenes idle past their expiry and returns them, so the caller can tell each person. */
  async expireIdle(now: Date): Promise<SceneSession[]> {
    const expired = await this.opts.db.sceneSession.findMany({ where: { expiresAt: { lte: now } }, take: 500 });
    if (expired.length) await this.opts.db.sceneSession.deleteMany({ where: { id: { in: expired.map((s) => s.id) }, expiresAt: { lte: now } } });
    return expired;
  }

  private expiry(scene: SceneDef<unknown>, now: Date): Date {
    return new Date(now.getTime() + (scene.ttlMinutes ?? this.opts.defaultTtlMinutes) * 60_000);
  }

  /**
   * Saves the step and state only if nobody saved the session since `session` was read (its
   * version is unchanged): compare-and-set, so two instances handling one conversation never
   * overwrite each other's answers. The new version, or null when another save came first.
   */
  private async save(session: SceneSession, stepId: string, state: unknown, now: Date, scene: SceneDef<unknown>): Promise<number | null> {
    const version = session.version + 1;
    const { count } = await this.opts.db.sceneSession.updateMany({
      where: { id: session.id, version: session.version },
      data: { step: stepId, state: JSON.stringify(state), version, expiresAt: this.expiry(scene, now) },
    });
    return count ? version : null;
  }

  private async reask(ctx: Ctx, session: SceneSession, step: SceneStep<unknown>, state: unknown, reason: string): Promise<true> {
    const scene = this.scenes.get(session.scene)!;
    const saved = await this.save(session, step.id, state, this.opts.clock(), scene);
    if (saved === null) return this.conflicted(ctx);
    await ctx.reply(reason);
    await this.ask(ctx, step, state, saved, false);
    return true;
  }

  private nextStep<S>(scene: SceneDef<S>, after: number, state: S, ctx: Ctx): SceneStep<S> | undefined {
    for (let i = after + 1; i < scene.steps.length; i++) {
      if (!scene.steps[i].skip?.(state, ctx)) return scene.steps[i];
    }
    return undefined;
  }

  private async ask<S>(ctx: Ctx, step: SceneStep<S>, state: S, version: number, first: boolean): Promise<void> {
    const prompt = await step.prompt(ctx, state);
    // A question without options makes the earlier numbers and labels stale (remembered on
    // WeChat and in Telegram private chats alike).
    if (prompt.kind !== 'choice' && prompt.kind !== 'confirm') await forgetChoices(this.opts.db, ctx.chat.platform, ctx.chat.chatId);
    await ctx.reply(renderPrompt(ctx, prompt, version, first));
  }
}

/**
 * A reason that tells the person how to answer, in the platform's terms: "点击下方按钮" only
 * where there are buttons, "回复序号" where options are numbered (WeChat, the console).
 */
const NUMBERED_VARIANT = new Set(['scene.pick_an_option', 'scene.yes_or_no']);
function forPlatform(ctx: Ctx, reason: string): string {
  return !ctx.capabilities.buttons && NUMBERED_VARIANT.has(reason) ? `${reason}_numbered` : reason;
}

/** Renders a prompt as a message: buttons where the platform has them, hints otherwise. */
export function renderPrompt(ctx: Ctx, prompt: Prompt, version: number, first: boolean): OutMessage {
  const hasButtons = ctx.capabilities.buttons;
  const lines = [prompt.text];
  const rows: Button[][] = [];
  const action = (i: number | 'skip') => `${SCENE_ACTION}:${version}:${i}`;
  if (prompt.kind === 'choice') {
    const cols = prompt.columns ?? (prompt.options.every((o) => [...o.label].length <= 8) ? 2 : 1);
    prompt.options.forEach((o, i) => {
      if (i % cols === 0) rows.push([]);
      rows[rows.length - 1].push({ label: o.label, action: action(i) });
    });
  } else if (prompt.kind === 'confirm') {
    rows.push([
      { label: prompt.yesLabel ?? ctx.t('scene.yes'), action: action(0) },
      { label: prompt.noLabel ?? ctx.t('scene.no'), action: action(1) },
    ]);
  }
  if ('optional' in prompt && prompt.optional) {
    const label = prompt.kind === 'file' && prompt.doneLabel ? prompt.doneLabel : ctx.t('scene.skip');
    if (hasButtons) rows.push([{ label, action: action('skip') }]);
    else lines.push(ctx.t('scene.skip_hint'));
  }
  if (first) lines.push(ctx.t('scene.cancel_hint'));
  return rows.length ? { text: lines.join('\n'), buttons: rows } : { text: lines.join('\n') };
}
