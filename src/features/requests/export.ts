/**
 * The requests export: a sheet of monthly figures (the last twelve months) and a sheet of every
 * request — number, category, status, dates, deadline, whether it was answered in time, working
 * days to the answer, who held it (a role or the outside unit) and the rating. Never the
 * resident's words, photo or name: exports go to staff, who do not see requests.
 */
import type { ExporterDef } from '../../core/feature.ts';
import type { Db } from '../../db/client.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { writeTableToBuffer, type TableRow, type TableSheet } from '../../export/table.ts';
import { exportRows } from '../../domain/requests/queries.ts';
import { requestRules } from '../../domain/requests/rules.ts';
import { monthOf, monthStats, previousMonth } from '../../domain/requests/stats.ts';
import { workingDaysBetween } from '../../domain/requests/workdays.ts';
import { categoryLabel, ratingLabel, statusLabel } from './render.ts';

const STATS_COLUMNS = ['month', 'received', 'answered', 'inTime', 'overdue', 'meanDays', 'rated', 'satisfied', 'basic', 'dissatisfied', 'rate'] as const;
const LIST_COLUMNS = ['number', 'category', 'status', 'received', 'due', 'assigned', 'holder', 'replied', 'inTime', 'days', 'closed', 'escalated', 'rating', 'proposal'] as const;

/** The last `months` months up to `now`'s, oldest first. */
export function recentMonths(now: Date, timeZone: string, months = 12): string[] {
  const out = [monthOf(now, timeZone)];
  while (out.length < months) out.unshift(previousMonth(out[0]));
  return out;
}

/** Both sheets, with translated headers. */
export function requestSheets(db: Db, t: TFn, communityId: string, timeZone: string, now: Date): TableSheet[] {
  async function* stats(): AsyncGenerator<TableRow> {
    for (const month of recentMonths(now, timeZone)) {
      const s = await monthStats(db, communityId, month, timeZone, now);
      yield { month, received: s.received, answered: s.answered, inTime: s.answeredInTime, overdue: s.overdue, meanDays: s.meanDaysToAnswer, rated: s.rated, satisfied: s.satisfied, basic: s.basic, dissatisfied: s.dissatisfied, rate: s.satisfactionRate };
    }
  }
  async function* list(): AsyncGenerator<TableRow> {
    const rules = await requestRules(db, communityId);
    for (const r of await exportRows(db, communityId)) {
      yield {
        number: r.number,
        category: categoryLabel(t, r.category),
        status: statusLabel(t, r.status),
        received: r.createdAt,
        due: r.dueAt,
        assigned: r.assignedAt,
        holder: r.assigneeKind === 'unit' ? r.unitName : r.assigneeKind === 'person' ? t('requests.holder.person') : t('requests.holder.none'),
        replied: r.repliedAt,
        inTime: r.repliedAt ? t(r.repliedAt <= r.dueAt ? 'requests.export.yes' : 'requests.export.no') : null,
        days: r.repliedAt ? Math.round(workingDaysBetween(r.createdAt, r.repliedAt, timeZone, rules.calendar) * 100) / 100 : null,
        closed: r.closedAt,
        escalated: r.escalatedAt,
        rating: r.satisfaction ? ratingLabel(t, r.satisfaction) : null,
        proposal: r.proposalId ? t('requests.export.yes') : null,
      };
    }
  }
  const time = new Set(['received', 'due', 'assigned', 'replied', 'closed', 'escalated']);
  return [
    { name: t('requests.export.stats_sheet'), columns: STATS_COLUMNS.map((key) => ({ key, header: t(`requests.export.stats_col_${key}`), ...(key === 'rate' ? { kind: 'percent' as const } : {}) })), rows: stats() },
    { name: t('requests.export.list_sheet'), columns: LIST_COLUMNS.map((key) => ({ key, header: t(`requests.export.list_col_${key}`), ...(time.has(key) ? { kind: 'datetime' as const } : {}) })), rows: list() },
  ];
}

export const requestsExporter: ExporterDef = {
  id: 'requests',
  label: 'requests.export.label',
  async build(ctx, communityId, _itemId, format) {
    const community = await ctx.services.db.community.findUniqueOrThrow({ where: { id: communityId } });
    const tz = ctx.services.config.LINLI_TIMEZONE;
    const data = await writeTableToBuffer({ format, timeZone: tz, sheets: requestSheets(ctx.services.db, ctx.t, communityId, tz, ctx.services.clock()) });
    return { name: `requests-${community.slug}.${format}`, data };
  },
};
