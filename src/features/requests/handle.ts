/**
 * The buttons of requests. None declares a permission on its guard: a request may belong to
 * another community than the one the person acts in, and an assignee or the resident acts on
 * their own request without a committee role — the domain checks every one of them.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef } from '../../core/feature.ts';
import { requireHandle } from '../../domain/requests/access.ts';
import { putOnAgenda, raiseToProposal } from '../../domain/requests/links.ts';
import { assignees } from '../../domain/requests/queries.ts';
import { assignRequest, closeRequest, loadRequest, rateRequest } from '../../domain/requests/requests.ts';
import { afterSubmit } from '../proposals/flow.ts';
import {
  agendaAction,
  agendaPick,
  assignTo,
  chooseAssignee,
  closeAction,
  closeYes,
  myRequestsPage,
  proposeFromRequest,
  proposeFromRequestYes,
  rateRequestAction,
  referAction,
  replyAction,
  requestPhoto,
  requestQueue,
  viewRequest,
} from './actions.ts';
import { agendaPort } from './agenda.ts';
import { showMine, showQueue } from './commands.ts';
import { afterAssign, afterClose } from './flow.ts';
import { sendPhoto, showRequest } from './page.ts';
import { categoryLabel, ratingLabel } from './render.ts';

const acting = (ctx: Ctx) => ({ actor: ctx.actor, via: ctx.via, now: ctx.services.clock() });
const privateChat = { chat: 'private' } as const;

async function committeeRequest(ctx: Ctx, id: string) {
  const r = await loadRequest(ctx.services.db, id);
  requireHandle(ctx.actor, r);
  return r;
}

export const requestActions: ActionDef[] = [
  onAction(viewRequest, async (ctx, { request }) => {
    await ctx.toast('');
    await showRequest(ctx, request);
  }, privateChat),
  onAction(requestPhoto, async (ctx, { request }) => {
    await ctx.toast('');
    await sendPhoto(ctx, request);
  }, privateChat),
  onAction(myRequestsPage, async (ctx, { page }) => {
    await ctx.toast('');
    await showMine(ctx, Math.max(0, page));
  }, privateChat),
  onAction(requestQueue, async (ctx) => {
    await ctx.toast('');
    await showQueue(ctx);
  }, privateChat),
  onAction(rateRequestAction, async (ctx, { request, rating }) => {
    const r = await rateRequest(ctx.services.db, acting(ctx), request, rating);
    await ctx.toast(ctx.t('requests.rated', { number: r.number, rating: ratingLabel(ctx.t, rating) }));
    await ctx.reply(ctx.t('requests.rated_thanks', { number: r.number, rating: ratingLabel(ctx.t, rating) }));
  }, privateChat),
  onAction(chooseAssignee, async (ctx, { request }) => {
    const r = await committeeRequest(ctx, request);
    await ctx.toast('');
    const people = await assignees(ctx.services.db, r.communityId);
    if (!people.length) return void (await ctx.reply(ctx.t('requests.handle.nobody_to_assign')));
    await ctx.reply({
      text: ctx.t('requests.handle.choose_assignee', { number: r.number }),
      buttons: people.map((p) => [{ label: ctx.t('requests.handle.assignee_option', { name: p.name, role: ctx.t(`roles.${p.role}`) }), action: assignTo.pack({ request: r.id, person: p.personId }) }]),
    });
  }, privateChat),
  onAction(assignTo, async (ctx, { request, person }) => {
    const r = await assignRequest(ctx.services.db, acting(ctx), request, person);
    await afterAssign(ctx.services, r);
    await ctx.toast(ctx.t('requests.handle.assigned', { number: r.number }));
    await showRequest(ctx, r.id);
  }, privateChat),
  onAction(referAction, async (ctx, { request }) => {
    await committeeRequest(ctx, request);
    await ctx.toast('');
    await ctx.services.scenes.start(ctx, 'requestrefer', request);
  }, privateChat),
  onAction(replyAction, async (ctx, { request }) => {
    await ctx.toast('');
    await ctx.services.scenes.start(ctx, 'requestreply', request);
  }, privateChat),
  onAction(closeAction, async (ctx, { request }) => {
    const r = await committeeRequest(ctx, request);
    await ctx.toast('');
    await ctx.reply({ text: ctx.t('requests.handle.confirm_close', { number: r.number }), buttons: [[{ label: ctx.t('requests.handle.close_yes'), action: closeYes.pack({ request: r.id }) }]] });
  }, privateChat),
  onAction(closeYes, async (ctx, { request }) => {
    const r = await closeRequest(ctx.services.db, acting(ctx), request);
    await afterClose(ctx.services, r);
    await ctx.toast(ctx.t('requests.handle.closed', { number: r.number }));
    await showRequest(ctx, r.id);
  }, privateChat),
  onAction(proposeFromRequest, async (ctx, { request }) => {
    const r = await loadRequest(ctx.services.db, request);
    await ctx.toast('');
    await ctx.reply({ text: ctx.t('requests.proposal.confirm', { number: r.number }), buttons: [[{ label: ctx.t('requests.proposal.yes'), action: proposeFromRequestYes.pack({ request: r.id }) }]] });
  }, privateChat),
  onAction(proposeFromRequestYes, async (ctx, { request }) => {
    const { request: r, submitted } = await raiseToProposal(ctx.services.db, acting(ctx), request, { authorName: ctx.person.displayName, fallbackLocation: ctx.t('requests.proposal.no_location') });
    await afterSubmit(ctx.services, submitted);
    await ctx.toast('');
    await ctx.reply(ctx.t('requests.proposal.done', { number: r.number, proposal: submitted.proposal.number, title: submitted.proposal.title }));
  }, privateChat),
  onAction(agendaAction, async (ctx, { request }) => {
    const r = await committeeRequest(ctx, request);
    await ctx.toast('');
    const meetings = await agendaPort(ctx.services).upcoming(r.communityId);
    if (!meetings.length) return void (await ctx.reply(ctx.t('requests.agenda.none')));
    await ctx.reply({ text: ctx.t('requests.agenda.choose', { number: r.number }), buttons: meetings.slice(0, 10).map((m) => [{ label: m.label, action: agendaPick.pack({ request: r.id, meeting: m.id }) }]) });
  }, privateChat),
  onAction(agendaPick, async (ctx, { request, meeting }) => {
    const port = agendaPort(ctx.services);
    const r = await loadRequest(ctx.services.db, request);
    const title = ctx.services.i18n.t(ctx.services.config.LINLI_DEFAULT_LOCALE, 'requests.agenda.item_title', { number: r.number, category: categoryLabel(ctx.services.i18n.bind(ctx.services.config.LINLI_DEFAULT_LOCALE), r.category) });
    await putOnAgenda(ctx.services.db, acting(ctx), request, meeting, title, port);
    await ctx.toast(ctx.t('requests.agenda.done', { number: r.number }));
  }, privateChat),
];
