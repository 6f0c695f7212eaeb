/**
 * The slips button of /register: makes the codes (withdrawing each household's earlier unused
 * slip), draws the PDF in the community's language and sends it to the private chat. The QR
 * codes carry the Telegram deep link whenever the bot runs on Telegram — also when the button
 * was pressed on WeChat — since that is the one-tap way in; otherwise the slips say what to
 * send on WeChat.
 */
import type { Ctx } from '../../core/context.ts';
import type { Services } from '../../core/services.ts';
import type { Actor } from '../../domain/residents/roles.ts';
import type { Building, Community } from '../../generated/prisma/client.ts';
import { slipPayload } from '../../domain/register/payload.ts';
import { issueSlips } from '../../domain/register/slips.ts';
import { renderSlipsPdf } from './slipsPdf.ts';

/** A printed batch: the PDF, its file name, and what was issued and withdrawn. */
export interface PrintedSlips {
  pdf: Buffer;
  name: string;
  count: number;
  revoked: number;
  expiresAt: Date;
  building: Building | null;
}

/**
 * Makes the slips of a building (or, with null, the whole community) and draws the PDF in the
 * community's language; the domain checks the actor's building. Used by /register and the console.
 */
export async function printSlips(services: Services, actor: Actor, via: string, community: Community, buildingId: string | null, onlyUnverified: boolean): Promise<PrintedSlips> {
  const { db, clock, i18n, adapters } = services;
  const batch = await issueSlips(db, actor, via, { communityId: community.id, buildingId, onlyUnverified }, clock());
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
  const name = `${community.slug}-${building ? building.name : 'all'}-${t('register.slips_file')}.pdf`;
  return { pdf, name, count: batch.slips.length, revoked: batch.revoked, expiresAt: batch.expiresAt, building };
}

/** Prints the slips of a building (or, with null, the whole community) and sends the PDF. */
export async function sendSlips(ctx: Ctx, buildingId: string | null, onlyUnverified: boolean): Promise<void> {
  const community = ctx.requireCommunity();
  const printed = await printSlips(ctx.services, ctx.actor, ctx.via, community, buildingId, onlyUnverified);
  const { building } = printed;
  const ownScope = building ? ctx.t('register.slips_scope_building', { building: building.name }) : ctx.t('register.slips_scope_all', { community: community.name });
  const caption = [ctx.t('register.slips_caption', { scope: ownScope, count: printed.count, when: printed.expiresAt })];
  if (printed.revoked) caption.push(ctx.t('register.slips_caption_revoked', { count: printed.revoked }));
  await ctx.reply({ text: caption.join('\n'), document: { data: printed.pdf, name: printed.name, mimeType: 'application/pdf' } });
}
