/**
 * 住户名册 routes: the overview, one building, and printing its slips (a POST: printing
 * withdraws the building's earlier unused slips). A 楼栋长 reaches only their own buildings:
 * every route asks the domain (registerProgress, buildingDetail, issueSlips through
 * requireBuildingAccess), and a building of another community is refused like one that does
 * not exist, whatever the URL says.
 */
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../../domain/errors.ts';
import { buildingById, requireBuildingAccess } from '../../../domain/register/leads.ts';
import { buildingDetail, registerProgress } from '../../../domain/register/progress.ts';
import { printSlips } from '../../register/slips.ts';
import { requireSection } from '../pages/nav.ts';
import { buildingPage, registerPage } from '../pages/register.ts';
import { sendDownload } from '../web/download.ts';
import { formOf } from '../web/forms.ts';
import type { RouteKit } from '../web/plugin.ts';
import { checkCsrf } from '../web/visit.ts';

const ID = /^[A-Za-z0-9_-]{1,40}$/;

export function registerRegister(scope: FastifyInstance, kit: RouteKit): void {
  const { services } = kit;
  const { db } = services;
  const tz = services.config.LINLI_TIMEZONE;

  /** The building of a URL, refused unless it is this community's and the actor may act for it. */
  async function buildingOfUrl(actor: Parameters<typeof requireBuildingAccess>[1], communityId: string, raw: string) {
    if (!ID.test(raw)) throw new DomainError('register.unknown_building');
    const building = await buildingById(db, raw);
    if (building.communityId !== communityId) throw new DomainError('register.unknown_building');
    return requireBuildingAccess(db, actor, 'register.building', building.id);
  }

  scope.get('/c/:slug/register', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'register', community.id);
    const progress = await registerProgress(db, v.actor, community.id);
    const frame = kit.frame(req, v, { title: v.t('webconsole.nav.register'), community, section: 'register' });
    return kit.send(reply, registerPage(frame, community, progress, tz));
  });

  scope.get('/c/:slug/register/b/:building', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'register', community.id);
    const building = await buildingOfUrl(v.actor, community.id, (req.params as { building: string }).building);
    const detail = await buildingDetail(db, v.actor, building.id);
    const frame = kit.frame(req, v, { title: v.t('webconsole.register.building_title', { building: building.name }), community, section: 'register' });
    return kit.send(reply, buildingPage(frame, community, detail));
  });

  scope.post('/c/:slug/register/b/:building/slips', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    const form = formOf(req.body);
    checkCsrf(v, form);
    requireSection(v.actor, 'register', community.id);
    const building = await buildingOfUrl(v.actor, community.id, (req.params as { building: string }).building);
    const printed = await printSlips(services, v.actor, 'console', community, building.id, form.fields.which === 'unverified');
    return sendDownload(reply, printed.name, 'pdf', printed.pdf);
  });
}
