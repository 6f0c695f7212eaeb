/**
 * Verification from a printed slip: the QR code opens t.me/<bot>?start=hh-<code>, and one tap
 * on “Start” verifies the person into the slip's household. Someone already verified for
 * another household of the community is asked first, and only a second, deliberate tap moves
 * them (the code is not spent until then).
 */
import type { Ctx } from '../../core/context.ts';
import type { StartPayloadHandler } from '../../core/feature.ts';
import { isDomainError } from '../../domain/errors.ts';
import { codeOfSlipPayload } from '../../domain/register/payload.ts';
import { hashCode, redeemCode } from '../../domain/residents/verification.ts';
import { slipKeep, slipMove } from './actions.ts';


/** Redeems a slip code, asking first when it would move the person to another household. */
async function redeemSlip(ctx: Ctx, code: string, move: boolean): Promise<void> {
  try {
    const result = await redeemCode(ctx.services.db, ctx.person, ctx.sender, code, ctx.services.clock(), { askBeforeMove: !move });
    const community = result.community.name;
    await ctx.reply(result.movedFrom ? ctx.t('register.verified_moved', { community, unit: result.unit, from: result.movedFrom }) : ctx.t('register.verified_slip', { community, unit: result.unit }));
  } catch (err) {
    if (!isDomainError(err) || err.key !== 'codes.confirm_move') throw err;
    const { to } = err.params as { to: string };
    await ctx.reply({
      text: ctx.t(err.key, err.params),
      buttons: [[{ label: ctx.t('register.move_yes', { unit: to }), action: slipMove.pack({ code }) }], [{ label: ctx.t('register.move_no'), action: slipKeep.pack({ code }) }]],
    });
  }
}

/** `/start hh-<code>` from a slip's QR code. */
export const slipStartPayload: StartPayloadHandler = async (ctx, payload) => {
  const code = codeOfSlipPayload(payload);
  if (!code) return false;
  if (ctx.chat.kind !== 'private') {
    // A code shown in a group is burnt for everyone who saw it: the same answer as /verify gives.
    await ctx.reply(ctx.t('residents.verify_in_private'));
    return true;
  }
  await redeemSlip(ctx, code, false);
  return true;
};

/** The "yes, move me" button of the question above. */
export async function confirmMove(ctx: Ctx, code: string): Promise<void> {
  await ctx.toast('');
  await redeemSlip(ctx, code, true);
}

/** The "keep my household" button: nothing changes, and the slip stays unused. */
export async function keepHousehold(ctx: Ctx, code: string): Promise<void> {
  await ctx.toast('');
  const { db } = ctx.services;
  const slip = await db.verificationCode.findUnique({ where: { codeHash: hashCode(code) }, select: { communityId: true } });
  const current = slip
    ? await db.membership.findUnique({ where: { personId_communityId_role: { personId: ctx.person.id, communityId: slip.communityId, role: 'verified' } }, include: { household: true } })
    : null;
  await ctx.reply(ctx.t('register.move_kept', { unit: current?.household?.unit ?? '' }));
}
