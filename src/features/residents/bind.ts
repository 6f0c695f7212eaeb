/**
 * /bind <community> in a group: a committee member of that community (or an administrator)
 * binds the group to it. The permission is the named community's, which the group does not
 * have yet, so the domain checks it; the offer in /help goes to committee members in groups.
 */
import type { CommandDef } from '../../core/feature.ts';
import { bindGroup } from '../../domain/residents/communities.ts';

export const bindCommand: CommandDef = {
  name: 'bind',
  description: 'commands.bind',
  order: 70,
  visible: (ctx) => ctx.chat.kind === 'group' && (ctx.actor.isAdmin || ctx.actor.grants.some((g) => g.role === 'committee')),
  async run(ctx, args) {
    if (!ctx.group) {
      await ctx.reply(ctx.t('residents.bind_in_group'));
      return;
    }
    const community = await bindGroup(ctx.services.db, ctx.actor, ctx.via, ctx.group, args, ctx.services.clock());
    await ctx.reply(ctx.t('residents.bound', { name: community.name }));
  },
};
