/**
 * 居民群 routes: the community's groups with what each serves, and tagging one with buildings or
 * 居民小组 — setGroupScope, the domain function behind `/groupscope`, which checks the permission
 * (community.bind) and audits the change (via "console").
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, isDomainError } from '../../../domain/errors.ts';
import { setGroupScope } from '../../../domain/register/groupScope.ts';
import { describeScope, isWholeCommunity, readScope, scopeRegister } from '../../../domain/register/scope.ts';
import type { Community } from '../../../generated/prisma/client.ts';
import { groupsPage, type GroupScopeValues } from '../pages/groups.ts';
import { communityPath } from '../pages/layout.ts';
import { requireSection } from '../pages/nav.ts';
import { refusalText } from '../pages/scopes.ts';
import { formOf } from '../web/forms.ts';
import type { RouteKit } from '../web/plugin.ts';
import { checkCsrf, type Visit } from '../web/visit.ts';

export function registerGroups(scope: FastifyInstance, kit: RouteKit): void {
  const { services, prefix } = kit;
  const { db } = services;

  const groupsOf = (community: Community) => db.chatGroup.findMany({ where: { communityId: community.id, active: true }, orderBy: { createdAt: 'asc' } });

  const show = async (req: FastifyRequest, reply: FastifyReply, v: Visit, community: Community, values: GroupScopeValues, notice?: { kind: 'ok' | 'warn'; text: string }, status = 200) => {
    const [groups, register] = await Promise.all([groupsOf(community), scopeRegister(db, community.id)]);
    const frame = kit.frame(req, v, { title: v.t('webconsole.nav.groups'), community, section: 'groups', notice });
    return kit.send(reply, groupsPage(frame, community, groups, register, values), status);
  };

  scope.get('/c/:slug/groups', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'groups', community.id);
    const done = (req.query as { done?: string }).done;
    // The notice names the group and what it serves now, read back from the database.
    const group = done ? (await groupsOf(community)).find((g) => g.id === done) : undefined;
    const now = group ? readScope(group.scope) : null;
    const title = group ? group.title || v.t('webconsole.groups.untitled') : '';
    const notice = now ? { kind: 'ok' as const, text: isWholeCommunity(now) ? v.t('webconsole.groups.done_cleared', { group: title }) : v.t('webconsole.groups.done_set', { group: title, names: describeScope(v.t, now) }) } : undefined;
    return show(req, reply, v, community, {}, notice);
  });

  scope.post('/c/:slug/groups/:id/scope', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    const form = formOf(req.body);
    checkCsrf(v, form);
    const id = (req.params as { id: string }).id;
    // Another community's group is not found here; whether this person may tag it is the domain's call.
    const group = /^[a-z0-9]{10,40}$/.test(id) ? await db.chatGroup.findFirst({ where: { id, communityId: community.id, active: true } }) : null;
    if (!group) throw new DomainError('webconsole.groups.not_found');
    const text = form.fields.scope ?? '';
    try {
      await setGroupScope(db, v.actor, 'console', group, text);
      return reply.redirect(`${communityPath(prefix, community, '/groups')}?done=${group.id}`, 303);
    } catch (err) {
      if (!isDomainError(err) || !err.key.startsWith('scope.err_')) throw err;
      return show(req, reply, v, community, { groupId: group.id, scope: text }, { kind: 'warn', text: refusalText(v.t, err) }, 400);
    }
  });
}
