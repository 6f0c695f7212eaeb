/**
 * Publishing (/publish) and correcting (/correct) 居务公开 disclosures. Committee members only;
 * both run in the private chat. The content is typed or sent as a file (Markdown for text,
 * CSV/XLSX for a financial statement); a file is read and checked the moment it arrives, so a
 * wrong total is refused right away, naming the line and column. A preview comes before anything
 * is published. The disclosures feature hands in the preview's wording and the notice to the
 * groups.
 */
import type { Ctx } from '../src/core/context.ts';
import { DomainError, isDomainError } from '../src/domain/errors.ts';
import type { IncomingFile } from '../src/platform/messages.ts';
import { defineScene, invalid, type Answer, type SceneStep } from '../src/engine/scene.ts';
import { categoryLabel, communityCategories } from '../src/domain/disclosures/categories.ts';
import {
  checkPeriod,
  checkTitle,
  correctDisclosure,
  getDisclosure,
  getDisclosureByNumber,
  latestOf,
  listDisclosures,
  PERIOD_MAX,
  publishDisclosure,
  REASON_MAX,
  TITLE_MAX,
  type DisclosureDraft,
} from '../src/domain/disclosures/disclosures.ts';
import { checkBody, MAX_BODY_CHARS, MAX_FILE_BYTES, readDisclosureFile, type FileContent } from '../src/domain/disclosures/files.ts';
import { parsePeriodKey, periodYear } from '../src/domain/disclosures/period.ts';
import type { Statement } from '../src/domain/disclosures/statement.ts';
import { requirePermission } from '../src/domain/residents/permissions.ts';
import { headCode } from '../src/domain/disclosures/chain.ts';
import type { Disclosure, DisclosureVersion } from '../src/generated/prisma/client.ts';
import type { TFn, Translator } from '../src/i18n/i18n.ts';
import type { Outbox } from '../src/outbox/outbox.ts';

/** What the scenes need from the disclosures feature. */
export interface DisclosureSceneDeps {
  /** The preview shown before publishing (or correcting). */
  renderPreview(t: TFn, locale: string, draft: DisclosureDraft & { correction?: { number: number; reason: string } }): string;
  /** Posts the notice of a new version to the community's groups; returns how many. */
  announceVersion(outbox: Outbox, i18n: Translator, disclosure: Disclosure, version: DisclosureVersion): Promise<number>;
}

/** The content part of both scenes' state. */
interface ContentState {
  mode?: 'text' | 'file';
  body?: string;
  statement?: Statement | null;
  fileName?: string;
}

/** Files read in `validate`, handed to `apply` (the same answer object) without reading twice. */
type ReadFiles = WeakMap<object, FileContent>;

/** Reads a file sent in a scene through the platform adapter, refusing with a reason. */
async function readSentFile(ctx: Ctx, file: IncomingFile, year: number | null, readFiles: ReadFiles) {
  let bytes: Buffer;
  try {
    bytes = await ctx.downloadFile(file.fileId);
  } catch {
    return invalid('disclosures.download_failed');
  }
  try {
    readFiles.set(file, await readDisclosureFile({ name: file.name, mimeType: file.mimeType, bytes }, year));
  } catch (err) {
    if (isDomainError(err)) return invalid(err.key, err.params);
    throw err;
  }
}

/** Steps that collect the content: typed text, or a file, and a note for a statement. */
function contentSteps<S extends ContentState>(
  periodOf: (s: S, ctx: Ctx) => Promise<string | undefined> | string | undefined,
  readFiles: ReadFiles,
  /** True when only a statement will do: the correction of a statement. */
  statementOnly: (s: S, ctx: Ctx) => Promise<boolean> | boolean = () => false,
): SceneStep<S>[] {
  return [
    {
      id: 'mode',
      async prompt(ctx, s) {
        // A statement is corrected by a statement: typed text is not offered (the domain refuses it too).
        if (await statementOnly(s, ctx)) return { kind: 'choice', text: ctx.t('disclosures.ask_mode_statement'), columns: 1, options: [{ value: 'file', label: ctx.t('disclosures.mode_file') }] };
        return {
          kind: 'choice',
          text: ctx.t('disclosures.ask_mode'),
          columns: 1,
          options: [
            { value: 'text', label: ctx.t('disclosures.mode_text') },
            { value: 'file', label: ctx.t('disclosures.mode_file') },
          ],
        };
      },
      apply: (s, a) => ({ state: { ...s, mode: a as 'text' | 'file', body: undefined, statement: null, fileName: undefined } }),
    },
    {
      id: 'body',
      skip: (s) => s.mode !== 'text',
      prompt: (ctx) => ({ kind: 'text', text: ctx.t('disclosures.ask_body'), max: MAX_BODY_CHARS }),
      validate: (a) => {
        try {
          checkBody(String(a));
        } catch (err) {
          if (isDomainError(err)) return invalid(err.key, err.params);
          throw err;
        }
      },
      apply: (s, a) => ({ state: { ...s, body: checkBody(String(a)), statement: null } }),
    },
    {
      id: 'file',
      skip: (s) => s.mode !== 'file',
      prompt: (ctx) => ({ kind: 'file', text: ctx.t('disclosures.ask_file', { maxMb: MAX_FILE_BYTES / 1024 / 1024 }), accept: ['document'], maxBytes: MAX_FILE_BYTES }),
      validate: async (a, ctx, s) => {
        const refused = await readSentFile(ctx, a as IncomingFile, periodYear(parsePeriodKey((await periodOf(s, ctx)) ?? '')), readFiles);
        if (refused) return refused;
        if (readFiles.get(a as object)?.format === 'text' && (await statementOnly(s, ctx))) return invalid('disclosures.correction_file_not_statement');
      },
      apply: (s, a) => {
        const content = readFiles.get(a as object);
        if (!content) return { state: s, next: 'file' };
        const fileName = (a as IncomingFile).name;
        return { state: content.format === 'text' ? { ...s, body: content.body, statement: null, fileName } : { ...s, body: '', statement: content.statement, fileName } };
      },
    },
    {
      id: 'note',
      skip: (s) => !s.statement,
      prompt: (ctx) => ({ kind: 'text', text: ctx.t('disclosures.ask_note'), max: 2000, optional: true }),
      apply: (s, a: Answer) => ({ state: { ...s, body: a ? String(a).trim() : '' } }),
    },
  ];
}

interface PublishState extends ContentState {
  communityId: string;
  category?: string;
  period?: string;
  title?: string;
}

/** Committee members publish a disclosure. */
export const createPublishScene = (deps: DisclosureSceneDeps) =>
  defineScene<PublishState>({
    id: 'publish',
    private: true,
    ttlMinutes: 60,
    begin(ctx) {
      const community = ctx.requireCommunity();
      requirePermission(ctx.actor, 'disclosure.publish', community.id);
      return { communityId: community.id };
    },
    steps: [
      {
        id: 'category',
        async prompt(ctx, s) {
          const community = await ctx.services.db.community.findUniqueOrThrow({ where: { id: s.communityId } });
          return { kind: 'choice', text: ctx.t('disclosures.ask_category'), options: communityCategories(community).map((k) => ({ value: k, label: categoryLabel(ctx.t, k) })) };
        },
        apply: (s, a) => ({ state: { ...s, category: String(a) } }),
      },
      {
        id: 'period',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('disclosures.ask_period'), max: PERIOD_MAX, min: 2 }),
        validate: (a) => {
          try {
            checkPeriod(String(a));
          } catch (err) {
            if (isDomainError(err)) return invalid(err.key, err.params);
            throw err;
          }
        },
        apply: (s, a) => ({ state: { ...s, period: checkPeriod(String(a)) } }),
      },
      {
        id: 'title',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('disclosures.ask_title', { max: TITLE_MAX }), max: TITLE_MAX, min: 2 }),
        apply: (s, a) => ({ state: { ...s, title: checkTitle(String(a)) } }),
      },
      ...contentSteps<PublishState>((s) => s.period, new WeakMap()),
      {
        id: 'confirm',
        prompt: (ctx, s) => ({
          kind: 'confirm',
          text: deps.renderPreview(ctx.t, ctx.locale, { category: s.category!, period: s.period!, title: s.title!, body: s.body ?? '', statement: s.statement ?? null }),
          yesLabel: ctx.t('disclosures.publish_button'),
          noLabel: ctx.t('disclosures.redo_button'),
        }),
        apply: (s, a) => (a ? { state: s, next: 'done' } : { state: s, next: 'category' }),
      },
    ],
    async finish(ctx, s) {
      const { services } = ctx;
      const { disclosure, version } = await publishDisclosure(
        services.db,
        ctx.actor,
        ctx.via,
        s.communityId,
        { category: s.category!, period: s.period!, title: s.title!, body: s.body ?? '', statement: s.statement ?? null },
        services.clock(),
      );
      const groups = await deps.announceVersion(services.outbox, services.i18n, disclosure, version);
      await ctx.reply(ctx.t('disclosures.published', { number: disclosure.number, code: headCode(version.hash), groups }));
    },
  });

interface CorrectionState extends ContentState {
  communityId: string;
  disclosureId?: string;
  reason?: string;
}

/** Committee members correct a disclosure: a new version with a reason. */
export const createCorrectionScene = (deps: DisclosureSceneDeps) =>
  defineScene<CorrectionState>({
    id: 'correction',
    private: true,
    ttlMinutes: 60,
    async begin(ctx, args) {
      const community = ctx.requireCommunity();
      requirePermission(ctx.actor, 'disclosure.publish', community.id);
      const state: CorrectionState = { communityId: community.id };
      if (!(await ctx.services.db.disclosure.count({ where: { communityId: community.id } }))) throw new DomainError('disclosures.nothing_to_correct');
      const raw = args.trim().replace(/^#/, '');
      if (/^\d+$/.test(raw)) state.disclosureId = (await getDisclosureByNumber(ctx.services.db, community.id, Number(raw))).id;
      else if (raw) {
        const d = await getDisclosure(ctx.services.db, raw);
        if (d.communityId !== community.id) requirePermission(ctx.actor, 'disclosure.publish', d.communityId);
        state.communityId = d.communityId;
        state.disclosureId = d.id;
      }
      return state;
    },
    steps: [
      {
        id: 'pick',
        skip: (s) => !!s.disclosureId,
        async prompt(ctx, s) {
          const { items } = await listDisclosures(ctx.services.db, s.communityId, { pageSize: 20 });
          return {
            kind: 'choice',
            text: ctx.t('disclosures.ask_pick'),
            columns: 1,
            options: items.map((i) => ({ value: i.disclosure.id, label: [...ctx.t('disclosures.pick_label', { number: i.disclosure.number, title: i.latest.title })].slice(0, 40).join('') })),
          };
        },
        validate: async (a, ctx, s) => {
          const d = await ctx.services.db.disclosure.findUnique({ where: { id: String(a) } });
          if (!d || d.communityId !== s.communityId) return invalid('disclosures.nothing_to_correct');
        },
        apply: (s, a) => ({ state: { ...s, disclosureId: String(a) } }),
      },
      ...contentSteps<CorrectionState>(
        async (s, ctx) => (s.disclosureId ? (await ctx.services.db.disclosure.findUnique({ where: { id: s.disclosureId } }))?.period : undefined),
        new WeakMap(),
        async (s, ctx) => !!s.disclosureId && !!latestOf(await getDisclosure(ctx.services.db, s.disclosureId)).statement,
      ),
      {
        id: 'reason',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('disclosures.ask_reason', { max: REASON_MAX }), max: REASON_MAX, min: 2 }),
        apply: (s, a) => ({ state: { ...s, reason: String(a).trim() } }),
      },
      {
        id: 'confirm',
        async prompt(ctx, s) {
          const d = await getDisclosure(ctx.services.db, s.disclosureId!);
          const latest = latestOf(d);
          return {
            kind: 'confirm',
            text: deps.renderPreview(ctx.t, ctx.locale, {
              category: d.category,
              period: d.period,
              title: latest.title,
              body: s.body ?? '',
              statement: s.statement ?? null,
              correction: { number: d.number, reason: s.reason! },
            }),
            yesLabel: ctx.t('disclosures.correct_button'),
            noLabel: ctx.t('disclosures.redo_button'),
          };
        },
        apply: (s, a) => (a ? { state: s, next: 'done' } : { state: s, next: 'mode' }),
      },
    ],
    async finish(ctx, s) {
      const { services } = ctx;
      const { disclosure, version } = await correctDisclosure(
        services.db,
        ctx.actor,
        ctx.via,
        s.disclosureId!,
        { body: s.body ?? '', statement: s.statement ?? null, reason: s.reason! },
        services.clock(),
      );
      const groups = await deps.announceVersion(services.outbox, services.i18n, disclosure, version);
      await ctx.reply(ctx.t('disclosures.corrected', { number: disclosure.number, version: version.version, code: headCode(version.hash), groups }));
    },
  });
