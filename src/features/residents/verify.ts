/**
 * Redeeming a verification code, the ways residents actually do it: /verify <code>, the deep
 * link t.me/<bot>?start=<code>, the 居民认证 button (which asks for the code and takes the next
 * message), or the code typed on its own in a private chat. A code typed in a group is burnt
 * for everyone who saw it, so there it is not redeemed, and the person is told so.
 *
 * A person already verified for another household of the community is asked before a code
 * moves them (`askBeforeMove`); the code is spent only when they confirm.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type CommandDef, type PlainTextHandler, type StartPayloadHandler } from '../../core/feature.ts';
import { isDomainError } from '../../domain/errors.ts';
import { hashCode, looksLikeCode, normalizeCode, redeemCode } from '../../domain/residents/verification.ts';
import { createVerifyCodeScene } from '../../../scenes/verifyCode.ts';
import { privateCommand } from '../privateCommand.ts';
import { verifyMoveNo, verifyMoveYes } from './actions.ts';

/** The code as buttons carry it (letters and digits only, so it fits an `id` field). */
const packed = (code: string) => normalizeCode(code);

/** Redeems a code; asks first when it would move the person to another household. */
async function redeem(ctx: Ctx, code: string, move = false): Promise<void> {
  try {
    const result = await redeemCode(ctx.services.db, ctx.person, ctx.sender, code, ctx.services.clock(), { askBeforeMove: !move });
    const role = ctx.t(`roles.${result.role}`);
    const community = result.community.name;
    if (result.movedFrom) return void (await ctx.reply(ctx.t('residents.verified_moved', { community, unit: result.unit, from: result.movedFrom, role })));
    await ctx.reply(result.unit ? ctx.t('residents.verified_unit', { community, unit: result.unit, role }) : ctx.t('residents.verified_role', { community, role }));
  } catch (err) {
    if (!isDomainError(err) || err.key !== 'codes.confirm_move') throw err;
    const { to } = err.params as { to: string };
    await ctx.reply({
      text: ctx.t('residents.confirm_move', err.params),
      buttons: [[{ label: ctx.t('residents.move_yes', { unit: to }), action: verifyMoveYes.pack({ code: packed(code) }) }], [{ label: ctx.t('residents.move_no'), action: verifyMoveNo.pack({ code: packed(code) }) }]],
    });
  }
}

/** The scene behind the 居民认证 button and a bare /verify. */
export const verifyCodeScene = createVerifyCodeScene({
  async redeem(ctx, code) {
    try {
      await redeem(ctx, code);
    } catch (err) {
      if (!isDomainError(err)) throw err;
      // The question is over; a corrected code sent on its own is taken without it.
      await ctx.reply(`${ctx.t(err.key, err.params)}\n${ctx.t('residents.verify_retry')}`);
    }
  },
});

/** The /verify command: with a code it redeems it, without one it asks for it. */
export const verifyCommand: CommandDef = privateCommand('residents.verify_in_private', {
  name: 'verify',
  description: 'commands.verify',
  menu: true,
  order: 10,
  async run(ctx, code) {
    if (!code) return ctx.services.scenes.start(ctx, verifyCodeScene.id);
    await redeem(ctx, code);
  },
});

/** Verification codes arriving through t.me/<bot>?start=<code> (always a private chat). */
export const verifyPayload: StartPayloadHandler = async (ctx, payload) => {
  if (normalizeCode(payload).length !== 8 || !/^[A-Za-z0-9-]+$/.test(payload)) return false;
  await redeem(ctx, payload);
  return true;
};

/** A code typed on its own in a private chat ("cfty-day7", "ＣＦＴＹ ＤＡＹ７") verifies without /verify. */
export const bareCode: PlainTextHandler = async (ctx, text) => {
  if (!looksLikeCode(text, true)) return false;
  await redeem(ctx, text);
  return true;
};

/** "Yes, move me to the code's household." */
const moveYes = onAction(
  verifyMoveYes,
  async (ctx, { code }) => {
    await ctx.toast('');
    await redeem(ctx, code, true);
  },
  { chat: 'private' },
);

/** "Keep my household": nothing changes, and the code stays unused. */
const moveNo = onAction(
  verifyMoveNo,
  async (ctx, { code }) => {
    await ctx.toast('');
    const { db } = ctx.services;
    const row = await db.verificationCode.findUnique({ where: { codeHash: hashCode(code) }, select: { communityId: true } });
    const current = row
      ? await db.membership.findUnique({ where: { personId_communityId_role: { personId: ctx.person.id, communityId: row.communityId, role: 'verified' } }, include: { household: true } })
      : null;
    await ctx.reply(ctx.t('residents.move_kept', { unit: current?.household?.unit ?? '' }));
  },
  { chat: 'private' },
);

/** The buttons of the move question. */
export const verifyActions = [moveYes, moveNo];
