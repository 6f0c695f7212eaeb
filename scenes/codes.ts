/**
 * The code scene: a committee member creates verification codes in a private chat — for a
 * household (楼栋-单元-房号) or a role without a unit — and receives them there, once, in
 * clear text. Started from /codes; permission is checked when it begins and again on finish.
 */
import { splitText } from '../src/outbox/split.ts';
import { requirePermission } from '../src/domain/residents/permissions.ts';
import { BUILDING_ROLES, COMMITTEE_GRANTABLE, ROLES, isRole, type Role } from '../src/domain/residents/roles.ts';
import { issueCodes, MAX_UNIT_LENGTH, normalizeUnit } from '../src/domain/residents/verification.ts';
import { defineScene, invalid } from '../src/engine/scene.ts';

interface CodesState {
  communityId: string;
  role?: Role;
  unit?: string | null;
  count?: number;
  days?: number;
}

/** Validity choices offered, in days. */
const EXPIRY_DAYS = [7, 14, 30, 90] as const;
/** Most codes one scene creates; bulk runs go through `linli invite`. */
export const MAX_SCENE_CODES = 50;

/** The roles /codes offers: the committee's grantable ones (all but 楼栋长 for an admin). */
export function codeRoles(isAdmin: boolean): Role[] {
  return ROLES.filter((r) => !BUILDING_ROLES.includes(r) && (isAdmin || COMMITTEE_GRANTABLE.includes(r)));
}

export const codesScene = defineScene<CodesState>({
  id: 'codes',
  private: true,
  begin(ctx) {
    const community = ctx.requireCommunity();
    requirePermission(ctx.actor, 'code.issue', community.id);
    return { communityId: community.id };
  },
  steps: [
    {
      id: 'role',
      prompt: (ctx) => ({
        kind: 'choice',
        text: ctx.t('codes.ask_role'),
        options: codeRoles(ctx.actor.isAdmin).map((r) => ({ value: r, label: ctx.t(`roles.${r}`) })),
      }),
      // A 楼栋长 is appointed for one building from its page in /register, never with a plain code.
      validate: (answer, ctx) => (codeRoles(ctx.actor.isAdmin).includes(String(answer) as Role) ? undefined : invalid('codes.building_role_from_register')),
      apply: (state, answer) => ({ state: { ...state, role: isRole(String(answer)) ? (String(answer) as Role) : 'verified' } }),
    },
    {
      id: 'unit',
      prompt: (ctx, state) =>
        state.role === 'verified'
          ? { kind: 'text', text: ctx.t('codes.ask_unit'), max: MAX_UNIT_LENGTH }
          : { kind: 'text', text: ctx.t('codes.ask_unit_optional'), max: MAX_UNIT_LENGTH, optional: true },
      validate(answer) {
        if (answer === null) return;
        const unit = normalizeUnit(String(answer));
        // Every real unit label has a number in it (3栋-2单元-501, A座-1201); "跳过" or "无" does not.
        if (!/\p{Nd}/u.test(unit) || [...unit].length > MAX_UNIT_LENGTH) return invalid('codes.bad_unit');
      },
      apply: (state, answer) => ({ state: { ...state, unit: answer === null ? null : normalizeUnit(String(answer)) } }),
    },
    {
      id: 'count',
      prompt: (ctx) => ({ kind: 'number', text: ctx.t('codes.ask_count', { max: MAX_SCENE_CODES }), min: 1, max: MAX_SCENE_CODES, integer: true }),
      apply: (state, answer) => ({ state: { ...state, count: Number(answer) } }),
    },
    {
      id: 'expiry',
      prompt: (ctx) => ({
        kind: 'choice',
        text: ctx.t('codes.ask_expiry'),
        options: EXPIRY_DAYS.map((d) => ({ value: String(d), label: ctx.t('codes.days', { count: d }) })),
      }),
      apply: (state, answer) => ({ state: { ...state, days: Number(answer) } }),
    },
    {
      id: 'confirm',
      prompt: (ctx, state) => ({
        kind: 'confirm',
        text: ctx.t('codes.confirm', {
          count: state.count,
          role: ctx.t(`roles.${state.role}`),
          unit: state.unit ?? ctx.t('codes.no_unit'),
          days: ctx.t('codes.days', { count: state.days }),
        }),
        yesLabel: ctx.t('codes.create'),
      }),
      apply: (state, answer) => (answer ? { state } : { state, next: 'role' }),
    },
  ],
  async finish(ctx, state) {
    const now = ctx.services.clock();
    const codes = await issueCodes(
      ctx.services.db,
      ctx.actor,
      ctx.via,
      { communityId: state.communityId, role: state.role!, unit: state.unit ?? null, count: state.count!, expiresInMs: state.days! * 86_400_000 },
      now,
    );
    const expiresAt = new Date(now.getTime() + state.days! * 86_400_000);
    let linked = false;
    const lines = codes.map((code) => {
      const link = ctx.deepLink(code);
      if (link) linked = true;
      return link ? `${code}  ${link}` : code;
    });
    const header = ctx.t('codes.created', { count: codes.length, role: ctx.t(`roles.${state.role}`), unit: state.unit ?? ctx.t('codes.no_unit'), when: expiresAt });
    const text = [header, '', ...lines, '', ctx.t(linked ? 'codes.created_footer_link' : 'codes.created_footer')].join('\n');
    for (const part of splitText(text, ctx.capabilities.maxTextLength)) await ctx.reply(part);
  },
});
