/**
 * 操作记录: the community's audit log with filters by person, action and dates, page by page,
 * and the same selection as a CSV or XLSX file.
 */
import type { Community } from '../../../generated/prisma/client.ts';
import type { Translator } from '../../../i18n/i18n.ts';
import { formatDateTime } from '../../../i18n/format.ts';
import { formatPeriod } from '../../../i18n/periods.ts';
import { detailEntries, type AuditFilter, type AuditRow } from '../data/audit.ts';
import { html } from '../web/html.ts';
import { communityPath, page, type Frame } from './layout.ts';
import { when } from './parts.ts';

/** An action's name in the reader's language, or its code when it has none yet. */
export function actionLabel(i18n: Pick<Translator, 'has' | 't'>, locale: string, action: string): string {
  const key = `webconsole.audit.actions.${action.replace(/[^a-z0-9_]/gi, '_')}`;
  return i18n.has(locale, key) ? i18n.t(locale, key) : action;
}

/** Where an action came from, in the reader's language (its code for one we have no name for). */
export function viaLabel(i18n: Pick<Translator, 'has' | 't'>, locale: string, via: string): string {
  const key = `webconsole.audit.via.${via.replace(/[^a-z0-9_]/gi, '_')}`;
  return i18n.has(locale, key) ? i18n.t(locale, key) : via;
}

/** What an entry is about ("投票", "公告"), or nothing for a kind we have no name for yet. */
export function targetLabel(i18n: Pick<Translator, 'has' | 't'>, locale: string, type: string | null): string {
  if (!type) return '';
  const key = `webconsole.audit.targets.${type.replace(/[^a-z0-9_]/gi, '_')}`;
  return i18n.has(locale, key) ? i18n.t(locale, key) : '';
}

/** A stored instant ("2026-11-18T02:00:00.000Z"), which the page shows on the wall clock. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

/**
 * The details a person can read: each key by its name, each value in words (times on the wall
 * clock, periods as 2026年第四季度, yes/no, roles by name). Record ids and fingerprints are for
 * machines: they stay in the stored entry and the download, not on the page.
 */
export function readableDetails(i18n: Pick<Translator, 'has' | 't'>, locale: string, tz: string, details: string | null): [string, string][] {
  const entries = detailEntries(details, 12);
  if (!entries) return [];
  const t = (key: string) => i18n.t(locale, key);
  const value = (key: string, v: unknown): string => {
    if (typeof v === 'boolean') return t(v ? 'webconsole.audit.yes' : 'webconsole.audit.no');
    if (v === 'all') return t('webconsole.audit.all');
    if (typeof v === 'string' && INSTANT.test(v)) return formatDateTime(new Date(v), locale, tz);
    if (typeof v === 'string' && key === 'period') return formatPeriod(v, locale);
    if (typeof v === 'string' && key === 'role' && i18n.has(locale, `roles.${v}`)) return t(`roles.${v}`);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(t('scope.separator'));
    return [...(typeof v === 'string' ? v : JSON.stringify(v))].slice(0, 80).join('');
  };
  return entries
    .filter(([k]) => !/(Id|Ids|Hash|hash)$/.test(k))
    .map(([k, v]) => {
      const label = `webconsole.audit.details.${k.replace(/[^a-z0-9_]/gi, '_')}`;
      return [i18n.has(locale, label) ? t(label) : k, value(k, v)];
    });
}

function query(f: AuditFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The audit page. */
export function auditPage(
  frame: Frame,
  i18n: Pick<Translator, 'has' | 't'>,
  community: Community,
  data: { rows: AuditRow[]; page: number; pages: number; total: number },
  choices: { people: { id: string; name: string }[]; actions: string[] },
  f: AuditFilter,
  tz: string,
): string {
  const { t, locale, prefix } = frame;
  const base = communityPath(prefix, community, '/audit');
  const form = html`<form method="get" action="${base}" class="filters-form">
    <label>${t('webconsole.audit.f_person')}<select name="person"><option value="">${t('webconsole.audit.anyone')}</option>${choices.people.map((p) => html`<option value="${p.id}"${p.id === f.person ? html` selected` : ''}>${p.name}</option>`)}</select></label>
    <label>${t('webconsole.audit.f_action')}<select name="action"><option value="">${t('webconsole.audit.any_action')}</option>${choices.actions.map((a) => html`<option value="${a}"${a === f.action ? html` selected` : ''}>${actionLabel(i18n, locale, a)}</option>`)}</select></label>
    <label>${t('webconsole.audit.f_from')}<input type="date" name="from" value="${f.from ?? ''}"></label>
    <label>${t('webconsole.audit.f_to')}<input type="date" name="to" value="${f.to ?? ''}"></label>
    <button type="submit" class="primary">${t('webconsole.audit.apply')}</button>
    <a href="${base}">${t('webconsole.audit.reset')}</a>
  </form>`;
  const rows = data.rows.map(
    (r) => html`<tr>
      <td class="nowrap">${when(r.at, locale, tz)}</td>
      <td>${r.actorName ?? html`<span class="muted">${t(r.actorId ? 'webconsole.audit.unknown_person' : 'webconsole.audit.system')}</span>`}</td>
      <td>${actionLabel(i18n, locale, r.action)}</td>
      <td>${targetLabel(i18n, locale, r.targetType)}</td>
      <td class="small">${readableDetails(i18n, locale, tz, r.details).map(([k, v]) => html`<span class="pair"><span class="muted">${k}</span> ${v}</span>`)}</td>
      <td class="muted small">${viaLabel(i18n, locale, r.via)}</td>
    </tr>`,
  );
  const pager =
    data.pages > 1
      ? html`<nav class="pager">${data.page > 0 ? html`<a href="${`${base}${query(f, { page: String(data.page) })}`}">${t('webconsole.pager.prev')}</a>` : ''}<span>${t('webconsole.pager.of', { page: data.page + 1, pages: data.pages })}</span>${data.page + 1 < data.pages ? html`<a href="${`${base}${query(f, { page: String(data.page + 2) })}`}">${t('webconsole.pager.next')}</a>` : ''}</nav>`
      : '';
  return page(
    frame,
    html`<h2 class="page-title">${t('webconsole.audit.title')}</h2>
    <section class="card">${form}</section>
    <section class="card">
      <header class="card-head"><h2>${t('webconsole.audit.found', { count: data.total })}</h2>
        <div class="actions"><a class="button" href="${`${base}.csv${query(f)}`}" download>${t('webconsole.audit.download_csv')}</a><a class="button" href="${`${base}.xlsx${query(f)}`}" download>${t('webconsole.audit.download_xlsx')}</a></div></header>
      ${rows.length
        ? html`<div class="table-wrap"><table class="list audit"><thead><tr><th>${t('webconsole.audit.h_at')}</th><th>${t('webconsole.audit.h_who')}</th><th>${t('webconsole.audit.h_action')}</th><th>${t('webconsole.audit.h_target')}</th><th>${t('webconsole.audit.h_details')}</th><th>${t('webconsole.audit.h_via')}</th></tr></thead><tbody>${rows}</tbody></table></div>${pager}`
        : html`<p class="empty">${t('webconsole.audit.empty')}</p>`}
    </section>`,
  );
}
