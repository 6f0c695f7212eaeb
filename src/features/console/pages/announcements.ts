/**
 * 公告: the compose form (text, scope, groups, when, pin, an image) and the announcements sent
 * and scheduled, with a withdraw button on those still waiting. The scope field is offered only
 * once the register has buildings or groups to name, as the chat asks only then.
 */
import { randomBytes } from 'node:crypto';
import type { ChatGroup, Community } from '../../../generated/prisma/client.ts';
import { headline, MAX_ANNOUNCEMENT_CHARS, type recentAnnouncements } from '../../../domain/announcements/announcements.ts';
import { canScope, MAX_SCOPE_TEXT, readScope, scopeLine, type ScopeRegister } from '../../../domain/register/scope.ts';
import { IMAGE_ACCEPT, limitParams } from '../limits.ts';
import { html } from '../web/html.ts';
import { communityPath, formGuard, page, type Frame } from './layout.ts';
import { chip, when } from './parts.ts';
import { platformLabel, registerHint } from './scopes.ts';

type Listed = Awaited<ReturnType<typeof recentAnnouncements>>[number];

/** Fields kept when the domain refused the form. */
export interface AnnounceValues {
  text?: string;
  when?: string;
  scope?: string;
  pin?: boolean;
  groupIds?: string[];
}

/** The page. */
export function announcementsPage(frame: Frame, community: Community, groups: ChatGroup[], register: ScopeRegister, list: Listed[], values: AnnounceValues, tz: string): string {
  const { t, locale, prefix, visitor } = frame;
  const base = communityPath(prefix, community, '/announcements');
  const groupName = (id: string) => groups.find((g) => g.id === id)?.title || t('webconsole.groups.untitled');
  const rows = list.map((a) => {
    const scope = scopeLine(t, readScope(a.scope));
    // Chosen groups are where it went; otherwise the scope decided (every group for the whole community).
    const targets = a.groupIds ? (JSON.parse(a.groupIds) as string[]).map(groupName).join(t('scope.separator')) : scope ? t('webconsole.announcements.scope_groups') : t('webconsole.announcements.all_groups');
    return html`<tr>
      <td>${headline(a.text, 60)}${a.pin ? html` ${chip('info', t('announcements.pin_yes'))}` : ''}${a.imageName ? html` ${chip('muted', t('webconsole.announcements.with_image'))}` : ''}<div class="muted small">${scope ? html`${scope} · ` : ''}${targets}</div></td>
      <td>${a.status === 'scheduled' ? chip('warn', t('webconsole.announcements.status_scheduled')) : chip('ok', t('webconsole.announcements.status_sent'))}</td>
      <td class="nowrap small">${when(a.sendAt, locale, tz)}</td>
      <td>${a.status === 'scheduled' && visitor ? html`<form method="post" action="${`${base}/${a.id}/cancel`}" class="inline">${formGuard(visitor.csrf)}<button type="submit" class="button small-button" id="${`cancel-${a.id}`}">${t('webconsole.announcements.withdraw')}</button></form>` : ''}</td>
    </tr>`;
  });
  const chosen = new Set(values.groupIds ?? []);
  const scoped = canScope(register);
  return page(
    frame,
    html`<h2 class="page-title">${t('webconsole.nav.announcements')}</h2>
    <section class="card"><header class="card-head"><h2>${t('webconsole.announcements.compose_title')}</h2></header>
      <form method="post" action="${base}" enctype="multipart/form-data" class="move wide">${formGuard(visitor!.csrf, randomBytes(16).toString('base64url'))}
        <label>${t('webconsole.announcements.f_text', { max: MAX_ANNOUNCEMENT_CHARS })}<textarea name="text" rows="6" maxlength="${MAX_ANNOUNCEMENT_CHARS}" required>${values.text ?? ''}</textarea></label>
        ${scoped
          ? html`<label>${t('webconsole.scope.f_scope')}<input name="scope" maxlength="${MAX_SCOPE_TEXT}" value="${values.scope ?? ''}" placeholder="${t('webconsole.scope.placeholder')}"></label>
        <p class="muted small">${registerHint(t, register)}</p>`
          : ''}
        <fieldset class="groups"><legend>${t('webconsole.announcements.f_groups')}</legend>
          ${groups.map((g) => html`<label class="check"><input type="checkbox" name="${`group_${g.id}`}" value="yes"${chosen.has(g.id) ? html` checked` : ''}> ${g.title || t('webconsole.groups.untitled')} <span class="muted small">${platformLabel(t, g.platform)}</span></label>`)}
          <p class="muted small">${t(scoped ? 'webconsole.announcements.groups_hint_scoped' : 'webconsole.announcements.groups_hint')}</p></fieldset>
        <div class="form-row">
          <label>${t('webconsole.announcements.f_when')}<input name="when" value="${values.when ?? t('webconsole.announcements.when_now')}" placeholder="${t('webconsole.announcements.when_example')}"></label>
          <label>${t('webconsole.announcements.f_image', limitParams(t))}<input type="file" name="image" accept="${IMAGE_ACCEPT}"></label>
        </div>
        <label class="check"><input type="checkbox" name="pin" value="yes"${values.pin ? html` checked` : ''}> ${t('webconsole.announcements.f_pin')}</label>
        <button type="submit" class="primary" id="announce">${t('webconsole.announcements.send_button')}</button>
      </form></section>
    <section class="card"><header class="card-head"><h2>${t('webconsole.announcements.list_title')}</h2></header>
      ${rows.length ? html`<div class="table-wrap"><table class="list"><thead><tr><th>${t('webconsole.announcements.h_text')}</th><th>${t('webconsole.announcements.h_status')}</th><th>${t('webconsole.announcements.h_when')}</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>` : html`<p class="empty">${t('webconsole.announcements.empty')}</p>`}</section>`,
  );
}
