/**
 * The router: every incoming event passes identity ▸ role ▸ locale ▸ per-conversation queue,
 * then goes to the open scene, a command or a button handler.
 *
 * It also owns the reliability rules of the foundation: an update is handled at most once
 * (also across restarts), one person's events in one chat are handled strictly in order, and a
 * failure never reaches the chat as a stack trace — the person gets a localized apology that
 * says nothing they entered was lost.
 */
import type { Adapter } from '../platform/adapter.ts';
import { communityById, groupWithCommunity } from '../domain/residents/communities.ts';
import { resolveActorIn } from '../domain/residents/people.ts';
import { moveGroup } from '../domain/residents/groupMove.ts';
import { communitiesOf, type Actor } from '../domain/residents/roles.ts';
import type { ChatGroup, Community, Person } from '../generated/prisma/client.ts';
import { resolveLocale } from '../i18n/i18n.ts';
import { createCtx, rebuild, sceneHint, type Ctx } from './context.ts';
import { isDomainError } from '../domain/errors.ts';
import type { ActionDef, CommandDef, Guard, PlainTextHandler, StartPayloadHandler } from './feature.ts';
import { actionPrefix } from './actionCodec.ts';
import { requirePermission } from '../domain/residents/permissions.ts';
import { KeyedQueue } from './keyedQueue.ts';
import { UpdateClaims, type ClaimOptions } from './updateClaims.ts';
import { hasChoices, recallChoice } from './choiceMemory.ts';
import { SCENE_ACTION } from './sceneRunner.ts';
import type { Incoming, UnreadableKind } from '../platform/messages.ts';
import type { Services } from './services.ts';

/** How long the same command in a group is answered only once. */
const GROUP_ECHO_WINDOW_MS = 10_000;

/** Commands, actions and deep-link handlers gathered from all features. */
export interface Registry {
  commands: Map<string, CommandDef>;
  aliases: Map<string, CommandDef>;
  actions: Map<string, ActionDef>;
  startPayloads: StartPayloadHandler[];
  /** Recognisers of plain private messages (a bare verification code), tried before "not understood". */
  plainTexts: PlainTextHandler[];
}

/** Dispatches incoming events. One per bot. */
export class Router {
  private readonly queue = new KeyedQueue();
  private readonly claims: UpdateClaims;
  private accepting = true;

  constructor(
    private readonly services: Services,
    private readonly registry: Registry,
    claimOptions?: ClaimOptions,
  ) {
    this.claims = new UpdateClaims(services.db, services.log, claimOptions);
  }

  /** Hands an event in; resolves once it has been handled (or ignored as a duplicate). */
  async dispatch(adapter: Adapter, incoming: Incoming): Promise<void> {
    if (!this.accepting) return;
    const update = incoming.updateKey;
    const key = `${incoming.chat.platform}:${incoming.chat.chatId}:${incoming.sender.userId}`;
    // Claim, handling and done mark all wait in the person's queue: an update taken over from a
    // process that died is handled before the same person's later ones, never after them.
    await this.queue.run(key, async () => {
      if (update && !(await this.claims.claim(adapter.platform, update, key))) {
        this.services.log.debug({ platform: adapter.platform, update }, 'duplicate update ignored');
        return;
      }
      await this.handle(adapter, incoming);
      // Only now is a redelivery a duplicate: a crash before this point hands the update to the
      // next process (see updateClaims.ts). A failure was answered in `handle`, so it counts as done.
      if (update) await this.claims.done(adapter.platform, update).catch((err) => this.services.log.error({ err, update }, 'could not mark an update done'));
    });
  }

  /** Stops taking new events and waits for the ones in flight (and their button answers). */
  async drain(): Promise<void> {
    this.accepting = false;
    await this.queue.idle();
    await Promise.all(this.answers);
    this.claims.stop();
  }

  /** Events queued or running, and button answers still on their way. */
  get pending(): number {
    return this.queue.size + this.answers.size;
  }

  /** Button answers sent with `ctx.toastInBackground` that have not arrived yet. */
  private readonly answers = new Set<Promise<void>>();

  private trackAnswer(answer: Promise<void>): void {
    const tracked: Promise<void> = answer
      .catch((err) => this.services.log.warn({ err }, 'answerAction failed'))
      .finally(() => this.answers.delete(tracked));
    this.answers.add(tracked);
  }

  private async handle(adapter: Adapter, incoming: Incoming): Promise<void> {
    const { services } = this;
    let ctx: Ctx | undefined;
    try {
      // A group that got a new id (Telegram's supergroup upgrade) moves before anything else, so
      // no person or empty group row is made for the event itself.
      if (incoming.type === 'group_migrated') return void (await moveGroup(services.db, incoming.chat.platform, incoming.fromChatId, incoming.toChatId, services.clock()));
      ctx = await this.buildContext(adapter, incoming);
      await this.route(ctx);
    } catch (err) {
      await this.fail(adapter, incoming, ctx, err);
    } finally {
      if (incoming.type === 'action' && incoming.actionId && !ctx?.actionAnswered) {
        await adapter.answerAction(incoming.actionId).catch((e) => services.log.warn({ err: e }, 'answerAction failed'));
      }
    }
  }

  private async buildContext(adapter: Adapter, incoming: Incoming): Promise<Ctx> {
    const { db, config } = this.services;
    const { chat } = incoming;
    // The person, their roles, the group and their scene session here: one query (people.ts).
    const found = await resolveActorIn(db, incoming.sender, config.LINLI_ADMINS, { platform: chat.platform, chatId: chat.chatId, kind: chat.kind, title: chat.title });
    const { person, actor } = found;
    let group: ChatGroup | null = null;
    let community: Community | null;
    if (chat.kind === 'group') {
      ({ group, community } = found.group ?? (await groupWithCommunity(db, { platform: chat.platform, chatId: chat.chatId, title: chat.title })));
    } else {
      community = await this.activeCommunity(person, actor);
    }
    const locale = resolveLocale(person.locale, incoming.sender.languageCode ?? person.clientLanguage ?? undefined, config.LINLI_DEFAULT_LOCALE);
    return createCtx({
      services: this.services,
      adapter,
      incoming,
      person,
      actor,
      locale,
      group,
      community,
      track: (answer) => this.trackAnswer(answer),
      sceneHint: found.scene === undefined ? undefined : sceneHint(found.scene),
    });
  }

  /** In a private chat: the community chosen with /community, else the only one the person belongs to. */
  private async activeCommunity(person: Person, actor: Actor): Promise<Community | null> {
    const mine = communitiesOf(actor);
    const id = person.activeCommunityId && (mine.includes(person.activeCommunityId) || actor.isAdmin) ? person.activeCommunityId : mine.length === 1 ? mine[0] : null;
    return id ? communityById(this.services.db, id) : null;
  }

  private async route(ctx: Ctx): Promise<void> {
    const { incoming } = ctx;
    const { scenes } = this.services;
    switch (incoming.type) {
      case 'bot_added':
      case 'member_joined':
        if (ctx.chat.kind === 'group' && !ctx.community && incoming.type === 'bot_added') await ctx.reply(ctx.t('residents.group_unbound'));
        return;
      case 'bot_removed':
        if (ctx.group) await this.services.db.chatGroup.update({ where: { id: ctx.group.id }, data: { active: false } });
        return;
      case 'command':
        return this.runCommand(ctx, incoming.command, incoming.args);
      case 'unreadable':
        // A sticker in a group is conversation among neighbours, not a question to the bot.
        if (ctx.chat.kind === 'group') return;
        // An open scene says what its question takes ("请以文字回复", "请回复选项前的序号") and asks again.
        if (await scenes.handle(ctx)) return;
        return this.unreadable(ctx, incoming.kind);
      case 'action': {
        if (await scenes.handle(ctx)) return;
        const handler = this.registry.actions.get(actionPrefix(incoming.data));
        if (!handler) return ctx.toast(ctx.t('errors.stale_button'));
        const value = handler.codec.parse(incoming.data);
        if (value === null) return ctx.toast(ctx.t('errors.stale_button'));
        if (!(await this.guard(ctx, handler))) return;
        return handler.run(ctx, value);
      }
      case 'text':
      case 'file': {
        if (incoming.type === 'text') {
          // "2" (or "弃权") on a text-only platform: that option of the last message with options —
          // the one the person just read, even while a scene is open (its own options are
          // remembered the same way and go to the scene below).
          const remembered = await recallChoice(this.services.db, ctx.chat.platform, ctx.chat.chatId, incoming.text);
          if (remembered && 'ambiguous' in remembered) return void (await ctx.reply(ctx.t('scene.ambiguous_label', { label: remembered.ambiguous })));
          if (remembered && !remembered.action.startsWith(`${SCENE_ACTION}:`)) {
            const chosen = rebuild(ctx, { ...incoming, type: 'action', data: remembered.action });
            try {
              return await this.route(chosen);
            } catch (err) {
              // A refused choice is answered like a refused button tap: privately, never in the group.
              if (!isDomainError(err)) throw err;
              return chosen.toast(ctx.t(err.key, err.params), true);
            }
          }
        }
        if (await scenes.handle(ctx)) return;
        if (incoming.type === 'text') {
          const [word, ...rest] = incoming.text.trim().split(/\s+/);
          const aliased = this.registry.aliases.get(word.toLowerCase());
          if (aliased && (ctx.chat.kind === 'private' || incoming.mentioned)) return this.runCommand(ctx, aliased.name, rest.join(' '));
          if (ctx.chat.kind === 'private') for (const recognise of this.registry.plainTexts) if (await recognise(ctx, incoming.text)) return;
        }
        if (incoming.type === 'file' && ctx.chat.kind === 'private') return this.unreadable(ctx, incoming.file.kind === 'photo' ? 'photo' : 'file');
        if (ctx.chat.kind === 'private' || incoming.mentioned) {
          const paused = await this.services.scenes.hasPaused(ctx);
          await ctx.reply(paused ? `${ctx.t('common.not_understood')}\n${ctx.t('scene.paused_hint')}` : ctx.t('common.not_understood'));
        }
        return;
      }
    }
  }

  /**
   * Answers, in a private chat, something the bot cannot read (voice, a sticker, a photo nobody
   * asked for) with what to do instead: reply with the number when a numbered menu was just
   * shown, else tap a button or type — never silence.
   */
  private async unreadable(ctx: Ctx, kind: UnreadableKind | 'photo' | 'file'): Promise<void> {
    const what = ctx.t(`common.unreadable_kind.${kind}`);
    const numbered = !ctx.capabilities.buttons && (await hasChoices(this.services.db, ctx.chat.platform, ctx.chat.chatId));
    const how = numbered ? 'common.unreadable_numbered' : ctx.capabilities.buttons ? 'common.unreadable_buttons' : 'common.unreadable_text';
    await ctx.reply(ctx.t(how, { what }));
  }

  /** Runs a command by name; unknown ones get a pointer to /help (in groups only when addressed). */
  async runCommand(ctx: Ctx, name: string, args: string): Promise<void> {
    const command = this.registry.commands.get(name.toLowerCase());
    if (!command) {
      if (ctx.chat.kind === 'private' || ctx.incoming.mentioned) await ctx.reply(ctx.t('common.unknown_command', { command: name }));
      return;
    }
    // Only the bare list is the same for everyone: with arguments ("投票 1 2") it is a person's act.
    if (command.sameForAll && !args.trim() && this.echoesRecent(ctx, command.name)) return;
    if (!(await this.guard(ctx, command))) return;
    if (!command.keepsScene && (await this.services.scenes.pause(ctx))) await ctx.reply(ctx.t('scene.paused'));
    await command.run(ctx, args.trim());
  }

  /** Group commands answered lately, by chat and text, with when (see `echoesRecent`). */
  private readonly recentGroupCommands = new Map<string, number>();

  /**
   * True when the same public-list command (without arguments) was answered in this group
   * moments ago (by anyone): thirty neighbours typing /polls at once get one answer, not thirty,
   * and the group's message budget stays for what matters. Private chats are never deduplicated.
   */
  private echoesRecent(ctx: Ctx, name: string): boolean {
    if (ctx.chat.kind !== 'group') return false;
    const now = Date.now();
    const key = `${ctx.chat.platform}\u0000${ctx.chat.chatId}\u0000${name.toLowerCase()}`;
    const last = this.recentGroupCommands.get(key);
    if (last !== undefined && now - last < GROUP_ECHO_WINDOW_MS) return true;
    this.recentGroupCommands.set(key, now);
    if (this.recentGroupCommands.size > 1000) {
      for (const [k, at] of this.recentGroupCommands) if (now - at >= GROUP_ECHO_WINDOW_MS) this.recentGroupCommands.delete(k);
    }
    return false;
  }

  /**
   * The declared guard of a command or button: the right kind of chat, then the permission in
   * the community the person acts in. A refusal is answered here (a pointer to the private chat
   * or the group, or the domain's own localized reason) and the handler does not run.
   */
  private async guard(ctx: Ctx, def: Guard): Promise<boolean> {
    const scope = def.chat ?? 'any';
    if (scope === 'private' && !(await ctx.inPrivate(def.privateReason))) return false;
    if (scope === 'group' && ctx.chat.kind !== 'group') {
      await ctx.toast(ctx.t('errors.group_only'));
      return false;
    }
    if (def.permission) {
      // No community here: say how to get one (an unbound group, an unverified person) first.
      if (!ctx.community) ctx.requireCommunity();
      requirePermission(ctx.actor, def.permission, ctx.community?.id);
    }
    return true;
  }

  private async fail(adapter: Adapter, incoming: Incoming, ctx: Ctx | undefined, err: unknown): Promise<void> {
    const { log, i18n, config } = this.services;
    const locale = ctx?.locale ?? resolveLocale(null, incoming.sender.languageCode, config.LINLI_DEFAULT_LOCALE);
    const text = isDomainError(err) ? i18n.t(locale, err.key, err.params) : i18n.t(locale, 'errors.internal');
    if (!isDomainError(err)) {
      log.error({ err, platform: adapter.platform, chat: incoming.chat.chatId, user: incoming.sender.userId, type: incoming.type, update: incoming.updateKey }, 'handler failed');
    }
    try {
      if (ctx && incoming.type === 'action') await ctx.toast(text, true);
      else if (ctx) await ctx.reply(text);
      else await adapter.send(incoming.chat.chatId, { text });
    } catch (sendErr) {
      log.error({ err: sendErr }, 'could not tell the person about a failure');
    }
  }
}
