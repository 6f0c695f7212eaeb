/**
 * The proposals part of the weekly digest: new proposals, the week's moves, and proposals
 * still collecting seconds with a 附议 button each. Each line says what it is (no sub-headings
 * inside the section: the digest has one heading style).
 */
import type { DigestContributor } from '../../core/feature.ts';
import { weekSummary } from '../../domain/proposals/queries.ts';
import { secondButton, statusLabel } from './render.ts';

/** Lines of each kind shown at most, so the digest stays short. */
const MAX_LINES = 5;

export const proposalsDigest: DigestContributor = async (services, q) => {
  const t = services.i18n.bind(q.locale);
  const w = await weekSummary(services.db, q.communityId, q.from, q.to);
  // The section counts exactly what it lists: every line below, plus those summed up in "另有".
  const items = w.created.length + w.moves.length + w.waitingTotal;
  if (!items) return null;
  const lines: string[] = [];
  const more = (count: number) => count > 0 && lines.push(t('proposals.digest.more', { count }));
  for (const p of w.created.slice(0, MAX_LINES)) lines.push(t('proposals.digest.new_line', { number: p.number, title: p.title }));
  more(w.created.length - MAX_LINES);
  for (const e of w.moves.slice(-MAX_LINES)) lines.push(t('proposals.digest.move_line', { number: e.proposal.number, title: e.proposal.title, status: statusLabel(t, e.toStatus) }));
  more(w.moves.length - MAX_LINES);
  for (const p of w.waiting) lines.push(t('proposals.digest.waiting_line', { number: p.number, title: p.title, n: p.seconds, threshold: w.threshold }));
  more(w.waitingTotal - w.waiting.length);
  return {
    title: t('proposals.digest.title'),
    lines,
    buttons: w.waiting.map((p) => ({ ...secondButton(t, p), label: t('proposals.digest.second_button', { number: p.number }) })),
    items,
  };
};
