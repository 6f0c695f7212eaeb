/** 公告 routes: the page, sending or scheduling one (a refusal comes back with the text kept), withdrawing. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recentAnnouncements } from '../../../domain/announcements/announcements.ts';
import { isDomainError } from '../../../domain/errors.ts';
import { scopeRegister } from '../../../domain/register/scope.ts';
import type { Community } from '../../../generated/prisma/client.ts';
import { announceFromForm, withdrawAnnouncement } from '../actions/announcements.ts';
import { announcementsPage, type AnnounceValues } from '../pages/announcements.ts';
import { communityPath } from '../pages/layout.ts';
import { requireSection } from '../pages/nav.ts';
import { refusalText } from '../pages/scopes.ts';
import { formOf } from '../web/forms.ts';
import type { RouteKit } from '../web/plugin.ts';
import { checkCsrf, once, type Visit } from '../web/visit.ts';

export function registerAnnouncements(scope: FastifyInstance, kit: RouteKit): void {
  const { services, prefix } = kit;
  const { db } = services;
  const tz = services.config.LINLI_TIMEZONE;

  const show = async (req: FastifyRequest, reply: FastifyReply, v: Visit, community: Community, values: AnnounceValues, notice?: { kind: 'ok' | 'warn'; text: string }, status = 200) => {
    const [groups, register, list] = await Promise.all([
      db.chatGroup.findMany({ where: { communityId: community.id, active: true }, orderBy: { createdAt: 'asc' } }),
      scopeRegister(db, community.id),
      recentAnnouncements(db, community.id, { includeScheduled: true, take: 30 }),
    ]);
    const frame = kit.frame(req, v, { title: v.t('webconsole.nav.announcements'), community, section: 'announcements', notice });
    return kit.send(reply, announcementsPage(frame, community, groups, register, list, values, tz), status);
  };

  scope.get('/c/:slug/announcements', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'announcements', community.id);
    const done = (req.query as { done?: string }).done;
    const notice = done === 'sent' || done === 'scheduled' || done === 'withdrawn' ? { kind: 'ok' as const, text: v.t(`webconsole.announcements.done_${done}`) } : undefined;
    return show(req, reply, v, community, {}, notice);
  });

  scope.post('/c/:slug/announcements', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    const form = formOf(req.body);
    checkCsrf(v, form);
    requireSection(v.actor, 'announcements', community.id);
    const groupIds = Object.keys(form.fields).filter((k) => k.startsWith('group_') && form.fields[k] === 'yes').map((k) => k.slice('group_'.length));
    try {
      const a = await once(kit, v, form, () => announceFromForm(services, v.actor, community.id, form.fields, groupIds, form.files.find((f) => f.field === 'image')));
      return reply.redirect(`${communityPath(prefix, community, '/announcements')}?done=${a.status === 'sent' ? 'sent' : 'scheduled'}`, 303);
    } catch (err) {
      if (!isDomainError(err) || err.key === 'errors.forbidden' || err.key.startsWith('webconsole.errors.')) throw err;
      const values = { text: form.fields.text, when: form.fields.when, scope: form.fields.scope, pin: form.fields.pin === 'yes', groupIds };
      return show(req, reply, v, community, values, { kind: 'warn', text: refusalText(v.t, err) }, 400);
    }
  });

  scope.post('/c/:slug/announcements/:id/cancel', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    checkCsrf(v, formOf(req.body));
    requireSection(v.actor, 'announcements', community.id);
    await withdrawAnnouncement(services, v.actor, community.id, (req.params as { id: string }).id);
    return reply.redirect(`${communityPath(prefix, community, '/announcements')}?done=withdrawn`, 303);
  });
}
