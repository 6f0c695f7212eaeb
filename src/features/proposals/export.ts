/**
 * The proposals export: every proposal of a community with status, category, cost, seconds,
 * dates and outcome. The only personal datum is the display name the author chose.
 */
import type { ExporterDef } from '../../core/feature.ts';
import type { Db } from '../../db/client.ts';
import { exportRows, type ProposalWithSeconds } from '../../domain/proposals/queries.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { writeTableToBuffer, type TableRow, type TableSheet } from '../../export/table.ts';
import { categoryLabel } from '../../domain/proposals/rules.ts';
import { statusLabel } from './render.ts';

const COLUMNS = ['number', 'title', 'category', 'status', 'cost', 'budget', 'seconds', 'submitted', 'decided', 'completed', 'outcome', 'author'] as const;

/** A local date-time for spreadsheets ("2026-11-22 09:00"), in the deployment's time zone. */
function localTime(d: Date | null, timeZone: string): string | null {
  if (!d) return null;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

async function outcome(db: Db, t: TFn, p: ProposalWithSeconds): Promise<string> {
  if (p.status === 'merged' && p.mergedIntoId) {
    const into = await db.proposal.findUnique({ where: { id: p.mergedIntoId }, select: { number: true } });
    return t('proposals.export.merged_into', { number: into?.number ?? '?' });
  }
  if (p.satisfactionRate !== null) return t('proposals.export.satisfaction', { share: p.satisfactionRate });
  return p.statusReason ?? '';
}

/** The export as one sheet, with translated headers and labels. */
export function proposalsSheet(db: Db, t: TFn, communityId: string, timeZone: string): TableSheet {
  async function* rows(): AsyncGenerator<TableRow> {
    for await (const p of exportRows(db, communityId)) {
      yield {
        number: p.number,
        title: p.title,
        category: categoryLabel(t, p.category),
        status: statusLabel(t, p.status),
        cost: p.costFen === null ? null : p.costFen / 100,
        budget: p.approvedBudgetFen === null ? null : p.approvedBudgetFen / 100,
        seconds: p.seconds,
        submitted: localTime(p.submittedAt, timeZone),
        decided: localTime(p.decidedAt, timeZone),
        completed: localTime(p.completedAt, timeZone),
        outcome: await outcome(db, t, p),
        author: p.authorName,
      };
    }
  }
  return { name: t('proposals.export.sheet'), columns: COLUMNS.map((key) => ({ key, header: t(`proposals.export.col_${key}`) })), rows: rows() };
}

/** File name of an export. */
export function exportFileName(slug: string, format: 'csv' | 'xlsx'): string {
  return `proposals-${slug}.${format}`;
}

/** The /export entry. */
export const proposalsExporter: ExporterDef = {
  id: 'proposals',
  label: 'proposals.export.label',
  async build(ctx, communityId, _itemId, format) {
    const community = await ctx.services.db.community.findUniqueOrThrow({ where: { id: communityId } });
    const data = await writeTableToBuffer({ format, sheets: [proposalsSheet(ctx.services.db, ctx.t, communityId, ctx.services.config.LINLI_TIMEZONE)] });
    return { name: exportFileName(community.slug, format), data };
  },
};
