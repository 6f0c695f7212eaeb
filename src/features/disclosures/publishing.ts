/**
 * The notice of a publication, shared by the chat scenes and the CLI: posted to the community's
 * groups through the outbox, so it is sent once even across restarts.
 */
import type { Disclosure, DisclosureVersion } from '../../generated/prisma/client.ts';
import type { Translator } from '../../i18n/i18n.ts';
import type { Outbox } from '../../outbox/outbox.ts';
import { readDisclosure } from './actions.ts';
import { renderNotice } from './render.ts';

/**
 * Posts the notice of a new disclosure or a correction to every group of the community, in
 * each group's language, with a button to read it. Keyed per version, so it is posted once.
 */
export async function announceVersion(outbox: Outbox, i18n: Translator, d: Disclosure, v: DisclosureVersion): Promise<number> {
  return outbox.publishToCommunity(
    d.communityId,
    `disclosure:${d.id}:v${v.version}`,
    (locale) => {
      const t = i18n.bind(locale);
      return { text: renderNotice(t, d, v), buttons: [[{ label: t('disclosures.read_button'), action: readDisclosure.pack({ disclosure: d.id }) }]] };
    },
    { refType: 'disclosure', refId: d.id },
  );
}
