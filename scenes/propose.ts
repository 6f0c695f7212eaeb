/**
 * /propose: a verified resident drafts a 民生微实事 proposal — title, category, description,
 * location, estimated cost, up to three photos — sees a preview and confirms. The draft lives
 * in the scene's saved state, so it survives restarts; /propose offers to resume it. The
 * proposals feature hands in what follows a submission (its publication).
 */
import type { Ctx } from '../src/core/context.ts';
import { DomainError } from '../src/domain/errors.ts';
import { defineScene, invalid, type SceneStep } from '../src/engine/scene.ts';
import { assertNoRecentDuplicate, submitProposal, type DraftPhoto, type Submitted } from '../src/domain/proposals/proposals.ts';
import {
  categoryLabel,
  communityCategories,
  MAX_DESCRIPTION,
  MAX_LOCATION,
  MAX_PHOTO_BYTES,
  MAX_PHOTOS,
  MAX_TITLE,
  MIN_DESCRIPTION,
  MIN_TITLE,
  PHOTO_MIME_TYPES,
} from '../src/domain/proposals/rules.ts';
import { requirePermission } from '../src/domain/residents/permissions.ts';
import type { IncomingFile } from '../src/platform/messages.ts';
import type { Services } from '../src/core/services.ts';

/** The draft as the scene keeps it. */
export interface ProposeState {
  communityId: string;
  title?: string;
  category?: string;
  description?: string;
  location?: string;
  costYuan?: number | null;
  photos: DraftPhoto[];
  /** Set while changing one field from the preview: the step then returns to the preview. */
  editing?: boolean;
}

/** Scene id (letters only: it travels in deep links). */
export const PROPOSE_SCENE = 'propose';

const back = (s: ProposeState) => (s.editing ? { state: { ...s, editing: false }, next: 'confirm' } : { state: s });

async function community(ctx: Ctx, s: ProposeState) {
  const c = await ctx.services.db.community.findUnique({ where: { id: s.communityId } });
  if (!c) throw new DomainError('errors.no_community');
  return c;
}

/** The preview shown before confirming. */
export function preview(ctx: Ctx, s: ProposeState): string {
  return [
    ctx.t('proposals.propose.preview_title'),
    ctx.t('proposals.propose.preview_line_title', { title: s.title }),
    ctx.t('proposals.card.category', { category: categoryLabel(ctx.t, s.category ?? '') }),
    ctx.t('proposals.card.location', { location: s.location }),
    s.costYuan ? ctx.t('proposals.card.cost', { fen: Math.round(s.costYuan * 100) }) : ctx.t('proposals.card.no_cost'),
    ctx.t('proposals.propose.preview_photos', { n: s.photos.length }),
    ctx.t('proposals.card.description', { text: s.description }),
    '',
    ctx.t('proposals.propose.preview_confirm'),
  ].join('\n');
}

const steps: SceneStep<ProposeState>[] = [
  {
    id: 'title',
    prompt: (ctx) => ({ kind: 'text', text: ctx.t('proposals.propose.ask_title', { min: MIN_TITLE, max: MAX_TITLE }), min: MIN_TITLE, max: MAX_TITLE }),
    async validate(answer, ctx, s) {
      try {
        await assertNoRecentDuplicate(ctx.services.db, s.communityId, ctx.person.id, String(answer), ctx.services.clock());
      } catch (err) {
        if (err instanceof DomainError) return invalid(err.key, err.params);
        throw err;
      }
    },
    apply: (s, a) => back({ ...s, title: String(a) }),
  },
  {
    id: 'category',
    async prompt(ctx, s) {
      const c = await community(ctx, s);
      return { kind: 'choice', text: ctx.t('proposals.propose.ask_category'), options: communityCategories(c).map((k) => ({ value: k, label: categoryLabel(ctx.t, k) })) };
    },
    apply: (s, a) => back({ ...s, category: String(a) }),
  },
  {
    id: 'description',
    prompt: (ctx) => ({ kind: 'text', text: ctx.t('proposals.propose.ask_description', { min: MIN_DESCRIPTION, max: MAX_DESCRIPTION }), min: MIN_DESCRIPTION, max: MAX_DESCRIPTION }),
    apply: (s, a) => back({ ...s, description: String(a) }),
  },
  {
    id: 'location',
    prompt: (ctx) => ({ kind: 'text', text: ctx.t('proposals.propose.ask_location', { max: MAX_LOCATION }), min: 2, max: MAX_LOCATION }),
    apply: (s, a) => back({ ...s, location: String(a) }),
  },
  {
    id: 'cost',
    async prompt(ctx, s) {
      const c = await community(ctx, s);
      return { kind: 'number', text: ctx.t('proposals.propose.ask_cost', { fen: c.proposalCostCapFen }), optional: true };
    },
    async validate(answer, ctx, s) {
      if (answer === null) return;
      const n = Number(answer);
      if (!(n > 0) || Math.round(n * 100) <= 0) return invalid('proposals.cost_not_positive');
      const c = await community(ctx, s);
      if (Math.round(n * 100) > c.proposalCostCapFen) return invalid('proposals.cost_over_cap', { fen: c.proposalCostCapFen });
    },
    apply: (s, a) => back({ ...s, costYuan: a === null ? null : Math.round(Number(a) * 100) / 100 }),
  },
  {
    id: 'photos',
    prompt: (ctx, s) => ({
      kind: 'file',
      text: s.photos.length ? ctx.t('proposals.propose.ask_more_photos', { n: s.photos.length, max: MAX_PHOTOS }) : ctx.t('proposals.propose.ask_photos', { max: MAX_PHOTOS, mb: MAX_PHOTO_BYTES / 1024 / 1024 }),
      accept: ['photo', 'document'],
      mimeTypes: PHOTO_MIME_TYPES,
      maxBytes: MAX_PHOTO_BYTES,
      optional: true,
      doneLabel: s.photos.length ? ctx.t('proposals.propose.photos_done') : ctx.t('proposals.propose.photos_none'),
    }),
    apply(s, a, ctx) {
      if (a === null) return back(s);
      const f = a as IncomingFile;
      const photos = [...s.photos, { platform: ctx.chat.platform, fileRef: f.fileId, kind: f.kind }];
      if (photos.length < MAX_PHOTOS) return { state: { ...s, photos }, next: 'photos' };
      return back({ ...s, photos });
    },
  },
  {
    id: 'confirm',
    prompt: (ctx, s) => ({ kind: 'confirm', text: preview(ctx, s), yesLabel: ctx.t('proposals.propose.submit'), noLabel: ctx.t('proposals.propose.change') }),
    apply: (s, a) => (a ? { state: s, next: 'done' } : { state: s, next: 'edit' }),
  },
  {
    id: 'edit',
    skip: () => true,
    prompt: (ctx) => ({
      kind: 'choice',
      text: ctx.t('proposals.propose.ask_edit'),
      options: ['title', 'category', 'description', 'location', 'cost', 'photos'].map((f) => ({ value: f, label: ctx.t(`proposals.field.${f}`) })),
    }),
    apply: (s, a) => ({ state: { ...s, editing: true, ...(a === 'photos' ? { photos: [] } : {}) }, next: String(a) }),
  },
];

/** What the scene needs from the proposals feature. */
export interface ProposeSceneDeps {
  /** What follows a submission once it is saved: publication 1 in the groups. */
  afterSubmit(services: Services, submitted: Submitted): Promise<void>;
}

/** The /propose scene, bound to the feature's publication. */
export const createProposeScene = (deps: ProposeSceneDeps) =>
    defineScene<ProposeState>({
    id: PROPOSE_SCENE,
    private: true,
    ttlMinutes: 7 * 24 * 60,
    begin(ctx) {
      const c = ctx.requireCommunity();
      requirePermission(ctx.actor, 'proposal.create', c.id);
      return { communityId: c.id, photos: [] };
    },
    steps,
    async finish(ctx, s) {
      const submitted = await submitProposal(
        ctx.services.db,
        { actor: ctx.actor, via: ctx.via, now: ctx.services.clock() },
        s.communityId,
        ctx.person.displayName,
        { title: s.title!, category: s.category!, description: s.description!, location: s.location!, costYuan: s.costYuan ?? null, photos: s.photos },
      );
      const p = submitted.proposal;
      const c = await community(ctx, s);
      await deps.afterSubmit(ctx.services, submitted);
      await ctx.reply(
        p.status === 'submitted'
          ? ctx.t('proposals.propose.submitted', { number: p.number, title: p.title, threshold: c.secondsThreshold })
          : ctx.t('proposals.propose.submitted_to_review', { number: p.number, title: p.title }),
      );
    },
  });
