/**
 * The rating scene (/rate, or the button of a campaign): pick a target, give the overall answer
 * on the five-point scale, optionally score the dimensions and leave a comment, confirm. A person
 * who already rated the target in this period is offered to change that rating instead.
 * Private: started from a group it continues in the private chat, so nobody sees the answers.
 * The ratings feature hands in how the committee is alerted to a low rating with a comment.
 */
import type { Ctx } from '../src/core/context.ts';
import { DomainError, isDomainError } from '../src/domain/errors.ts';
import { defineScene, invalid, type ChoiceOption } from '../src/engine/scene.ts';
import { requirePermission } from '../src/domain/residents/permissions.ts';
import { dimensionLabel, dimensionsOf, existingRating, LOW_SCORE, MAX_COMMENT, ratingPeriod, SCALE, scoreLabel, submitRating } from '../src/domain/ratings/ratings.ts';
import { ensureDefaultTargets, listTargets, targetIn, targetLabel } from '../src/domain/ratings/targets.ts';
import type { Services } from '../src/core/services.ts';
import type { Rating, RatingTarget } from '../src/generated/prisma/client.ts';

interface RateState {
  communityId: string;
  dimensionKeys: string[];
  targetId?: string;
  targetName?: string;
  period?: string;
  /** The person's earlier answer in this period, if any. */
  previous?: number;
  keep?: boolean;
  overall?: number;
  dimIndex: number;
  dims: Record<string, number>;
  comment?: string | null;
}

/** Looks up what the scene needs to know about a target: its name, period and earlier answer. */
async function describeTarget(ctx: Ctx, communityId: string, targetId: string) {
  const { db, clock, config } = ctx.services;
  const target = await targetIn(db, communityId, targetId);
  if (!target.active) throw new DomainError('ratings.target_inactive');
  const { period } = await ratingPeriod(db, target, clock(), config.LINLI_TIMEZONE);
  const previous = await existingRating(db, target.id, period, ctx.person.id);
  return { targetId: target.id, targetName: targetLabel(ctx.t, target), period, previous: previous?.overall };
}

const scoreOptions = (ctx: Ctx): ChoiceOption[] => SCALE.map((s) => ({ value: String(s), label: scoreLabel(ctx.t, s) }));

/** What the scene needs from the ratings feature. */
export interface RateSceneDeps {
  /** Tells the committee privately about a low rating that came with a comment. */
  alertCommittee(services: Services, rating: Rating, target: RatingTarget): Promise<number>;
}

/** The /rate scene, bound to the feature's committee alert. */
export const createRateScene = (deps: RateSceneDeps) =>
    defineScene<RateState>({
    id: 'rate',
    private: true,
    async begin(ctx, args) {
      const community = ctx.requireCommunity();
      requirePermission(ctx.actor, 'rating.submit', community.id);
      await ensureDefaultTargets(ctx.services.db, community.id);
      const state: RateState = { communityId: community.id, dimensionKeys: dimensionsOf(community), dimIndex: 0, dims: {} };
      const targetId = args.trim();
      if (targetId) return { ...state, ...(await describeTarget(ctx, community.id, targetId)) };
      const active = await listTargets(ctx.services.db, community.id, { activeOnly: true });
      if (!active.length) throw new DomainError('ratings.no_targets');
      return state;
    },
    steps: [
      {
        id: 'target',
        skip: (state) => Boolean(state.targetId),
        async prompt(ctx, state) {
          const targets = await listTargets(ctx.services.db, state.communityId, { activeOnly: true });
          return {
            kind: 'choice',
            text: ctx.t('ratings.ask_target'),
            columns: 1,
            options: targets.slice(0, 30).map((t) => ({ value: t.id, label: targetLabel(ctx.t, t) })),
          };
        },
        async validate(answer, ctx, state) {
          try {
            // Stashed here because apply() cannot look things up: the period and the earlier answer.
            Object.assign(state, await describeTarget(ctx, state.communityId, String(answer)));
          } catch (err) {
            if (isDomainError(err)) return invalid(err.key, err.params);
            throw err;
          }
        },
        apply: (state) => ({ state }),
      },
      {
        id: 'change',
        skip: (state) => state.previous === undefined,
        prompt: (ctx, state) => ({
          kind: 'confirm',
          text: ctx.t('ratings.ask_change', { target: state.targetName, period: state.period, answer: scoreLabel(ctx.t, state.previous!) }),
          yesLabel: ctx.t('ratings.change_yes'),
          noLabel: ctx.t('ratings.change_no'),
        }),
        apply: (state, answer) => (answer ? { state } : { state: { ...state, keep: true }, next: 'done' }),
      },
      {
        id: 'overall',
        prompt: (ctx, state) => ({ kind: 'choice', text: ctx.t('ratings.ask_overall', { target: state.targetName, period: state.period }), options: scoreOptions(ctx), columns: 1 }),
        apply: (state, answer) => ({ state: { ...state, overall: Number(answer), dimIndex: 0, dims: {} } }),
      },
      {
        id: 'wantDims',
        skip: (state) => state.dimensionKeys.length === 0,
        prompt: (ctx, state) => ({
          kind: 'confirm',
          text: ctx.t('ratings.ask_want_dimensions', { dimensions: state.dimensionKeys.map((k) => dimensionLabel(ctx.t, k)).join(ctx.t('ratings.list_separator')) }),
          yesLabel: ctx.t('ratings.dimensions_yes'),
          noLabel: ctx.t('ratings.dimensions_no'),
        }),
        apply: (state, answer) => (answer ? { state: { ...state, dimIndex: 0, dims: {} } } : { state, next: 'comment' }),
      },
      {
        id: 'dim',
        prompt: (ctx, state) => ({
          kind: 'choice',
          text: ctx.t('ratings.ask_dimension', { dimension: dimensionLabel(ctx.t, state.dimensionKeys[state.dimIndex]), index: state.dimIndex + 1, count: state.dimensionKeys.length }),
          options: scoreOptions(ctx),
          columns: 1,
          optional: true,
        }),
        apply(state, answer) {
          const key = state.dimensionKeys[state.dimIndex];
          const dims = answer === null ? state.dims : { ...state.dims, [key]: Number(answer) };
          const dimIndex = state.dimIndex + 1;
          return { state: { ...state, dims, dimIndex }, next: dimIndex < state.dimensionKeys.length ? 'dim' : 'comment' };
        },
      },
      {
        id: 'comment',
        prompt: (ctx, state) => ({
          kind: 'text',
          text: ctx.t(state.overall! <= LOW_SCORE ? 'ratings.ask_comment_low' : 'ratings.ask_comment', { max: MAX_COMMENT }),
          max: MAX_COMMENT,
          optional: true,
        }),
        apply: (state, answer) => ({ state: { ...state, comment: answer === null ? null : String(answer) } }),
      },
      {
        id: 'confirm',
        prompt(ctx, state) {
          const lines = [ctx.t('ratings.confirm_title', { target: state.targetName, period: state.period }), ctx.t('ratings.confirm_overall', { answer: scoreLabel(ctx.t, state.overall!) })];
          for (const [key, score] of Object.entries(state.dims)) lines.push(ctx.t('ratings.confirm_dimension', { dimension: dimensionLabel(ctx.t, key), answer: scoreLabel(ctx.t, score) }));
          lines.push(state.comment ? ctx.t('ratings.confirm_comment', { comment: state.comment }) : ctx.t('ratings.confirm_no_comment'));
          if (state.previous !== undefined) lines.push(ctx.t('ratings.confirm_replaces'));
          lines.push(ctx.t('ratings.confirm_question'));
          return { kind: 'confirm', text: lines.join('\n'), yesLabel: ctx.t('ratings.submit'), noLabel: ctx.t('ratings.redo') };
        },
        apply: (state, answer) => (answer ? { state } : { state, next: 'overall' }),
      },
    ],
    async finish(ctx, state) {
      if (state.keep) {
        await ctx.reply(ctx.t('ratings.kept', { target: state.targetName }));
        return;
      }
      const { services } = ctx;
      const result = await submitRating(
        services.db,
        ctx.actor,
        { communityId: state.communityId, targetId: state.targetId!, overall: state.overall!, dimensions: state.dims, comment: state.comment },
        services.clock(),
        services.config.LINLI_TIMEZONE,
      );
      await ctx.reply(ctx.t(result.changed ? 'ratings.changed' : 'ratings.thanks', { target: state.targetName, period: result.period }) + (result.rating.comment ? `\n${ctx.t('ratings.comment_moderated')}` : ''));
      if (result.rating.overall <= LOW_SCORE && result.rating.comment) await deps.alertCommittee(services, result.rating, result.target);
    },
  });
