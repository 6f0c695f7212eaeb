/**
 * 满意度: per target the quarter's satisfaction rate with the community's threshold flag, the
 * answers by score, the dimensions, the change on the last quarter and the trend chart; then
 * the comments waiting for a committee member to approve or hide them.
 */
import type { Community } from '../../../generated/prisma/client.ts';
import { can } from '../../../domain/residents/permissions.ts';
import { SCALE, dimensionLabel, scoreLabel } from '../../../domain/ratings/ratings.ts';
import { targetLabel } from '../../../domain/ratings/targets.ts';
import { formatPeriod } from '../../../i18n/periods.ts';
import { changeLine, verdictLine } from '../../ratings/render.ts';
import type { RatingsReport, TargetReport } from '../data/ratings.ts';
import { html, type Html } from '../web/html.ts';
import { communityPath, formGuard, page, type Frame } from './layout.ts';
import { bar, chip, num, pct, when } from './parts.ts';

function verdictChip(frame: Frame, r: TargetReport): Html {
  const { t } = frame;
  const kind = r.verdict === 'below' ? 'bad' : r.verdict === 'ok' ? 'ok' : 'muted';
  return chip(kind, t(`ratings.verdict_short_${r.verdict}`));
}

function targetCard(frame: Frame, community: Community, report: RatingsReport, r: TargetReport): Html {
  const { t, locale, prefix } = frame;
  const s = r.summary;
  const change = changeLine(t, r.trend);
  const hasTrend = r.trend.filter((p) => p.rate !== null).length > 0;
  return html`<section class="card target ${r.verdict === 'below' ? 'flagged' : ''}">
    <header class="card-head"><h2>${targetLabel(t, r.target)}${r.target.active ? '' : html` <span class="muted small">${t('webconsole.ratings.inactive')}</span>`}</h2>${verdictChip(frame, r)}</header>
    <div class="rate-row"><span class="rate">${s.rate === null ? '—' : pct(s.rate, locale)}</span><span class="muted">${s.mean === null ? t('webconsole.ratings.answers', { count: 0 }) : t('webconsole.ratings.rate_label', { count: s.answers, mean: (Math.round(s.mean * 100) / 100).toFixed(2) })}</span></div>
    <p class="${r.verdict === 'below' ? 'flag' : 'muted small'}">${verdictLine(t, r.verdict, report.rule)}</p>
    ${change ? html`<p class="small">${change}</p>` : ''}
    ${s.answers
      ? html`<table class="compact"><tbody>${SCALE.map((score) => html`<tr><th scope="row">${scoreLabel(t, score)}</th><td class="n">${num(s.distribution[score], locale)}</td><td class="barcell">${bar(s.answers ? s.distribution[score] / s.answers : 0, pct(s.answers ? s.distribution[score] / s.answers : 0, locale), score >= 4 ? 'rate' : 'votes')}</td></tr>`)}</tbody></table>`
      : ''}
    ${s.dimensions.some((d) => d.answers) ? html`<p class="small muted">${s.dimensions.filter((d) => d.answers).map((d) => `${dimensionLabel(t, d.key)} ${(Math.round(d.mean! * 100) / 100).toFixed(2)}`).join(' · ')}</p>` : ''}
    ${hasTrend ? html`<figure class="chart"><img src="${communityPath(prefix, community, `/ratings/${r.target.id}/trend.png?period=${report.period}`)}" alt="${t('ratings.chart_title', { target: targetLabel(t, r.target) })}" width="800"></figure>` : ''}
  </section>`;
}

/** The report page. */
export function ratingsPage(frame: Frame, community: Community, report: RatingsReport, tz: string): string {
  const { t, locale, prefix, visitor } = frame;
  const base = communityPath(prefix, community, '/ratings');
  const periods = html`<nav class="filters" aria-label="${t('webconsole.ratings.period')}">${report.periods.map((p) => (p === report.period ? html`<strong>${formatPeriod(p, locale)}</strong>` : html`<a href="${`${base}?period=${p}`}">${formatPeriod(p, locale)}</a>`))}</nav>`;
  const moderate = visitor && can(visitor.actor, 'rating.manage', community.id);
  const comments = report.pending.map(
    (r) => html`<li class="comment">
      <div><strong>${targetLabel(t, r.target)}</strong> · ${formatPeriod(r.period, locale)} · ${scoreLabel(t, r.overall)} <span class="muted small">${when(r.updatedAt, locale, tz)}</span></div>
      <p class="quote">${r.comment}</p>
      ${moderate
        ? html`<div class="actions">${(['approve', 'hide'] as const).map((d) => html`<form method="post" action="${`${base}/comments/${r.id}/${d}`}" class="inline">${formGuard(visitor.csrf)}<button type="submit" class="${d === 'approve' ? 'primary' : 'button'}" id="${`${d}-${r.id}`}">${t(`webconsole.ratings.${d}`)}</button></form>`)}</div>`
        : ''}
    </li>`,
  );
  return page(
    frame,
    html`<h2 class="page-title">${t('webconsole.ratings.title', { period: report.period })}</h2>
    <section class="card">${periods}<p class="muted small">${t('webconsole.dashboard.ratings_note', { threshold: pct(report.rule.threshold, locale), count: report.rule.minAnswers })}</p></section>
    <div class="grid">${report.targets.map((r) => targetCard(frame, community, report, r))}</div>
    <section class="card"><header class="card-head"><h2>${t('webconsole.ratings.comments_title', { n: report.pendingTotal })}</h2></header>
      <p class="muted small">${t('webconsole.ratings.comments_note')}</p>
      ${comments.length ? html`<ul class="plain">${comments}</ul>` : html`<p class="empty">${t('ratings.queue_empty')}</p>`}</section>`,
  );
}
