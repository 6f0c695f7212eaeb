/**
 * 公告: the compose form (text, groups, when, pin, an image) and the announcements sent and
 * scheduled, with a withdraw button on those still waiting.
 */
import { randomBytes } from 'node:crypto';
import type { ChatGroup, Community } from '../../../generated/prisma/client.ts';
import { headline, MAX_ANNOUNCEMENT_CHARS, type recentAnnouncements } from '../../../domain/announcements/announcements.ts';
import { html } from '../web/html.ts';
import { communityPath, formGuard, page, type Frame } from './layout.ts';
import { chip, when } from './parts.ts';

type Listed = Awaited<ReturnType<typeof recentAnnouncements>>[number];

/** Fields kept when the domain refused the form. */
export interface AnnounceValues {
  text?: string;
  when?: string;
  pin?: boolean;
  groupIds?: string[];
}

/** The page. */
export function announcementsPage(frame: Frame, community: Community, groups: ChatGroup[], list: Listed[], values: AnnounceValues, tz: string): string {
  const { t, locale, prefix, visitor } = frame;
  const base = communityPath(prefix, community, '/announcements');
  const groupName = (id: string) => groups.find((g) => g.id === id)?.title ?? id;
  const rows = list.map((a) => {
    const targets = a.groupIds ? (JSON.parse(a.groupIds) as string[]).map(groupName).join('、') : t('webconsole.announcements.all_groups');
    return html`<tr>
      <td>${headline(a.text, 60)}${a.pin ? html` ${chip('info', t('announcements.pin_yes'))}` : ''}${a.imageName ? html` ${chip('muted', t('webconsole.announcements.with_image'))}` : ''}<div class="muted small">${targets}</div></td>
      <td>${a.status === 'scheduled' ? chip('warn', t('webconsole.announcements.status_scheduled')) : chip('ok', t('webconsole.announcements.status_sent'))}</td>
      <td class="nowrap small">${when(a.sendAt, locale, tz)}</td>
      <td>${a.status === 'scheduled' && visitor ? html`<form method="post" action="${`${base}/${a.id}/cancel`}" class="inline">${formGuard(visitor.csrf)}<button type="submit" class="button small-button" id="${`cancel-${a.id}`}">${t('webconsole.announcements.withdraw')}</button></form>` : ''}</td>
    </tr>`;
  });
  const chosen = new Set(values.groupIds ?? []);
  return page(
    frame,
    html`<h2 class="page-title">${t('webconsole.nav.announcements')}</h2>
    <section class="card"><header class="card-head"><h2>${t('webconsole.announcements.compose_title')}</h2></header>
      <form method="post" action="${base}" enctype="multipart/form-data" class="move wide">${formGuard(visitor!.csrf, randomBytes(16).toString('base64url'))}
        <label>${t('webconsole.announcements.f_text', { max: MAX_ANNOUNCEMENT_CHARS })}<textarea name="text" rows="6" maxlength="${MAX_ANNOUNCEMENT_CHARS}" required>${values.text ?? ''}</textarea></label>
        <fieldset class="groups"><legend>${t('webconsole.announcements.f_groups')}</legend>
          ${groups.map((g) => html`<label class="check"><input type="checkbox" name="${`group_${g.id}`}" value="yes"${chosen.has(g.id) ? html` checked` : ''}> ${g.title ?? g.chatId} <span class="muted small">${g.platform === 'wechat' ? t('webconsole.announcements.wechat') : g.platform === 'telegram' ? 'Telegram' : g.platform}</span></label>`)}
          <p class="muted small">${t('webconsole.announcements.groups_hint')}</p></fieldset>
        <div class="form-row">
          <label>${t('webconsole.announcements.f_when')}<input name="when" value="${values.when ?? '现在'}" placeholder="${t('webconsole.announcements.when_example')}"></label>
          <label>${t('webconsole.announcements.f_image')}<input type="file" name="image" accept="image/jpeg,image/png,image/webp"></label>
        </div>
        <label class="check"><input type="checkbox" name="pin" value="yes"${values.pin ? html` checked` : ''}> ${t('webconsole.announcements.f_pin')}</label>
        <button type="submit" class="primary" id="announce">${t('webconsole.announcements.send_button')}</button>
      </form></section>
    <section class="card"><header class="card-head"><h2>${t('webconsole.announcements.list_title')}</h2></header>
      ${rows.length ? html`<div class="table-wrap"><table class="list"><thead><tr><th>${t('webconsole.announcements.h_text')}</th><th>${t('webconsole.announcements.h_status')}</th><th>${t('webconsole.announcements.h_when')}</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>` : html`<p class="empty">${t('webconsole.announcements.empty')}</p>`}</section>`,
  );
}
