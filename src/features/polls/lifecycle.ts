/**
 * What a poll's moves look like in public: posting the card in every group of the community,
 * announcing the result (with a chart) when it closes and the reason when it is cancelled, and
 * the scheduler's job that opens, closes and reminds on time. The moves themselves — rules,
 * permissions, audit — are the domain's (src/domain/polls/lifecycle.ts); every public message
 * goes through the outbox.
 */
import type { Services } from '../../core/services.ts';
import { cancelPoll, closePoll, openPoll } from '../../domain/polls/lifecycle.ts';
import { currentResult, proposalDecisions, storedResult, type ActorRef, type PollWithOptions } from '../../domain/polls/polls.ts';
import { announced, markAnnounced, markPosted } from '../../domain/polls/publication.ts';
import { duePolls, recentlyClosed, remindablePolls } from '../../domain/polls/queries.ts';
import { audienceOf, readScope } from '../../domain/register/scope.ts';
import { cardKey, CARD_REF, editCards, type CardDeps } from './cards.ts';
import { loadCardAddon } from '../deliberation/cards.ts';
import { loadResultLines } from '../deliberation/results.ts';
import { remind } from './reminders.ts';
import { cancelledMessage, closedCard, pollCard, resultMessage } from './render.ts';

const cardDeps = (services: Services): CardDeps => ({ ...services, defaultLocale: services.config.LINLI_DEFAULT_LOCALE });

/** The groups a scoped poll is posted in (src/domain/register/scope.ts, audienceOf); undefined: all of them. */
const pollAudience = (services: Services, poll: PollWithOptions) => audienceOf(services.db, poll.communityId, readScope(poll.scope));

/** Posts an open poll's card to every group of its community (idempotent) and announces it once. */
export async function publishPoll(services: Services, poll: PollWithOptions): Promise<number> {
  const { db, outbox, i18n, events, clock } = services;
  const [current, addon] = await Promise.all([currentResult(db, poll), loadCardAddon(db, { kind: 'poll', id: poll.id })]);
  const created = await outbox.publishToCommunity(
    poll.communityId,
    cardKey(poll.id),
    (locale) => {
      const t = i18n.bind(locale);
      return pollCard(t, poll, current, addon?.(t));
    },
    { refType: CARD_REF, refId: poll.id, groupIds: await pollAudience(services, poll) },
  );
  if (!poll.postedAt && (await markPosted(db, poll.id, clock()))) {
    await events.emit('poll.created', {
      pollId: poll.id,
      communityId: poll.communityId,
      proposalIds: poll.options.map((o) => o.proposalId).filter((x): x is string => Boolean(x)),
      actorId: poll.createdById,
    });
  }
  return created;
}

/** Publishes a closed poll's result and takes the buttons off its cards; emits poll.closed. */
async function announceClose(services: Services, poll: PollWithOptions): Promise<void> {
  const { outbox, i18n, events } = services;
  const result = storedResult(poll);
  if (!result) return;
  await editCards(cardDeps(services), poll.id, (locale) => closedCard(i18n.bind(locale), poll));
  const extra = await loadResultLines(services.db, poll);
  const charts = new Map<string, ReturnType<typeof resultMessage>>();
  await outbox.publishToCommunity(
    poll.communityId,
    `${cardKey(poll.id)}:result`,
    (locale) => {
      if (!charts.has(locale)) charts.set(locale, resultMessage(i18n.bind(locale), poll, result, true, extra(i18n.bind(locale))));
      return charts.get(locale)!;
    },
    { refType: 'poll-result', refId: poll.id, groupIds: await pollAudience(services, poll) },
  );
  const { approved, rejected } = proposalDecisions(poll, result);
  await events.emit('poll.closed', { pollId: poll.id, communityId: poll.communityId, status: 'closed', passed: result.passed, approvedProposalIds: approved, rejectedProposalIds: rejected });
  await markAnnounced(services.db, poll.id);
}

/** Closes a poll now (scheduler: `by` null; or a committee member, early) and announces the result. Null when it was not open. */
export async function closeAndAnnounce(services: Services, pollId: string, by: ActorRef | null): Promise<PollWithOptions | null> {
  const closed = await closePoll(services.db, pollId, services.clock(), by);
  if (!closed) return null;
  await announceClose(services, closed.poll);
  return closed.poll;
}

/** Cancels a poll with a reason and tells the groups; emits poll.closed (cancelled). */
export async function cancelAndAnnounce(services: Services, by: ActorRef, pollId: string, reason: string): Promise<PollWithOptions> {
  const poll = await cancelPoll(services.db, by, pollId, reason, services.clock());
  const { i18n, outbox, events } = services;
  await editCards(cardDeps(services), poll.id, (locale) => closedCard(i18n.bind(locale), poll));
  if (poll.postedAt) {
    await outbox.publishToCommunity(poll.communityId, `${cardKey(poll.id)}:cancelled`, (locale) => cancelledMessage(i18n.bind(locale), poll), { refType: 'poll-result', refId: poll.id, groupIds: await pollAudience(services, poll) });
  }
  const linked = poll.options.map((o) => o.proposalId).filter((x): x is string => Boolean(x));
  await events.emit('poll.closed', { pollId: poll.id, communityId: poll.communityId, status: 'cancelled', passed: false, approvedProposalIds: [], rejectedProposalIds: linked });
  return poll;
}

/**
 * The scheduler's job: opens scheduled polls whose time came, posts open polls never posted,
 * closes polls whose time passed (also long ago, after downtime), re-announces closes that were
 * interrupted, sends due reminders, and seals anonymous ballots the upgrade left with a direct
 * link. Safe to run any number of times.
 */
export async function pollsTick(services: Services, now: Date): Promise<void> {
  const { db } = services;
  await services.polls.ballots.sealLegacyLinks();
  const due = await duePolls(db, now);
  for (const scheduled of due.toOpen) {
    const opened = await openPoll(db, scheduled.id, now);
    if (opened) await publishPoll(services, opened);
  }
  for (const poll of due.unposted) await publishPoll(services, poll);

  await services.polls.cards.flush();
  for (const { id } of due.toClose) await closeAndAnnounce(services, id, null);
  // A close whose announcement was interrupted: announcing again is idempotent (outbox keys).
  const recent = await recentlyClosed(db, now);
  const done = await announced(db, recent.map((p) => p.id));
  for (const poll of recent) if (!done.has(poll.id)) await announceClose(services, poll);

  for (const poll of await remindablePolls(db, now)) await remind(services, poll);
}
