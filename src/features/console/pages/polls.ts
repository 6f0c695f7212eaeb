/**
 * 投票: the community's polls with their turnout, and one poll's page — rules, tallies with
 * online and in-person votes, turnout against the quorum, advisory votes apart (never counted),
 * the chart the groups received, the group notices, the downloads and closing early.
 */
import { randomBytes } from 'node:crypto';
import type { Community } from '../../../generated/prisma/client.ts';
import type { PollResult, PollWithOptions } from '../../../domain/polls/polls.ts';
import { can } from '../../../domain/residents/permissions.ts';
import { validShare } from '../../../domain/polls/rules.ts';
import { baseLine, optionLabel, outcomeLine, quorumText, voterUnit } from '../../polls/render.ts';
import { POLL_STATUSES, type ListedPoll, type NoticeStatus } from '../data/polls.ts';
import { describeScope, isWholeCommunity, readScope } from '../../../domain/register/scope.ts';
import { html, type Html } from '../web/html.ts';
import { communityPath, formGuard, page, type Frame } from './layout.ts';
import { bar, chip, num, pct, quorumChip, turnoutBar, when } from './parts.ts';

const STATUS_CHIP: Record<string, 'ok' | 'info' | 'muted' | 'bad'> = { open: 'ok', scheduled: 'info', closed: 'muted', cancelled: 'bad' };

function statusChip(frame: Frame, status: string): Html {
  return chip(STATUS_CHIP[status] ?? 'muted', frame.t(`polls.status_${status}`));
}

/** The list page. */
export function pollsPage(frame: Frame, community: Community, list: { items: ListedPoll[]; page: number; pages: number; total: number }, status: string | undefined, tz: string): string {
  const { t, locale, prefix } = frame;
  const base = communityPath(prefix, community, '/polls');
  const filters = html`<nav class="filters" aria-label="${t('webconsole.polls.filter')}">
    ${[undefined, ...POLL_STATUSES].map((s) => (s === status ? html`<strong>${s ? t(`polls.status_${s}`) : t('webconsole.polls.all')}</strong>` : html`<a href="${s ? `${base}?status=${s}` : base}">${s ? t(`polls.status_${s}`) : t('webconsole.polls.all')}</a>`))}
  </nav>`;
  const rows = list.items.map(({ poll, result }) => {
    const outcome = poll.status === 'closed' && result ? outcomeLine(t, poll, result) : poll.status === 'cancelled' ? poll.cancelReason ?? '' : '';
    const time = poll.status === 'scheduled' ? poll.opensAt : poll.status === 'open' ? poll.closesAt : poll.closedAt ?? poll.closesAt;
    return html`<tr>
      <td class="num">#${poll.number}</td>
      <td><a href="${`${base}/${poll.number}`}">${poll.question}</a>${outcome ? html`<div class="muted small">${outcome}</div>` : ''}</td>
      <td>${statusChip(frame, poll.status)}</td>
      <td class="barcell wide">${result ? turnoutBar(t, locale, result, voterUnit(poll, result)) : ''}</td>
      <td class="nowrap"><span class="muted small">${t(poll.status === 'scheduled' ? 'webconsole.polls.t_opens' : poll.status === 'open' ? 'webconsole.polls.t_closes' : 'webconsole.polls.t_closed')}</span><br>${when(time, locale, tz)}</td>
    </tr>`;
  });
  const pager =
    list.pages > 1
      ? html`<nav class="pager">${list.page > 0 ? html`<a href="${`${base}?page=${list.page}${status ? `&status=${status}` : ''}`}">${t('webconsole.pager.prev')}</a>` : ''}<span>${t('webconsole.pager.of', { page: list.page + 1, pages: list.pages })}</span>${list.page + 1 < list.pages ? html`<a href="${`${base}?page=${list.page + 2}${status ? `&status=${status}` : ''}`}">${t('webconsole.pager.next')}</a>` : ''}</nav>`
      : '';
  return page(
    frame,
    html`<h2 class="page-title">${t('webconsole.polls.title')}</h2>
    <section class="card">${filters}
    ${rows.length
      ? html`<div class="table-wrap"><table class="list"><thead><tr><th>${t('webconsole.polls.h_number')}</th><th>${t('webconsole.polls.h_question')}</th><th>${t('webconsole.polls.h_status')}</th><th>${t('webconsole.polls.h_turnout')}</th><th>${t('webconsole.polls.h_time')}</th></tr></thead><tbody>${rows}</tbody></table></div>${pager}`
      : html`<p class="empty">${t('webconsole.polls.empty')}</p>`}
    </section>`,
  );
}

function facts(frame: Frame, poll: PollWithOptions, tz: string): Html {
  const { t, locale } = frame;
  const rows: [string, Html | string][] = [
    [t('polls.export_f_electorate'), t(`polls.electorate_${poll.electorate}`)],
    [t('polls.export_f_choice'), poll.maxChoices === 1 ? t('polls.single') : t('polls.multi', { k: poll.maxChoices })],
    [t('polls.export_f_ballot'), `${poll.anonymous ? t('polls.anonymous') : t('polls.named')} · ${poll.allowChange ? t('polls.change_allowed') : t('polls.change_not_allowed')}`],
    [t('polls.export_f_rule'), t(`polls.rule_${poll.rule}`)],
    [t(`webconsole.polls.f_quorum_${voterUnit(poll, null)}`), quorumText(t, poll)],
    [t('polls.export_f_opens'), when(poll.opensAt, locale, tz)],
    [t('polls.export_f_closes'), when(poll.closesAt, locale, tz)],
  ];
  // Only a scoped poll has a scope to name (a council poll is never scoped; "全体居民" would be wrong there).
  const scope = readScope(poll.scope);
  if (!isWholeCommunity(scope)) rows.splice(1, 0, [t('webconsole.polls.f_scope'), describeScope(t, scope)]);
  if (poll.closedAt) rows.push([t('polls.export_f_closed'), when(poll.closedAt, locale, tz)]);
  return html`<dl class="facts">${rows.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>`;
}

function tally(frame: Frame, poll: PollWithOptions, result: PollResult): Html {
  const { t, locale } = frame;
  const closed = poll.status === 'closed';
  const rows = poll.options.map((o) => {
    const votes = result.votes[o.id] ?? 0;
    const share = validShare(votes, result.turnout) ?? 0;
    const passed = closed && result.passedOptionIds.includes(o.id);
    return html`<tr${passed ? html` class="passed"` : ''}>
      <th scope="row">${o.position}. ${optionLabel(t, o)}${passed ? html` ${chip('ok', t('webconsole.polls.passed'))}` : ''}</th>
      <td class="n split">${num(result.online[o.id] ?? 0, locale)}</td>
      <td class="n split">${num(result.paper?.[o.id] ?? 0, locale)}</td>
      <td class="n split">${num(result.inPerson[o.id] ?? 0, locale)}</td>
      <td class="n strong">${num(votes, locale)}</td>
      <td class="barcell wide">${bar(share, pct(share, locale), 'votes')}</td>
    </tr>`;
  });
  return html`<div class="table-wrap"><table class="list tally"><thead><tr><th>${t('polls.export_h_option')}</th><th class="n split">${t('polls.export_h_online')}</th><th class="n split">${t('ballots.export_h_paper')}</th><th class="n split">${t('polls.export_h_in_person')}</th><th class="n">${t('polls.export_h_total')}</th><th>${t('polls.export_h_share')}</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function advisory(frame: Frame, poll: PollWithOptions, result: PollResult): Html | '' {
  if (!result.advisoryBallots) return '';
  const { t, locale } = frame;
  return html`<section class="card"><header class="card-head"><h2>${t('webconsole.polls.advisory_title')}</h2>${chip('muted', t('webconsole.polls.advisory_n', { count: result.advisoryBallots }))}</header>
    <p class="muted small">${t('webconsole.polls.advisory_note')}</p>
    <table class="compact"><tbody>${poll.options.map((o) => html`<tr><th scope="row">${optionLabel(t, o)}</th><td class="n">${num(result.advisory[o.id] ?? 0, locale)}</td></tr>`)}</tbody></table></section>`;
}

function notices(frame: Frame, list: NoticeStatus[], tz: string): Html {
  const { t, locale } = frame;
  const state = (n: NoticeStatus) => (n.status === 'sent' ? chip('ok', t('webconsole.polls.notice_sent')) : n.status === 'failed' ? chip('bad', t('webconsole.polls.notice_failed')) : n.status === 'pending' ? chip('info', t('webconsole.polls.notice_pending')) : chip('muted', t('webconsole.polls.notice_dropped')));
  return html`<section class="card"><header class="card-head"><h2>${t('webconsole.polls.notices_title')}</h2></header>
    ${list.length
      ? html`<ul class="plain notices">${list.map((n) => html`<li><span class="what">${t(`webconsole.polls.notice_${n.kind}`)}</span><span class="where">${n.groupTitle || t('webconsole.groups.untitled')}</span>${state(n)}${n.sentAt ? html`<span class="muted small nowrap">${when(n.sentAt, locale, tz)}</span>` : ''}</li>`)}</ul>`
      : html`<p class="empty">${t('webconsole.polls.no_notices')}</p>`}</section>`;
}

/** The detail page. */
export function pollPage(frame: Frame, community: Community, poll: PollWithOptions, result: PollResult | null, noticeList: NoticeStatus[], tz: string): string {
  const { t, locale, visitor, prefix } = frame;
  const base = communityPath(prefix, community, `/polls/${poll.number}`);
  // The result goes where the card went: every group, or the community-wide ones and the 楼栋群 in scope.
  const scope = readScope(poll.scope);
  const mayExport = visitor && can(visitor.actor, 'export', community.id);
  const mayClose = visitor && poll.status === 'open' && can(visitor.actor, 'poll.manage', community.id);
  // Paper ballots: household polls still taking votes, for whoever the domain lets print them.
  const mayPrint = visitor && poll.electorate === 'households' && (poll.status === 'open' || poll.status === 'scheduled') && can(visitor.actor, 'poll.manage', community.id);
  const print = mayPrint ? html`<a class="button" id="print-ballots" href="${`${base}/ballots.pdf`}" download title="${t('ballots.console_print_hint')}">${t('ballots.console_print')}</a>` : '';
  const downloads =
    mayExport || mayPrint
      ? html`<div class="actions">${mayExport ? html`<a class="button" href="${`${base}/export.csv`}" download>${t('webconsole.polls.download_csv')}</a><a class="button" href="${`${base}/export.xlsx`}" download>${t('webconsole.polls.download_xlsx')}</a>` : ''}${print}</div>`
      : '';
  const close = mayClose
    ? html`<section class="card danger-zone"><header class="card-head"><h2>${t('webconsole.polls.close_title')}</h2></header>
      <p>${isWholeCommunity(scope) ? t('webconsole.polls.close_lead') : t('webconsole.polls.close_lead_scoped', { names: describeScope(t, scope) })}</p>
      <form method="post" action="${`${base}/close`}">${formGuard(visitor.csrf, randomBytes(16).toString('base64url'))}
        <label class="check"><input type="checkbox" name="confirm" value="yes" required> ${t('webconsole.polls.close_confirm', { number: poll.number })}</label>
        <button type="submit" class="danger" id="close-poll">${t('webconsole.polls.close_button')}</button>
      </form></section>`
    : '';
  const outcome = poll.status === 'closed' && result ? html`<p class="outcome">${outcomeLine(t, poll, result)}</p>` : poll.status === 'cancelled' ? html`<p class="outcome">${t('polls.card_cancelled', { reason: poll.cancelReason ?? '' })}</p>` : '';
  const figures = result
    ? html`<section class="card span-2"><header class="card-head"><h2>${t(poll.status === 'closed' ? 'webconsole.polls.result_title' : 'webconsole.polls.live_title')}</h2>${quorumChip(t, result, voterUnit(poll, result))}</header>
        ${turnoutBar(t, locale, result, voterUnit(poll, result))}
        <p class="muted small" id="electorate-base">${baseLine(t, poll, result)}</p>
        ${result.inPersonVoters ? html`<p class="muted small">${t('polls.result_in_person', { n: result.inPersonVoters })}</p>` : ''}
        ${tally(frame, poll, result)}
        ${poll.status === 'closed' ? html`<p class="muted small">${t('polls.result_rule', { rule: t(`polls.rule_${poll.rule}`), needed: result.needed })}</p>` : html`<p class="muted small">${t('webconsole.polls.live_note')}</p>`}
        ${result.turnout ? html`<figure class="chart"><img src="${`${base}/chart.png`}" alt="${t('webconsole.polls.chart_alt', { number: poll.number })}" width="800"></figure>` : ''}
      </section>${advisory(frame, poll, result)}`
    : '';
  return page(
    frame,
    html`<p class="crumbs"><a href="${communityPath(prefix, community, '/polls')}">${t('webconsole.polls.title')}</a> ›</p>
    <div class="title-row"><h2 class="page-title"><span class="num">#${poll.number}</span> ${poll.question}</h2>${statusChip(frame, poll.status)}</div>
    ${poll.description ? html`<p class="lead">${poll.description}</p>` : ''}
    ${outcome}
    ${downloads}
    <div class="grid">
      ${figures}
      <section class="card"><header class="card-head"><h2>${t('webconsole.polls.rules_title')}</h2></header>${facts(frame, poll, tz)}</section>
      ${notices(frame, noticeList, tz)}
      ${close}
    </div>`,
  );
}
