/**
 * The committee's short scenes on one proposal: the public reason of a rejection, the approved
 * budget and implementer, a progress report (percent, note, optional photo). Each is started
 * from a button of /review with the proposal id as its argument; the domain checks the role
 * again when the scene finishes. The proposals feature hands in what follows a move.
 */
import type { Ctx } from '../src/core/context.ts';
import { DomainError } from '../src/domain/errors.ts';
import type { IncomingFile } from '../src/platform/messages.ts';
import { defineScene } from '../src/engine/scene.ts';
import { loadProposal, type MoveResult } from '../src/domain/proposals/lifecycle.ts';
import { postProgress, rejectProposal, setBudget } from '../src/domain/proposals/proposals.ts';
import { MAX_IMPLEMENTER, MAX_PHOTO_BYTES, MAX_REASON, parsePercent, PHOTO_MIME_TYPES } from '../src/domain/proposals/rules.ts';
import { requirePermission } from '../src/domain/residents/permissions.ts';
import type { Services } from '../src/core/services.ts';

async function beginFor(ctx: Ctx, proposalId: string, allowed: string[]) {
  const p = await loadProposal(ctx.services.db, proposalId);
  requirePermission(ctx.actor, 'proposal.review', p.communityId);
  if (!allowed.includes(p.status)) throw new DomainError('proposals.wrong_status_for_action', { number: p.number, status: p.status });
  return p;
}

const acting = (ctx: Ctx) => ({ actor: ctx.actor, via: ctx.via, now: ctx.services.clock() });

/** What the scenes need from the proposals feature. */
export interface CommitteeSceneDeps {
  /** What follows a move once it is saved: the decision's publication, the author's notice. */
  afterMove(services: Services, result: MoveResult): Promise<void>;
}

interface RejectState {
  proposalId: string;
  number: number;
  reason?: string;
}

/** The public reason of a rejection (不予采纳). */
export const createRejectScene = (deps: CommitteeSceneDeps) =>
  defineScene<RejectState>({
    id: 'proposalreject',
    private: true,
    async begin(ctx, args) {
      const p = await beginFor(ctx, args, ['submitted', 'under_review', 'shortlisted']);
      return { proposalId: p.id, number: p.number };
    },
    steps: [
      {
        id: 'reason',
        prompt: (ctx, s) => ({ kind: 'text', text: ctx.t('proposals.review.ask_reject_reason', { number: s.number, max: MAX_REASON }), min: 2, max: MAX_REASON }),
        apply: (s, a) => ({ state: { ...s, reason: String(a) } }),
      },
      {
        id: 'confirm',
        prompt: (ctx, s) => ({ kind: 'confirm', text: ctx.t('proposals.review.confirm_reject', { number: s.number, reason: s.reason }) }),
        apply: (s, a) => (a ? { state: s } : { state: s, next: 'reason' }),
      },
    ],
    async finish(ctx, s) {
      const result = await rejectProposal(ctx.services.db, acting(ctx), s.proposalId, s.reason!);
      await deps.afterMove(ctx.services, result);
      await ctx.reply(ctx.t('proposals.review.done_rejected', { number: s.number }));
    },
  });

interface BudgetState {
  proposalId: string;
  number: number;
  budgetYuan?: number;
  implementer?: string;
}

/** The approved budget (核定预算) and the implementer (实施单位). */
export const budgetScene = defineScene<BudgetState>({
  id: 'proposalbudget',
  private: true,
  async begin(ctx, args) {
    const p = await beginFor(ctx, args, ['approved', 'in_progress']);
    return { proposalId: p.id, number: p.number };
  },
  steps: [
    {
      id: 'budget',
      prompt: (ctx, s) => ({ kind: 'number', text: ctx.t('proposals.review.ask_budget', { number: s.number }) }),
      validate: (a) => (Number(a) > 0 ? undefined : { invalid: 'proposals.cost_not_positive' }),
      apply: (s, a) => ({ state: { ...s, budgetYuan: Number(a) } }),
    },
    {
      id: 'implementer',
      prompt: (ctx) => ({ kind: 'text', text: ctx.t('proposals.review.ask_implementer', { max: MAX_IMPLEMENTER }), min: 2, max: MAX_IMPLEMENTER }),
      apply: (s, a) => ({ state: { ...s, implementer: String(a) } }),
    },
  ],
  async finish(ctx, s) {
    const p = await setBudget(ctx.services.db, acting(ctx), s.proposalId, s.budgetYuan!, s.implementer!);
    await ctx.reply(ctx.t('proposals.review.done_budget', { number: p.number, fen: p.approvedBudgetFen, name: p.implementer }));
  },
});

interface ProgressState {
  proposalId: string;
  number: number;
  current: number;
  percent?: number;
  note?: string;
  photoRef?: string | null;
  photoPlatform?: string | null;
}

/** A progress report: percent done, what was done, optionally a photo. */
export const createProgressScene = (deps: CommitteeSceneDeps) =>
  defineScene<ProgressState>({
    id: 'proposalprogress',
    private: true,
    async begin(ctx, args) {
      const p = await beginFor(ctx, args, ['approved', 'in_progress']);
      return { proposalId: p.id, number: p.number, current: p.progressPercent };
    },
    steps: [
      {
        id: 'percent',
        // A text prompt read by parsePercent: "50%" and "５０％" are how people write progress.
        prompt: (ctx, s) => ({ kind: 'text', text: ctx.t('proposals.review.ask_percent', { number: s.number, current: s.current }), max: 20 }),
        validate: (a, _ctx, s) => {
          const percent = parsePercent(String(a));
          if (percent === null) return { invalid: 'proposals.bad_percent' };
          return percent < s.current ? { invalid: 'proposals.progress_backwards', params: { current: s.current } } : undefined;
        },
        apply: (s, a) => ({ state: { ...s, percent: parsePercent(String(a))! } }),
      },
      {
        id: 'note',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('proposals.review.ask_progress_note', { max: MAX_REASON }), min: 2, max: MAX_REASON }),
        apply: (s, a) => ({ state: { ...s, note: String(a) } }),
      },
      {
        id: 'photo',
        prompt: (ctx) => ({ kind: 'file', text: ctx.t('proposals.review.ask_progress_photo'), accept: ['photo', 'document'], mimeTypes: PHOTO_MIME_TYPES, maxBytes: MAX_PHOTO_BYTES, optional: true }),
        apply: (s, a, ctx) => {
          const f = a as IncomingFile | null;
          return { state: { ...s, photoRef: f?.fileId ?? null, photoPlatform: f ? ctx.chat.platform : null }, next: 'done' };
        },
      },
    ],
    async finish(ctx, s) {
      const result = await postProgress(ctx.services.db, acting(ctx), s.proposalId, {
        percent: s.percent!,
        note: s.note!,
        photo: s.photoRef ? { platform: s.photoPlatform ?? ctx.chat.platform, fileRef: s.photoRef } : null,
      });
      if (result.started) await deps.afterMove(ctx.services, result.started);
      await ctx.reply(ctx.t('proposals.review.done_progress', { number: s.number, percent: s.percent }));
    },
  });
