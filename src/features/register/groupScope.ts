/**
 * `/groupscope 3栋、5栋` in a group: a committee member says which buildings or 居民小组 the
 * group serves (a 楼栋群), so that notices and polls for those buildings reach it and those for
 * other buildings do not; `/groupscope 全体` makes it a community-wide group again. Without
 * arguments it says what the group serves now.
 */
import type { CommandDef } from '../../core/feature.ts';
import { groupScopeOf, setGroupScope } from '../../domain/register/groupScope.ts';
import { describeScope, isWholeCommunity } from '../../domain/register/scope.ts';

export const groupScopeCommand: CommandDef = {
  name: 'groupscope',
  description: 'scope.group_command',
  order: 71,
  permission: 'community.bind',
  chat: 'group',
  async run(ctx, args) {
    if (!ctx.group) {
      await ctx.reply(ctx.t('scope.group_only'));
      return;
    }
    if (!args.trim()) {
      await ctx.reply(ctx.t('scope.group_usage', { current: describeScope(ctx.t, await groupScopeOf(ctx.services.db, ctx.group.id)) }));
      return;
    }
    const scope = await setGroupScope(ctx.services.db, ctx.actor, ctx.via, ctx.group, args);
    await ctx.reply(isWholeCommunity(scope) ? ctx.t('scope.group_cleared') : ctx.t('scope.group_set', { names: describeScope(ctx.t, scope) }));
  },
};
