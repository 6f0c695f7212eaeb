/**
 * `/register` in a private chat: the register's verification progress per building, and from
 * there a building's households that have not verified yet, its slips (a PDF), in-person
 * verification, and — for committee members — importing the register and appointing or removing
 * 楼栋长. A 楼栋长 sees only their own buildings. Every button re-checks permission in the domain.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef, type CommandDef } from '../../core/feature.ts';
import { buildingById, issueLeadCode, leadsOf, removeLead, requireBuildingAccess } from '../../domain/register/leads.ts';
import { buildingDetail, registerProgress } from '../../domain/register/progress.ts';
import { can, requirePermission } from '../../domain/residents/permissions.ts';
import { splitText } from '../../outbox/split.ts';
import type { Button, OutMessage } from '../../platform/messages.ts';
import { REGISTER_IMPORT_SCENE } from '../../../scenes/register.ts';
import { REGISTER_IN_PERSON_SCENE } from '../../../scenes/registerInPerson.ts';
import { renderBuilding, renderProgress } from '../../../scenes/registerText.ts';
import {
  registerBuilding,
  registerHome,
  registerImport,
  registerInPerson,
  registerLeadCode,
  registerLeadRemove,
  registerLeadRemoveYes,
  registerSlips,
  registerSlipsAll,
  slipKeep,
  slipMove,
} from './actions.ts';
import { sendSlips } from './slips.ts';
import { confirmMove, keepHousehold } from './verify.ts';

/** Building buttons per page of the overview (four to a row). */
const BUILDINGS_PER_PAGE = 24;

/**
 * True in a private chat. In a group it points to the private chat and returns false: units and
 * names of who has not verified never go to a group.
 */
async function ensurePrivate(ctx: Ctx): Promise<boolean> {
  if (ctx.chat.kind === 'private') return true;
  const link = ctx.deepLink('menu');
  await ctx.reply(link ? { text: ctx.t('residents.private_only'), buttons: [[{ label: ctx.t('errors.open_private'), url: link }]] } : ctx.t('residents.private_only'));
  return false;
}

/** Sends a possibly long text, with the buttons under its last part. */
async function replyLong(ctx: Ctx, text: string, buttons: Button[][]): Promise<void> {
  const parts = splitText(text, ctx.capabilities.maxTextLength);
  for (const [i, part] of parts.entries()) {
    const message: OutMessage = i === parts.length - 1 && buttons.length ? { text: part, buttons } : { text: part };
    await ctx.reply(message);
  }
}

/** The overview: totals, one line per building, a button per building. */
async function showHome(ctx: Ctx, page: number): Promise<void> {
  const community = ctx.requireCommunity();
  const progress = await registerProgress(ctx.services.db, ctx.actor, community.id);
  const pages = Math.max(1, Math.ceil(progress.buildings.length / BUILDINGS_PER_PAGE));
  const current = Math.min(Math.max(0, Math.trunc(page) || 0), pages - 1);
  const rows: Button[][] = [];
  const shown = progress.buildings.slice(current * BUILDINGS_PER_PAGE, (current + 1) * BUILDINGS_PER_PAGE);
  shown.forEach((b, i) => {
    if (i % 4 === 0) rows.push([]);
    rows[rows.length - 1].push({ label: ctx.t('register.building_button', { name: b.name, share: b.share }), action: registerBuilding.pack({ building: b.buildingId }) });
  });
  const nav: Button[] = [];
  if (current > 0) nav.push({ label: ctx.t('register.prev_page'), action: registerHome.pack({ page: current - 1 }) });
  if (current < pages - 1) nav.push({ label: ctx.t('register.next_page'), action: registerHome.pack({ page: current + 1 }) });
  if (nav.length) rows.push(nav);
  const manage: Button[] = [];
  if (can(ctx.actor, 'register.import', community.id)) manage.push({ label: ctx.t('register.import_button'), action: registerImport.pack({}) });
  if (progress.scope === 'all' && progress.households > 0) manage.push({ label: ctx.t('register.slips_all_button'), action: registerSlipsAll.pack({}) });
  if (manage.length) rows.push(manage);
  let text = renderProgress(ctx.t, community.name, progress);
  if (shown.length) text += `\n\n${ctx.t('register.status_pick')}`;
  await replyLong(ctx, text, rows);
}

/** One building: figures, 楼栋长 (committee view), households not verified yet, and what to do. */
async function showBuilding(ctx: Ctx, buildingId: string): Promise<void> {
  const { db } = ctx.services;
  const detail = await buildingDetail(db, ctx.actor, buildingId);
  const building = await buildingById(db, buildingId);
  const managesLeads = can(ctx.actor, 'register.lead', building.communityId);
  const leads = managesLeads ? await leadsOf(db, ctx.actor, buildingId) : null;
  const rows: Button[][] = [
    [
      { label: ctx.t('register.slips_button'), action: registerSlips.pack({ building: buildingId, which: 'a' }) },
      ...(detail.pending.length && detail.verified ? [{ label: ctx.t('register.slips_unverified_button'), action: registerSlips.pack({ building: buildingId, which: 'u' }) }] : []),
    ],
  ];
  if (can(ctx.actor, 'register.verify', building.communityId) && detail.pending.length) rows.push([{ label: ctx.t('register.in_person_button'), action: registerInPerson.pack({ building: buildingId }) }]);
  if (managesLeads) {
    rows.push([{ label: ctx.t('register.lead_button'), action: registerLeadCode.pack({ building: buildingId }) }]);
    for (const lead of leads ?? []) rows.push([{ label: ctx.t('register.lead_remove_button', { name: lead.displayName }), action: registerLeadRemove.pack({ building: buildingId, person: lead.personId }) }]);
  }
  rows.push([{ label: ctx.t('register.back_button'), action: registerHome.pack({ page: 0 }) }]);
  await replyLong(ctx, renderBuilding(ctx.t, detail, leads ? leads.map((l) => l.displayName) : null), rows);
}

/** The /register command. */
export const registerCommand: CommandDef = {
  name: 'register',
  description: 'register.command',
  order: 73,
  visible: (ctx) => ctx.chat.kind === 'private' && can(ctx.actor, 'register.building', ctx.community?.id),
  async run(ctx) {
    const community = ctx.requireCommunity();
    requirePermission(ctx.actor, 'register.building', community.id);
    if (!(await ensurePrivate(ctx))) return;
    await showHome(ctx, 0);
  },
};

/** Refuses with the button's alert before anything is shown (the router declared the guard, the domain decides the building). */
const inPrivate = { chat: 'private', privateReason: 'residents.private_only' } as const;
const building = { ...inPrivate, permission: 'register.building' } as const;

/** The register's buttons; every one re-checks its building in the domain before it answers. */
export const registerActions: ActionDef[] = [
  onAction(
    registerHome,
    async (ctx, { page }) => {
      await ctx.toast('');
      await showHome(ctx, page);
    },
    building,
  ),
  onAction(
    registerBuilding,
    async (ctx, v) => {
      await requireBuildingAccess(ctx.services.db, ctx.actor, 'register.building', v.building);
      await ctx.toast('');
      await showBuilding(ctx, v.building);
    },
    building,
  ),
  onAction(
    registerImport,
    async (ctx) => {
      requirePermission(ctx.actor, 'register.import', ctx.requireCommunity().id);
      await ctx.toast('');
      await ctx.services.scenes.start(ctx, REGISTER_IMPORT_SCENE);
    },
    { ...inPrivate, permission: 'register.import' },
  ),
  onAction(
    registerSlipsAll,
    async (ctx) => {
      requirePermission(ctx.actor, 'register.view', ctx.requireCommunity().id);
      await ctx.toast('');
      await sendSlips(ctx, null, false);
    },
    { ...inPrivate, permission: 'register.view' },
  ),
  onAction(
    registerSlips,
    async (ctx, v) => {
      await requireBuildingAccess(ctx.services.db, ctx.actor, 'register.building', v.building);
      await ctx.toast('');
      await sendSlips(ctx, v.building, v.which === 'u');
    },
    building,
  ),
  onAction(
    registerInPerson,
    async (ctx, v) => {
      await requireBuildingAccess(ctx.services.db, ctx.actor, 'register.verify', v.building);
      await ctx.toast('');
      await ctx.services.scenes.start(ctx, REGISTER_IN_PERSON_SCENE, v.building);
    },
    { ...inPrivate, permission: 'register.verify' },
  ),
  onAction(
    registerLeadCode,
    async (ctx, v) => {
      const { code, expiresAt, building: b } = await issueLeadCode(ctx.services.db, ctx.actor, ctx.via, v.building, ctx.services.clock());
      await ctx.toast('');
      const link = ctx.deepLink(code);
      // "or open the link" only when there is one (WeChat has no deep links).
      await ctx.reply(ctx.t(link ? 'register.lead_code' : 'register.lead_code_plain', { building: b.name, code: link ? `${code}  ${link}` : code, when: expiresAt }));
    },
    { ...inPrivate, permission: 'register.lead' },
  ),
  onAction(
    registerLeadRemove,
    async (ctx, v) => {
      const { db } = ctx.services;
      const b = await buildingById(db, v.building);
      const lead = (await leadsOf(db, ctx.actor, v.building)).find((l) => l.personId === v.person);
      if (!lead) {
        await ctx.toast(ctx.t('register.not_a_lead'), true);
        return;
      }
      await ctx.toast('');
      await ctx.reply({
        text: ctx.t('register.lead_remove_confirm', { name: lead.displayName, building: b.name }),
        buttons: [
          [
            { label: ctx.t('register.lead_remove_yes'), action: registerLeadRemoveYes.pack(v) },
            { label: ctx.t('register.back_button'), action: registerBuilding.pack({ building: v.building }) },
          ],
        ],
      });
    },
    { ...inPrivate, permission: 'register.lead' },
  ),
  onAction(
    registerLeadRemoveYes,
    async (ctx, v) => {
      const { db } = ctx.services;
      const b = await buildingById(db, v.building);
      const lead = (await leadsOf(db, ctx.actor, v.building)).find((l) => l.personId === v.person);
      await removeLead(db, ctx.actor, ctx.via, v.building, v.person);
      await ctx.toast('');
      await ctx.reply(ctx.t('register.lead_removed', { name: lead?.displayName ?? '', building: b.name }));
    },
    { ...inPrivate, permission: 'register.lead' },
  ),
  // A slip's code may be of a community the person is not in yet: no permission, the code decides.
  onAction(slipMove, (ctx, v) => confirmMove(ctx, v.code), inPrivate),
  onAction(slipKeep, (ctx, v) => keepHousehold(ctx, v.code), inPrivate),
];
