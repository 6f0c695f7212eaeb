/** 民生微实事 routes: the queue, a proposal's page and its moves (actions/proposals.ts). */
import type { FastifyInstance } from 'fastify';
import { DomainError, isDomainError } from '../../../domain/errors.ts';
import { listProposals, mergeTargets, proposalByNumber, proposalDetail, reviewQueue } from '../../../domain/proposals/queries.ts';
import type { Db } from '../../../db/client.ts';
import { isReviewMove, reviewMove } from '../actions/proposals.ts';
import { communityPath } from '../pages/layout.ts';
import { requireSection } from '../pages/nav.ts';
import { proposalPage, proposalsPage } from '../pages/proposals.ts';
import { formOf } from '../web/forms.ts';
import type { RouteKit } from '../web/plugin.ts';
import { checkCsrf, once } from '../web/visit.ts';

type Params = { slug: string; number: string; move?: string };

/** A proposal of the community by number; anything else — another community's, a draft — is not found. */
async function proposalOf(db: Db, communityId: string, number: string) {
  if (!/^\d{1,9}$/.test(number)) throw new DomainError('webconsole.review.not_found', { ref: number.slice(0, 20) });
  try {
    return await proposalByNumber(db, communityId, number);
  } catch (err) {
    if (isDomainError(err) && err.key === 'proposals.not_found_number') throw new DomainError('webconsole.review.not_found', { ref: number });
    throw err;
  }
}

export function registerProposals(scope: FastifyInstance, kit: RouteKit): void {
  const { services, prefix } = kit;
  const tz = services.config.LINLI_TIMEZONE;

  scope.get('/c/:slug/proposals', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'review', community.id);
    const q = req.query as { status?: string; page?: string };
    const page = Math.max(0, (Number.parseInt(q.page ?? '1', 10) || 1) - 1);
    const [queue, list] = await Promise.all([reviewQueue(services.db, community.id, 50), listProposals(services.db, community.id, { status: q.status, page, pageSize: 20 })]);
    const frame = kit.frame(req, v, { title: v.t('webconsole.review.title'), community, section: 'review' });
    return kit.send(reply, proposalsPage(frame, community, queue, list, q.status, tz));
  });

  scope.get('/c/:slug/proposals/:number', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'review', community.id);
    const p = await proposalOf(services.db, community.id, (req.params as Params).number);
    const [d, targets] = await Promise.all([proposalDetail(services.db, p.id), mergeTargets(services.db, p, 30)]);
    const done = (req.query as { done?: string }).done;
    const notice = done && isReviewMove(done) ? { kind: 'ok' as const, text: v.t(`webconsole.review.done_${done}`, { number: p.number }) } : undefined;
    const frame = kit.frame(req, v, { title: `#${p.number} ${p.title}`, community, section: 'review', notice });
    return kit.send(reply, proposalPage(frame, community, d, targets.map((x) => ({ number: x.number, title: x.title })), tz));
  });

  scope.post('/c/:slug/proposals/:number/:move', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    const form = formOf(req.body);
    checkCsrf(v, form);
    requireSection(v.actor, 'review', community.id);
    const { number, move } = req.params as Params;
    if (!move || !isReviewMove(move)) throw new DomainError('webconsole.errors.not_found');
    const p = await proposalOf(services.db, community.id, number);
    await once(kit, v, form, () => reviewMove(services, v.actor, p, move, form.fields));
    return reply.redirect(`${communityPath(prefix, community, `/proposals/${p.number}`)}?done=${move}`, 303);
  });
}
