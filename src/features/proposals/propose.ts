/**
 * /propose: the proposal form (scenes/propose.ts) in the private chat. A draft in progress is
 * offered for resuming instead of being silently replaced.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef, type CommandDef, type StartPayloadHandler } from '../../core/feature.ts';
import { requirePermission } from '../../domain/residents/permissions.ts';
import { PROPOSE_SCENE } from '../../../scenes/propose.ts';
import { restartDraft, resumeDraft } from './actions.ts';
import { continuePrivately, PAYLOAD } from './privately.ts';
import { proposeScene } from './scenes.ts';

/** Starts the form, or offers the open draft. Also reached by deep link, so it checks itself. */
async function propose(ctx: Ctx): Promise<void> {
  const community = ctx.requireCommunity();
  requirePermission(ctx.actor, 'proposal.create', community.id);
  const draft = await ctx.services.scenes.draft(ctx, proposeScene);
  if (draft) {
    await ctx.reply({
      text: ctx.t('proposals.propose.draft_open', { title: draft.title ?? ctx.t('proposals.propose.untitled') }),
      buttons: [[{ label: ctx.t('proposals.propose.resume'), action: resumeDraft.pack({}) }, { label: ctx.t('proposals.propose.restart'), action: restartDraft.pack({}) }]],
    });
    return;
  }
  await ctx.services.scenes.start(ctx, PROPOSE_SCENE);
}

/** The /propose command. */
export const proposeCommand: CommandDef = {
  name: 'propose',
  description: 'proposals.commands.propose',
  menu: true,
  order: 20,
  permission: 'proposal.create',
  run: (ctx) => continuePrivately(ctx, PAYLOAD.propose, propose),
};

/** The draft's buttons: ask the open draft's current step again, or start over. */
export const proposeActions: ActionDef[] = [
  onAction(resumeDraft, async (ctx) => {
    await ctx.toast('');
    const open = (await ctx.services.scenes.openScene(ctx)) === PROPOSE_SCENE && (await ctx.services.scenes.resume(ctx));
    if (!open) await ctx.reply(ctx.t('scene.no_active'));
  }),
  onAction(
    restartDraft,
    async (ctx) => {
      await ctx.toast('');
      await ctx.services.scenes.start(ctx, PROPOSE_SCENE);
    },
    { permission: 'proposal.create' },
  ),
];

/** The deep link from a group's /propose. */
export const proposePayload: StartPayloadHandler = async (ctx, payload) => {
  if (payload !== PAYLOAD.propose) return false;
  await propose(ctx);
  return true;
};
