/**
 * 民生微实事: the committee's review queue, every proposal by status, and one proposal's page
 * with its history, progress reports and the moves its status offers — the same moves as the
 * chat's review panel (the domain decides whether each is allowed).
 */
import { randomBytes } from 'node:crypto';
import type { Community } from '../../../generated/prisma/client.ts';
import { MAX_IMPLEMENTER, MAX_REASON } from '../../../domain/proposals/rules.ts';
import { STATUSES } from '../../../domain/proposals/states.ts';
import type { ProposalDetail, ProposalWithSeconds } from '../../../domain/proposals/queries.ts';
import { formatYuan } from '../../../i18n/format.ts';
import { statusLabel } from '../../proposals/render.ts';
import { categoryLabel } from '../../../domain/proposals/rules.ts';
import type { ReviewMove } from '../actions/proposals.ts';
import { html, type Html, type Part } from '../web/html.ts';
import { communityPath, formGuard, page, type Frame } from './layout.ts';
import { bar, chip, num, pct, when } from './parts.ts';

/** The moves offered per status, in the order of the chat's panel. */
const OFFERED: Record<string, readonly ReviewMove[]> = {
  submitted: ['start', 'shortlist', 'reject', 'merge'],
  under_review: ['shortlist', 'reject', 'merge'],
  shortlisted: ['reject'],
  approved: ['budget', 'progress'],
  in_progress: ['budget', 'progress', 'complete'],
};

const CHIP: Record<string, 'ok' | 'warn' | 'bad' | 'info' | 'muted'> = {
  submitted: 'info',
  under_review: 'warn',
  shortlisted: 'info',
  voting: 'info',
  approved: 'ok',
  in_progress: 'ok',
  completed: 'ok',
  evaluated: 'ok',
  rejected: 'bad',
  not_approved: 'bad',
  merged: 'muted',
};

function statusChip(frame: Frame, status: string): Html {
  return chip(CHIP[status] ?? 'muted', statusLabel(frame.t, status));
}

function rows(frame: Frame, community: Community, items: ProposalWithSeconds[], threshold: number, tz: string): Html {
  const { t, locale, prefix } = frame;
  return html`<div class="table-wrap"><table class="list"><thead><tr><th>${t('webconsole.review.h_number')}</th><th>${t('webconsole.review.h_title')}</th><th>${t('webconsole.review.h_status')}</th><th>${t('webconsole.review.h_seconds')}</th><th class="n">${t('webconsole.review.h_cost')}</th><th>${t('webconsole.review.h_submitted')}</th></tr></thead>
    <tbody>${items.map(
      (p) => html`<tr>
        <td class="num">#${p.number}</td>
        <td><a href="${communityPath(prefix, community, `/proposals/${p.number}`)}">${p.title}</a><div class="muted small">${categoryLabel(t, p.category)} · ${p.location} · ${p.authorName}</div></td>
        <td>${statusChip(frame, p.status)}</td>
        <td class="barcell">${bar(threshold ? p.seconds / threshold : 1, t('webconsole.review.seconds_line', { n: p.seconds, threshold }), 'votes')}</td>
        <td class="n">${p.costFen === null ? '—' : formatYuan(p.costFen, locale)}</td>
        <td class="nowrap small">${p.submittedAt ? when(p.submittedAt, locale, tz) : ''}</td>
      </tr>`,
    )}</tbody></table></div>`;
}

/** The queue and the list by status. */
export function proposalsPage(
  frame: Frame,
  community: Community,
  queue: ProposalWithSeconds[],
  list: { items: ProposalWithSeconds[]; page: number; pages: number; total: number },
  status: string | undefined,
  tz: string,
): string {
  const { t, prefix } = frame;
  const base = communityPath(prefix, community, '/proposals');
  const filters = html`<nav class="filters" aria-label="${t('webconsole.review.filter')}">
    ${[undefined, ...STATUSES.filter((s) => s !== 'draft')].map((s) => (s === status ? html`<strong>${s ? statusLabel(t, s) : t('webconsole.polls.all')}</strong>` : html`<a href="${s ? `${base}?status=${s}` : base}">${s ? statusLabel(t, s) : t('webconsole.polls.all')}</a>`))}
  </nav>`;
  const pager =
    list.pages > 1
      ? html`<nav class="pager">${list.page > 0 ? html`<a href="${`${base}?page=${list.page}${status ? `&status=${status}` : ''}`}">${t('webconsole.pager.prev')}</a>` : ''}<span>${t('webconsole.pager.of', { page: list.page + 1, pages: list.pages })}</span>${list.page + 1 < list.pages ? html`<a href="${`${base}?page=${list.page + 2}${status ? `&status=${status}` : ''}`}">${t('webconsole.pager.next')}</a>` : ''}</nav>`
      : '';
  return page(
    frame,
    html`<h2 class="page-title">${t('webconsole.review.title')}</h2>
    <section class="card"><header class="card-head"><h2>${t('webconsole.review.queue_title', { n: queue.length })}</h2></header>
      ${queue.length ? rows(frame, community, queue, community.secondsThreshold, tz) : html`<p class="empty">${t('proposals.review.queue_empty')}</p>`}</section>
    <section class="card"><header class="card-head"><h2>${t('webconsole.review.all_title', { n: list.total })}</h2></header>${filters}
      ${list.items.length ? html`${rows(frame, community, list.items, community.secondsThreshold, tz)}${pager}` : html`<p class="empty">${t('webconsole.review.empty')}</p>`}</section>`,
  );
}

function moveForm(frame: Frame, action: string, move: ReviewMove, number: number, progress: number, targets: { number: number; title: string }[]): Html {
  const { t, visitor } = frame;
  const guard = formGuard(visitor!.csrf, randomBytes(16).toString('base64url'));
  const button = (cls = 'primary') => html`<button type="submit" class="${cls}" id="${`move-${move}`}">${t(`proposals.review.${move === 'start' ? 'start_review' : move}`)}</button>`;
  const form = (inner: Part, cls = '') => html`<form method="post" action="${`${action}/${move}`}" class="${`move ${cls}`}">${guard}${inner}</form>`;
  switch (move) {
    case 'start':
    case 'shortlist':
      return form(html`<p class="muted small">${t(`webconsole.review.about_${move}`)}</p>${button()}`);
    case 'reject':
      return form(html`<label>${t('webconsole.review.reason_label', { max: MAX_REASON })}<textarea name="reason" rows="3" maxlength="${MAX_REASON}" minlength="2" required></textarea></label><p class="muted small">${t('webconsole.review.reason_public')}</p>${button('danger')}`);
    case 'merge':
      return targets.length
        ? form(html`<label>${t('webconsole.review.merge_label')}<select name="target" required><option value=""></option>${targets.map((x) => html`<option value="${x.number}">#${x.number} ${x.title}</option>`)}</select></label>${button()}`)
        : html`<p class="muted small">${t('proposals.review.no_merge_targets')}</p>`;
    case 'budget':
      return form(html`<label>${t('webconsole.review.budget_label')}<input name="budget" inputmode="decimal" required></label><label>${t('webconsole.review.implementer_label', { max: MAX_IMPLEMENTER })}<input name="implementer" maxlength="${MAX_IMPLEMENTER}" required></label>${button()}`);
    case 'progress':
      return form(html`<label>${t('webconsole.review.percent_label', { current: progress })}<input name="percent" type="number" min="${progress}" max="100" required></label><label>${t('webconsole.review.note_label', { max: MAX_REASON })}<textarea name="note" rows="2" maxlength="${MAX_REASON}" required></textarea></label>${button()}`);
    case 'complete':
      return form(html`<label class="check"><input type="checkbox" name="confirm" value="yes" required> ${t('webconsole.review.complete_confirm', { number })}</label>${button()}`);
  }
}

/** One proposal. */
export function proposalPage(frame: Frame, community: Community, d: ProposalDetail, targets: { number: number; title: string }[], tz: string): string {
  const { t, locale, prefix, visitor } = frame;
  const p = d.proposal;
  const base = communityPath(prefix, community, `/proposals/${p.number}`);
  const facts: [string, Part][] = [
    [t('proposals.field.category'), categoryLabel(t, p.category)],
    [t('proposals.field.location'), p.location],
    [t('webconsole.review.author'), p.authorName],
    [t('proposals.field.cost'), p.costFen === null ? '—' : formatYuan(p.costFen, locale)],
    [t('webconsole.review.h_seconds'), t('webconsole.review.seconds_line', { n: p.seconds, threshold: d.threshold })],
  ];
  if (p.approvedBudgetFen !== null) facts.push([t('webconsole.review.budget'), formatYuan(p.approvedBudgetFen, locale)]);
  if (p.implementer) facts.push([t('proposals.field.implementer'), p.implementer]);
  if (p.status === 'in_progress' || p.status === 'completed') facts.push([t('webconsole.review.progress'), bar(p.progressPercent / 100, pct(p.progressPercent / 100, locale), 'rate')]);
  if (d.mergedInto) facts.push([t('webconsole.review.merged_into'), html`<a href="${communityPath(prefix, community, `/proposals/${d.mergedInto.number}`)}">#${d.mergedInto.number} ${d.mergedInto.title}</a>`]);
  const history = d.events.map(
    (e) => html`<li><span class="muted small nowrap">${when(e.at, locale, tz)}</span> ${e.fromStatus ? html`${statusLabel(t, e.fromStatus)} → ` : ''}<strong>${statusLabel(t, e.toStatus)}</strong>${e.reason ? html`<div class="small">${t('proposals.field.reason')}：${e.reason}</div>` : ''}</li>`,
  );
  const progress = d.progress.map((r) => html`<li><span class="muted small nowrap">${when(r.at, locale, tz)}</span> <strong>${num(r.percent, locale)}%</strong> ${r.note}</li>`);
  const moves = visitor ? (OFFERED[p.status] ?? []) : [];
  return page(
    frame,
    html`<p class="crumbs"><a href="${communityPath(prefix, community, '/proposals')}">${t('webconsole.review.title')}</a> ›</p>
    <div class="title-row"><h2 class="page-title"><span class="num">#${p.number}</span> ${p.title}</h2>${statusChip(frame, p.status)}</div>
    ${p.statusReason ? html`<p class="outcome">${t('proposals.field.reason')}：${p.statusReason}</p>` : ''}
    <div class="grid">
      <section class="card span-2"><header class="card-head"><h2>${t('proposals.field.description')}</h2></header><p class="prose">${p.description}</p>
        <dl class="facts">${facts.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl></section>
      <section class="card"><header class="card-head"><h2>${t('webconsole.review.history')}</h2></header><ul class="plain">${history}</ul>
        ${progress.length ? html`<h3 class="sub">${t('webconsole.review.progress_reports')}</h3><ul class="plain">${progress}</ul>` : ''}</section>
      ${moves.length
        ? html`<section class="card span-2 moves"><header class="card-head"><h2>${t('webconsole.review.moves_title')}</h2></header>
          ${p.status === 'shortlisted' ? html`<p class="muted">${t('proposals.review.vote_hint')}</p>` : ''}
          <div class="move-grid">${moves.map((m) => html`<div class="move-box"><h3>${t(`proposals.review.${m === 'start' ? 'start_review' : m}`)}</h3>${moveForm(frame, base, m, p.number, p.progressPercent, targets)}</div>`)}</div></section>`
        : ''}
    </div>`,
  );
}
