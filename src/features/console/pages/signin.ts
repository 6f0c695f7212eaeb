/**
 * The pages around signing in: the landing page that says how to get a link, the page a link
 * opens (who will be signed in, until when, one button), the choice of community for people in
 * several, and the page after signing out.
 */
import type { Community, Person } from '../../../generated/prisma/client.ts';
import { html } from '../web/html.ts';
import { limitParams } from '../limits.ts';
import { communityPath, page, type Frame } from './layout.ts';

function howTo(frame: Pick<Frame, 't'>) {
  const { t } = frame;
  return html`<div class="howto"><h2>${t('webconsole.signin.how_title')}</h2><ol><li>${t('webconsole.signin.how_1')}</li><li>${t('webconsole.signin.how_2')}</li><li>${t('webconsole.signin.how_3', limitParams(t))}</li></ol><p class="muted">${t('webconsole.signin.how_note')}</p></div>`;
}

/** /console without a session. */
export function landingPage(frame: Omit<Frame, 'title'>): string {
  const { t } = frame;
  return page({ ...frame, title: t('webconsole.signin.landing_title') }, html`<section class="card narrow">
    <h1>${t('webconsole.signin.landing_title')}</h1>
    <p class="lead">${t('webconsole.signin.landing_lead')}</p>
    ${howTo(frame)}
  </section>`);
}

/** What a sign-in link opens: nothing is used up until the button is pressed. */
export function confirmPage(frame: Omit<Frame, 'title'>, input: { person: Person; expiresAt: Date; token: string; formToken: string }): string {
  const { t, prefix } = frame;
  return page({ ...frame, title: t('webconsole.signin.confirm_title') }, html`<section class="card narrow">
    <h1>${t('webconsole.signin.confirm_title')}</h1>
    <p class="lead">${t('webconsole.signin.confirm_lead', { name: input.person.displayName })}</p>
    <form method="post" action="${prefix}/signin">
      <input type="hidden" name="token" value="${input.token}">
      <input type="hidden" name="_signin" value="${input.formToken}">
      <button type="submit" class="primary big" id="signin">${t('webconsole.signin.confirm_button')}</button>
    </form>
    <p class="muted">${t('webconsole.signin.confirm_expires', { when: input.expiresAt })}</p>
    <p class="muted">${t('webconsole.signin.confirm_not_you')}</p>
  </section>`);
}

/** The choice of community for a person who may open several. */
export function chooserPage(frame: Omit<Frame, 'title'>, communities: Community[]): string {
  const { t, prefix } = frame;
  return page({ ...frame, title: t('webconsole.signin.choose_title') }, html`<section class="card narrow">
    <h1>${t('webconsole.signin.choose_title')}</h1>
    <ul class="choices">${communities.map((c) => html`<li><a href="${communityPath(prefix, c)}"><strong>${c.name}</strong><span class="muted">${[c.district, c.street].filter(Boolean).join(' · ')}</span></a></li>`)}</ul>
  </section>`);
}

/** After signing out. */
export function signedOutPage(frame: Omit<Frame, 'title'>): string {
  const { t } = frame;
  return page({ ...frame, title: t('webconsole.signin.signed_out_title') }, html`<section class="card narrow">
    <h1>${t('webconsole.signin.signed_out_title')}</h1>
    <p class="lead">${t('webconsole.signin.signed_out_lead')}</p>
    ${howTo(frame)}
  </section>`);
}
