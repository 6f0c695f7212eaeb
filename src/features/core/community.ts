/**
 * /community: a person in several communities (or an administrator) chooses the one they act
 * in from their private chat.
 */
import type { CommandDef } from '../../core/feature.ts';
import { onAction } from '../../core/feature.ts';
import { communitiesOf } from '../../domain/residents/roles.ts';
import { chooseCommunity } from './actions.ts';

/** Communities offered at most (a button each). */
const MAX_OFFERED = 40;

/** The /community command. */
export const communityCommand: CommandDef = {
  name: 'community',
  description: 'commands.community',
  order: 81,
  chat: 'private',
  // Offered only to those who have a choice to make; anyone may still type it.
  visible: (ctx) => communitiesOf(ctx.actor).length > 1 || ctx.actor.isAdmin,
  async run(ctx) {
    const ids = communitiesOf(ctx.actor);
    const communities = await ctx.services.db.community.findMany({ where: ctx.actor.isAdmin ? {} : { id: { in: ids } }, orderBy: { name: 'asc' }, take: MAX_OFFERED });
    if (!communities.length) return void (await ctx.reply(ctx.t('errors.no_community')));
    await ctx.reply({
      text: ctx.t('community.choose', { current: ctx.community?.name ?? '—' }),
      buttons: communities.map((c) => [{ label: c.name, action: chooseCommunity.pack({ community: c.id }) }]),
    });
  },
};

/** A community button: checked again here, since the button is only an offer. */
export const communityAction = onAction(chooseCommunity, async (ctx, { community: communityId }) => {
  if (!ctx.actor.isAdmin && !communitiesOf(ctx.actor).includes(communityId)) return ctx.toast(ctx.t('errors.forbidden'), true);
  const community = await ctx.services.db.community.findUnique({ where: { id: communityId } });
  if (!community) return ctx.toast(ctx.t('errors.stale_button'));
  await ctx.services.db.person.update({ where: { id: ctx.person.id }, data: { activeCommunityId: communityId } });
  await ctx.toast('');
  await ctx.reply(ctx.t('community.switched', { name: community.name }));
});
