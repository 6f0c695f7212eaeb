/**
 * Chat commands about people and their communities: binding a group (/bind), redeeming a
 * verification code (/verify, or the deep link t.me/<bot>?start=<code>), /whoami, and — in
 * their own files — the committee's /codes and /members and the residents' /mydata and
 * /forgetme. The rules live in src/domain/residents; these files only translate between chat
 * and domain.
 */
import type { Ctx } from '../../core/context.ts';
import type { Feature } from '../feature.ts';
import { bindGroup } from '../../domain/residents/communities.ts';
import { normalizeCode, redeemCode } from '../../domain/residents/verification.ts';
import { codesScene } from '../../../scenes/codes.ts';
import { codesAction, codesCommand } from './codes.ts';
import { membersAction, membersCommand } from './members.ts';
import { forgetMeCommand, myDataCommand, privacyAction } from './privacy.ts';

async function verify(ctx: Ctx, code: string): Promise<void> {
  if (ctx.chat.kind === 'group') {
    // A code typed in a group is burnt for everyone who saw it; say so without redeeming it.
    await ctx.reply(ctx.t('residents.verify_in_private'));
    return;
  }
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

/** The residents feature. */
export const residentsFeature: Feature = {
  name: 'residents',
  scenes: [codesScene],
  legacyActions: [codesAction, membersAction, privacyAction],
  commands: [
    {
      name: 'verify',
      description: 'commands.verify',
      menu: true,
      order: 10,
      visible: (ctx) => ctx.chat.kind === 'private',
      run: verify,
    },
    {
      name: 'whoami',
      description: 'commands.whoami',
      menu: true,
      order: 11,
      async run(ctx) {
        const memberships = await ctx.services.db.membership.findMany({
          where: { personId: ctx.person.id },
          include: { community: true, household: true },
          orderBy: { grantedAt: 'asc' },
        });
        const lines = [ctx.t('residents.whoami_title', { name: ctx.person.displayName })];
        if (ctx.actor.isAdmin) lines.push(ctx.t('residents.whoami_admin'));
        const byCommunity = new Map<string, { name: string; roles: string[]; unit: string | null }>();
        for (const m of memberships) {
          const entry = byCommunity.get(m.communityId) ?? { name: m.community.name, roles: [], unit: null };
          entry.roles.push(ctx.t(`roles.${m.role}`));
          entry.unit ??= m.household?.unit ?? null;
          byCommunity.set(m.communityId, entry);
        }
        if (!byCommunity.size) lines.push(ctx.t('residents.whoami_unverified'));
        for (const c of byCommunity.values()) {
          // Unit numbers are personal data: shown only in a private chat.
          const unit = c.unit && ctx.chat.kind === 'private' ? ctx.t('residents.whoami_unit', { unit: c.unit }) : '';
          lines.push(ctx.t('residents.whoami_line', { community: c.name, roles: c.roles.join('、'), unit }));
        }
        if (ctx.chat.kind === 'group') await ctx.replyPrivately(lines.join('\n'));
        else await ctx.reply(lines.join('\n'));
      },
    },
    {
      name: 'bind',
      description: 'commands.bind',
      order: 70,
      visible: (ctx) => ctx.chat.kind === 'group' && (ctx.actor.isAdmin || ctx.actor.grants.some((g) => g.role === 'committee')),
      async run(ctx, args) {
        if (!ctx.group) {
          await ctx.reply(ctx.t('residents.bind_in_group'));
          return;
        }
        const community = await bindGroup(ctx.services.db, ctx.actor, ctx.via, ctx.group, args, ctx.services.clock());
        await ctx.reply(ctx.t('residents.bound', { name: community.name }));
      },
    },
    codesCommand,
    membersCommand,
    myDataCommand,
    forgetMeCommand,
  ],
  startPayloads: [
    async (ctx, payload) => {
      // Verification codes arrive through t.me/<bot>?start=<code>.
      if (normalizeCode(payload).length !== 8 || !/^[A-Za-z0-9-]+$/.test(payload)) return false;
      await verify(ctx, payload);
      return true;
    },
  ],
};
