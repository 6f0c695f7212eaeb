/** 成员与认证 routes: members and codes, issuing codes (answered with the slips), withdrawing one. */
import type { FastifyInstance } from 'fastify';
import { listCodes } from '../../../domain/residents/codes.ts';
import { listMembers } from '../../../domain/residents/members.ts';
import { can } from '../../../domain/residents/permissions.ts';
import { issueFromForm, withdrawCode } from '../actions/codes.ts';
import { communityPath } from '../pages/layout.ts';
import { membersPage, slipsPage } from '../pages/members.ts';
import { requireSection } from '../pages/nav.ts';
import { formOf } from '../web/forms.ts';
import type { RouteKit } from '../web/plugin.ts';
import { checkCsrf, once } from '../web/visit.ts';

const pageParam = (raw: unknown) => Math.max(0, (Number.parseInt(String(raw ?? '1'), 10) || 1) - 1);

export function registerMembers(scope: FastifyInstance, kit: RouteKit): void {
  const { services, prefix } = kit;
  const { db } = services;
  const tz = services.config.LINLI_TIMEZONE;

  scope.get('/c/:slug/members', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'members', community.id);
    const q = req.query as { page?: string; codes?: string; done?: string };
    const members = await listMembers(db, v.actor, community.id, pageParam(q.page));
    const codes = can(v.actor, 'code.list', community.id) ? await listCodes(db, v.actor, community.id, pageParam(q.codes), services.clock()) : null;
    const notice = q.done === 'revoked' ? { kind: 'ok' as const, text: v.t('webconsole.members.done_revoked') } : undefined;
    const frame = kit.frame(req, v, { title: v.t('webconsole.nav.members'), community, section: 'members', notice });
    return kit.send(reply, membersPage(frame, community, members, codes, tz));
  });

  // Answered with the slips themselves, not a redirect: the codes exist in clear only here.
  scope.post('/c/:slug/members/codes', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    const form = formOf(req.body);
    checkCsrf(v, form);
    requireSection(v.actor, 'members', community.id);
    const issued = await once(kit, v, form, () => issueFromForm(services, v.actor, community.id, form.fields));
    const frame = kit.frame(req, v, { title: v.t('webconsole.members.slips_title', { count: issued.codes.length }), community, section: 'members' });
    return kit.send(reply, slipsPage(frame, community, issued, tz));
  });

  scope.post('/c/:slug/members/codes/:id/revoke', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    checkCsrf(v, formOf(req.body));
    requireSection(v.actor, 'members', community.id);
    await withdrawCode(services, v.actor, community.id, (req.params as { id: string }).id);
    return reply.redirect(`${communityPath(prefix, community, '/members')}?done=revoked`, 303);
  });
}
