/**
 * The commands of requests: /report (any resident), /myreports (the resident's progress view)
 * and /requests (the committee's queue, plus what is assigned to the person asking). All three
 * work in the private chat only; in a group the router points there (ctx.inPrivate), because a
 * request's words are never shown in a group.
 */
import type { Ctx } from '../../core/context.ts';
import type { CommandDef, StartPayloadHandler } from '../../core/feature.ts';
import { REPORT_SCENE } from '../../../scenes/report.ts';
import { assignedTo, committeeQueue, myRequests, PAGE_SIZE } from '../../domain/requests/queries.ts';
import { can } from '../../domain/residents/permissions.ts';
import { rolesIn } from '../../domain/residents/roles.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Button } from '../../platform/messages.ts';
import { privateCommand } from '../privateCommand.ts';
import { myRequestsPage, viewRequest } from './actions.ts';
import { listLine } from './render.ts';

const REASON = 'requests.private_only';

/** The resident's requests, a page at a time. */
export async function showMine(ctx: Ctx, page: number): Promise<void> {
  const { items, total } = await myRequests(ctx.services.db, ctx.person.id, page);
  if (!total) return void (await ctx.reply(ctx.t('requests.mine.empty')));
  const now = ctx.services.clock();
  const rows: Button[][] = items.map((r) => [{ label: ctx.t('requests.list.open', { number: r.number }), action: viewRequest.pack({ request: r.id }) }]);
  const nav: Button[] = [];
  if (page > 0) nav.push({ label: ctx.t('requests.list.prev'), action: myRequestsPage.pack({ page: page - 1 }) });
  if ((page + 1) * PAGE_SIZE < total) nav.push({ label: ctx.t('requests.list.next'), action: myRequestsPage.pack({ page: page + 1 }) });
  if (nav.length) rows.push(nav);
  await ctx.reply({ text: [ctx.t('requests.mine.title', { n: total }), ...items.map((r) => listLine(ctx.t, r, now))].join('\n'), buttons: rows });
}

/** The committee's queue and the requests assigned to the person asking. */
export async function showQueue(ctx: Ctx): Promise<void> {
  const community = ctx.community;
  const committee = community && can(ctx.actor, 'request.handle', community.id);
  const mine = await assignedTo(ctx.services.db, ctx.person.id);
  if (!committee && !mine.length) {
    // Neither on the committee nor holding a request: the same refusal as any committee command.
    if (!community) throw new DomainError('errors.no_community');
    throw new DomainError('errors.forbidden');
  }
  const now = ctx.services.clock();
  const queue = committee ? await committeeQueue(ctx.services.db, ctx.actor, community.id) : [];
  const shown = [...queue, ...mine.filter((m) => !queue.some((q) => q.id === m.id))];
  if (!shown.length) return void (await ctx.reply(ctx.t('requests.queue.empty')));
  const lines = [committee ? ctx.t('requests.queue.title', { n: queue.length }) : ctx.t('requests.queue.assigned_title', { n: mine.length }), ...shown.map((r) => listLine(ctx.t, r, now))];
  await ctx.reply({ text: lines.join('\n'), buttons: shown.slice(0, 20).map((r) => [{ label: ctx.t('requests.list.open', { number: r.number }), action: viewRequest.pack({ request: r.id }) }]) });
}

/** Deep links into the /report form of one community: `rq-<community id>`. */
const REPORT_PAYLOAD = /^rq-([a-z0-9]{10,40})$/;

/**
 * The community a private /report is for: the one the person acts in, else the one of their
 * last request. A resident who is not verified has no community in a private chat, which is
 * why the group's /report hands its community over in the deep link.
 */
async function reportCommunity(ctx: Ctx): Promise<string> {
  if (ctx.community) return ctx.community.id;
  const last = await ctx.services.db.residentRequest.findFirst({ where: { requesterId: ctx.person.id }, orderBy: { createdAt: 'desc' }, select: { communityId: true } });
  if (last) return last.communityId;
  throw new DomainError('requests.errors.no_community');
}

/**
 * /report. In a group it shows nothing of the request: a button opens the private chat on the
 * form for the group's community (where the platform has no deep links, the form starts in the
 * private chat at once).
 */
export const reportCommand: CommandDef = {
  name: 'report',
  description: 'requests.commands.report',
  menu: true,
  order: 24,
  async run(ctx) {
    if (ctx.chat.kind === 'group') {
      const community = ctx.requireCommunity();
      const link = ctx.deepLink(`rq-${community.id}`);
      if (link) return void (await ctx.reply({ text: ctx.t(REASON), buttons: [[{ label: ctx.t('requests.report.open_private'), url: link }]] }));
      await ctx.reply(ctx.t('scene.continued_private'));
      return ctx.services.scenes.start(ctx.privateCtx(), REPORT_SCENE, community.id);
    }
    await ctx.services.scenes.start(ctx, REPORT_SCENE, await reportCommunity(ctx));
  },
};

/** The deep link from a group's /report. */
export const reportPayload: StartPayloadHandler = async (ctx, payload) => {
  const m = REPORT_PAYLOAD.exec(payload);
  if (!m) return false;
  await ctx.services.scenes.start(ctx, REPORT_SCENE, m[1]);
  return true;
};

export const myReportsCommand: CommandDef = privateCommand(REASON, {
  name: 'myreports',
  description: 'requests.commands.myreports',
  order: 25,
  run: (ctx) => showMine(ctx, 0),
});

export const requestsCommand: CommandDef = privateCommand(REASON, {
  name: 'requests',
  description: 'requests.commands.requests',
  order: 45,
  // No permission on the guard: an assignee who is a 楼栋长 uses it for their own requests.
  // /help offers it to those who can use it; the handler decides again.
  visible: (ctx) => Boolean(ctx.community && (can(ctx.actor, 'request.handle', ctx.community.id) || rolesIn(ctx.actor, ctx.community.id).has('building_lead'))),
  run: showQueue,
});
