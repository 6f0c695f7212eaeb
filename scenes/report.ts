/**
 * /report: any resident raises a request (民意诉求) in the private chat — category, an optional
 * photo, a sentence or two, an optional place — sees a preview and confirms. The photo comes
 * first on purpose: someone who only sends a picture of the broken light is then asked for the
 * sentence that says what is wrong, and the picture is kept. A caption sent with the photo is
 * taken as that sentence. The requests feature hands in what follows (the committee's notice).
 */
import type { Ctx } from '../src/core/context.ts';
import type { Services } from '../src/core/services.ts';
import { DomainError } from '../src/domain/errors.ts';
import { defineScene, invalid, type SceneStep } from '../src/engine/scene.ts';
import { raiseRequest } from '../src/domain/requests/requests.ts';
import { MAX_LOCATION, MAX_PHOTO_BYTES, MAX_TEXT, MIN_TEXT, PHOTO_MIME_TYPES } from '../src/domain/requests/rules.ts';
import { REQUEST_CATEGORIES } from '../src/domain/requests/states.ts';
import type { ResidentRequest } from '../src/generated/prisma/client.ts';
import type { IncomingFile } from '../src/platform/messages.ts';

/** The draft as the scene keeps it. */
export interface ReportState {
  communityId: string;
  category?: string;
  photo?: { fileId: string; kind: 'photo' | 'document' } | null;
  text?: string;
  location?: string | null;
}

/** Scene id (letters only: it travels in deep links). */
export const REPORT_SCENE = 'report';

/** The preview shown before confirming. */
function preview(ctx: Ctx, s: ReportState): string {
  return ctx.t('requests.report.preview', {
    category: ctx.t(`requests.category.${s.category}`),
    text: s.text,
    photo: ctx.t(s.photo ? 'requests.report.preview_photo' : 'requests.report.preview_no_photo'),
    location: s.location || ctx.t('requests.report.preview_no_location'),
  });
}

const steps: SceneStep<ReportState>[] = [
  {
    id: 'category',
    prompt: (ctx) => ({ kind: 'choice', text: ctx.t('requests.report.ask_category'), columns: 2, options: REQUEST_CATEGORIES.map((c) => ({ value: c, label: ctx.t(`requests.category.${c}`) })) }),
    apply: (s, a) => ({ state: { ...s, category: String(a) } }),
  },
  {
    id: 'photo',
    prompt: (ctx) => ({
      kind: 'file',
      text: ctx.t('requests.report.ask_photo', { mb: MAX_PHOTO_BYTES / 1024 / 1024 }),
      accept: ['photo', 'document'],
      mimeTypes: PHOTO_MIME_TYPES,
      maxBytes: MAX_PHOTO_BYTES,
      optional: true,
      doneLabel: ctx.t('requests.report.no_photo'),
    }),
    apply(s, a, ctx) {
      if (a === null) return { state: { ...s, photo: null } };
      const f = a as IncomingFile;
      const caption = ctx.incoming.type === 'file' ? (ctx.incoming.caption ?? '').trim() : '';
      // A caption that would pass as the description is taken as it; otherwise it is asked for.
      const fits = [...caption].length >= MIN_TEXT && [...caption].length <= MAX_TEXT;
      return { state: { ...s, photo: { fileId: f.fileId, kind: f.kind }, ...(fits ? { text: caption } : {}) } };
    },
  },
  {
    id: 'text',
    skip: (s) => Boolean(s.text),
    prompt: (ctx, s) => ({ kind: 'text', text: ctx.t(s.photo ? 'requests.report.ask_text_after_photo' : 'requests.report.ask_text', { min: MIN_TEXT, max: MAX_TEXT }), min: MIN_TEXT, max: MAX_TEXT }),
    apply: (s, a) => ({ state: { ...s, text: String(a) } }),
  },
  {
    id: 'location',
    prompt: (ctx) => ({ kind: 'text', text: ctx.t('requests.report.ask_location', { max: MAX_LOCATION }), max: MAX_LOCATION, optional: true }),
    apply: (s, a) => ({ state: { ...s, location: a === null ? null : String(a) } }),
  },
  {
    id: 'confirm',
    prompt: (ctx, s) => ({ kind: 'confirm', text: preview(ctx, s), yesLabel: ctx.t('requests.report.submit'), noLabel: ctx.t('requests.report.restart') }),
    validate: (a, _ctx, s) => (a && !s.text ? invalid('requests.errors.text_empty') : undefined),
    apply: (s, a) => (a ? { state: s, next: 'done' } : { state: { communityId: s.communityId }, next: 'category' }),
  },
];

/** What the scene needs from the requests feature. */
export interface ReportSceneDeps {
  /** What follows once the request is saved: the committee's notice. */
  afterRaise(services: Services, request: ResidentRequest): Promise<void>;
}

/** The /report scene. */
export const createReportScene = (deps: ReportSceneDeps) =>
  defineScene<ReportState>({
    id: REPORT_SCENE,
    private: true,
    ttlMinutes: 24 * 60,
    async begin(ctx, args) {
      // No role needed: every resident may raise a request, verified or not. The community comes
      // from the command (the group's, or the one the person acts in).
      const communityId = args || ctx.requireCommunity().id;
      if (!(await ctx.services.db.community.findUnique({ where: { id: communityId }, select: { id: true } }))) throw new DomainError('errors.no_community');
      return { communityId };
    },
    steps,
    async finish(ctx, s) {
      let photo: { data: Buffer; name: string } | null = null;
      if (s.photo) {
        try {
          photo = { data: await ctx.downloadFile(s.photo.fileId), name: s.photo.kind === 'photo' ? 'request.jpg' : 'request-image' };
        } catch (err) {
          ctx.services.log.warn({ err }, 'request photo download failed');
          throw new DomainError('requests.errors.photo_failed');
        }
      }
      const r = await raiseRequest(
        ctx.services.db,
        { actor: ctx.actor, via: ctx.via, now: ctx.services.clock() },
        s.communityId,
        { category: s.category!, text: s.text!, photo, location: s.location ?? null },
        ctx.services.config.LINLI_TIMEZONE,
      );
      await deps.afterRaise(ctx.services, r);
      await ctx.reply(ctx.t('requests.report.received', { number: r.number, due: r.dueAt }));
    },
  });
