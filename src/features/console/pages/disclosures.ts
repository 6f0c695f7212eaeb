/**
 * 居务公开: the chain check in plain words, the community's disclosures, the form to publish one
 * from a CSV/XLSX statement (or a text), the preview of exactly what will be published, and a
 * disclosure's page with its versions and the correction form.
 */
import { randomBytes } from 'node:crypto';
import type { Community, Disclosure, DisclosureVersion } from '../../../generated/prisma/client.ts';
import { communityCategories } from '../../../domain/disclosures/categories.ts';
import type { ChainReport } from '../../../domain/disclosures/chain.ts';
import { headCode } from '../../../domain/disclosures/chain.ts';
import { PERIOD_MAX, REASON_MAX, statementOf, TITLE_MAX, type ListedDisclosure } from '../../../domain/disclosures/disclosures.ts';
import { MAX_FILE_BYTES } from '../../../domain/disclosures/files.ts';
import type { Statement } from '../../../domain/disclosures/statement.ts';
import { formatAmount, formatItemDate, renderTotals } from '../../disclosures/render.ts';
import { categoryLabel } from '../../../domain/disclosures/categories.ts';
import { formatPeriod } from '../../../i18n/periods.ts';
import type { DisclosureDraftView } from '../actions/disclosures.ts';
import { html, type Html } from '../web/html.ts';
import { communityPath, formGuard, page, type Frame } from './layout.ts';
import { chip, when } from './parts.ts';

const formId = () => randomBytes(16).toString('base64url');

/** The chain's state in one sentence a clerk can act on. */
function chainCard(frame: Frame, report: ChainReport | undefined): Html {
  const { t } = frame;
  if (!report || !report.links) return html`<section class="card"><header class="card-head"><h2>${t('webconsole.disclosures.chain_title')}</h2>${chip('muted', t('webconsole.disclosures.chain_empty'))}</header></section>`;
  const ok = !report.problems.length;
  return html`<section class="card"><header class="card-head"><h2>${t('webconsole.disclosures.chain_title')}</h2>${ok ? chip('ok', t('webconsole.disclosures.chain_ok')) : chip('bad', t('webconsole.disclosures.chain_broken', { count: report.problems.length }))}</header>
    <p>${ok ? t('webconsole.disclosures.chain_ok_line', { count: report.links, code: report.headHash ? headCode(report.headHash) : '' }) : t('webconsole.disclosures.chain_broken_line')}</p>
    ${ok ? '' : html`<ul class="plain">${report.problems.slice(0, 10).map((p) => html`<li>${t(`webconsole.disclosures.problem.${p.kind}`, { number: p.disclosureNumber ?? '—', version: p.version ?? '—' })}</li>`)}</ul>`}
  </section>`;
}

/** A statement as a table: every line item, then the totals the domain checked. */
export function statementTable(frame: Frame, s: Statement): Html {
  const { t, locale } = frame;
  return html`<div class="table-wrap"><table class="list statement"><thead><tr><th>${t('disclosures.export_col.date')}</th><th>${t('disclosures.export_col.item')}</th><th>${t('disclosures.export_col.type')}</th><th class="n">${t('disclosures.export_col.amount')}</th><th>${t('disclosures.export_col.fund')}</th></tr></thead>
    <tbody>${s.items.map((i) => html`<tr><td class="nowrap">${i.date ? formatItemDate(i.date, locale) : ''}</td><td>${i.item}</td><td>${t(`disclosures.type_${i.type}`)}</td><td class="n ${i.type}">${formatAmount(i.amountFen, locale)}</td><td class="muted">${i.fund ?? ''}</td></tr>`)}</tbody></table></div>
    <div class="totals">${renderTotals(t, locale, s).map((line, i) => (i === 0 ? html`<strong>${line}</strong>` : html`<span>${line}</span>`))}</div>`;
}

/** The fields of the publish form, kept when the domain refused what was sent. */
export interface PublishFormValues {
  category?: string;
  period?: string;
  title?: string;
  note?: string;
}

function publishForm(frame: Frame, community: Community, values: PublishFormValues): Html {
  const { t, visitor, prefix } = frame;
  return html`<section class="card" id="publish"><header class="card-head"><h2>${t('webconsole.disclosures.publish_title')}</h2></header>
    <form method="post" action="${communityPath(prefix, community, '/disclosures/preview')}" enctype="multipart/form-data" class="move wide">${formGuard(visitor!.csrf)}
      <div class="form-row">
        <label>${t('webconsole.disclosures.f_category')}<select name="category" required>${communityCategories(community).map((k) => html`<option value="${k}"${k === values.category ? html` selected` : ''}>${categoryLabel(t, k)}</option>`)}</select></label>
        <label>${t('webconsole.disclosures.f_period')}<input name="period" maxlength="${PERIOD_MAX}" required placeholder="${t('webconsole.disclosures.period_example')}" value="${values.period ?? ''}"></label>
      </div>
      <label>${t('webconsole.disclosures.f_title', { max: TITLE_MAX })}<input name="title" maxlength="${TITLE_MAX}" required value="${values.title ?? ''}"></label>
      <label>${t('webconsole.disclosures.f_file', { mb: MAX_FILE_BYTES / 1024 / 1024 })}<input type="file" name="file" accept=".csv,.xlsx,.md,.txt"></label>
      <label>${t('webconsole.disclosures.f_note')}<textarea name="note" rows="4">${values.note ?? ''}</textarea></label>
      <p class="muted small">${t('webconsole.disclosures.publish_hint')}</p>
      <button type="submit" class="primary" id="preview">${t('webconsole.disclosures.preview_button')}</button>
    </form></section>`;
}

/** The list page (with the form, and the domain's refusal above it when there was one). */
export function disclosuresPage(
  frame: Frame,
  community: Community,
  report: ChainReport | undefined,
  list: { items: ListedDisclosure[]; total: number },
  mayPublish: boolean,
  values: PublishFormValues,
  tz: string,
): string {
  const { t, locale, prefix } = frame;
  const rows = list.items.map(
    ({ disclosure: d, latest: v }) => html`<tr>
      <td class="num">#${d.number}</td>
      <td><a href="${communityPath(prefix, community, `/disclosures/${d.number}`)}">${v.title}</a>${v.version > 1 ? html` ${chip('info', t('webconsole.dashboard.corrected', { v: v.version }))}` : ''}</td>
      <td>${categoryLabel(t, d.category)}</td>
      <td>${formatPeriod(d.period, locale)}</td>
      <td class="nowrap small">${when(v.publishedAt, locale, tz)}</td>
      <td class="code nowrap">${headCode(v.hash)}</td>
    </tr>`,
  );
  return page(
    frame,
    html`<h2 class="page-title">${t('webconsole.disclosures.title')}</h2>
    ${chainCard(frame, report)}
    <section class="card"><header class="card-head"><h2>${t('webconsole.disclosures.list_title', { n: list.total })}</h2></header>
      ${rows.length ? html`<div class="table-wrap"><table class="list"><thead><tr><th>${t('webconsole.polls.h_number')}</th><th>${t('disclosures.export_col.title')}</th><th>${t('disclosures.export_col.category')}</th><th>${t('disclosures.export_col.period')}</th><th>${t('disclosures.export_col.publishedAt')}</th><th>${t('webconsole.disclosures.h_code')}</th></tr></thead><tbody>${rows}</tbody></table></div>` : html`<p class="empty">${t('webconsole.dashboard.no_disclosures')}</p>`}
    </section>
    ${mayPublish ? publishForm(frame, community, values) : ''}`,
  );
}

/** The preview: exactly what the confirmation will publish. */
export function previewPage(frame: Frame, community: Community, draftId: string, view: DisclosureDraftView): string {
  const { t, locale, visitor, prefix } = frame;
  const back = view.correction ? communityPath(prefix, community, `/disclosures/${view.correction.number}`) : `${communityPath(prefix, community, '/disclosures')}#publish`;
  return page(
    frame,
    html`<h2 class="page-title">${view.correction ? t('webconsole.disclosures.preview_correction_title', { number: view.correction.number }) : t('webconsole.disclosures.preview_title')}</h2>
    <p class="notice warn">${t(view.correction ? 'webconsole.disclosures.preview_correction_lead' : 'webconsole.disclosures.preview_lead')}</p>
    <section class="card">
      <h2 class="doc-title">${t('disclosures.heading', { category: categoryLabel(t, view.category), title: view.title })}</h2>
      <p class="muted">${t('disclosures.preview_period', { period: formatPeriod(view.period, locale) })}${view.fileName ? html` · ${t('webconsole.disclosures.from_file', { name: view.fileName })}` : ''}</p>
      ${view.correction ? html`<p class="outcome">${t('disclosures.preview_reason', { reason: view.correction.reason })}</p>` : ''}
      ${view.body ? html`<p class="prose">${view.body}</p>` : ''}
      ${view.statement ? statementTable(frame, view.statement) : ''}
    </section>
    <form method="post" action="${communityPath(prefix, community, '/disclosures/confirm')}" class="actions">${formGuard(visitor!.csrf, formId())}
      <input type="hidden" name="draft" value="${draftId}">
      <button type="submit" class="primary big" id="confirm-publish">${t(view.correction ? 'webconsole.disclosures.confirm_correction' : 'webconsole.disclosures.confirm_publish')}</button>
      <a class="button" href="${back}">${t('webconsole.disclosures.back_to_form')}</a>
    </form>`,
  );
}

function versionBlock(frame: Frame, d: Disclosure, v: DisclosureVersion, tz: string): Html {
  const { t, locale } = frame;
  const s = statementOf(v);
  return html`<section class="card">
    <h2 class="doc-title">${t('disclosures.heading', { category: categoryLabel(t, d.category), title: v.title })}</h2>
    <p class="muted small">${t('disclosures.preview_period', { period: formatPeriod(d.period, locale) })} · ${when(v.publishedAt, locale, tz)} · ${t('webconsole.disclosures.head_code', { code: headCode(v.hash) })}</p>
    ${v.reason ? html`<p class="outcome">${t('disclosures.preview_reason', { reason: v.reason })}</p>` : ''}
    ${v.body ? html`<p class="prose">${v.body}</p>` : ''}
    ${s ? statementTable(frame, s) : ''}
  </section>`;
}

/** One disclosure: its current text, every version, and the correction form. */
export function disclosurePage(frame: Frame, community: Community, d: Disclosure & { versions: DisclosureVersion[] }, mayPublish: boolean, tz: string): string {
  const { t, locale, visitor, prefix } = frame;
  const latest = d.versions[d.versions.length - 1];
  const history = d.versions
    .slice()
    .reverse()
    .map((v) => html`<li>${t('webconsole.disclosures.version', { v: v.version })} · ${when(v.publishedAt, locale, tz)} · <span class="code">${headCode(v.hash)}</span>${v.reason ? html`<div class="small">${t('disclosures.preview_reason', { reason: v.reason })}</div>` : html`<div class="small muted">${t('webconsole.disclosures.first_version')}</div>`}</li>`);
  const correction = mayPublish
    ? html`<section class="card"><header class="card-head"><h2>${t('webconsole.disclosures.correct_title')}</h2></header>
      <form method="post" action="${communityPath(prefix, community, `/disclosures/${d.number}/preview`)}" enctype="multipart/form-data" class="move wide">${formGuard(visitor!.csrf)}
        <label>${t('webconsole.disclosures.f_reason', { max: REASON_MAX })}<input name="reason" maxlength="${REASON_MAX}" required></label>
        <label>${t('webconsole.disclosures.f_new_title')}<input name="title" maxlength="${TITLE_MAX}" placeholder="${latest.title}"></label>
        <label>${t('webconsole.disclosures.f_file', { mb: MAX_FILE_BYTES / 1024 / 1024 })}<input type="file" name="file" accept=".csv,.xlsx,.md,.txt"></label>
        <label>${t('webconsole.disclosures.f_note')}<textarea name="note" rows="4">${latest.body}</textarea></label>
        <p class="muted small">${t('webconsole.disclosures.correct_hint')}</p>
        <button type="submit" class="primary" id="preview-correction">${t('webconsole.disclosures.preview_button')}</button>
      </form></section>`
    : '';
  return page(
    frame,
    html`<p class="crumbs"><a href="${communityPath(prefix, community, '/disclosures')}">${t('webconsole.disclosures.title')}</a> ›</p>
    <div class="title-row"><h2 class="page-title"><span class="num">#${d.number}</span> ${latest.title}</h2>${latest.version > 1 ? chip('info', t('webconsole.dashboard.corrected', { v: latest.version })) : ''}</div>
    <div class="grid">
      <div class="span-2">${versionBlock(frame, d, latest, tz)}</div>
      <section class="card"><header class="card-head"><h2>${t('webconsole.disclosures.versions_title')}</h2></header><ul class="plain">${history}</ul></section>
    </div>
    ${correction}`,
  );
}
