/**
 * A 楼栋长 (or a committee member) verifies a neighbour in person: they type the neighbour's unit
 * in their building, and get a short-lived one-time code to show — as a QR code on their screen
 * on Telegram, or as the words to send on WeChat. The neighbour redeems it on their own phone;
 * the redemption is audited as an in-person verification by the one who vouched.
 */
import QRCode from 'qrcode';
import type { Ctx } from '../src/core/context.ts';
import { issueInPersonCode, IN_PERSON_VALIDITY_MS } from '../src/domain/register/inPerson.ts';
import { requireBuildingAccess } from '../src/domain/register/leads.ts';
import { slipPayload } from '../src/domain/register/payload.ts';
import { canonicalUnit } from '../src/domain/register/units.ts';
import { defineScene, invalid } from '../src/engine/scene.ts';

interface InPersonState {
  buildingId: string;
  building: string;
  /** The unit as typed; checked in validate, looked up again in finish. */
  typed?: string;
}

/** The id the register feature starts this scene by (with the building id as its argument). */
export const REGISTER_IN_PERSON_SCENE = 'registerInPerson';

/** Longest unit typed. */
const MAX_TYPED_UNIT = 40;

/** The active register household of the building that a typed unit names ("2-501", "2单元501", "3栋2单元501"). */
async function householdTyped(ctx: Ctx, state: InPersonState, typed: string) {
  const candidates = [canonicalUnit(typed), canonicalUnit(`${state.building}${typed}`), canonicalUnit(`${state.building}-${typed}`)].filter((u): u is string => !!u);
  if (!candidates.length) return null;
  return ctx.services.db.household.findFirst({ where: { buildingId: state.buildingId, unit: { in: candidates }, active: true, inRegister: true } });
}

export const registerInPersonScene = defineScene<InPersonState>({
  id: REGISTER_IN_PERSON_SCENE,
  private: true,
  ttlMinutes: 15,
  async begin(ctx, args) {
    const building = await requireBuildingAccess(ctx.services.db, ctx.actor, 'register.verify', args.trim());
    return { buildingId: building.id, building: building.name };
  },
  steps: [
    {
      id: 'unit',
      prompt: (ctx, state) => ({ kind: 'text', text: ctx.t('register.ask_in_person_unit', { building: state.building }), max: MAX_TYPED_UNIT }),
      async validate(answer, ctx, state) {
        if (!(await householdTyped(ctx, state, String(answer)))) return invalid('register.in_person_bad_unit', { building: state.building });
      },
      apply: (state, answer) => ({ state: { ...state, typed: String(answer) } }),
    },
  ],
  async finish(ctx, state) {
    const household = await householdTyped(ctx, state, state.typed ?? '');
    if (!household) {
      await ctx.reply(ctx.t('register.in_person_bad_unit', { building: state.building }));
      return;
    }
    const { code, unit } = await issueInPersonCode(ctx.services.db, ctx.actor, ctx.via, household.id, ctx.services.clock());
    const minutes = IN_PERSON_VALIDITY_MS / 60_000;
    const link = ctx.deepLink(slipPayload(code));
    if (!link) {
      await ctx.reply(ctx.t('register.in_person_code_wechat', { code, unit, minutes }));
      return;
    }
    const qr = await QRCode.toBuffer(link, { type: 'png', width: 480, margin: 2, errorCorrectionLevel: 'M' });
    await ctx.reply({ text: ctx.t('register.in_person_code', { code, unit, minutes, link }), image: { data: qr, name: 'verify.png' } });
  },
});
