/**
 * Reading a disclosure, and checking the chain.
 *
 * The full text can be long (a statement with a hundred lines), so a tap on "read" in a group
 * sends it to the person privately and answers with a toast; only if the bot cannot write to
 * them privately (on Telegram: they never opened the bot) does the group get a compact message
 * — heading, totals, fingerprint — with a link into the private chat. Disclosures are public
 * records: anyone may read one they were shown a button for.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef, type StartPayloadHandler } from '../../core/feature.ts';
import type { Button, OutMessage } from '../../platform/messages.ts';
import { splitText } from '../../outbox/split.ts';
import { can } from '../../domain/residents/permissions.ts';
import { fingerprint, verifyChain } from '../../domain/disclosures/chain.ts';
import { getDisclosure } from '../../domain/disclosures/disclosures.ts';
import { correctDisclosure, readDisclosure, verifyChainAction } from './actions.ts';
import { renderCompact, renderFull } from './render.ts';

/** Deep link into a disclosure's full text: `d-<id>`. */
const READ_PAYLOAD = /^d-([a-z0-9]{10,40})$/;

/** Sends a long text as several messages in order, buttons under the last one. */
async function replyLong(send: (m: OutMessage) => Promise<unknown>, ctx: Ctx, text: string, buttons?: Button[][]): Promise<void> {
  const parts = splitText(text, ctx.capabilities.maxTextLength);
  for (const [i, part] of parts.entries()) await send(i === parts.length - 1 && buttons?.length ? { text: part, buttons } : { text: part });
}

/** The buttons under a full text. */
function fullTextButtons(ctx: Ctx, id: string, communityId: string): Button[][] {
  const row: Button[] = [{ label: ctx.t('disclosures.verify_button'), action: verifyChainAction.pack({}) }];
  if (can(ctx.actor, 'disclosure.publish', communityId)) row.push({ label: ctx.t('disclosures.correct_start_button'), action: correctDisclosure.pack({ disclosure: id }) });
  return [row];
}

/** Opens a disclosure for the person: in private the full text; from a group, see above. */
async function view(ctx: Ctx, id: string): Promise<void> {
  const d = await getDisclosure(ctx.services.db, id);
  if (ctx.chat.kind === 'private') {
    await ctx.toast('');
    return replyLong((m) => ctx.reply(m), ctx, renderFull(ctx.t, ctx.locale, d), fullTextButtons(ctx, d.id, d.communityId));
  }
  try {
    const priv = ctx.privateCtx();
    await replyLong((m) => priv.reply(m), priv, renderFull(ctx.t, ctx.locale, d), fullTextButtons(ctx, d.id, d.communityId));
    await ctx.toast(ctx.t('disclosures.sent_privately'));
  } catch {
    const link = ctx.deepLink(`d-${d.id}`);
    await ctx.toast('');
    await ctx.reply({ text: renderCompact(ctx.t, ctx.locale, d), buttons: link ? [[{ label: ctx.t('disclosures.open_private_button'), url: link }]] : undefined });
  }
}

/** Recomputes the community's chain and says whether anything was changed. */
async function verifyForPerson(ctx: Ctx): Promise<void> {
  const community = ctx.requireCommunity();
  const [report] = await verifyChain(ctx.services.db, community.id);
  await ctx.toast('');
  if (!report.problems.length) {
    await ctx.reply(ctx.t('disclosures.verify_ok', { community: community.name, count: report.links, fingerprint: report.headHash ? fingerprint(report.headHash) : '-' }));
    return;
  }
  const p = report.problems[0];
  await ctx.reply(ctx.t('disclosures.verify_broken', { community: community.name, number: p.disclosureNumber ?? '?', version: p.version ?? '?', count: report.problems.length }));
  ctx.services.log.error({ problems: report.problems }, 'disclosure chain broken');
}

/** Reading and checking: open to anyone who was shown the button. */
export const readActions: ActionDef[] = [
  onAction(readDisclosure, (ctx, { disclosure }) => view(ctx, disclosure)),
  onAction(verifyChainAction, (ctx) => verifyForPerson(ctx)),
];

/** The deep link from a group's compact message. */
export const readPayload: StartPayloadHandler = async (ctx, payload) => {
  const m = READ_PAYLOAD.exec(payload);
  if (!m) return false;
  await view(ctx, m[1]);
  return true;
};
