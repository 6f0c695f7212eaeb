/**
 * 居民群: the community's groups and the buildings or 居民小组 each serves (a 楼栋群), with a form
 * per group to change it — what `/groupscope` does in the group itself. Without a register there
 * is nothing to name, so the page says so instead of offering the forms.
 */
import type { ChatGroup, Community } from '../../../generated/prisma/client.ts';
import { canScope, describeScope, isWholeCommunity, MAX_SCOPE_TEXT, readScope, type ScopeRegister } from '../../../domain/register/scope.ts';
import { html } from '../web/html.ts';
import { communityPath, formGuard, page, type Frame } from './layout.ts';
import { chip } from './parts.ts';
import { platformLabel, registerHint } from './scopes.ts';

/** What a refused form typed, kept for its group's field. */
export interface GroupScopeValues {
  groupId?: string;
  scope?: string;
}

/** The page. */
export function groupsPage(frame: Frame, community: Community, groups: ChatGroup[], register: ScopeRegister, values: GroupScopeValues): string {
  const { t, prefix, visitor } = frame;
  const base = communityPath(prefix, community, '/groups');
  const editable = canScope(register) && visitor;
  const rows = groups.map((g) => {
    const scope = readScope(g.scope);
    const current = isWholeCommunity(scope) ? chip('muted', t('webconsole.groups.whole')) : chip('info', t('webconsole.groups.serves', { names: describeScope(t, scope) }));
    // The field starts from what the group serves now, so saving it unchanged changes nothing.
    const typed = values.groupId === g.id && values.scope !== undefined ? values.scope : isWholeCommunity(scope) ? '' : describeScope(t, scope);
    return html`<tr>
      <td>${g.title || t('webconsole.groups.untitled')}<div class="muted small">${platformLabel(t, g.platform)}</div></td>
      <td>${current}</td>
      <td>${editable
        ? html`<form method="post" action="${`${base}/${g.id}/scope`}" class="inline">${formGuard(visitor.csrf)}<input name="scope" maxlength="${MAX_SCOPE_TEXT}" value="${typed}" placeholder="${t('webconsole.groups.placeholder')}" aria-label="${t('webconsole.groups.f_scope', { group: g.title || t('webconsole.groups.untitled') })}"> <button type="submit" class="button" id="${`scope-${g.id}`}">${t('webconsole.groups.save')}</button></form>`
        : ''}</td>
    </tr>`;
  });
  return page(
    frame,
    html`<h2 class="page-title">${t('webconsole.groups.title')}</h2>
    <section class="card"><p class="muted">${t('webconsole.groups.lead')}</p>
      ${canScope(register) ? html`<p class="muted small">${registerHint(t, register)}</p><p class="muted small">${t('webconsole.groups.how')}</p>` : html`<p class="notice warn">${t('webconsole.groups.no_register')}</p>`}</section>
    <section class="card">
      ${rows.length
        ? html`<div class="table-wrap"><table class="list"><thead><tr><th>${t('webconsole.groups.h_group')}</th><th>${t('webconsole.groups.h_scope')}</th><th>${editable ? t('webconsole.groups.h_change') : ''}</th></tr></thead><tbody>${rows}</tbody></table></div>`
        : html`<p class="empty">${t('webconsole.groups.empty')}</p>`}
    </section>`,
  );
}
