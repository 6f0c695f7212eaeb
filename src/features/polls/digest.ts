/**
 * The polls section of a community's weekly digest: polls open now (with a button to vote in
 * each) and the outcome of those closed in the week.
 */
import type { DigestContributor } from '../../core/feature.ts';
import { storedResult } from '../../domain/polls/polls.ts';
import { digestPolls } from '../../domain/polls/queries.ts';
import { showPollAction } from './actions.ts';
import { outcomeLine } from './render.ts';

/** The digest section. */
export const pollsDigest: DigestContributor = async (services, q) => {
  const t = services.i18n.bind(q.locale);
  const { open, closed } = await digestPolls(services.db, q.communityId, q.from, q.to);
  if (!open.length && !closed.length) return null;
  const lines: string[] = [];
  for (const p of open) lines.push(t('polls.digest_open', { number: p.number, question: p.question, when: p.closesAt }));
  for (const p of closed) {
    const result = storedResult(p);
    lines.push(t('polls.digest_closed', { number: p.number, question: p.question, outcome: result ? outcomeLine(t, p, result) : '' }));
  }
  return {
    title: t('polls.digest_title'),
    lines,
    buttons: open.map((p) => ({ label: t('polls.list_vote', { number: p.number }), action: showPollAction.pack({ poll: p.shortId }) })),
    items: open.length + closed.length,
  };
};
