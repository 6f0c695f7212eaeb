/** "Previous / next page" buttons of the residents feature's paged lists. */
import type { Ctx } from '../../core/context.ts';
import type { ActionCodec } from '../../core/actionCodec.ts';
import type { Button } from '../../platform/messages.ts';

/** The paging row of a list; empty when there is one page. */
export function pageButtons(ctx: Ctx, page: ActionCodec<{ page: number }>, current: number, pages: number): Button[] {
  const row: Button[] = [];
  if (current > 0) row.push({ label: ctx.t('residents.prev_page'), action: page.pack({ page: current - 1 }) });
  if (current < pages - 1) row.push({ label: ctx.t('residents.next_page'), action: page.pack({ page: current + 1 }) });
  return row;
}
