/** /cancel (leave the open form), /resume (continue a paused one) and /name (choose the name Linli shows publicly). */
import type { CommandDef } from '../../core/feature.ts';

/** The /cancel command. */
export const cancelCommand: CommandDef = {
  name: 'cancel',
  description: 'commands.cancel',
  order: 91,
  keepsScene: true,
  async run(ctx) {
    const had = await ctx.services.scenes.cancel(ctx);
    await ctx.reply(ctx.t(had ? 'scene.cancelled' : 'scene.nothing_to_cancel'));
  },
};

/** The /resume command: the paused form asks its question again. */
export const resumeCommand: CommandDef = {
  name: 'resume',
  description: 'commands.resume',
  order: 92,
  keepsScene: true,
  async run(ctx) {
    if (!(await ctx.services.scenes.resume(ctx))) await ctx.reply(ctx.t('scene.nothing_to_resume'));
  },
};

/** The /name command: the profile scene. */
export const nameCommand: CommandDef = {
  name: 'name',
  description: 'commands.name',
  order: 80,
  // Offered in private chats, where the question is not asked in front of a group.
  visible: (ctx) => ctx.chat.kind === 'private',
  run: (ctx) => ctx.services.scenes.start(ctx, 'profile'),
};
