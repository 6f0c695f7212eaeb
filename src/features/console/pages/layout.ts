/**
 * The frame around every console page: the bar with the product, the community and the person,
 * the section menu, the language switch and the sign-out button, then the page itself. Plain
 * server-rendered HTML with one local stylesheet and no script; on a phone the menu becomes a
 * row of tabs above the page.
 */
import type { Community, Person } from '../../../generated/prisma/client.ts';
import { LOCALES, type Locale, type TFn } from '../../../i18n/i18n.ts';
import type { Actor } from '../../../domain/residents/roles.ts';
import { html, type Html, type Part } from '../web/html.ts';
import { visibleSections, type Section } from './nav.ts';

/** Everything the frame needs to know about the request. */
export interface Frame {
  t: TFn;
  locale: Locale;
  /** The console's path as the browser sees it (e.g. /console). */
  prefix: string;
  /** The page's own path and query (for the language links). */
  path: string;
  title: string;
  /** The signed-in person, when there is one. */
  visitor?: { person: Person; actor: Actor; csrf: string; communities: Community[] };
  community?: Community;
  section?: Section;
  /** A notice shown above the page (e.g. "poll 3 was closed"). */
  notice?: { kind: 'ok' | 'warn'; text: string };
}

/** The path of a community page. */
export function communityPath(prefix: string, community: Pick<Community, 'slug'>, path = ''): string {
  return `${prefix}/c/${encodeURIComponent(community.slug)}${path}`;
}

/** The same page in another language. */
function withLang(path: string, locale: Locale): string {
  const [base, query = ''] = path.split('?');
  const params = new URLSearchParams(query);
  params.set('lang', locale);
  params.delete('done');
  return `${base}?${params.toString()}`;
}

/** The hidden fields every state-changing form carries. */
export function formGuard(csrf: string, formId?: string): Html {
  return html`<input type="hidden" name="_csrf" value="${csrf}">${formId ? html`<input type="hidden" name="_form" value="${formId}">` : ''}`;
}

function header(f: Frame): Html {
  const { t, prefix, visitor } = f;
  const langs = html`<nav class="langs" aria-label="${t('webconsole.frame.language')}">
    ${LOCALES.map((l) => {
      const name = t(`language.name_${l}`);
      return f.locale === l ? html`<strong>${name}</strong>` : html`<a href="${withLang(f.path, l)}" lang="${l}">${name}</a>`;
    })}
  </nav>`;
  const who = visitor
    ? html`<span class="who">${visitor.person.displayName}</span>
      <form method="post" action="${prefix}/signout" class="inline">${formGuard(visitor.csrf)}<button type="submit" class="link">${t('webconsole.frame.sign_out')}</button></form>`
    : '';
  return html`<header class="top">
    <a class="brand" href="${prefix}"><span class="mark" aria-hidden="true">${t('webconsole.frame.mark')}</span><span>${t('webconsole.frame.product')}</span></a>
    <div class="top-right">${langs}${who}</div>
  </header>`;
}

function communityBar(f: Frame): Part {
  const { community, visitor, t, prefix } = f;
  if (!community) return '';
  const place = [community.district, community.street].filter(Boolean).join(' · ');
  const others = (visitor?.communities ?? []).length > 1 ? html`<a class="switch" href="${prefix}">${t('webconsole.frame.switch_community')}</a>` : '';
  return html`<div class="community-bar"><div><h1 class="community-name">${community.name}</h1>${place ? html`<span class="place">${place}</span>` : ''}</div>${others}</div>`;
}

function menu(f: Frame): Part {
  const { community, visitor, t, prefix } = f;
  if (!community || !visitor) return '';
  const items = visibleSections(visitor.actor, community.id).map(
    (s) => html`<li><a href="${communityPath(prefix, community, s.path)}"${s.id === f.section ? html` aria-current="page"` : ''}>${t(`webconsole.nav.${s.id}`)}</a></li>`,
  );
  return html`<nav class="menu" aria-label="${t('webconsole.frame.menu')}"><ul>${items}</ul></nav>`;
}

/** A whole page. */
export function page(f: Frame, body: Part): string {
  const { t } = f;
  const notice = f.notice ? html`<p class="notice ${f.notice.kind}" role="status">${f.notice.text}</p>` : '';
  const doc = html`<!doctype html>
<html lang="${f.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${f.title} · ${t('webconsole.frame.product')}</title>
<link rel="stylesheet" href="${f.prefix}/assets/console.css">
</head>
<body>
${header(f)}
${communityBar(f)}
<div class="${f.community && f.visitor ? 'shell' : 'shell single'}">
${menu(f)}
<main>
${notice}
${body}
</main>
</div>
<footer class="foot">${t('webconsole.frame.footer')}</footer>
</body>
</html>
`;
  return doc.value;
}
