/**
 * The committee's /publish and /correct (scenes/disclosures.ts, in the private chat), and the
 * "correct" button under a full text.
 */
import { onAction, type CommandDef } from '../../core/feature.ts';
import { getDisclosure } from '../../domain/disclosures/disclosures.ts';
import { requirePermission } from '../../domain/residents/permissions.ts';
import { correctDisclosure } from './actions.ts';

export const publishCommand: CommandDef = {
  name: 'publish',
  description: 'disclosures.command_publish',
  order: 61,
  permission: 'disclosure.publish',
  run: (ctx) => ctx.services.scenes.start(ctx, 'publish'),
};

/** `/correct [#number]`. */
export const correctCommand: CommandDef = {
  name: 'correct',
  description: 'disclosures.command_correct',
  order: 62,
  permission: 'disclosure.publish',
  run: (ctx, args) => ctx.services.scenes.start(ctx, 'correction', args.replace(/^#/, '')),
};

/** The button under a full text: the disclosure's own community decides who may correct it. */
export const correctAction = onAction(correctDisclosure, async (ctx, { disclosure }) => {
  const d = await getDisclosure(ctx.services.db, disclosure);
  requirePermission(ctx.actor, 'disclosure.publish', d.communityId);
  await ctx.toast('');
  await ctx.services.scenes.start(ctx, 'correction', d.id);
});
