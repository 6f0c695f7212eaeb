/**
 * `/members` for committee members, in a private chat: the community's members with their
 * roles (display names; units, which are personal data, only here in private), and taking a
 * verification or a role away after a confirmation. The domain checks permission each time.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef, type CommandDef } from '../../core/feature.ts';
import type { Button } from '../../platform/messages.ts';
import { getMember, listMembers, MEMBERS_PAGE_SIZE, removeRole } from '../../domain/residents/members.ts';
import { can } from '../../domain/residents/permissions.ts';
import { COMMITTEE_GRANTABLE, isRole } from '../../domain/residents/roles.ts';
import { privateCommand } from '../privateCommand.ts';
import { memberRemoveAsk, memberRemoveYes, memberShow, membersPage } from './actions.ts';
import { pageButtons } from './paging.ts';

function roleNames(ctx: Ctx, roles: string[]): string {
  return roles.map((r) => ctx.t(`roles.${r}`)).join('、');
}

async function showList(ctx: Ctx, page: number): Promise<void> {
  const community = ctx.requireCommunity();
  const result = await listMembers(ctx.services.db, ctx.actor, community.id, page);
  const lines = [ctx.t('members.list_title', { community: community.name, page: result.page + 1, pages: result.pages, total: result.total })];
  if (!result.members.length) lines.push(ctx.t('members.list_empty'));
  const manage: Button[] = [];
  const names = result.members.map((m) => m.displayName);
  result.members.forEach((m, i) => {
    const n = result.page * MEMBERS_PAGE_SIZE + i + 1;
    lines.push(ctx.t('members.list_line', { n, name: m.displayName, roles: roleNames(ctx, m.roles), unit: m.unit ? ctx.t('members.unit', { unit: m.unit }) : '' }));
    // A button names the member, not the list number: WeChat numbers options itself, so a
    // label "1" read "1. 1" (and "11. 1" on a second page). Two of the same name get their number.
    const twin = names.filter((x) => x === m.displayName).length > 1;
    manage.push({ label: twin ? ctx.t('members.manage_twin', { name: m.displayName, n }) : m.displayName, action: memberShow.pack({ person: m.personId }) });
  });
  const rows: Button[][] = [];
  for (let i = 0; i < manage.length; i += 5) rows.push(manage.slice(i, i + 5));
  const nav = pageButtons(ctx, membersPage, result.page, result.pages);
  if (nav.length) rows.push(nav);
  if (manage.length) lines.push('', ctx.t('members.list_hint'));
  await ctx.reply({ text: lines.join('\n'), buttons: rows });
}

/** Roles this actor may take away from a member (only those are offered; the domain re-checks). */
function removable(ctx: Ctx, communityId: string, roles: string[]) {
  return roles.filter(isRole).filter((r) => (ctx.actor.isAdmin || COMMITTEE_GRANTABLE.includes(r)) && can(ctx.actor, r === 'verified' ? 'verification.remove' : 'role.remove', communityId));
}

async function showMember(ctx: Ctx, personId: string): Promise<void> {
  const community = ctx.requireCommunity();
  const m = await getMember(ctx.services.db, ctx.actor, community.id, personId);
  const text = ctx.t('members.detail', { name: m.displayName, roles: roleNames(ctx, m.roles), unit: m.unit ?? ctx.t('members.no_unit'), since: m.since });
  const rows: Button[][] = removable(ctx, community.id, m.roles).map((role) => [
    {
      label: role === 'verified' ? ctx.t('members.remove_verification') : ctx.t('members.remove_role', { role: ctx.t(`roles.${role}`) }),
      action: memberRemoveAsk.pack({ person: personId, role }),
    },
  ]);
  rows.push([{ label: ctx.t('members.back'), action: membersPage.pack({ page: 0 }) }]);
  await ctx.reply({ text, buttons: rows });
}

/** The /members command. */
export const membersCommand: CommandDef = privateCommand('residents.private_only', {
  name: 'members',
  description: 'members.command',
  order: 72,
  permission: 'member.list',
  run: (ctx) => showList(ctx, 0),
});

/** Every button of the member list acts in the community the person acts in. */
const guard = { chat: 'private', permission: 'member.list' } as const;

/** The member list's buttons: page, one member, remove a role (question, then confirmation). */
export const membersActions: ActionDef[] = [
  onAction(
    membersPage,
    async (ctx, { page }) => {
      await ctx.toast('');
      await showList(ctx, page);
    },
    guard,
  ),
  onAction(
    memberShow,
    async (ctx, { person }) => {
      await ctx.toast('');
      await showMember(ctx, person);
    },
    guard,
  ),
  onAction(
    memberRemoveAsk,
    async (ctx, { person, role }) => {
      const m = await getMember(ctx.services.db, ctx.actor, ctx.requireCommunity().id, person);
      await ctx.toast('');
      const question = role === 'verified' ? 'members.confirm_remove_verification' : 'members.confirm_remove_role';
      await ctx.reply({
        text: ctx.t(question, { name: m.displayName, role: ctx.t(`roles.${role}`) }),
        buttons: [[{ label: ctx.t('members.confirm_yes'), action: memberRemoveYes.pack({ person, role }) }, { label: ctx.t('members.back'), action: memberShow.pack({ person }) }]],
      });
    },
    guard,
  ),
  onAction(
    memberRemoveYes,
    async (ctx, { person, role }) => {
      const community = ctx.requireCommunity();
      const m = await getMember(ctx.services.db, ctx.actor, community.id, person);
      await removeRole(ctx.services.db, ctx.actor, ctx.via, community.id, person, role);
      await ctx.toast('');
      await ctx.reply(ctx.t(role === 'verified' ? 'members.verification_removed' : 'members.role_removed', { name: m.displayName, role: ctx.t(`roles.${role}`) }));
    },
    guard,
  ),
];
