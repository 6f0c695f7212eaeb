/**
 * 投票 routes: the list, a poll's page, its chart, its downloads (the polls feature's own
 * exporter, audited as /export audits it) and closing early (through actions/polls.ts).
 */
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../../domain/errors.ts';
import { recordAudit } from '../../../domain/residents/audit.ts';
import { requirePermission } from '../../../domain/residents/permissions.ts';
import { resultMessage } from '../../polls/render.ts';
import { ballotsPdfOf } from '../../polls/ballots.ts';
import { closePollEarly } from '../actions/polls.ts';
import { exportCtx } from '../data/exportCtx.ts';
import { listPolls, pollNotices, pollOf, resultOf } from '../data/polls.ts';
import { communityPath } from '../pages/layout.ts';
import { requireSection } from '../pages/nav.ts';
import { pollPage, pollsPage } from '../pages/polls.ts';
import { formOf } from '../web/forms.ts';
import type { RouteKit } from '../web/plugin.ts';
import { checkCsrf, once } from '../web/visit.ts';
import { sendDownload } from '../web/download.ts';

type PollParams = { slug: string; number: string };

export function registerPolls(scope: FastifyInstance, kit: RouteKit): void {
  const { services, prefix } = kit;
  const tz = services.config.LINLI_TIMEZONE;

  scope.get('/c/:slug/polls', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'polls', community.id);
    const q = req.query as { status?: string; page?: string };
    const page = Math.max(0, (Number.parseInt(q.page ?? '1', 10) || 1) - 1);
    const list = await listPolls(services.db, community.id, q.status, page);
    const frame = kit.frame(req, v, { title: v.t('webconsole.polls.title'), community, section: 'polls' });
    return kit.send(reply, pollsPage(frame, community, list, q.status, tz));
  });

  scope.get('/c/:slug/polls/:number', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'polls', community.id);
    const poll = await pollOf(services.db, community.id, (req.params as PollParams).number);
    const [result, notices] = await Promise.all([resultOf(services.db, poll), pollNotices(services.db, poll)]);
    const done = (req.query as { done?: string }).done === 'closed' ? { kind: 'ok' as const, text: v.t('webconsole.polls.closed_notice', { number: poll.number, count: notices.filter((n) => n.kind === 'result').length }) } : undefined;
    const frame = kit.frame(req, v, { title: `#${poll.number} ${poll.question}`, community, section: 'polls', notice: done });
    return kit.send(reply, pollPage(frame, community, poll, result, notices, tz));
  });

  scope.get('/c/:slug/polls/:number/chart.png', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'polls', community.id);
    const poll = await pollOf(services.db, community.id, (req.params as PollParams).number);
    const result = await resultOf(services.db, poll);
    // The chart the groups are sent with the result, drawn by the polls feature.
    const image = result && result.turnout ? resultMessage(v.t, poll, result, true).image : undefined;
    if (!image) throw new DomainError('webconsole.errors.not_found');
    return reply.header('cache-control', 'private, no-store').type('image/png').send(Buffer.from(image.data));
  });

  scope.get('/c/:slug/polls/:number/export.:format', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    const { number, format } = req.params as PollParams & { format: string };
    if (format !== 'csv' && format !== 'xlsx') throw new DomainError('webconsole.errors.not_found');
    requirePermission(v.actor, 'export', community.id);
    const poll = await pollOf(services.db, community.id, number);
    const exporter = services.exporters.find((e) => e.id === 'polls');
    if (!exporter) throw new DomainError('webconsole.errors.not_found');
    const file = await exporter.build(exportCtx(services, v.person, v.actor, v.locale), community.id, poll.id, format);
    await recordAudit(services.db, { actorId: v.person.id, via: 'console', action: 'export', communityId: community.id, targetType: exporter.id, targetId: poll.id });
    return sendDownload(reply, file.name, format, file.data);
  });

  // The paper ballots of a household poll: the domain decides who may print them (poll.manage).
  scope.get('/c/:slug/polls/:number/ballots.pdf', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requireSection(v.actor, 'polls', community.id);
    const poll = await pollOf(services.db, community.id, (req.params as PollParams).number);
    // Printed in the community's language: the residents read it.
    const printed = await ballotsPdfOf(services.db, { actor: v.actor, via: 'console' }, poll.id, services.i18n.bind(community.locale), services.clock());
    const ascii = `poll-${printed.number}-ballots.pdf`;
    return reply
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(printed.name)}`)
      .header('cache-control', 'private, no-store')
      .type('application/pdf')
      .send(printed.pdf);
  });

  scope.post('/c/:slug/polls/:number/close', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    const form = formOf(req.body);
    checkCsrf(v, form);
    requireSection(v.actor, 'polls', community.id);
    const poll = await pollOf(services.db, community.id, (req.params as PollParams).number);
    await once(kit, v, form, async () => {
      if (form.fields.confirm !== 'yes') throw new DomainError('webconsole.polls.confirm_needed', { number: poll.number });
      await closePollEarly(services, v.actor, poll.id);
    });
    return reply.redirect(`${communityPath(prefix, community, `/polls/${poll.number}`)}?done=closed`, 303);
  });
}
