/** 概览: GET /console/c/:slug. */
import type { FastifyInstance } from 'fastify';
import { readDashboard } from '../data/dashboard.ts';
import { dashboardPage } from '../pages/dashboard.ts';
import { requireSection } from '../pages/nav.ts';
import type { RouteKit } from '../web/plugin.ts';

export function registerDashboard(scope: FastifyInstance, kit: RouteKit): void {
  const { services } = kit;
  scope.get('/c/:slug', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'dashboard', community.id);
    const d = await readDashboard(services.db, community, services.clock(), services.config.LINLI_TIMEZONE);
    const frame = kit.frame(req, v, { title: v.t('webconsole.dashboard.title'), community, section: 'dashboard' });
    return kit.send(reply, dashboardPage(frame, community, d, services.config.LINLI_TIMEZONE));
  });
}
