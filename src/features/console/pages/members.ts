/**
 * 成员与认证: who holds which role (units are for the committee's eyes only), the verification
 * codes with their status, the form that issues new ones, and the printable slips of codes just
 * issued — the one time they are shown.
 */
import { randomBytes } from 'node:crypto';
import type { Community } from '../../../generated/prisma/client.ts';
import type { CodeView } from '../../../domain/residents/codes.ts';
import type { MemberView } from '../../../domain/residents/members.ts';
import { can } from '../../../domain/residents/permissions.ts';
import { COMMITTEE_GRANTABLE, ROLES } from '../../../domain/residents/roles.ts';
import type { IssuedCode } from '../actions/codes.ts';
import { html, type Html } from '../web/html.ts';
import { communityPath, formGuard, page, type Frame } from './layout.ts';
import { chip, when } from './parts.ts';

const STATUS_CHIP = { unused: 'info', used: 'ok', expired: 'muted', revoked: 'bad' } as const;

function pager(frame: Frame, base: string, name: string, p: { page: number; pages: number }, other: string): Html | '' {
  const { t } = frame;
  if (p.pages <= 1) return '';
  const link = (n: number) => `${base}?${name}=${n}${other}`;
  return html`<nav class="pager">${p.page > 0 ? html`<a href="${link(p.page)}">${t('webconsole.pager.prev')}</a>` : ''}<span>${t('webconsole.pager.of', { page: p.page + 1, pages: p.pages })}</span>${p.page + 1 < p.pages ? html`<a href="${link(p.page + 2)}">${t('webconsole.pager.next')}</a>` : ''}</nav>`;
}

/** The members and codes page. */
export function membersPage(
  frame: Frame,
  community: Community,
  members: { members: MemberView[]; page: number; pages: number; total: number },
  codes: { codes: CodeView[]; page: number; pages: number; total: number } | null,
  tz: string,
): string {
  const { t, locale, prefix, visitor } = frame;
  const base = communityPath(prefix, community, '/members');
  const memberRows = members.members.map(
    (m) => html`<tr><td>${m.displayName}</td><td>${m.roles.map((r) => chip(r === 'committee' || r === 'staff' ? 'info' : r === 'verified' ? 'ok' : 'muted', t(`roles.${r}`)))}</td><td>${m.unit ?? html`<span class="muted">—</span>`}</td><td class="nowrap small">${when(m.since, locale, tz)}</td></tr>`,
  );
  const mayRevoke = visitor && can(visitor.actor, 'code.revoke', community.id);
  const codeRows = (codes?.codes ?? []).map(
    (c) => html`<tr><td class="code">…${c.hint}</td><td>${c.unit ?? html`<span class="muted">${t('codes.no_unit')}</span>`}</td><td>${t(`roles.${c.role}`)}</td><td>${chip(STATUS_CHIP[c.status], t(`codes.status_${c.status}`))}</td><td class="nowrap small">${when(c.expiresAt, locale, tz)}</td>
      <td>${mayRevoke && c.status === 'unused' ? html`<form method="post" action="${`${base}/codes/${c.id}/revoke`}" class="inline">${formGuard(visitor.csrf)}<button type="submit" class="button small-button" id="${`revoke-${c.id}`}">${t('webconsole.members.revoke')}</button></form>` : ''}</td></tr>`,
  );
  const grantable = visitor?.actor.isAdmin ? ROLES : COMMITTEE_GRANTABLE;
  const issue =
    visitor && can(visitor.actor, 'code.issue', community.id)
      ? html`<section class="card"><header class="card-head"><h2>${t('webconsole.members.issue_title')}</h2></header>
        <form method="post" action="${`${base}/codes`}" class="move wide">${formGuard(visitor.csrf, randomBytes(16).toString('base64url'))}
          <div class="form-row">
            <label>${t('webconsole.members.f_role')}<select name="role">${grantable.map((r) => html`<option value="${r}">${t(`roles.${r}`)}</option>`)}</select></label>
            <label>${t('webconsole.members.f_days')}<select name="days">${[7, 14, 30, 90].map((d) => html`<option value="${d}"${d === 14 ? html` selected` : ''}>${t('codes.days', { count: d })}</option>`)}</select></label>
          </div>
          <label>${t('webconsole.members.f_units')}<textarea name="units" rows="5" placeholder="${t('webconsole.members.units_example')}"></textarea></label>
          <label>${t('webconsole.members.f_count')}<input name="count" type="number" min="1" max="500" value="1"></label>
          <p class="muted small">${t('webconsole.members.issue_hint')}</p>
          <button type="submit" class="primary" id="issue-codes">${t('webconsole.members.issue_button')}</button>
        </form></section>`
      : '';
  return page(
    frame,
    html`<h2 class="page-title">${t('webconsole.nav.members')}</h2>
    <section class="card"><header class="card-head"><h2>${t('webconsole.members.members_title', { n: members.total })}</h2></header>
      <p class="muted small">${t('webconsole.members.units_private')}</p>
      <div class="table-wrap"><table class="list"><thead><tr><th>${t('webconsole.members.h_name')}</th><th>${t('webconsole.members.h_roles')}</th><th>${t('webconsole.members.h_unit')}</th><th>${t('webconsole.members.h_since')}</th></tr></thead><tbody>${memberRows}</tbody></table></div>
      ${pager(frame, base, 'page', members, codes ? `&codes=${codes.page + 1}` : '')}</section>
    ${codes
      ? html`<section class="card"><header class="card-head"><h2>${t('webconsole.members.codes_title', { n: codes.total })}</h2></header>
        ${codeRows.length ? html`<div class="table-wrap"><table class="list"><thead><tr><th>${t('webconsole.members.h_hint')}</th><th>${t('webconsole.members.h_unit')}</th><th>${t('webconsole.members.h_role')}</th><th>${t('webconsole.members.h_status')}</th><th>${t('webconsole.members.h_expires')}</th><th></th></tr></thead><tbody>${codeRows}</tbody></table></div>${pager(frame, base, 'codes', codes, `&page=${members.page + 1}`)}` : html`<p class="empty">${t('codes.list_empty')}</p>`}</section>`
      : ''}
    ${issue}`,
  );
}

/** The slips of codes just issued, one per unit, ready to print and cut. */
export function slipsPage(frame: Frame, community: Community, issued: { codes: IssuedCode[]; expiresAt: Date }, tz: string): string {
  const { t, locale, prefix } = frame;
  return page(
    frame,
    html`<div class="no-print">
      <h2 class="page-title">${t('webconsole.members.slips_title', { count: issued.codes.length })}</h2>
      <p class="notice warn">${t('webconsole.members.slips_once')}</p>
      <p class="actions"><a class="button" href="${communityPath(prefix, community, '/members')}">${t('webconsole.members.back')}</a><span class="muted small">${t('webconsole.members.print_hint')}</span></p>
    </div>
    <div class="slips">${issued.codes.map(
      (c) => html`<article class="slip">
        <header><span class="mark" aria-hidden="true">${t('webconsole.frame.mark')}</span><strong>${community.name}</strong> · ${t('webconsole.members.slip_heading')}</header>
        <p class="slip-unit">${c.unit ?? t(`roles.${c.role}`)}</p>
        <p class="slip-code">${c.code}</p>
        <p class="small">${t('webconsole.members.slip_how')}</p>
        <p class="small muted">${t('webconsole.members.slip_expires')}${when(issued.expiresAt, locale, tz)} · ${t('webconsole.members.slip_once')}</p>
      </article>`,
    )}</div>`,
  );
}
