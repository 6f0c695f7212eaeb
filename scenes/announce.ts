/**
 * The announcement scene (/announce, committee members, in a private chat): the text, an optional
 * photo, the target groups (all, or chosen ones), now or at a time, pinned or not, then a preview
 * to confirm. Rules live in src/domain/announcements; the feature hands in how to publish.
 */
import { DomainError } from '../src/domain/errors.ts';
import type { Ctx } from '../src/core/context.ts';
import type { IncomingFile } from '../src/platform/messages.ts';
import { MAX_ANNOUNCEMENT_CHARS, MAX_IMAGE_BYTES, type NewAnnouncement } from '../src/domain/announcements/announcements.ts';
import type { Services } from '../src/core/services.ts';
import type { Actor } from '../src/domain/residents/roles.ts';
import type { Announcement } from '../src/generated/prisma/client.ts';
import { parseSendTime } from '../src/domain/announcements/sendTime.ts';
import { requirePermission } from '../src/domain/residents/permissions.ts';
import { defineScene, invalid } from '../src/engine/scene.ts';
import { audienceOf } from '../src/domain/register/scope.ts';
import { loadScopeRegister, scopeStep, withScope, type ScopedState } from './scopeStep.ts';

interface AnnounceState extends ScopedState {
  communityId: string;
  text?: string;
  photo?: IncomingFile | null;
  target?: 'all' | 'choose';
  groupIds?: string[];
  when?: 'now' | 'later';
  /** ISO instant of a scheduled send. */
  sendAt?: string;
  pin?: boolean;
}

const DONE = '__done';

function groupsOf(ctx: Ctx, communityId: string) {
  return ctx.services.db.chatGroup.findMany({ where: { communityId, active: true }, orderBy: { title: 'asc' }, select: { id: true, title: true, chatId: true } });
}

/** What the scene needs from the announcements feature. */
export interface AnnounceSceneDeps {
  /** Records the announcement and publishes it when its time has come. */
  create(services: Services, actor: Actor, via: string, input: NewAnnouncement): Promise<Announcement>;
}

/** The /announce scene, bound to the feature's publishing. */
export const createAnnounceScene = (deps: AnnounceSceneDeps) =>
  defineScene<AnnounceState>({
    id: 'announce',
    private: true,
    async begin(ctx) {
      const community = ctx.requireCommunity();
      requirePermission(ctx.actor, 'announcement.create', community.id);
      return { communityId: community.id, scopeRegister: await loadScopeRegister(ctx, community.id) };
    },
    steps: [
      {
        id: 'text',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('announcements.ask_text', { max: MAX_ANNOUNCEMENT_CHARS }), min: 2, max: MAX_ANNOUNCEMENT_CHARS }),
        apply: (state, answer) => ({ state: { ...state, text: String(answer) } }),
      },
      {
        id: 'photo',
        prompt: (ctx) => ({ kind: 'file', text: ctx.t('announcements.ask_photo'), accept: ['photo'], maxBytes: MAX_IMAGE_BYTES, optional: true, doneLabel: ctx.t('announcements.no_photo') }),
        apply: (state, answer) => ({ state: { ...state, photo: (answer as IncomingFile | null) ?? null } }),
      },
      // Which buildings or groups it concerns: "all groups" below then means the groups that serve them.
      scopeStep<AnnounceState>(),
      {
        id: 'target',
        prompt: (ctx) => ({
          kind: 'choice',
          text: ctx.t('announcements.ask_target'),
          options: [
            { value: 'all', label: ctx.t('announcements.target_all') },
            { value: 'choose', label: ctx.t('announcements.target_choose') },
          ],
        }),
        apply: (state, answer) => (answer === 'all' ? { state: { ...state, target: 'all', groupIds: undefined }, next: 'when' } : { state: { ...state, target: 'choose', groupIds: [] } }),
      },
      {
        id: 'groups',
        async prompt(ctx, state) {
          const groups = await groupsOf(ctx, state.communityId);
          const chosen = new Set(state.groupIds ?? []);
          return {
            kind: 'choice',
            text: ctx.t('announcements.ask_groups', { count: chosen.size }),
            columns: 1,
            options: [
              ...groups.map((g) => ({ value: g.id, label: `${chosen.has(g.id) ? '☑' : '☐'} ${g.title ?? g.chatId}` })),
              { value: DONE, label: ctx.t('announcements.groups_done') },
            ],
          };
        },
        validate: (answer, _ctx, state) => {
          if (answer === DONE && !state.groupIds?.length) return invalid('announcements.no_groups');
        },
        apply(state, answer) {
          if (answer === DONE) return { state, next: 'when' };
          const chosen = new Set(state.groupIds ?? []);
          if (chosen.has(String(answer))) chosen.delete(String(answer));
          else chosen.add(String(answer));
          return { state: { ...state, groupIds: [...chosen] }, next: 'groups' };
        },
      },
      {
        id: 'when',
        prompt: (ctx) => ({
          kind: 'choice',
          text: ctx.t('announcements.ask_when'),
          options: [
            { value: 'now', label: ctx.t('announcements.when_now') },
            { value: 'later', label: ctx.t('announcements.when_later') },
          ],
        }),
        apply: (state, answer) => (answer === 'now' ? { state: { ...state, when: 'now', sendAt: undefined }, next: 'pin' } : { state: { ...state, when: 'later' } }),
      },
      {
        id: 'time',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('announcements.ask_time'), max: 40 }),
        validate(answer, ctx) {
          const parsed = parseSendTime(String(answer), ctx.services.clock(), ctx.services.config.LINLI_TIMEZONE);
          if (!parsed.ok) return invalid(`announcements.time_${parsed.reason}`);
        },
        apply(state, answer, ctx) {
          const parsed = parseSendTime(String(answer), ctx.services.clock(), ctx.services.config.LINLI_TIMEZONE);
          if (!parsed.ok) return { state };
          return { state: parsed.now ? { ...state, when: 'now', sendAt: undefined } : { ...state, sendAt: parsed.at.toISOString() } };
        },
      },
      {
        id: 'pin',
        prompt: (ctx) => ({ kind: 'confirm', text: ctx.t('announcements.ask_pin'), yesLabel: ctx.t('announcements.pin_yes'), noLabel: ctx.t('announcements.pin_no') }),
        apply: (state, answer) => ({ state: { ...state, pin: Boolean(answer) } }),
      },
      {
        id: 'confirm',
        async prompt(ctx, state) {
          const groups = await groupsOf(ctx, state.communityId);
          const names = state.groupIds ? groups.filter((g) => state.groupIds!.includes(g.id)).map((g) => g.title ?? g.chatId) : [];
          const audience = state.scope ? await audienceOf(ctx.services.db, state.communityId, state.scope) : undefined;
          const target = withScope(
            ctx,
            state.groupIds ? ctx.t('announcements.preview_groups', { names: names.join('、'), count: names.length }) : ctx.t('announcements.preview_all', { count: audience?.length ?? groups.length }),
            state.scope,
          );
          const when = state.sendAt ? ctx.t('announcements.preview_at', { when: new Date(state.sendAt) }) : ctx.t('announcements.preview_now');
          return {
            kind: 'confirm',
            text: ctx.t('announcements.preview', {
              text: state.text,
              photo: state.photo ? ctx.t('announcements.preview_photo') : ctx.t('announcements.preview_no_photo'),
              target,
              when,
              pin: ctx.t(state.pin ? 'announcements.preview_pinned' : 'announcements.preview_not_pinned'),
            }),
            yesLabel: ctx.t('announcements.confirm_yes'),
            noLabel: ctx.t('announcements.confirm_edit'),
          };
        },
        apply: (state, answer) => (answer ? { state, next: 'done' } : { state, next: 'text' }),
      },
    ],
    async finish(ctx, state) {
      let image: { data: Buffer; name: string } | null = null;
      if (state.photo) {
        try {
          image = { data: await ctx.downloadFile(state.photo.fileId), name: 'announcement.jpg' };
        } catch (err) {
          ctx.services.log.warn({ err }, 'announcement photo download failed');
          throw new DomainError('announcements.photo_failed');
        }
      }
      const sendAt = state.sendAt ? new Date(state.sendAt) : ctx.services.clock();
      const a = await deps.create(ctx.services, ctx.actor, ctx.via, {
        communityId: state.communityId,
        text: state.text!,
        image,
        groupIds: state.groupIds?.length ? state.groupIds : null,
        pin: state.pin ?? false,
        sendAt,
        scope: state.scope,
      });
      await ctx.reply(a.status === 'sent' ? ctx.t('announcements.sent') : ctx.t('announcements.scheduled', { when: a.sendAt }));
    },
  });
