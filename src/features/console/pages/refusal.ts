/**
 * The page for anything the console refuses: a dead link, a forged cookie, a missing form
 * token, another community's poll, a file too large. It says what happened and what to do, in
 * the person's language, with the HTTP status a browser or a proxy expects — never a trace.
 */
import { html } from '../web/html.ts';
import { limitParams } from '../limits.ts';
import { page, type Frame } from './layout.ts';

/** HTTP status of a refusal by its key (400 for the domain's own refusals). */
const STATUS: Record<string, number> = {
  'webconsole.errors.signed_out': 401,
  'webconsole.errors.session_ended': 401,
  'webconsole.errors.csrf': 403,
  'errors.forbidden': 403,
  'webconsole.link.refused': 403,
  'webconsole.errors.no_such_community': 404,
  'webconsole.errors.not_found': 404,
  'webconsole.polls.not_found': 404,
  'webconsole.review.not_found': 404,
  'webconsole.disclosures.not_found': 404,
  'ratings.unknown_target': 404,
  'ratings.target_other_community': 404,
  'ratings.unknown_comment': 404,
  'codes.not_found': 404,
  'register.not_your_building': 403,
  'register.unknown_building': 404,
  'webconsole.announcements.not_found': 404,
  'webconsole.groups.not_found': 404,
  'webconsole.errors.bad_image_type': 415,
  'webconsole.disclosures.draft_gone': 410,
  'webconsole.link.unknown': 404,
  'webconsole.link.used': 410,
  'webconsole.link.expired': 410,
  'webconsole.link.replaced': 410,
  'webconsole.errors.sent_twice': 409,
  'webconsole.errors.too_large': 413,
  'webconsole.errors.bad_file_type': 415,
  'webconsole.link.too_many_attempts': 429,
  'webconsole.errors.internal': 500,
};

/** Refusals after which the way forward is a new link from the bot. */
const NEEDS_LINK = new Set(['webconsole.errors.signed_out', 'webconsole.errors.session_ended', 'webconsole.link.unknown', 'webconsole.link.used', 'webconsole.link.expired', 'webconsole.link.replaced']);

/** The status of a refusal. */
export function refusalStatus(key: string): number {
  return STATUS[key] ?? 400;
}

/** The refusal page. */
export function refusalPage(frame: Omit<Frame, 'title'>, key: string, params: Record<string, unknown> = {}): string {
  const { t, prefix } = frame;
  // A refusal that names a limit (a link's minutes, a picture's types) states the enforced one.
  const limits = limitParams(t);
  const back = frame.visitor ? html`<p><a class="button" href="${prefix}">${t('webconsole.refusal.back')}</a></p>` : '';
  const how = NEEDS_LINK.has(key) ? html`<div class="howto"><h2>${t('webconsole.signin.how_title')}</h2><ol><li>${t('webconsole.signin.how_1')}</li><li>${t('webconsole.signin.how_2')}</li><li>${t('webconsole.signin.how_3', limits)}</li></ol></div>` : '';
  return page(
    { ...frame, title: t('webconsole.refusal.title') },
    html`<section class="card narrow refusal">
      <h1>${t(refusalStatus(key) >= 500 ? 'webconsole.refusal.title_internal' : 'webconsole.refusal.title')}</h1>
      <p class="lead">${t(key, { ...limits, ...params })}</p>
      ${how}${back}
    </section>`,
  );
}
