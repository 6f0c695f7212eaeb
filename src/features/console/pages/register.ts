/**
 * 住户名册 in the console: verification progress per building (all of them for the committee,
 * their own for a 楼栋长), and one building with the households not verified yet and a button
 * that prints its slips. The figures are registerProgress / buildingDetail, as in /register.
 */
import type { Community } from '../../../generated/prisma/client.ts';
import type { BuildingDetail, RegisterProgress } from '../../../domain/register/progress.ts';
import { html } from '../web/html.ts';
import { communityPath, formGuard, page, type Frame } from './layout.ts';
import { bar, num, pct, when } from './parts.ts';

/** The per-building overview. */
export function registerPage(frame: Frame, community: Community, p: RegisterProgress, tz: string): string {
  const { t, locale, prefix } = frame;
  const rows = p.buildings.map(
    (b) => html`<tr><th scope="row"><a href="${communityPath(prefix, community, `/register/b/${b.buildingId}`)}">${b.name}</a></th><td class="num">${num(b.households, locale)}</td><td class="num">${num(b.verified, locale)}</td><td>${bar(b.share, pct(b.share, locale), 'rate')}</td></tr>`,
  );
  const body = html`<section class="card"><header class="card-head"><h2>${p.scope === 'all' ? t('webconsole.register.all_title', { community: community.name }) : t('webconsole.register.own_title')}</h2></header>
    ${p.households
      ? html`${bar(p.share, t('webconsole.register.total', { n: num(p.verified, locale), size: num(p.households, locale), share: pct(p.share, locale) }), 'rate')}
    <table><thead><tr><th>${t('webconsole.register.building')}</th><th class="num">${t('webconsole.register.households')}</th><th class="num">${t('webconsole.register.verified')}</th><th>${t('webconsole.register.share')}</th></tr></thead><tbody>${rows}</tbody></table>`
      : html`<p class="muted">${t('webconsole.register.empty')}</p>`}
    ${p.lastImportAt ? html`<p class="muted small">${t('webconsole.register.last_import')}${when(p.lastImportAt, locale, tz)}</p>` : ''}</section>`;
  return page(frame, body);
}

/** One building: figures, households not verified yet, and printing its slips. */
export function buildingPage(frame: Frame, community: Community, d: BuildingDetail): string {
  const { t, locale, prefix, visitor } = frame;
  const base = communityPath(prefix, community, `/register/b/${d.buildingId}`);
  const pending = d.pending.map((h) => html`<li>${h.unit}${h.headName ? html` <span class="muted small">${h.headName}</span>` : ''}</li>`);
  const print = (which: 'all' | 'unverified', label: string) =>
    html`<form method="post" action="${base}/slips" class="inline">${formGuard(visitor?.csrf ?? '')}<input type="hidden" name="which" value="${which}"><button type="submit" class="${which === 'all' ? 'primary' : 'button'}" id="${`print-${which}`}">${label}</button></form>`;
  const body = html`<p><a href="${communityPath(prefix, community, '/register')}">${t('webconsole.register.back')}</a></p>
    <section class="card"><header class="card-head"><h2>${t('webconsole.register.building_title', { building: d.name })}</h2></header>
    ${bar(d.share, t('webconsole.register.total', { n: num(d.verified, locale), size: num(d.households, locale), share: pct(d.share, locale) }), 'rate')}
    <p>${print('all', t('webconsole.register.print_all'))} ${d.pending.length && d.verified ? print('unverified', t('webconsole.register.print_unverified')) : ''}</p>
    <p class="muted small">${t('webconsole.register.print_note')}</p></section>
    <section class="card"><header class="card-head"><h2>${t('webconsole.register.pending_title', { n: num(d.pending.length, locale) })}</h2></header>
    ${d.pending.length ? html`<ul class="columns">${pending}</ul>` : html`<p class="muted">${t('webconsole.register.all_verified')}</p>`}</section>`;
  return page(frame, body);
}
