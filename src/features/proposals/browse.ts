/**
 * Browsing proposals in chat: /proposals (filters by status and category, pages), a proposal's
 * page and photos, /myproposals. Lists are personal, so in a group they continue in the
 * private chat.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef, type CommandDef, type StartPayloadHandler } from '../../core/feature.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Button } from '../../platform/messages.ts';
import { listProposals, myProposals, proposalDetail } from '../../domain/proposals/queries.ts';
import { categoryLabel, communityCategories } from '../../domain/proposals/rules.ts';
import { isStatus, SECONDABLE_STATUSES, STATUSES, type ProposalStatus } from '../../domain/proposals/states.ts';
import { can } from '../../domain/residents/permissions.ts';
import { ANY_STATUS, chooseCategoryFilter, chooseStatusFilter, listPage, proposalPhotos, reviewOpen, viewProposal } from './actions.ts';
import { continuePrivately, PAYLOAD } from './privately.ts';
import { pagePayload } from './publish.ts';
import { listLine, proposalPage, secondButton, statusLabel } from './render.ts';

/** Statuses offered as list filters (drafts are never listed). */
export const FILTER_STATUSES = STATUSES.filter((s) => s !== 'draft');

/** Photos sent at most per request (the rest are a tap away on the platform they came from). */
const MAX_PHOTOS_SHOWN = 6;

/** The button data of a list page with its filters. */
function listAction(status: string | null, cat: number | null, page: number): string {
  return listPage.pack({ status: status && isStatus(status) ? status : ANY_STATUS, page, category: cat ?? undefined });
}

/** Shows a page of the community's proposals with filter and paging buttons. */
export async function showList(ctx: Ctx, status: string | null, cat: number | null, page: number): Promise<void> {
  const community = ctx.requireCommunity();
  const categories = communityCategories(community);
  const category = cat !== null ? (categories[cat] ?? null) : null;
  const res = await listProposals(ctx.services.db, community.id, { status, category, page });
  const filters = [
    status ? ctx.t('proposals.list.filter_status', { status: statusLabel(ctx.t, status) }) : '',
    category ? ctx.t('proposals.list.filter_category', { category: categoryLabel(ctx.t, category) }) : '',
  ].filter(Boolean);
  const lines = [ctx.t('proposals.list.title', { community: community.name, total: res.total }), ...filters];
  if (!res.items.length) lines.push(ctx.t('proposals.list.empty'));
  else {
    lines.push(ctx.t('proposals.list.page', { page: res.page + 1, pages: res.pages }));
    lines.push(...res.items.map((p) => listLine(ctx.t, p)));
  }
  const rows: Button[][] = res.items.map((p) => [{ label: ctx.t('proposals.list.open', { number: p.number, title: p.title }), action: viewProposal.pack({ proposal: p.id }) }]);
  const paging: Button[] = [];
  if (res.page > 0) paging.push({ label: ctx.t('proposals.list.prev'), action: listAction(status, cat, res.page - 1) });
  if (res.page < res.pages - 1) paging.push({ label: ctx.t('proposals.list.next'), action: listAction(status, cat, res.page + 1) });
  if (paging.length) rows.push(paging);
  rows.push([
    { label: ctx.t('proposals.list.by_status'), action: chooseStatusFilter.pack({ category: cat ?? undefined }) },
    { label: ctx.t('proposals.list.by_category'), action: chooseCategoryFilter.pack({ status: status ?? undefined }) },
  ]);
  await ctx.reply({ text: lines.join('\n'), buttons: rows });
}

/** Offers the status filters (keeping the category filter). */
async function chooseStatus(ctx: Ctx, cat: number | null): Promise<void> {
  const options: Button[] = [{ label: ctx.t('proposals.list.all'), action: listAction(null, cat, 0) }, ...FILTER_STATUSES.map((s) => ({ label: statusLabel(ctx.t, s), action: listAction(s, cat, 0) }))];
  await ctx.reply({ text: ctx.t('proposals.list.choose_status'), buttons: pairs(options) });
}

/** Offers the category filters (keeping the status filter). */
async function chooseCategory(ctx: Ctx, status: string | null): Promise<void> {
  const community = ctx.requireCommunity();
  const options: Button[] = [
    { label: ctx.t('proposals.list.all'), action: listAction(status, null, 0) },
    ...communityCategories(community).map((c, i) => ({ label: categoryLabel(ctx.t, c), action: listAction(status, i, 0) })),
  ];
  await ctx.reply({ text: ctx.t('proposals.list.choose_category'), buttons: pairs(options) });
}

function pairs(buttons: Button[]): Button[][] {
  const rows: Button[][] = [];
  for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
  return rows;
}

/** Shows a proposal's page with the buttons this person may use. */
export async function showProposal(ctx: Ctx, proposalId: string): Promise<void> {
  const d = await proposalDetail(ctx.services.db, proposalId);
  const p = d.proposal;
  const rows: Button[][] = [];
  if (SECONDABLE_STATUSES.has(p.status as ProposalStatus) && p.authorId !== ctx.person.id && can(ctx.actor, 'proposal.second', p.communityId)) {
    rows.push([secondButton(ctx.t, p, p.seconds)]);
  }
  const photoCount = d.photos + d.progress.filter((g) => g.photoRef).length;
  if (photoCount) rows.push([{ label: ctx.t('proposals.page.show_photos', { n: photoCount }), action: proposalPhotos.pack({ proposal: p.id }) }]);
  if (can(ctx.actor, 'proposal.review', p.communityId)) rows.push([{ label: ctx.t('proposals.review.panel_button'), action: reviewOpen.pack({ proposal: p.id }) }]);
  rows.push([{ label: ctx.t('proposals.list.back'), action: listAction(null, null, 0) }]);
  await ctx.reply({ text: proposalPage(ctx.t, d), buttons: rows });
}

/**
 * Sends a proposal's photos (the proposer's, then progress photos) to the person. Photos are
 * stored as the platform's file references, so each is fetched through the adapter of the
 * platform it was sent on and sent again as an image here.
 */
async function showPhotos(ctx: Ctx, proposalId: string): Promise<void> {
  const { db, log } = ctx.services;
  const p = await db.proposal.findUnique({ where: { id: proposalId }, include: { photos: { orderBy: { createdAt: 'asc' } }, progress: { where: { photoRef: { not: null } }, orderBy: { at: 'asc' } } } });
  if (!p || (p.status === 'draft' && p.authorId !== ctx.person.id)) throw new DomainError('errors.stale_button');
  const photos = [
    ...p.photos.map((ph) => ({ platform: ph.platform, ref: ph.fileRef, caption: ctx.t('proposals.page.photo_caption', { number: p.number, title: p.title }) })),
    ...p.progress.map((g) => ({ platform: g.photoPlatform ?? ctx.chat.platform, ref: g.photoRef!, caption: ctx.t('proposals.page.progress_photo_caption', { number: p.number, percent: g.percent }) })),
  ];
  let sent = 0;
  for (const [i, ph] of photos.slice(0, MAX_PHOTOS_SHOWN).entries()) {
    const adapter = ctx.services.adapterFor(ph.platform);
    try {
      if (!adapter) throw new Error(`no ${ph.platform} adapter running`);
      const data = await adapter.downloadFile(ph.ref);
      await ctx.reply({ text: ph.caption, image: { data, name: `proposal-${p.number}-${i + 1}.jpg` } });
      sent++;
    } catch (err) {
      log.warn({ err, proposal: p.id, platform: ph.platform }, 'could not fetch a proposal photo');
    }
  }
  if (!sent) await ctx.reply(ctx.t('proposals.page.photos_unavailable'));
}

/** /myproposals: the person's own proposals with their status. */
async function showMine(ctx: Ctx): Promise<void> {
  const mine = await myProposals(ctx.services.db, ctx.person.id);
  if (!mine.length) return void (await ctx.reply(ctx.t('proposals.mine.empty')));
  await ctx.reply({
    text: [ctx.t('proposals.mine.title', { n: mine.length }), ...mine.map((p) => listLine(ctx.t, p))].join('\n'),
    buttons: mine.slice(0, 10).map((p) => [{ label: ctx.t('proposals.list.open', { number: p.number, title: p.title }), action: viewProposal.pack({ proposal: p.id }) }]),
  });
}

/** The /proposals command (offered where there is a community to list). */
export const proposalsCommand: CommandDef = {
  name: 'proposals',
  sameForAll: true,
  description: 'proposals.commands.proposals',
  menu: true,
  order: 21,
  visible: (ctx) => Boolean(ctx.community),
  async run(ctx) {
    ctx.requireCommunity();
    await continuePrivately(ctx, PAYLOAD.list, (c) => showList(c, null, null, 0));
  },
};

/** The /myproposals command (offered in private chats; from a group it continues there). */
export const myProposalsCommand: CommandDef = {
  name: 'myproposals',
  description: 'proposals.commands.myproposals',
  order: 22,
  visible: (ctx) => ctx.chat.kind === 'private',
  run: (ctx) => continuePrivately(ctx, PAYLOAD.list, showMine),
};

/** Opens a page (or its photos); tapped in a group, the answer goes to the private chat. */
async function openPrivately(ctx: Ctx, proposalId: string, show: (ctx: Ctx, id: string) => Promise<void>): Promise<void> {
  if (ctx.chat.kind !== 'group') await ctx.toast('');
  await continuePrivately(ctx, pagePayload({ id: proposalId }), (x) => show(x, proposalId));
}

/** The browsing buttons. Proposals are public records: reading needs no permission. */
export const browseActions: ActionDef[] = [
  onAction(viewProposal, (ctx, { proposal }) => openPrivately(ctx, proposal, showProposal)),
  onAction(proposalPhotos, (ctx, { proposal }) => openPrivately(ctx, proposal, showPhotos)),
  onAction(listPage, async (ctx, { status, page, category }) => {
    await ctx.toast('');
    await showList(ctx, status === ANY_STATUS ? null : status, category ?? null, page);
  }),
  onAction(chooseStatusFilter, async (ctx, { category }) => {
    await ctx.toast('');
    await chooseStatus(ctx, category ?? null);
  }),
  onAction(chooseCategoryFilter, async (ctx, { status }) => {
    await ctx.toast('');
    await chooseCategory(ctx, status && isStatus(status) ? status : null);
  }),
];

/** Deep links into the list and into a proposal's page. */
export const browsePayload: StartPayloadHandler = async (ctx, payload) => {
  if (payload === PAYLOAD.list) return showList(ctx, null, null, 0).then(() => true);
  const page = PAYLOAD.page.exec(payload);
  if (page) return showProposal(ctx, page[1]).then(() => true);
  return false;
};
