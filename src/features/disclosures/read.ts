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
import { headCode, verifyChain } from '../../domain/disclosures/chain.ts';
import { getDisclosure, type DisclosureWithVersions } from '../../domain/disclosures/disclosures.ts';
import { correctDisclosure, readDisclosure, readVersion, verifyChainAction } from './actions.ts';
import { renderCompact, renderFull, renderVersion } from './render.ts';

/** Deep link into a disclosure's full text: `d-<id>`. */
const READ_PAYLOAD = /^d-([a-z0-9]{10,40})$/;

/** Sends a long text as several messages in order, buttons under the last one. */
async function replyLong(send: (m: OutMessage) => Promise<unknown>, ctx: Ctx, text: string, buttons?: Button[][]): Promise<void> {
  const parts = splitText(text, ctx.capabilities.maxTextLength);
  for (const [i, part] of parts.entries()) await send(i === parts.length - 1 && buttons?.length ? { text: part, buttons } : { text: part });
}

/** Earlier versions offered as buttons under a text, newest first. */
const MAX_VERSION_BUTTONS = 6;

/**
 * The buttons under a text: every other version of it (earlier ones stay readable to anyone,
 * with the reason they were corrected), the chain check, and for the committee a correction.
 */
function fullTextButtons(ctx: Ctx, d: DisclosureWithVersions, shown: number): Button[][] {
  const rows: Button[][] = [];
  const others = [...d.versions].reverse().filter((v) => v.version !== shown).slice(0, MAX_VERSION_BUTTONS);
  const latest = d.versions[d.versions.length - 1].version;
  const versionButtons = others.map((v) => ({
    label: ctx.t(v.version === latest ? 'disclosures.version_current_button' : 'disclosures.version_button', { version: v.version }),
    action: readVersion.pack({ disclosure: d.id, version: v.version }),
  }));
  for (let i = 0; i < versionButtons.length; i += 3) rows.push(versionButtons.slice(i, i + 3));
  const row: Button[] = [{ label: ctx.t('disclosures.verify_button'), action: verifyChainAction.pack({}) }];
  if (can(ctx.actor, 'disclosure.publish', d.communityId)) row.push({ label: ctx.t('disclosures.correct_start_button'), action: correctDisclosure.pack({ disclosure: d.id }) });
  rows.push(row);
  return rows;
}

/**
 * Opens a disclosure for the person — its current version, or `version` as it was published:
 * in private the full text; from a group, see above.
 */
async function view(ctx: Ctx, id: string, version?: number): Promise<void> {
  const d = await getDisclosure(ctx.services.db, id);
  const shown = version && d.versions.some((v) => v.version === version) ? version : d.versions[d.versions.length - 1].version;
  const text = shown === d.latestVersion ? renderFull(ctx.t, ctx.locale, d) : renderVersion(ctx.t, ctx.locale, d, shown);
  if (ctx.chat.kind === 'private') {
    await ctx.toast('');
    return replyLong((m) => ctx.reply(m), ctx, text, fullTextButtons(ctx, d, shown));
  }
  try {
    const priv = ctx.privateCtx();
    await replyLong((m) => priv.reply(m), priv, text, fullTextButtons(ctx, d, shown));
    await ctx.toast(ctx.t('disclosures.sent_privately'));
  } catch {
    const link = ctx.deepLink(`d-${d.id}`);
    await ctx.toast('');
    await ctx.reply({ text: renderCompact(ctx.t, ctx.locale, d, Boolean(link)), buttons: link ? [[{ label: ctx.t('disclosures.open_private_button'), url: link }]] : undefined });
  }
}

/** Recomputes the community's chain and says whether anything was changed. */
async function verifyForPerson(ctx: Ctx): Promise<void> {
  const community = ctx.requireCommunity();
  const [report] = await verifyChain(ctx.services.db, community.id);
  await ctx.toast('');
  if (!report.problems.length) {
    await ctx.reply(ctx.t('disclosures.verify_ok', { community: community.name, count: report.links, code: report.headHash ? headCode(report.headHash) : '-' }));
    return;
  }
  const p = report.problems[0];
  await ctx.reply(ctx.t('disclosures.verify_broken', { community: community.name, number: p.disclosureNumber ?? '?', version: p.version ?? '?', count: report.problems.length }));
  ctx.services.log.error({ problems: report.problems }, 'disclosure chain broken');
}

/** Reading and checking: open to anyone who was shown the button. */
export const readActions: ActionDef[] = [
  onAction(readDisclosure, (ctx, { disclosure }) => view(ctx, disclosure)),
  onAction(readVersion, (ctx, { disclosure, version }) => view(ctx, disclosure, version)),
  onAction(verifyChainAction, (ctx) => verifyForPerson(ctx)),
];

/** The deep link from a group's compact message. */
export const readPayload: StartPayloadHandler = async (ctx, payload) => {
  const m = READ_PAYLOAD.exec(payload);
  if (!m) return false;
  await view(ctx, m[1]);
  return true;
};
