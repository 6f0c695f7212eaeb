/**
 * The discussion on the group cards: the count and "议一议" button a poll's or proposal's card
 * gains (loaded here, rendered per language by the card's own renderer), the notice of a poll's
 * deliberation period, and keeping them current as comments are published — by editing the
 * posted cards through the outbox (the polls' refresher gathers a burst into one edit), never
 * by posting a new group message per comment.
 */
import type { Services } from '../../core/services.ts';
import type { Db } from '../../db/client.ts';
import { publishedCount } from '../../domain/deliberation/comments.ts';
import { markPeriodPosted, periodOf } from '../../domain/deliberation/periods.ts';
import { findSubject, type Subject } from '../../domain/deliberation/subjects.ts';
import { postedCards } from '../../domain/polls/publication.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { refreshCards as refreshProposalCards } from '../proposals/publish.ts';
import { cardAddon, periodNotice, type CardAddon } from './render.ts';

/** Renders a subject's card addon in a language. */
export type AddonRenderer = (t: TFn) => CardAddon;

/** The addon of a subject's card, or null when it takes no comments (decided, closed). */
export async function loadCardAddon(db: Db, subject: Subject): Promise<AddonRenderer | null> {
  const found = await findSubject(db, subject);
  if (!found?.open) return null;
  const count = await publishedCount(db, subject);
  return (t) => cardAddon(t, subject, count);
}

/** Outbox key base and refType of a poll's deliberation-period notice. */
export const periodKey = (pollId: string) => `delib:period:${pollId}`;
export const PERIOD_REF = 'deliberation-period';

/** Posts the notice of a poll's deliberation period to the community's groups (once). */
export async function publishPeriodNotice(services: Services, pollId: string): Promise<number> {
  const { db, outbox, i18n, clock } = services;
  const [poll, period] = await Promise.all([db.poll.findUnique({ where: { id: pollId } }), periodOf(db, { kind: 'poll', id: pollId })]);
  if (!poll || !period || poll.status !== 'scheduled') return 0;
  const count = await publishedCount(db, { kind: 'poll', id: pollId });
  const sent = await outbox.publishToCommunity(poll.communityId, periodKey(pollId), (locale) => periodNotice(i18n.bind(locale), poll, period, count), { refType: PERIOD_REF, refId: pollId });
  await markPeriodPosted(db, period.id, clock());
  return sent;
}

/** Edits a poll's period notices: the count, "voting has opened", or "ended" after a close or cancellation. */
export async function refreshPeriodNotice(services: Services, pollId: string): Promise<void> {
  const { db, outbox, i18n, config } = services;
  const [poll, period] = await Promise.all([db.poll.findUnique({ where: { id: pollId } }), periodOf(db, { kind: 'poll', id: pollId })]);
  if (!poll || !period) return;
  const count = await publishedCount(db, { kind: 'poll', id: pollId });
  const notices = await postedCards(db, { refType: PERIOD_REF, refId: pollId, keyPrefix: `${periodKey(pollId)}:` }, config.LINLI_DEFAULT_LOCALE);
  for (const n of notices) await outbox.enqueueEdit(n.key, periodNotice(i18n.bind(n.locale), poll, period, count));
}

/** A subject's discussion changed (a comment published): bring its group cards up to date. */
export async function refreshDiscussionCards(services: Services, subject: Subject): Promise<void> {
  try {
    if (subject.kind === 'poll') {
      services.polls.cards.schedule(subject.id);
      await refreshPeriodNotice(services, subject.id);
    } else if (subject.kind === 'proposal') {
      await refreshProposalCards(services, subject.id);
    }
  } catch (err) {
    // The comment is saved; a card that shows an older count is corrected by the next one.
    services.log.warn({ err, subject }, 'could not refresh discussion cards');
  }
}
