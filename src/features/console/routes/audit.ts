/** 操作记录 routes: the filtered log and its download (itself audited). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { writeTableToBuffer } from '../../../export/table.ts';
import { recordAudit } from '../../../domain/residents/audit.ts';
import { requirePermission } from '../../../domain/residents/permissions.ts';
import { auditChoices, auditPage as readAuditPage, auditSelection, detailPairs, type AuditFilter } from '../data/audit.ts';
import { actionLabel, auditPage, targetLabel, viaLabel } from '../pages/audit.ts';
import type { RouteKit } from '../web/plugin.ts';
import { sendDownload } from '../web/download.ts';

function filterOf(req: FastifyRequest): AuditFilter {
  const q = req.query as Record<string, unknown>;
  const text = (k: string, max: number) => (typeof q[k] === 'string' && q[k] ? String(q[k]).slice(0, max) : undefined);
  return { person: text('person', 40), action: text('action', 60), from: text('from', 10), to: text('to', 10) };
}

export function registerAudit(scope: FastifyInstance, kit: RouteKit): void {
  const { services } = kit;
  const tz = services.config.LINLI_TIMEZONE;

  scope.get('/c/:slug/audit', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    requirePermission(v.actor, 'audit.read', community.id);
    const f = filterOf(req);
    const page = Math.max(0, (Number.parseInt(String((req.query as { page?: string }).page ?? '1'), 10) || 1) - 1);
    const [data, choices] = await Promise.all([readAuditPage(services.db, community.id, f, page, tz), auditChoices(services.db, community.id)]);
    const frame = kit.frame(req, v, { title: v.t('webconsole.audit.title'), community, section: 'audit' });
    return kit.send(reply, auditPage(frame, services.i18n, community, data, choices, f, tz));
  });

  scope.get('/c/:slug/audit.:format', async (req, reply) => {
    const { v, community } = await kit.community(req, reply);
    const { format } = req.params as { format: string };
    if (format !== 'csv' && format !== 'xlsx') return reply.callNotFound();
    requirePermission(v.actor, 'audit.read', community.id);
    const f = filterOf(req);
    const rows = await auditSelection(services.db, community.id, f, tz);
    const t = v.t;
    const data = await writeTableToBuffer({
      format,
      timeZone: tz,
      sheets: [
        {
          name: t('webconsole.audit.title'),
          columns: [
            { key: 'at', header: t('webconsole.audit.h_at'), kind: 'datetime' },
            { key: 'who', header: t('webconsole.audit.h_who') },
            { key: 'action', header: t('webconsole.audit.h_action') },
            { key: 'code', header: t('webconsole.audit.h_code') },
            { key: 'target', header: t('webconsole.audit.h_target') },
            { key: 'targetId', header: t('webconsole.audit.h_target_id') },
            { key: 'details', header: t('webconsole.audit.h_details') },
            { key: 'via', header: t('webconsole.audit.h_via') },
          ],
          rows: rows.map((r) => ({
            at: r.at,
            who: r.actorName ?? r.actorId ?? t('webconsole.audit.system'),
            action: actionLabel(services.i18n, v.locale, r.action),
            code: r.action,
            target: targetLabel(services.i18n, v.locale, r.targetType) || r.targetType,
            targetId: r.targetId,
            details: detailPairs(r.details, 20).map(([k, val]) => `${k}: ${val}`).join('; '),
            via: viaLabel(services.i18n, v.locale, r.via),
          })),
        },
      ],
    });
    await recordAudit(services.db, { actorId: v.person.id, via: 'console', action: 'export', communityId: community.id, targetType: 'audit', details: { rows: rows.length, ...f } });
    return sendDownload(reply, `audit-${community.slug}.${format}`, format, data);
  });
}
