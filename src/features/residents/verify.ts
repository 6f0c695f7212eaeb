/**
 * /verify <code> in a private chat, or the deep link t.me/<bot>?start=<code>: redeems a
 * verification code. A code typed in a group is burnt for everyone who saw it, so there it is
 * not redeemed, and the person is told so.
 */
import type { Ctx } from '../../core/context.ts';
import type { CommandDef, StartPayloadHandler } from '../../core/feature.ts';
import { normalizeCode, redeemCode } from '../../domain/residents/verification.ts';
import { privateCommand } from '../privateCommand.ts';

async function verify(ctx: Ctx, code: string): Promise<void> {
  if (!code) {
    await ctx.reply(ctx.t('residents.verify_usage'));
    return;
  }
  const result = await redeemCode(ctx.services.db, ctx.person, ctx.sender, code, ctx.services.clock());
  const role = ctx.t(`roles.${result.role}`);
  await ctx.reply(
    result.unit
      ? ctx.t('residents.verified_unit', { community: result.community.name, unit: result.unit, role })
      : ctx.t('residents.verified_role', { community: result.community.name, role }),
  );
}

/** The /verify command. */
export const verifyCommand: CommandDef = privateCommand('residents.verify_in_private', {
  name: 'verify',
  description: 'commands.verify',
  menu: true,
  order: 10,
  run: verify,
});

/** Verification codes arriving through t.me/<bot>?start=<code> (always a private chat). */
export const verifyPayload: StartPayloadHandler = async (ctx, payload) => {
  if (normalizeCode(payload).length !== 8 || !/^[A-Za-z0-9-]+$/.test(payload)) return false;
  await verifyCommand.run(ctx, payload);
  return true;
};
