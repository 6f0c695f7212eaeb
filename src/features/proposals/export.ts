/**
 * The proposals export: every proposal of a community with status, category, cost, seconds,
 * dates and outcome. The only personal datum is the display name the author chose.
 */
import { readableFileName } from '../../export/fileName.ts';
import type { ExporterDef } from '../../core/feature.ts';
import type { Db } from '../../db/client.ts';
import { exportRows, type ProposalWithSeconds } from '../../domain/proposals/queries.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { writeTableToBuffer, type TableRow, type TableSheet } from '../../export/table.ts';
import { categoryLabel } from '../../domain/proposals/rules.ts';
import { statusLabel } from './render.ts';

/** Dates a clerk sorts and filters by: Excel dates in the community's time zone. */
const DATE_COLUMNS: ReadonlySet<string> = new Set(['submitted', 'decided', 'completed']);

const COLUMNS = ['number', 'title', 'category', 'status', 'cost', 'budget', 'seconds', 'submitted', 'decided', 'completed', 'outcome', 'author'] as const;

async function outcome(db: Db, t: TFn, p: ProposalWithSeconds): Promise<string> {
  if (p.status === 'merged' && p.mergedIntoId) {
    const into = await db.proposal.findUnique({ where: { id: p.mergedIntoId }, select: { number: true } });
    return t('proposals.export.merged_into', { number: into?.number ?? '?' });
  }
  if (p.satisfactionRate !== null) return t('proposals.export.satisfaction', { share: p.satisfactionRate });
  return p.statusReason ?? '';
}

/** The export as one sheet, with translated headers and labels. */
export function proposalsSheet(db: Db, t: TFn, communityId: string): TableSheet {
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
        submitted: p.submittedAt,
        decided: p.decidedAt,
        completed: p.completedAt,
        outcome: await outcome(db, t, p),
        author: p.authorName,
      };
    }
  }
  return { name: t('proposals.export.sheet'), columns: COLUMNS.map((key) => ({ key, header: t(`proposals.export.col_${key}`), kind: DATE_COLUMNS.has(key) ? 'datetime' : undefined })), rows: rows() };
}

/** File name of an export: 民生微实事-巴登社区.xlsx in the reader's language. */
export function exportFileName(t: TFn, communityName: string, format: 'csv' | 'xlsx'): string {
  return readableFileName(t('exports.file_proposals', { community: communityName }), format);
}

/** The /export entry. */
export const proposalsExporter: ExporterDef = {
  id: 'proposals',
  label: 'proposals.export.label',
  async build(ctx, communityId, _itemId, format) {
    const community = await ctx.services.db.community.findUniqueOrThrow({ where: { id: communityId } });
    const data = await writeTableToBuffer({ format, timeZone: ctx.services.i18n.timeZone, sheets: [proposalsSheet(ctx.services.db, ctx.t, communityId)] });
    return { name: exportFileName(ctx.t, community.name, format), data };
  },
};
