/**
 * /link: joins a person's Telegram and WeChat accounts into one resident (one vote). `/link`
 * makes a one-time code on the verified account; `/link <code>` on the other account redeems
 * it. Only in private chats: a code seen in a group could be used by anyone. The rules live in
 * src/domain/residents/linking.ts.
 */
import type { Ctx } from '../../core/context.ts';
import type { Feature } from '../feature.ts';
import { createLinkCode, redeemLinkCode } from '../../domain/residents/linking.ts';

async function link(ctx: Ctx, args: string): Promise<void> {
  if (ctx.chat.kind === 'group') {
    await ctx.reply(ctx.t('linking.in_private'));
    return;
  }
  const now = ctx.services.clock();
  if (!args) {
    const { code, expiresAt } = await createLinkCode(ctx.services.db, ctx.actor, ctx.via, now);
    await ctx.reply(ctx.t('linking.code_created', { code, until: expiresAt }));
    return;
  }
  const result = await redeemLinkCode(ctx.services.db, ctx.person, ctx.sender, args, now);
  const platforms = result.platforms.map((p) => ctx.t(`linking.platform_${p}`)).join(ctx.t('linking.platform_join'));
  await ctx.reply(ctx.t('linking.linked', { platforms }));
}

/** The linking feature. */
export const linkingFeature: Feature = {
  name: 'linking',
  commands: [
    {
      name: 'link',
      description: 'linking.command',
      order: 12,
      visible: (ctx) => ctx.chat.kind === 'private',
      run: link,
    },
  ],
};
