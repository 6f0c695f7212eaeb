/**
 * The words of a returned-ballots file (/paper → 上传登记表): a file refused as a whole, and the
 * preview or report of its rows — how many entered, each refused row with its reason. Plain
 * text, so `linli poll paper --file` prints the same (the summary on stdout, the refused rows,
 * all of them, on stderr).
 */
import type { PaperBatchRefused, PaperBatchReport, BatchLine } from '../src/domain/polls/paperBatch.ts';
import type { TFn } from '../src/i18n/i18n.ts';
import { problemLine } from './registerText.ts';

/** Entered rows listed by name; the rest are counted. */
const ENTERED_SHOWN = 10;
/** Refused rows listed (each is a ballot to set aside). */
const REFUSED_SHOWN = 30;

/** A refused row: "第12行：3栋-2单元-501已于…" (with its column where the cell is the problem). */
export function refusedLine(t: TFn, line: BatchLine): string {
  const { key, params } = line.refusal!;
  const column = typeof params.column === 'string' ? params.column : undefined;
  const heading = typeof params.heading === 'string' ? params.heading : undefined;
  return problemLine(t, { key, line: line.line, column, heading, params });
}

/** Why a file was refused, problem by problem. */
export function renderBatchRefusal(t: TFn, refused: PaperBatchRefused): string {
  return [t('ballots.batch_refused', { count: refused.total }), '', ...refused.problems.map((p) => `· ${problemLine(t, p)}`)].join('\n');
}

/** The title of a preview (dry run) or report, with the entered rows (the first `shown`). `labels` names the marked options. */
export function renderBatchSummary(t: TFn, report: PaperBatchReport, file: string, labels: (positions: number[]) => string, shown = ENTERED_SHOWN): string {
  const counts = { number: report.number, file, entered: report.entered.length, refused: report.refused.length };
  const out = [t(report.dryRun ? 'ballots.batch_preview_title' : 'ballots.batch_done_title', counts)];
  if (report.entered.length) {
    out.push('');
    for (const l of report.entered.slice(0, shown)) out.push(`· ${t('ballots.batch_entered_line', { unit: l.unit ?? '', labels: labels(l.positions) })}`);
    if (report.entered.length > shown) out.push(t('ballots.batch_entered_more', { count: report.entered.length - shown }));
  }
  return out.join('\n');
}

/** The refused rows with their reasons (the first `shown`), under their heading; '' when none. */
export function renderBatchRefused(t: TFn, report: PaperBatchReport, shown = REFUSED_SHOWN): string {
  if (!report.refused.length) return '';
  const out = [t('ballots.batch_refused_heading')];
  for (const l of report.refused.slice(0, shown)) out.push(`· ${refusedLine(t, l)}`);
  if (report.refused.length > shown) out.push(t('ballots.batch_refused_more', { count: report.refused.length - shown }));
  return out.join('\n');
}

/** The preview (dry run) or the report of a batch, as a chat shows it. `labels` names the marked options. */
export function renderBatchReport(t: TFn, report: PaperBatchReport, file: string, labels: (positions: number[]) => string): string {
  return [renderBatchSummary(t, report, file, labels), renderBatchRefused(t, report)].filter(Boolean).join('\n\n');
}
