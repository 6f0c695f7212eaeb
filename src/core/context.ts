/**
 * The context a command, button handler or scene step works with: who is acting (person,
 * roles, language), where (chat, group, community), and how to answer. Built by the router
 * for each incoming event.
 */
import type { Adapter, AdapterCapabilities } from '../platform/adapter.ts';
import type { Actor } from '../domain/residents/roles.ts';
import type { ChatGroup, Community, Person, SceneSession } from '../generated/prisma/client.ts';
import type { Locale, TFn } from '../i18n/i18n.ts';
import { DomainError } from '../domain/errors.ts';
import type { ChatRef, Incoming, OutMessage, Sender, SentRef } from '../platform/messages.ts';
import type { Services } from './services.ts';

/** Everything a handler needs for one incoming event. */
export interface Ctx {
  readonly services: Services;
  readonly incoming: Incoming;
  readonly chat: ChatRef;
  readonly sender: Sender;
  readonly person: Person;
  readonly actor: Actor;
  readonly locale: Locale;
  readonly t: TFn;
  /** The group the event came from (null in a private chat). */
  readonly group: ChatGroup | null;
  /** The group's community, or in a private chat the community the person acts in. */
  readonly community: Community | null;
  readonly capabilities: AdapterCapabilities;
  /** Platform name, recorded in the audit log as "via". */
  readonly via: string;
  /** Answers in the same chat. */
  reply(message: OutMessage | string): Promise<SentRef | undefined>;
  /** Answers a button press privately (a toast on Telegram, a private message elsewhere). */
  toast(text: string, alert?: boolean): Promise<void>;
  /**
   * Like {@link Ctx.toast}, but a button press is answered without waiting for the platform's
   * reply: the handler (and with it the platform's batch of updates) can finish while the answer
   * is on its way. The router still counts the answer as pending work until it arrived, and logs
   * a failure. Anything other than a button answer is sent and awaited as with `toast`.
   */
  toastInBackground(text: string, alert?: boolean): Promise<void>;
  /** Sends to the person's private chat. */
  replyPrivately(message: OutMessage | string): Promise<void>;
  /** The bytes of a file the person sent here (scenes take photos and spreadsheets this way). */
  downloadFile(fileId: string): Promise<Buffer>;
  /** A deep link into the private chat, where the platform has them. */
  deepLink(payload: string): string | undefined;
  /** The same person and event, answering in their private chat. */
  privateCtx(): Ctx;
  /**
   * True in a private chat. Elsewhere it points the person to the private chat — a button where
   * the platform has deep links, privately for a button tap — and returns false: personal data
   * and management screens never go to a group. `reason` is the i18n key of the pointer.
   */
  inPrivate(reason?: string): Promise<boolean>;
  /** The community, or a localized refusal that says how to get one. */
  requireCommunity(): Community;
  /** Whether a button press was already answered. */
  readonly actionAnswered: boolean;
  /**
   * The person's scene session in this chat as the router read it with the person (null: none),
   * handed out ONCE: the scene engine's first look at the session of this event takes it instead
   * of a query; every later look reads the database (the engine may have written since).
   * Undefined when it was not read, or was taken already (contexts built elsewhere, such as the
   * console's, have none).
   */
  takeSceneHint?(): SceneSession | null | undefined;
}

/** A one-shot holder of a session read in advance (see {@link Ctx.takeSceneHint}). */
export interface SceneHint {
  take(): SceneSession | null | undefined;
}

/** Holds `session` for the first taker. */
export function sceneHint(session: SceneSession | null): SceneHint {
  let held: SceneSession | null | undefined = session;
  return {
    take() {
      const out = held;
      held = undefined;
      return out;
    },
  };
}

/** What the router knows when it builds a context. */
export interface CtxInit {
  services: Services;
  adapter: Adapter;
  incoming: Incoming;
  person: Person;
  actor: Actor;
  locale: Locale;
  group: ChatGroup | null;
  community: Community | null;
  /** Takes a button answer still in flight (see {@link Ctx.toastInBackground}); none: it is awaited. */
  track?: (answer: Promise<void>) => void;
  /** The session read with the person, for this chat (shared by the contexts `rebuild` makes). */
  sceneHint?: SceneHint;
}

/** The same context for a different event (a numbered reply turned into a button press). */
export function rebuild(ctx: Ctx, incoming: Incoming): Ctx {
  return (ctx as Ctx & { [INIT]: CtxInit })[INIT] ? createCtx({ ...(ctx as Ctx & { [INIT]: CtxInit })[INIT], incoming }, ctx.chat) : ctx;
}

const INIT = Symbol('ctx-init');

/** Builds a context. */
export function createCtx(init: CtxInit, chat: ChatRef = init.incoming.chat): Ctx {
  const { services, adapter, incoming } = init;
  const t = services.i18n.bind(init.locale);
  const asMessage = (m: OutMessage | string): OutMessage => (typeof m === 'string' ? { text: m } : m);
  const privateChat: ChatRef = { platform: chat.platform, chatId: adapter.privateChatId(incoming.sender.userId), kind: 'private' };
  let answered = false;

  const ctx: Ctx & { [INIT]: CtxInit } = {
    [INIT]: init,
    services,
    incoming,
    chat,
    sender: incoming.sender,
    person: init.person,
    actor: init.actor,
    locale: init.locale,
    t,
    group: chat.kind === 'group' ? init.group : null,
    community: init.community,
    capabilities: adapter.capabilities,
    via: chat.platform,
    get actionAnswered() {
      return answered;
    },
    // Only for the chat it was read in: privateCtx() of a group event is another chat.
    takeSceneHint: () => (chat.chatId === init.incoming.chat.chatId ? init.sceneHint?.take() : undefined),
    async reply(message) {
      return services.sender.send(adapter, chat.chatId, asMessage(message));
    },
    async toast(text, alert) {
      if (incoming.type === 'action' && incoming.actionId && !answered) {
        answered = true;
        await adapter.answerAction(incoming.actionId, text || undefined, alert);
        return;
      }
      if (text) await services.sender.send(adapter, privateChat.chatId, { text });
    },
    async toastInBackground(text, alert) {
      if (init.track && incoming.type === 'action' && incoming.actionId && !answered) {
        answered = true;
        init.track(adapter.answerAction(incoming.actionId, text || undefined, alert));
        return;
      }
      await ctx.toast(text, alert);
    },
    async replyPrivately(message) {
      await services.sender.send(adapter, privateChat.chatId, asMessage(message));
    },
    downloadFile: (fileId) => adapter.downloadFile(fileId),
    deepLink: (payload) => adapter.deepLink(payload),
    privateCtx() {
      return chat.kind === 'private' ? ctx : createCtx({ ...init, group: null, sceneHint: undefined }, privateChat);
    },
    async inPrivate(reason) {
      if (chat.kind === 'private') return true;
      const link = adapter.deepLink('menu');
      if (incoming.type === 'action') await ctx.toast(t(reason ?? (link ? 'errors.private_only' : 'errors.private_only_text')), true);
      else if (link) await ctx.reply({ text: t(reason ?? 'errors.private_only'), buttons: [[{ label: t('errors.open_private'), url: link }]] });
      else await ctx.reply(t(reason ?? 'errors.private_only_text'));
      return false;
    },
    requireCommunity() {
      if (init.community) return init.community;
      throw new DomainError(chat.kind === 'group' ? 'errors.group_not_bound' : 'errors.no_community');
    },
  };
  return ctx;
}
