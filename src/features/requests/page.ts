/**
 * A request's page in the private chat and the buttons it offers: to the resident, the one-tap
 * rating and raising it to a proposal; to the committee, assign / refer / reply / close (and the
 * agenda, when meetings are wired); to the assignee, reply. The buttons are only offers: every
 * handler goes through the domain, which checks again.
 */
import type { Ctx } from '../../core/context.ts';
import type { Button } from '../../platform/messages.ts';
import { canHandle, isAssignee, isRequester } from '../../domain/requests/access.ts';
import { requestDetail } from '../../domain/requests/queries.ts';
import { can } from '../../domain/residents/permissions.ts';
import { agendaAction, chooseAssignee, closeAction, proposeFromRequest, referAction, replyAction, requestPhoto, requestQueue } from './actions.ts';
import { ratingButtons } from './notices.ts';
import { requestPage } from './render.ts';

/** Shows a request's page to whoever may read it. */
export async function showRequest(ctx: Ctx, id: string): Promise<void> {
  const d = await requestDetail(ctx.services.db, ctx.actor, id);
  const r = d.request;
  const committee = canHandle(ctx.actor, r);
  const rows: Button[][] = [];
  const b = (key: string, action: string): Button => ({ label: ctx.t(`requests.buttons.${key}`), action });
  if (committee && (r.status === 'received' || r.status === 'assigned')) {
    rows.push([b('assign', chooseAssignee.pack({ request: r.id })), b('refer', referAction.pack({ request: r.id }))]);
  }
  if ((committee || isAssignee(ctx.actor, r)) && (r.status === 'received' || r.status === 'assigned')) rows.push([b('reply', replyAction.pack({ request: r.id }))]);
  if (committee && r.status === 'replied') rows.push([b('close', closeAction.pack({ request: r.id }))]);
  if (committee && !r.meetingId && r.status !== 'closed') rows.push([b('agenda', agendaAction.pack({ request: r.id }))]);
  if (isRequester(ctx.actor, r)) {
    if (!r.satisfaction && (r.status === 'replied' || r.status === 'closed')) rows.push(...ratingButtons(ctx.t, r));
    if (!r.proposalId && can(ctx.actor, 'proposal.create', r.communityId)) rows.push([b('to_proposal', proposeFromRequest.pack({ request: r.id }))]);
  }
  if (r.photoName) rows.push([b('photo', requestPhoto.pack({ request: r.id }))]);
  if (committee) rows.push([b('queue', requestQueue.pack({}))]);
  await ctx.reply({ text: requestPage(ctx.t, d, { forCommittee: committee, now: ctx.services.clock() }), buttons: rows.length ? rows : undefined });
}

/** Sends a request's photo to whoever may read the request. */
export async function sendPhoto(ctx: Ctx, id: string): Promise<void> {
  const d = await requestDetail(ctx.services.db, ctx.actor, id);
  const row = await ctx.services.db.residentRequest.findUnique({ where: { id }, select: { photo: true } });
  if (!row?.photo) return void (await ctx.reply(ctx.t('requests.page.no_photo')));
  await ctx.reply({ text: ctx.t('requests.page.photo_caption', { number: d.request.number }), image: { data: row.photo, name: d.request.photoName ?? 'request.jpg' } });
}
