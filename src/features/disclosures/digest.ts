/**
 * The disclosures section of the weekly digest: the week's new versions, with read buttons, and
 * the community's current chain head (防篡改校验码) so every week's digest leaves a copy of it in
 * the groups' history, even in a week without publications.
 */
import type { DigestContributor } from '../../core/feature.ts';
import type { Button } from '../../platform/messages.ts';
import { categoryLabel } from '../../domain/disclosures/categories.ts';
import { chainHead, versionsPublishedBetween } from '../../domain/disclosures/disclosures.ts';
import { headCode } from '../../domain/disclosures/chain.ts';
import { readDisclosure } from './actions.ts';
import { truncate } from './render.ts';

/** Read buttons at most, one per disclosure. */
const MAX_BUTTONS = 5;
/** Longest label of a read button. */
const MAX_LABEL = 30;

export const disclosuresDigest: DigestContributor = async (services, q) => {
  const versions = await versionsPublishedBetween(services.db, q.communityId, q.from, q.to);
  const head = await chainHead(services.db, q.communityId, q.to);
  if (!versions.length && !head) return null;
  const t = services.i18n.bind(q.locale);
  const lines = versions.map((v) =>
    t(v.version > 1 ? 'disclosures.digest_correction' : 'disclosures.digest_new', {
      category: categoryLabel(t, v.disclosure.category),
      title: v.title,
      period: v.disclosure.period,
      version: v.version,
    }),
  );
  const seen = new Set<string>();
  const buttons: Button[] = [];
  for (const v of versions) {
    if (seen.has(v.disclosureId) || buttons.length >= MAX_BUTTONS) continue;
    seen.add(v.disclosureId);
    buttons.push({ label: truncate(t('disclosures.digest_read', { title: v.title }), MAX_LABEL), action: readDisclosure.pack({ disclosure: v.disclosureId }) });
  }
  if (head) lines.push(t('disclosures.digest_head_code', { code: headCode(head.hash), count: head.seq }));
  return { title: t('disclosures.digest_title'), lines, buttons, items: versions.length };
};
