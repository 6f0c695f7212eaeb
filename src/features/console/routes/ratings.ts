/** 满意度 routes: the report, a target's trend chart (the chat's chart), and comment moderation. */
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../../domain/errors.ts';
import { trend, ruleOf } from '../../../domain/ratings/reports.ts';
import { reviewComment } from '../../../domain/ratings/ratings.ts';
import { targetIn } from '../../../domain/ratings/targets.ts';
import { trendChart } from '../../ratings/render.ts';
import { readRatings, reportPeriod } from '../data/ratings.ts';
import { communityPath } from '../pages/layout.ts';
import { requireSection } from '../pages/nav.ts';
import { ratingsPage } from '../pages/ratings.ts';
import { formOf } from '../web/forms.ts';
import type { RouteKit } from '../web/plugin.ts';
import { checkCsrf } from '../web/visit.ts';

export function registerRatings(scope: FastifyInstance, kit: RouteKit): void {
  const { services, prefix } = kit;
  const { db } = services;
  const tz = services.config.LINLI_TIMEZONE;

  scope.get('/c/:slug/ratings', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'ratings', community.id);
    const period = reportPeriod((req.query as { period?: string }).period, services.clock(), tz);
    const report = await readRatings(db, community, period, services.clock(), tz);
    const done = (req.query as { done?: string }).done;
    const notice = done === 'approve' || done === 'hide' ? { kind: 'ok' as const, text: v.t(`webconsole.ratings.done_${done}`) } : undefined;
    const frame = kit.frame(req, v, { title: v.t('webconsole.nav.ratings'), community, section: 'ratings', notice });
    return kit.send(reply, ratingsPage(frame, community, report, tz));
  });

  scope.get('/c/:slug/ratings/:target/trend.png', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'ratings', community.id);
    // targetIn refuses another community's target as unknown.
    const target = await targetIn(db, community.id, (req.params as { target: string }).target);
    const period = reportPeriod((req.query as { period?: string }).period, services.clock(), tz);
    const image = trendChart(v.t, target, await trend(db, target.id, period, 6), ruleOf(community));
    if (!image) throw new DomainError('webconsole.errors.not_found');
    return reply.header('cache-control', 'private, no-store').type('image/png').send(Buffer.from(image.data));
  });

  scope.post('/c/:slug/ratings/comments/:id/:decision', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    checkCsrf(v, formOf(req.body));
    requireSection(v.actor, 'ratings', community.id);
    const { id, decision } = req.params as { id: string; decision: string };
    if (decision !== 'approve' && decision !== 'hide') throw new DomainError('webconsole.errors.not_found');
    // Another community's comment is not found here, rather than forbidden.
    const rating = /^[a-z0-9]{10,40}$/.test(id) ? await db.rating.findUnique({ where: { id }, include: { target: true } }) : null;
    if (!rating || rating.target.communityId !== community.id) throw new DomainError('ratings.unknown_comment');
    // Approving twice is harmless: the second leaves the same state (the domain audits each).
    await reviewComment(db, { actor: v.actor, via: 'console' }, rating.id, decision === 'approve' ? 'approved' : 'hidden', services.clock());
    return reply.redirect(`${communityPath(prefix, community, '/ratings')}?period=${rating.period}&done=${decision}`, 303);
  });
}
