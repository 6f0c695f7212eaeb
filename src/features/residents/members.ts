/**
 * `/members` for committee members, in a private chat: the community's members with their
 * roles (display names; units, which are personal data, only here in private), and taking a
 * verification or a role away after a confirmation. The domain checks permission each time.
 */
import type { Ctx } from '../../core/context.ts';
import type { LegacyActionDef, CommandDef } from '../../core/feature.ts';
import type { Button } from '../../platform/messages.ts';
import { getMember, listMembers, MEMBERS_PAGE_SIZE, removeRole } from '../../domain/residents/members.ts';
import { can, requirePermission } from '../../domain/residents/permissions.ts';
import { COMMITTEE_GRANTABLE, isRole } from '../../domain/residents/roles.ts';
import { ensurePrivate, pageButtons } from './privateOnly.ts';

/** Button prefix of the member list. */
const PREFIX = 'mb';

function roleNames(ctx: Ctx, roles: string[]): string {
  return roles.map((r) => ctx.t(`roles.${r}`)).join('、');
}

async function showList(ctx: Ctx, page: number): Promise<void> {
  const community = ctx.requireCommunity();
  const result = await listMembers(ctx.services.db, ctx.actor, community.id, page);
  const lines = [ctx.t('members.list_title', { community: community.name, page: result.page + 1, pages: result.pages, total: result.total })];
  if (!result.members.length) lines.push(ctx.t('members.list_empty'));
  const manage: Button[] = [];
  result.members.forEach((m, i) => {
    const n = result.page * MEMBERS_PAGE_SIZE + i + 1;
    lines.push(ctx.t('members.list_line', { n, name: m.displayName, roles: roleNames(ctx, m.roles), unit: m.unit ? ctx.t('members.unit', { unit: m.unit }) : '' }));
    manage.push({ label: String(n), action: `${PREFIX}:m:${m.personId}` });
  });
  const rows: Button[][] = [];
  for (let i = 0; i < manage.length; i += 5) rows.push(manage.slice(i, i + 5));
  const nav = pageButtons(ctx, `${PREFIX}:p`, result.page, result.pages);
  if (nav.length) rows.push(nav);
  if (manage.length) lines.push('', ctx.t('members.list_hint'));
  await ctx.reply({ text: lines.join('\n'), buttons: rows });
}

/** Roles this actor may take away from a member (only those are offered; the domain re-checks). */
function removable(ctx: Ctx, communityId: string, roles: string[]): string[] {
  return roles.filter((r) => isRole(r) && (ctx.actor.isAdmin || COMMITTEE_GRANTABLE.includes(r)) && can(ctx.actor, r === 'verified' ? 'verification.remove' : 'role.remove', communityId));
}

async function showMember(ctx: Ctx, personId: string): Promise<void> {
  const community = ctx.requireCommunity();
  const m = await getMember(ctx.services.db, ctx.actor, community.id, personId);
  const text = ctx.t('members.detail', { name: m.displayName, roles: roleNames(ctx, m.roles), unit: m.unit ?? ctx.t('members.no_unit'), since: m.since });
  const rows: Button[][] = removable(ctx, community.id, m.roles).map((r) => [
    { label: r === 'verified' ? ctx.t('members.remove_verification') : ctx.t('members.remove_role', { role: ctx.t(`roles.${r}`) }), action: `${PREFIX}:r:${personId}:${r}` },
  ]);
  rows.push([{ label: ctx.t('members.back'), action: `${PREFIX}:p:0` }]);
  await ctx.reply({ text, buttons: rows });
}

/** The /members command. */
export const membersCommand: CommandDef = {
  name: 'members',
  description: 'members.command',
  order: 72,
  visible: (ctx) => ctx.chat.kind === 'private' && can(ctx.actor, 'member.list', ctx.community?.id),
  async run(ctx) {
    const community = ctx.requireCommunity();
    requirePermission(ctx.actor, 'member.list', community.id);
    if (!(await ensurePrivate(ctx))) return;
    await showList(ctx, 0);
  },
};

/** Buttons of the member list: page, manage one member, remove (ask, confirm). */
export const membersAction: LegacyActionDef = {
  prefix: PREFIX,
  async run(ctx, [verb, personId, role]) {
    if (!(await ensurePrivate(ctx))) return;
    const community = ctx.requireCommunity();
    switch (verb) {
      case 'p':
        await ctx.toast('');
        return showList(ctx, Number(personId));
      case 'm':
        await ctx.toast('');
        return showMember(ctx, personId);
      case 'r': {
        const m = await getMember(ctx.services.db, ctx.actor, community.id, personId);
        await ctx.toast('');
        const question = role === 'verified' ? 'members.confirm_remove_verification' : 'members.confirm_remove_role';
        await ctx.reply({
          text: ctx.t(question, { name: m.displayName, role: ctx.t(`roles.${role}`) }),
          buttons: [[{ label: ctx.t('members.confirm_yes'), action: `${PREFIX}:ry:${personId}:${role}` }, { label: ctx.t('members.back'), action: `${PREFIX}:m:${personId}` }]],
        });
        return;
      }
      case 'ry': {
        const m = await getMember(ctx.services.db, ctx.actor, community.id, personId);
        await removeRole(ctx.services.db, ctx.actor, ctx.via, community.id, personId, role);
        await ctx.toast('');
        await ctx.reply(ctx.t(role === 'verified' ? 'members.verification_removed' : 'members.role_removed', { name: m.displayName, role: ctx.t(`roles.${role}`) }));
        return;
      }
      default:
        await ctx.toast(ctx.t('errors.stale_button'));
    }
  },
};
