/**
 * 民生微实事 in chat: /propose, 附议 buttons, /proposals, /myproposals, the committee's /review,
 * the export and the digest section, and the reactions to polls and ratings. Rules live in
 * src/domain/proposals; this file only connects chat and domain.
 */
import type { Ctx } from '../../core/context.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Feature } from '../feature.ts';
import { secondProposal } from '../../domain/proposals/proposals.ts';
import { onPollClosed, onPollCreated, onRatingClosed } from '../../domain/proposals/reactions.ts';
import { proposalByNumber } from '../../domain/proposals/queries.ts';
import { isStatus, SECONDABLE_STATUSES } from '../../domain/proposals/states.ts';
import { can, requirePermission } from '../../domain/residents/permissions.ts';
import { PROPOSE_SCENE, proposeScene } from '../../../scenes/propose.ts';
import { budgetScene, progressScene, rejectScene } from '../../../scenes/proposalCommittee.ts';
import { chooseCategory, chooseStatus, inPrivate, showList, showMine, showPhotos, showProposal } from './browse.ts';
import { proposalsDigest } from './digest.ts';
import { proposalsExporter } from './export.ts';
import { afterMove, afterSecond } from './flow.ts';
import { reviewAction, showQueue } from './review.ts';
import { SECOND_ACTION } from './render.ts';

/** Deep-link payloads of this feature (letters, digits and dashes only). */
const PAYLOAD = { propose: 'newproposal', list: 'proposallist', review: 'proposalreview', page: /^pv-([a-z0-9]{10,40})$/ };

/**
 * /propose in a private chat: a draft in progress is offered for resuming instead of being
 * silently replaced.
 */
async function propose(ctx: Ctx): Promise<void> {
  const community = ctx.requireCommunity();
  requirePermission(ctx.actor, 'proposal.create', community.id);
  const draft = await ctx.services.scenes.draft(ctx, proposeScene);
  if (draft) {
    const state = draft as { title?: string };
    await ctx.reply({
      text: ctx.t('proposals.propose.draft_open', { title: state.title ?? ctx.t('proposals.propose.untitled') }),
      buttons: [[{ label: ctx.t('proposals.propose.resume'), action: 'prop:resume' }, { label: ctx.t('proposals.propose.restart'), action: 'prop:restart' }]],
    });
    return;
  }
  await ctx.services.scenes.start(ctx, PROPOSE_SCENE);
}

/** Asks the open draft's current step again. */
async function resume(ctx: Ctx): Promise<void> {
  const open = (await ctx.services.scenes.openScene(ctx)) === PROPOSE_SCENE && (await ctx.services.scenes.resume(ctx));
  if (!open) await ctx.reply(ctx.t('scene.no_active'));
}

/**
 * On a text-only platform a bare number in a group stands for the option of the LAST message
 * with options there; with several proposals collecting seconds a resident answering an older
 * card would second the wrong one, so the number is refused with a pointer to "附议 <number>".
 */
async function ambiguousNumber(ctx: Ctx): Promise<boolean> {
  const byNumber = ctx.incoming.type === 'action' && !ctx.incoming.actionId && ctx.chat.kind === 'group';
  if (!byNumber || !ctx.community) return false;
  const open = await ctx.services.db.proposal.count({ where: { communityId: ctx.community.id, status: { in: [...SECONDABLE_STATUSES] } } });
  if (open < 2) return false;
  await ctx.toast(ctx.t('proposals.second_which', { n: open }), true);
  return true;
}

/** The 附议 button, in a group or a private chat: answered with a toast only. */
async function second(ctx: Ctx, [id]: string[]): Promise<void> {
  if (!id) throw new DomainError('errors.stale_button');
  if (await ambiguousNumber(ctx)) return;
  const result = await secondProposal(ctx.services.db, { actor: ctx.actor, via: ctx.via, now: ctx.services.clock() }, id);
  const p = result.proposal;
  await ctx.toast(
    result.review
      ? ctx.t('proposals.seconded_threshold', { number: p.number, n: result.seconds })
      : ctx.t('proposals.seconded', { number: p.number, n: result.seconds, threshold: result.threshold }),
  );
  await afterSecond(ctx.services, result);
}

/** "附议 3" / `/second 3`: seconds a proposal by its number; refusals go to the person, not the group. */
async function secondByNumber(ctx: Ctx, args: string): Promise<void> {
  try {
    const community = ctx.requireCommunity();
    const ref = args.split(/\s+/)[0] ?? '';
    if (!ref) throw new DomainError('proposals.second_usage');
    const p = await proposalByNumber(ctx.services.db, community.id, ref);
    await second(ctx, [p.id]);
  } catch (err) {
    if (!(err instanceof DomainError) || ctx.chat.kind !== 'group') throw err;
    await ctx.toast(ctx.t(err.key, err.params), true);
  }
}

const num = (s: string | undefined) => (s && s !== '-' && /^\d+$/.test(s) ? Number(s) : null);

/** The proposals feature. */
export const proposalsFeature: Feature = {
  name: 'proposals',
  scenes: [proposeScene, rejectScene, budgetScene, progressScene],
  commands: [
    {
      name: 'propose',
      description: 'proposals.commands.propose',
      menu: true,
      order: 20,
      visible: (ctx) => can(ctx.actor, 'proposal.create', ctx.community?.id),
      async run(ctx) {
        if (ctx.chat.kind === 'group') {
          const community = ctx.requireCommunity();
          requirePermission(ctx.actor, 'proposal.create', community.id);
        }
        await inPrivate(ctx, PAYLOAD.propose, propose);
      },
    },
    {
      name: 'proposals',
      description: 'proposals.commands.proposals',
      menu: true,
      order: 21,
      visible: (ctx) => Boolean(ctx.community),
      async run(ctx) {
        ctx.requireCommunity();
        await inPrivate(ctx, PAYLOAD.list, (c) => showList(c, null, null, 0));
      },
    },
    {
      name: 'second',
      description: 'proposals.commands.second',
      order: 23,
      visible: (ctx) => can(ctx.actor, 'proposal.second', ctx.community?.id),
      run: secondByNumber,
    },
    {
      name: 'myproposals',
      description: 'proposals.commands.myproposals',
      order: 22,
      visible: (ctx) => ctx.chat.kind === 'private',
      run: (ctx) => inPrivate(ctx, PAYLOAD.list, showMine),
    },
    {
      name: 'review',
      description: 'proposals.commands.review',
      order: 40,
      visible: (ctx) => can(ctx.actor, 'proposal.review', ctx.community?.id),
      async run(ctx) {
        requirePermission(ctx.actor, 'proposal.review', ctx.requireCommunity().id);
        await inPrivate(ctx, PAYLOAD.review, showQueue);
      },
    },
  ],
  legacyActions: [
    { prefix: SECOND_ACTION, run: second },
    {
      prefix: 'prop',
      async run(ctx, [op, a, b, c]) {
        switch (op) {
          case 'resume':
            await ctx.toast('');
            return resume(ctx);
          case 'restart':
            await ctx.toast('');
            return ctx.services.scenes.start(ctx, PROPOSE_SCENE);
          case 'v':
            if (ctx.chat.kind !== 'group') await ctx.toast('');
            return inPrivate(ctx, `pv-${a}`, (x) => showProposal(x, a));
          case 'l':
            await ctx.toast('');
            return showList(ctx, a && isStatus(a) ? a : null, num(b), num(c) ?? 0);
          case 'fs':
            await ctx.toast('');
            return chooseStatus(ctx, num(a));
          case 'fc':
            await ctx.toast('');
            return chooseCategory(ctx, a && isStatus(a) ? a : null);
          case 'ph':
            if (ctx.chat.kind !== 'group') await ctx.toast('');
            return inPrivate(ctx, `pv-${a}`, (x) => showPhotos(x, a));
          default:
            throw new DomainError('errors.stale_button');
        }
      },
    },
    { prefix: 'prv', run: reviewAction },
  ],
  startPayloads: [
    async (ctx, payload) => {
      if (payload === PAYLOAD.propose) return propose(ctx).then(() => true);
      if (payload === PAYLOAD.list) return showList(ctx, null, null, 0).then(() => true);
      if (payload === PAYLOAD.review) return showQueue(ctx).then(() => true);
      const page = PAYLOAD.page.exec(payload);
      if (page) return showProposal(ctx, page[1]).then(() => true);
      return false;
    },
  ],
  on: {
    async 'poll.created'(services, e) {
      await onPollCreated(services.db, e, services.clock());
    },
    async 'poll.closed'(services, e) {
      const r = await onPollClosed(services.db, e, services.clock());
      for (const m of r.moved) await afterMove(services, m);
    },
    async 'rating.campaignClosed'(services, e) {
      await onRatingClosed(services.db, e, services.clock());
    },
  },
  digest: proposalsDigest,
  exporters: [proposalsExporter],
};
