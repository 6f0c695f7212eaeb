/**
 * Helpers shared by the residents feature's chat handlers.
 */
import type { Ctx } from '../../core/context.ts';
import type { Button } from '../../platform/messages.ts';

/**
 * True in a private chat. In a group it answers with a pointer to the private chat (a button
 * on platforms with deep links) and returns false: lists of members, codes and personal data
 * never go to a group.
 */
export async function ensurePrivate(ctx: Ctx): Promise<boolean> {
  if (ctx.chat.kind === 'private') return true;
  const link = ctx.deepLink('menu');
  await ctx.reply(link ? { text: ctx.t('residents.private_only'), buttons: [[{ label: ctx.t('residents.open_private'), url: link }]] } : ctx.t('residents.private_only'));
  return false;
}

/** "Previous / next page" buttons for a paged list; empty when there is one page. */
export function pageButtons(ctx: Ctx, prefix: string, page: number, pages: number): Button[] {
  const row: Button[] = [];
  if (page > 0) row.push({ label: ctx.t('residents.prev_page'), action: `${prefix}:${page - 1}` });
  if (page < pages - 1) row.push({ label: ctx.t('residents.next_page'), action: `${prefix}:${page + 1}` });
  return row;
}
