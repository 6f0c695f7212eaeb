/**
 * Proposals are handled in the private chat: lists, pages and forms would fill a group. Unlike
 * a refusal (`ctx.inPrivate`), a request made in a group is carried over: a button tapped there
 * is answered in the private chat at once, and a command gets a deep link that lands on the
 * very list, page or form asked for (a direct message where the platform has no deep links).
 */
import type { Ctx } from '../../core/context.ts';

/** Deep-link payloads of this feature (letters, digits and dashes only). */
export const PAYLOAD = { propose: 'newproposal', list: 'proposallist', review: 'proposalreview', page: /^pv-([a-z0-9]{10,40})$/ };

/** Runs `run` in the private chat; `payload` is the deep link that leads back to it from a group. */
export async function continuePrivately(ctx: Ctx, payload: string, run: (ctx: Ctx) => Promise<void>): Promise<void> {
  if (ctx.chat.kind !== 'group') return run(ctx);
  if (ctx.incoming.type === 'action') {
    // A button in a group: answer in the private chat, never in the group.
    await ctx.toast(ctx.t('proposals.answered_privately'));
    return run(ctx.privateCtx());
  }
  const link = ctx.deepLink(payload);
  if (link) {
    await ctx.reply({ text: ctx.t('proposals.continue_private'), buttons: [[{ label: ctx.t('proposals.open_private'), url: link }]] });
    return;
  }
  await ctx.reply(ctx.t('scene.continued_private'));
  return run(ctx.privateCtx());
}
