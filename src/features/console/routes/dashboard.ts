/** 概览: GET /console/c/:slug. */
import type { FastifyInstance } from 'fastify';
import { readDashboard } from '../data/dashboard.ts';
import { dashboardPage } from '../pages/dashboard.ts';
import { communityPath } from '../pages/layout.ts';
import { maySee, requireSection } from '../pages/nav.ts';
import type { RouteKit } from '../web/plugin.ts';

export function registerDashboard(scope: FastifyInstance, kit: RouteKit): void {
  const { services } = kit;
  scope.get('/c/:slug', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    // A 楼栋长 opens the console at their buildings: the dashboard is the whole community's.
    if (!maySee(v.actor, 'dashboard', community.id) && maySee(v.actor, 'register', community.id)) return reply.redirect(communityPath(kit.prefix, community, '/register'), 303);
    requireSection(v.actor, 'dashboard', community.id);
    const d = await readDashboard(services.db, community, services.clock(), services.config.LINLI_TIMEZONE, v.actor, services.chainChecks);
    const frame = kit.frame(req, v, { title: v.t('webconsole.dashboard.title'), community, section: 'dashboard' });
    return kit.send(reply, dashboardPage(frame, community, d, services.config.LINLI_TIMEZONE));
  });
}
