/**
 * 概览: the community at a glance — open polls with turnout bars, proposals by stage, this
 * quarter's satisfaction per target with its trend, the latest disclosures with the chain
 * check, and whether the groups are receiving what the committee publishes.
 */
import type { Community } from '../../../generated/prisma/client.ts';
import { targetLabel } from '../../../domain/ratings/targets.ts';
import { can } from '../../../domain/residents/permissions.ts';
import { categoryLabel } from '../../../domain/disclosures/categories.ts';
import { formatPeriod } from '../../../i18n/periods.ts';
import { SENT_WINDOW_MS, type Dashboard } from '../data/dashboard.ts';
import { html, type Html } from '../web/html.ts';
import { communityPath, page, type Frame } from './layout.ts';
import { maySee } from './nav.ts';
import { bar, chip, num, pct, quorumChip, sparkline, turnoutBar, when } from './parts.ts';
import { voterUnit } from '../../polls/render.ts';

interface Ctx {
  frame: Frame;
  community: Community;
  d: Dashboard;
  tz: string;
}

function pollsCard({ frame, community, d, tz }: Ctx): Html {
  const { t, locale, prefix, visitor } = frame;
  const linked = visitor && maySee(visitor.actor, 'polls', community.id);
  const rows = d.polls.map(({ poll, current }) => {
    const title = html`<span class="num">#${poll.number}</span> ${poll.question}`;
    const name = linked ? html`<a href="${communityPath(prefix, community, `/polls/${poll.number}`)}">${title}</a>` : title;
    if (!current) return html`<li class="poll"><div class="poll-head">${name}${chip('info', t('polls.status_scheduled'))}</div><p class="muted">${t('webconsole.dashboard.opens')}${when(poll.opensAt, locale, tz)}</p></li>`;
    return html`<li class="poll">
      <div class="poll-head">${name}${quorumChip(t, current, voterUnit(poll, current))}</div>
      ${turnoutBar(t, locale, current, voterUnit(poll, current))}
      <p class="muted">${t('webconsole.dashboard.closes')}${when(poll.closesAt, locale, tz)}</p>
    </li>`;
  });
  const more = linked ? html`<a class="more" href="${communityPath(prefix, community, '/polls')}">${t('webconsole.dashboard.all_polls')}</a>` : '';
  return html`<section class="card span-2"><header class="card-head"><h2>${t('webconsole.dashboard.polls_title')}</h2>${more}</header>
    ${rows.length ? html`<ul class="polls">${rows}</ul>` : html`<p class="empty">${t('webconsole.dashboard.no_polls')}</p>`}</section>`;
}

function proposalsCard({ frame, community, d }: Ctx): Html {
  const { t, locale, prefix, visitor } = frame;
  const linked = visitor && maySee(visitor.actor, 'review', community.id);
  const total = d.proposals.reduce((n, p) => n + p.n, 0);
  const rows = d.proposals.filter((p) => p.n > 0);
  return html`<section class="card"><header class="card-head"><h2>${t('webconsole.dashboard.proposals_title')}</h2>${d.awaitingReview ? (linked ? html`<a href="${communityPath(prefix, community, '/proposals')}">${chip('warn', t('webconsole.dashboard.awaiting_review', { n: d.awaitingReview }))}</a>` : chip('warn', t('webconsole.dashboard.awaiting_review', { n: d.awaitingReview }))) : ''}</header>
    ${rows.length
      ? html`<table class="compact"><tbody>${rows.map((p) => html`<tr><th scope="row">${t(`proposals.status.${p.status}`)}</th><td class="n">${num(p.n, locale)}</td><td class="barcell">${bar(total ? p.n / total : 0, '', 'votes')}</td></tr>`)}</tbody></table>`
      : html`<p class="empty">${t('webconsole.dashboard.no_proposals')}</p>`}</section>`;
}

function ratingsCard({ frame, community, d }: Ctx): Html | '' {
  const { t, locale, visitor } = frame;
  // The quarter's figures before the campaign ends, and the veto flag: committee and staff only.
  if (!visitor || !can(visitor.actor, 'rating.report', community.id)) return '';
  const verdictChip = (v: string) =>
    v === 'below' ? chip('bad', t('webconsole.ratings.verdict_below', { threshold: pct(d.rule.threshold, locale) })) : v === 'ok' ? chip('ok', t('webconsole.ratings.verdict_ok')) : v === 'too_few' ? chip('muted', t('webconsole.ratings.verdict_sparse', { count: d.rule.minAnswers })) : chip('muted', t('webconsole.ratings.verdict_none'));
  const rows = d.ratings.map(
    (r) => html`<tr><th scope="row">${targetLabel(t, r.target)}</th><td class="n big">${r.summary.rate === null ? '—' : pct(r.summary.rate, locale)}</td><td class="n muted">${t('webconsole.ratings.answers', { count: r.summary.answers })}</td><td>${sparkline(r.trend, d.rule.threshold)}</td><td>${verdictChip(r.verdict)}</td></tr>`,
  );
  const more = maySee(visitor.actor, 'ratings', community.id) ? html`<a class="more" href="${communityPath(frame.prefix, community, '/ratings')}">${t('webconsole.dashboard.ratings_report')}</a>` : '';
  return html`<section class="card span-2"><header class="card-head"><h2>${t('webconsole.dashboard.ratings_title', { period: d.period })}</h2>${more}</header>
    ${rows.length ? html`<table class="compact ratings"><tbody>${rows}</tbody></table><p class="muted small">${t('webconsole.dashboard.ratings_note', { threshold: pct(d.rule.threshold, locale), count: d.rule.minAnswers })}</p>` : html`<p class="empty">${t('webconsole.dashboard.no_targets')}</p>`}</section>`;
}

function disclosuresCard({ frame, community, d, tz }: Ctx): Html {
  const { t, locale, prefix, visitor } = frame;
  const linked = visitor && maySee(visitor.actor, 'disclosures', community.id);
  const status = d.chain.problems ? chip('bad', t('webconsole.dashboard.chain_broken', { count: d.chain.problems })) : d.chain.links ? chip('ok', t('webconsole.dashboard.chain_ok', { count: d.chain.links })) : '';
  const rows = d.disclosures.map(
    (v) => html`<li><span class="num">#${v.disclosure.number}</span> ${linked ? html`<a href="${communityPath(prefix, community, `/disclosures/${v.disclosure.number}`)}">${v.title}</a>` : v.title}${v.version > 1 ? html` ${chip('info', t('webconsole.dashboard.corrected', { v: v.version }))}` : ''}<br><span class="muted small">${categoryLabel(t, v.disclosure.category)} · ${formatPeriod(v.disclosure.period, locale)} · ${when(v.publishedAt, locale, tz)}</span></li>`,
  );
  return html`<section class="card"><header class="card-head"><h2>${t('webconsole.dashboard.disclosures_title')}</h2>${status}</header>
    ${rows.length ? html`<ul class="plain">${rows}</ul>` : html`<p class="empty">${t('webconsole.dashboard.no_disclosures')}</p>`}</section>`;
}

function deliveryCard({ frame, d, tz }: Ctx): Html {
  const { t, locale } = frame;
  const o = d.outbox;
  const health = o.failed || d.groups.inactive ? chip('bad', t('webconsole.dashboard.delivery_attention')) : o.pending ? chip('info', t('webconsole.dashboard.delivery_sending')) : chip('ok', t('webconsole.dashboard.delivery_ok'));
  return html`<section class="card"><header class="card-head"><h2>${t('webconsole.dashboard.delivery_title')}</h2>${health}</header>
    <dl class="figures">
      <div><dt>${t('webconsole.dashboard.groups_active')}</dt><dd>${num(d.groups.active, locale)}</dd></div>
      <div><dt>${t('webconsole.dashboard.groups_inactive')}</dt><dd class="${d.groups.inactive ? 'bad' : ''}">${num(d.groups.inactive, locale)}</dd></div>
      <div><dt>${t('webconsole.dashboard.outbox_pending')}</dt><dd>${num(o.pending, locale)}</dd></div>
      <div><dt>${t('webconsole.dashboard.outbox_failed')}</dt><dd class="${o.failed ? 'bad' : ''}">${num(o.failed, locale)}</dd></div>
      <div><dt>${t('webconsole.dashboard.outbox_sent_today', { hours: SENT_WINDOW_MS / 3_600_000 })}</dt><dd>${num(o.sentToday, locale)}</dd></div>
    </dl>
    ${o.oldestPending ? html`<p class="muted small">${t('webconsole.dashboard.oldest_pending')}${when(o.oldestPending, locale, tz)}</p>` : ''}
    ${o.failed ? html`<p class="muted small">${t('webconsole.dashboard.failed_hint')}</p>` : ''}</section>`;
}

function registerCard({ frame, d }: Ctx): Html {
  const { t, locale } = frame;
  const r = d.register;
  const p = d.registerProgress;
  if (p) {
    // The register is the base once imported: the same figures as /register.
    return html`<section class="card"><header class="card-head"><h2>${t('webconsole.dashboard.register_title')}</h2></header>
    <dl class="figures">
      <div><dt>${t('webconsole.dashboard.register_households')}</dt><dd>${num(p.households, locale)}</dd></div>
      <div><dt>${t('webconsole.dashboard.verified_households')}</dt><dd>${num(p.verified, locale)}</dd></div>
    </dl>
    ${bar(p.share, t('webconsole.dashboard.register_share', { n: num(p.verified, locale), size: num(p.households, locale), share: pct(p.share, locale) }), 'rate')}
    <p class="muted small">${t('webconsole.dashboard.register_based', { count: p.buildings.length })}</p></section>`;
  }
  const share = r.households ? r.verifiedHouseholds / r.households : 0;
  return html`<section class="card"><header class="card-head"><h2>${t('webconsole.dashboard.register_title')}</h2></header>
    <dl class="figures">
      <div><dt>${t('webconsole.dashboard.verified_people')}</dt><dd>${num(r.verifiedPeople, locale)}</dd></div>
      <div><dt>${t('webconsole.dashboard.verified_households')}</dt><dd>${num(r.verifiedHouseholds, locale)}</dd></div>
    </dl>
    ${r.households ? bar(share, t('webconsole.dashboard.households_share', { n: num(r.verifiedHouseholds, locale), size: num(r.households, locale), share: pct(share, locale) }), 'rate') : ''}
    <p class="muted small">${t('webconsole.dashboard.register_note')}</p></section>`;
}

/** The dashboard page. */
export function dashboardPage(frame: Frame, community: Community, d: Dashboard, tz: string): string {
  const ctx = { frame, community, d, tz };
  return page(
    frame,
    html`<h2 class="page-title">${frame.t('webconsole.dashboard.title')}</h2>
    <div class="grid">${pollsCard(ctx)}${proposalsCard(ctx)}${ratingsCard(ctx)}${disclosuresCard(ctx)}${deliveryCard(ctx)}${registerCard(ctx)}</div>`,
  );
}
