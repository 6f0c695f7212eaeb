/**
 * 居务公开 routes: the list with the chain check, publishing from a file (form → preview →
 * confirm, redirecting after each POST so a reload repeats nothing), a disclosure's page and its
 * correction. A refused upload comes back to the form with the domain's reason and the typed
 * fields kept.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { verifyChain } from '../../../domain/disclosures/chain.ts';
import { getDisclosureByNumber, listDisclosures } from '../../../domain/disclosures/disclosures.ts';
import { DomainError, isDomainError } from '../../../domain/errors.ts';
import { can } from '../../../domain/residents/permissions.ts';
import type { Community } from '../../../generated/prisma/client.ts';
import { draftCorrection, draftPublication, loadDraft, publishDraft } from '../actions/disclosures.ts';
import { disclosurePage, disclosuresPage, previewPage, type PublishFormValues } from '../pages/disclosures.ts';
import { communityPath } from '../pages/layout.ts';
import { requireSection } from '../pages/nav.ts';
import { formOf } from '../web/forms.ts';
import type { RouteKit } from '../web/plugin.ts';
import { checkCsrf, once, type Visit } from '../web/visit.ts';

type Params = { slug: string; number: string; draft: string };

/** Refusals about the file itself answer with the matching HTTP status. */
const FILE_STATUS: Record<string, number> = { 'disclosures.unsupported_file': 415, 'disclosures.file_too_large': 413 };

export function registerDisclosures(scope: FastifyInstance, kit: RouteKit): void {
  const { services, prefix } = kit;
  const { db } = services;
  const tz = services.config.LINLI_TIMEZONE;

  const disclosureOf = async (communityId: string, number: string) => {
    if (!/^\d{1,9}$/.test(number)) throw new DomainError('webconsole.disclosures.not_found', { ref: number.slice(0, 20) });
    try {
      return await getDisclosureByNumber(db, communityId, Number(number));
    } catch (err) {
      if (isDomainError(err) && err.key === 'disclosures.not_found') throw new DomainError('webconsole.disclosures.not_found', { ref: number });
      throw err;
    }
  };

  const listPage = async (req: FastifyRequest, reply: FastifyReply, v: Visit, community: Community, values: PublishFormValues, notice?: { kind: 'ok' | 'warn'; text: string }, status = 200) => {
    const [[report], list] = await Promise.all([verifyChain(db, community.id), listDisclosures(db, community.id, { pageSize: 50 })]);
    const frame = kit.frame(req, v, { title: v.t('webconsole.disclosures.title'), community, section: 'disclosures', notice });
    return kit.send(reply, disclosuresPage(frame, community, report, list, can(v.actor, 'disclosure.publish', community.id), values, tz), status);
  };

  scope.get('/c/:slug/disclosures', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'disclosures', community.id);
    return listPage(req, reply, v, community, {});
  });

  scope.post('/c/:slug/disclosures/preview', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    const form = formOf(req.body);
    checkCsrf(v, form);
    requireSection(v.actor, 'disclosures', community.id);
    try {
      const id = await draftPublication(services, v.actor, v.session.id, community, form.fields, form.files.find((f) => f.field === 'file'));
      return reply.redirect(communityPath(prefix, community, `/disclosures/preview/${id}`), 303);
    } catch (err) {
      if (!isDomainError(err) || err.key === 'errors.forbidden') throw err;
      const { category, period, title, note } = form.fields;
      return listPage(req, reply, v, community, { category, period, title, note }, { kind: 'warn', text: v.t(err.key, err.params) }, FILE_STATUS[err.key] ?? 400);
    }
  });

  scope.get('/c/:slug/disclosures/preview/:draft', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'disclosures', community.id);
    const { draft } = req.params as Params;
    const view = await loadDraft(services, v.session.id, community.id, draft);
    const frame = kit.frame(req, v, { title: v.t('webconsole.disclosures.preview_title'), community, section: 'disclosures' });
    return kit.send(reply, previewPage(frame, community, draft, view));
  });

  scope.post('/c/:slug/disclosures/confirm', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    const form = formOf(req.body);
    checkCsrf(v, form);
    requireSection(v.actor, 'disclosures', community.id);
    const { number, kind } = await once(kit, v, form, async () => {
      const view = await loadDraft(services, v.session.id, community.id, form.fields.draft ?? '');
      return { ...(await publishDraft(services, v.actor, community.id, form.fields.draft!, view)), kind: view.kind };
    });
    return reply.redirect(`${communityPath(prefix, community, `/disclosures/${number}`)}?done=${kind}`, 303);
  });

  scope.get('/c/:slug/disclosures/:number', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'disclosures', community.id);
    const d = await disclosureOf(community.id, (req.params as Params).number);
    const done = (req.query as { done?: string }).done;
    const notice = done === 'publish' || done === 'correct' ? { kind: 'ok' as const, text: v.t(`webconsole.disclosures.done_${done}`, { number: d.number, v: d.latestVersion }) } : undefined;
    const frame = kit.frame(req, v, { title: `#${d.number}`, community, section: 'disclosures', notice });
    return kit.send(reply, disclosurePage(frame, community, d, can(v.actor, 'disclosure.publish', community.id), tz));
  });

  scope.post('/c/:slug/disclosures/:number/preview', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    const form = formOf(req.body);
    checkCsrf(v, form);
    requireSection(v.actor, 'disclosures', community.id);
    const d = await disclosureOf(community.id, (req.params as Params).number);
    try {
      const id = await draftCorrection(services, v.actor, v.session.id, d, d.versions[d.versions.length - 1], form.fields, form.files.find((f) => f.field === 'file'));
      return reply.redirect(communityPath(prefix, community, `/disclosures/preview/${id}`), 303);
    } catch (err) {
      if (!isDomainError(err) || err.key === 'errors.forbidden') throw err;
      const frame = kit.frame(req, v, { title: `#${d.number}`, community, section: 'disclosures', notice: { kind: 'warn', text: v.t(err.key, err.params) } });
      return kit.send(reply, disclosurePage(frame, community, d, true, tz), FILE_STATUS[err.key] ?? 400);
    }
  });
}
