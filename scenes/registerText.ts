/**
 * The words of the household register, shared by the /register scene, the register feature and
 * `linli register`: a refused file's problems, an import's preview and result, and the
 * verification progress. Plain text, so the same rendering serves chats and the terminal.
 */
import type { TFn } from '../src/i18n/i18n.ts';
import type { ImportResult } from '../src/domain/register/apply.ts';
import type { ChangeField, ImportPlan, PlannedChange } from '../src/domain/register/plan.ts';
import type { BuildingDetail, RegisterProgress } from '../src/domain/register/progress.ts';
import type { RegisterProblem, RegisterRefused, RegisterTable } from '../src/domain/register/table.ts';

/** Problems listed in a chat message; the rest are counted. */
export const PROBLEMS_SHOWN = 15;
/** Example lines per section of a preview. */
export const PREVIEW_SAMPLES = 10;

/** One problem with its location: "第12行 C列“房号”：…". */
export function problemLine(t: TFn, p: RegisterProblem): string {
  const where =
    p.line !== undefined && p.column !== undefined
      ? t('register.at_cell', { line: p.line, column: p.column, heading: p.heading ?? '' })
      : p.line !== undefined
        ? t('register.at_row', { line: p.line })
        : p.column !== undefined
          ? t('register.at_column', { column: p.column, heading: p.heading ?? '' })
          : '';
  return `${where}${t(p.key, p.params)}`;
}

/** Why a file was refused, problem by problem. */
export function renderRefusal(t: TFn, refused: RegisterRefused, shown = PROBLEMS_SHOWN): string {
  const lines = [t('register.refused_title', { count: refused.total }), ''];
  for (const p of refused.problems.slice(0, shown)) lines.push(`· ${problemLine(t, p)}`);
  if (refused.total > shown) lines.push(t('register.refused_more', { count: refused.total - shown }));
  lines.push('', t('register.refused_footer'));
  return lines.join('\n');
}

type ValueField = Exclude<ChangeField, 'reactivated' | 'joined'>;

/** A field's stored value and the file's, as a preview shows them. */
function valuesOf(t: TFn, field: ValueField, change: PlannedChange): { from: string; to: string } {
  const { before, row } = change;
  const pairs: Record<ValueField, [unknown, unknown]> = {
    building: [before.building, row.building],
    group: [before.group, row.group],
    residents: [before.residents, row.residents],
    kind: [before.kind, row.kind],
    head: [before.headName, row.headName],
  };
  const show = (v: unknown) => (v === null || v === undefined || v === '' ? t('register.empty_value') : field === 'kind' ? t(`register.kind_${v}`) : String(v));
  return { from: show(pairs[field][0]), to: show(pairs[field][1]) };
}

/** "常住人数 3→4，户别 户籍→租住". Head names appear only in the committee's own preview. */
function changeText(t: TFn, change: PlannedChange): string {
  return change.fields
    .map((f) => (f === 'reactivated' || f === 'joined' ? t(`register.field_${f}`) : t('register.preview_change_value', { field: t(`register.field_${f}`), ...valuesOf(t, f, change) })))
    .join(t('register.list_separator'));
}

/** The names of the columns a file had that Linli did not read. */
function ignoredText(t: TFn, table: RegisterTable): string {
  return table.ignored.map((c) => t(c.sensitive ? 'register.preview_ignored_sensitive' : 'register.preview_ignored_column', { column: c.column, heading: c.heading })).join(t('register.list_separator'));
}

/** The preview of an import: counts, notes and examples of each kind of change. */
export function renderPreview(t: TFn, input: { file: string; community: string; table: RegisterTable; plan: ImportPlan }, samples = PREVIEW_SAMPLES): string {
  const { table, plan } = input;
  const sep = t('register.list_separator');
  const lines = [t('register.preview_title', { file: input.file, community: input.community })];
  const read = [t('register.preview_read', { rows: table.rows.length })];
  if (table.skippedTotals) read.push(t('register.preview_skipped_totals', { count: table.skippedTotals }));
  lines.push(read.join(''));
  if (table.filledDown) lines.push(t('register.preview_filled_down', { count: table.filledDown }));
  lines.push(t('register.preview_counts', { added: plan.added.length, changed: plan.changed.length, unchanged: plan.unchanged, missing: plan.missing.length }));
  if (plan.missing.length) lines.push(t('register.preview_missing_note'));
  if (plan.newBuildings.length) lines.push(t('register.preview_new_buildings', { names: plan.newBuildings.slice(0, 30).join(sep) + (plan.newBuildings.length > 30 ? '…' : '') }));
  if (plan.newGroups.length) lines.push(t('register.preview_new_groups', { names: plan.newGroups.slice(0, 30).join(sep) + (plan.newGroups.length > 30 ? '…' : '') }));
  if (plan.added.length && (plan.changed.length || plan.missing.length || plan.unchanged)) {
    lines.push('', t('register.preview_added_title', { shown: Math.min(samples, plan.added.length) }));
    for (const r of plan.added.slice(0, samples)) lines.push(t('register.preview_unit_line', { unit: r.unit }));
  }
  if (plan.changed.length) {
    lines.push('', t('register.preview_changed_title', { shown: Math.min(samples, plan.changed.length) }));
    for (const c of plan.changed.slice(0, samples)) lines.push(t('register.preview_changed_line', { unit: c.row.unit, fields: changeText(t, c) }));
  }
  if (plan.missing.length) {
    lines.push('', t('register.preview_missing_title', { shown: Math.min(samples, plan.missing.length) }));
    for (const m of plan.missing.slice(0, samples)) lines.push(t('register.preview_unit_line', { unit: m.unit }));
  }
  if (table.ignored.length) lines.push('', t('register.preview_ignored', { columns: ignoredText(t, table) }));
  if (!plan.added.length && !plan.changed.length && !plan.missing.length) lines.push('', t('register.preview_nothing'));
  return lines.join('\n');
}

/** True when applying the plan would change anything. */
export function planChangesSomething(plan: ImportPlan): boolean {
  return plan.added.length + plan.changed.length + plan.missing.length > 0;
}

/** What an import did. */
export function renderImported(t: TFn, community: string, result: ImportResult): string {
  const { plan } = result;
  const lines = [t('register.imported', { community, added: plan.added.length, changed: plan.changed.length, unchanged: plan.unchanged, missing: plan.missing.length })];
  if (result.revokedSlips) lines.push(t('register.imported_revoked', { count: result.revokedSlips }));
  return lines.join('\n');
}

/** The register's progress: totals, then one line per building. */
export function renderProgress(t: TFn, community: string, progress: RegisterProgress): string {
  const whole = progress.scope === 'all';
  const lines = [t(whole ? 'register.status_title' : 'register.status_own_title', { community })];
  if (!progress.buildings.length) {
    lines.push(t(whole ? 'register.status_none' : 'register.status_none_lead'));
    return lines.join('\n');
  }
  lines.push(t('register.status_totals', { households: progress.households, verified: progress.verified, share: progress.share }));
  if (whole && progress.lastImportAt) lines.push(t('register.status_last_import', { when: progress.lastImportAt }));
  if (progress.inactive) lines.push(t('register.status_inactive', { count: progress.inactive }));
  if (progress.outside) lines.push(t('register.status_outside', { count: progress.outside }));
  lines.push('');
  for (const b of progress.buildings) lines.push(t('register.status_building_line', { name: b.name, households: b.households, verified: b.verified, share: b.share }));
  return lines.join('\n');
}

/** One building: its figures, its leads (committee view) and the households not verified yet. */
export function renderBuilding(t: TFn, detail: BuildingDetail, leads: string[] | null): string {
  const lines = [t('register.building_title', { building: detail.name, households: detail.households, verified: detail.verified, share: detail.share })];
  if (leads) lines.push(leads.length ? t('register.building_leads', { names: leads.join(t('register.list_separator')) }) : t('register.building_no_leads'));
  if (!detail.pending.length) {
    lines.push(t('register.building_all_verified'));
    return lines.join('\n');
  }
  lines.push('', t('register.building_pending_title', { count: detail.pending.length }));
  lines.push(
    detail.pending
      .map((h) => (h.headName ? t('register.building_pending_line_head', { unit: h.unit, head: h.headName }) : t('register.building_pending_line', { unit: h.unit })))
      .join(t('register.list_separator')),
  );
  return lines.join('\n');
}
