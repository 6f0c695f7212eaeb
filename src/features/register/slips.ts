/**
 * The slips button of /register: makes the codes (withdrawing each household's earlier unused
 * slip), draws the PDF in the community's language and sends it to the private chat. The QR
 * codes carry the Telegram deep link whenever the bot runs on Telegram — also when the button
 * was pressed on WeChat — since that is the one-tap way in; otherwise the slips say what to
 * send on WeChat.
 */
import type { Ctx } from '../../core/context.ts';
import { slipPayload } from '../../domain/register/payload.ts';
import { issueSlips } from '../../domain/register/slips.ts';
import { renderSlipsPdf } from './slipsPdf.ts';

/** Prints the slips of a building (or, with null, the whole community) and sends the PDF. */
export async function sendSlips(ctx: Ctx, buildingId: string | null, onlyUnverified: boolean): Promise<void> {
  const { db, clock, i18n, adapters } = ctx.services;
  const community = ctx.requireCommunity();
  const batch = await issueSlips(db, ctx.actor, ctx.via, { communityId: community.id, buildingId, onlyUnverified }, clock());
  const building = buildingId ? await db.building.findUniqueOrThrow({ where: { id: buildingId } }) : null;
  // The paper is read by the residents: in the community's language, not the committee member's.
  const t = i18n.bind(community.locale);
  const scope = building ? t('register.slips_scope_building', { building: building.name }) : t('register.slips_scope_all', { community: community.name });
  const telegram = adapters.get('telegram');
  const pdf = await renderSlipsPdf({
    t,
    community: community.name,
    scope,
    slips: batch.slips,
    expiresAt: batch.expiresAt,
    linkFor: (code) => telegram?.deepLink(slipPayload(code)),
  });
  const ownScope = building ? ctx.t('register.slips_scope_building', { building: building.name }) : ctx.t('register.slips_scope_all', { community: community.name });
  const caption = [ctx.t('register.slips_caption', { scope: ownScope, count: batch.slips.length, when: batch.expiresAt })];
  if (batch.revoked) caption.push(ctx.t('register.slips_caption_revoked', { count: batch.revoked }));
  const name = `${community.slug}-${building ? building.name : 'all'}-${t('register.slips_file')}.pdf`;
  await ctx.reply({ text: caption.join('\n'), document: { data: pdf, name, mimeType: 'application/pdf' } });
}
