/**
 * Adding or renaming a rating target (committee). `/ratingtargets` offers both as buttons: with
 * no argument the scene adds a target (kind, then name), with a target id it renames that one.
 */
import { defineScene } from '../src/engine/scene.ts';
import { requirePermission } from '../src/domain/residents/permissions.ts';
import { ADDABLE_KINDS, addTarget, MAX_TARGET_NAME, renameTarget, targetIn, targetLabel } from '../src/domain/ratings/targets.ts';

interface TargetState {
  communityId: string;
  /** Set when renaming. */
  targetId?: string;
  current?: string;
  kind?: string;
  name?: string;
}

export const ratingTargetScene = defineScene<TargetState>({
  id: 'ratingtarget',
  private: true,
  async begin(ctx, args) {
    const community = ctx.requireCommunity();
    requirePermission(ctx.actor, 'rating.manage', community.id);
    if (!args.trim()) return { communityId: community.id };
    const target = await targetIn(ctx.services.db, community.id, args.trim());
    return { communityId: community.id, targetId: target.id, kind: target.kind, current: targetLabel(ctx.t, target) };
  },
  steps: [
    {
      id: 'kind',
      skip: (state) => Boolean(state.targetId),
      prompt: (ctx) => ({ kind: 'choice', text: ctx.t('ratings.target_ask_kind'), columns: 1, options: ADDABLE_KINDS.map((k) => ({ value: k, label: ctx.t(`ratings.kind.${k}`) })) }),
      apply: (state, answer) => ({ state: { ...state, kind: String(answer) } }),
    },
    {
      id: 'name',
      prompt: (ctx, state) => ({
        kind: 'text',
        text: state.targetId ? ctx.t('ratings.target_ask_new_name', { current: state.current, max: MAX_TARGET_NAME }) : ctx.t('ratings.target_ask_name', { kind: ctx.t(`ratings.kind.${state.kind}`), max: MAX_TARGET_NAME }),
        min: 2,
        max: MAX_TARGET_NAME,
      }),
      apply: (state, answer) => ({ state: { ...state, name: String(answer) } }),
    },
  ],
  async finish(ctx, state) {
    const by = { actor: ctx.actor, via: ctx.via };
    if (state.targetId) {
      const target = await renameTarget(ctx.services.db, by, state.communityId, state.targetId, state.name!);
      await ctx.reply(ctx.t('ratings.target_renamed', { from: state.current, to: target.name }));
      return;
    }
    const target = await addTarget(ctx.services.db, by, state.communityId, state.kind!, state.name!);
    await ctx.reply(ctx.t('ratings.target_added', { name: target.name, kind: ctx.t(`ratings.kind.${target.kind}`) }));
  },
});
