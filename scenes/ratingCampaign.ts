/**
 * Launching a rating campaign (/ratingcampaign, committee): pick the target, the number of days
 * it stays open, confirm. The campaign is announced in every group of the community with a
 * button that starts the rating scene; the ratings feature hands in how it is announced.
 */
import { defineScene, invalid } from '../src/engine/scene.ts';
import { DomainError } from '../src/domain/errors.ts';
import { requirePermission } from '../src/domain/residents/permissions.ts';
import { launchCampaign, MAX_CAMPAIGN_DAYS } from '../src/domain/ratings/campaigns.ts';
import { periodOf } from '../src/domain/ratings/periods.ts';
import { ensureDefaultTargets, listTargets, targetIn, targetLabel } from '../src/domain/ratings/targets.ts';
import type { Services } from '../src/core/services.ts';
import type { RatingCampaign, RatingTarget } from '../src/generated/prisma/client.ts';
import { scopeLine } from '../src/domain/register/scope.ts';
import { loadScopeRegister, scopeStep, type ScopedState } from './scopeStep.ts';

interface CampaignState extends ScopedState {
  communityId: string;
  targetId?: string;
  targetName?: string;
  days?: number;
}

/** What the scene needs from the ratings feature. */
export interface RatingCampaignSceneDeps {
  /** Posts the campaign's announcement to the community's groups; returns how many. */
  announceCampaign(services: Services, campaign: RatingCampaign & { target: RatingTarget }): Promise<number>;
}

/** The /ratingcampaign scene, bound to the feature's announcement. */
export const createRatingCampaignScene = (deps: RatingCampaignSceneDeps) =>
    defineScene<CampaignState>({
    id: 'ratingcampaign',
    private: true,
    async begin(ctx, args) {
      const community = ctx.requireCommunity();
      requirePermission(ctx.actor, 'rating.manage', community.id);
      await ensureDefaultTargets(ctx.services.db, community.id);
      if (args.trim()) {
        const target = await targetIn(ctx.services.db, community.id, args.trim());
        if (!target.active) throw new DomainError('ratings.target_inactive');
        return { communityId: community.id, targetId: target.id, targetName: targetLabel(ctx.t, target), scopeRegister: await loadScopeRegister(ctx, community.id) };
      }
      return { communityId: community.id, scopeRegister: await loadScopeRegister(ctx, community.id) };
    },
    steps: [
      {
        id: 'target',
        skip: (state) => Boolean(state.targetId),
        async prompt(ctx, state) {
          const targets = await listTargets(ctx.services.db, state.communityId, { activeOnly: true });
          return { kind: 'choice', text: ctx.t('ratings.campaign_ask_target'), columns: 1, options: targets.slice(0, 30).map((t) => ({ value: t.id, label: targetLabel(ctx.t, t) })) };
        },
        async validate(answer, ctx, state) {
          const target = await targetIn(ctx.services.db, state.communityId, String(answer)).catch(() => null);
          if (!target || !target.active) return invalid('ratings.target_inactive');
          // Stashed for the confirmation: apply() cannot look the name up.
          state.targetName = targetLabel(ctx.t, target);
        },
        apply: (state, answer) => ({ state: { ...state, targetId: String(answer) } }),
      },
      {
        id: 'days',
        prompt: (ctx) => ({ kind: 'number', text: ctx.t('ratings.campaign_ask_days', { max: MAX_CAMPAIGN_DAYS }), min: 1, max: MAX_CAMPAIGN_DAYS, integer: true }),
        apply: (state, answer) => ({ state: { ...state, days: Number(answer) } }),
      },
      // Whose groups hear the campaign: the whole community, or some buildings or groups.
      scopeStep<CampaignState>(),
      {
        id: 'confirm',
        prompt: (ctx, state) => ({
          kind: 'confirm',
          text: [
            ctx.t('ratings.campaign_confirm', {
              target: state.targetName,
              period: periodOf(ctx.services.clock(), ctx.services.config.LINLI_TIMEZONE),
              when: new Date(ctx.services.clock().getTime() + state.days! * 86_400_000),
            }),
            state.scope ? scopeLine(ctx.t, state.scope) : null,
          ]
            .filter(Boolean)
            .join('\n'),
          yesLabel: ctx.t('ratings.campaign_launch'),
          noLabel: ctx.t('ratings.redo'),
        }),
        apply: (state, answer) => (answer ? { state } : { state, next: 'target' }),
      },
    ],
    async finish(ctx, state) {
      const { services } = ctx;
      const campaign = await launchCampaign(
        services.db,
        { actor: ctx.actor, via: ctx.via },
        { communityId: state.communityId, targetId: state.targetId!, days: state.days!, scope: state.scope },
        services.clock(),
        services.config.LINLI_TIMEZONE,
      );
      const groups = await deps.announceCampaign(services, campaign);
      await ctx.reply(ctx.t('ratings.campaign_launched', { target: state.targetName, period: campaign.period, when: campaign.closesAt, groups }));
    },
  });
