/**
 * What happens to a poll over time, on the public side: posting the card in every group of
 * the community, keeping its turnout up to date (edits coalesced per message), closing it at
 * its time with the result and a chart, cancelling it, and reminding people who have not voted.
 * The scheduler's job and the CLI call these; every public message goes through the outbox.
 */
import type { Services } from '../../core/services.ts';
import type { Db } from '../../db/client.ts';
import {
  cancelPoll,
  closePoll,
  currentResult,
  proposalDecisions,
  storedResult,
  type ActorRef,
  type PollWithOptions,
} from '../../domain/polls/polls.ts';
import { cancelledMessage, closedCard, pollCard, resultMessage } from './render.ts';

/** Outbox key base of a poll's card; each group's message is `<base>:<platform>:<chatId>`. */
export const cardKey = (pollId: string) => `poll:${pollId}`;
const REF = 'poll';

/** Delay that gathers a burst of votes into one edit per posted card. */
export const REFRESH_DELAY_MS = 3000;

const withOptions = { options: { orderBy: { position: 'asc' as const } } };

/** Posts an open poll's card to every group of its community (idempotent) and announces it. */
export async function publishPoll(services: Services, poll: PollWithOptions): Promise<number> {
  const { db, outbox, i18n, events, clock } = services;
  const current = await currentResult(db, poll);
  const created = await outbox.publishToCommunity(poll.communityId, cardKey(poll.id), (locale) => pollCard(i18n.bind(locale), poll, current), { refType: REF, refId: poll.id });
  if (!poll.postedAt) {
    const claimed = await db.poll.updateMany({ where: { id: poll.id, postedAt: null }, data: { postedAt: clock() } });
    if (claimed.count) {
      await events.emit('poll.created', {
        pollId: poll.id,
        communityId: poll.communityId,
        proposalIds: poll.options.map((o) => o.proposalId).filter((x): x is string => Boolean(x)),
        actorId: poll.createdById,
      });
    }
  }
  return created;
}

/** Edits every posted card of a poll to `render(locale)`. */
async function editCards(services: Services, pollId: string, render: (locale: string) => Parameters<Services['outbox']['enqueueEdit']>[1]): Promise<void> {
  const { db, outbox } = services;
  const posted = await db.outboxMessage.findMany({ where: { refType: REF, refId: pollId, kind: 'send', key: { startsWith: `${cardKey(pollId)}:` } }, select: { key: true, platform: true, chatId: true, communityId: true } });
  if (!posted.length) return;
  const groups = await db.chatGroup.findMany({ where: { OR: posted.map((p) => ({ platform: p.platform, chatId: p.chatId })) }, select: { platform: true, chatId: true, locale: true } });
  const community = posted[0].communityId ? await db.community.findUnique({ where: { id: posted[0].communityId }, select: { locale: true } }) : null;
  const cache = new Map<string, ReturnType<typeof render>>();
  for (const p of posted) {
    const locale = groups.find((g) => g.platform === p.platform && g.chatId === p.chatId)?.locale ?? community?.locale ?? 'zh-CN';
    if (!cache.has(locale)) cache.set(locale, render(locale));
    await outbox.enqueueEdit(p.key, cache.get(locale)!);
  }
}

/** Re-renders the cards of an open poll with the current turnout (and live tallies). */
export async function refreshCards(services: Services, pollId: string): Promise<void> {
  const poll = await services.db.poll.findUnique({ where: { id: pollId }, include: withOptions });
  if (!poll || poll.status !== 'open') return;
  const current = await currentResult(services.db, poll);
  await editCards(services, pollId, (locale) => pollCard(services.i18n.bind(locale), poll, current));
}

/**
 * Gathers votes into few edits: the first vote of a burst schedules one refresh a few seconds
 * later; votes until then ride along. (After a restart, the next vote or the close refreshes.)
 */
class CardRefresher {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; run: () => Promise<void> }>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly services: Services) {}

  schedule(pollId: string, delayMs = REFRESH_DELAY_MS): void {
    if (this.timers.has(pollId)) return;
    const run = async () => {
      this.timers.delete(pollId);
      await refreshCards(this.services, pollId).catch((err) => this.services.log.warn({ err, pollId }, 'poll card refresh failed'));
    };
    const timer = setTimeout(() => this.track(run()), delayMs);
    timer.unref?.();
    this.timers.set(pollId, { timer, run });
  }

  /** Runs every scheduled refresh now (tests, shutdown, the close job). */
  async flush(): Promise<void> {
    const pending = [...this.timers.values()];
    for (const p of pending) clearTimeout(p.timer);
    await Promise.all([...pending.map((p) => this.track(p.run())), ...this.running]);
  }

  private track(p: Promise<void>): Promise<void> {
    this.running.add(p);
    return p.finally(() => this.running.delete(p));
  }
}

const refreshers = new WeakMap<Services, CardRefresher>();

/** The card refresher of a running bot. */
export function refresher(services: Services): CardRefresher {
  let r = refreshers.get(services);
  if (!r) {
    r = new CardRefresher(services);
    refreshers.set(services, r);
  }
  return r;
}

/** Publishes a closed poll's result and takes the buttons off its cards; emits poll.closed. */
async function announceClose(services: Services, poll: PollWithOptions): Promise<void> {
  const { outbox, i18n, events } = services;
  const result = storedResult(poll);
  if (!result) return;
  await editCards(services, poll.id, (locale) => closedCard(i18n.bind(locale), poll));
  const charts = new Map<string, ReturnType<typeof resultMessage>>();
  await outbox.publishToCommunity(
    poll.communityId,
    `${cardKey(poll.id)}:result`,
    (locale) => {
      if (!charts.has(locale)) charts.set(locale, resultMessage(i18n.bind(locale), poll, result));
      return charts.get(locale)!;
    },
    { refType: 'poll-result', refId: poll.id },
  );
  const { approved, rejected } = proposalDecisions(poll, result);
  await events.emit('poll.closed', { pollId: poll.id, communityId: poll.communityId, status: 'closed', passed: result.passed, approvedProposalIds: approved, rejectedProposalIds: rejected });
  await services.db.jobRun.createMany({ data: [{ job: ANNOUNCED, key: poll.id }] }).catch(() => undefined);
}

/** JobRun marker of a close whose result went out (so an interrupted one is redone). */
const ANNOUNCED = 'poll-announced';

/** Closes a poll now (scheduler or committee) and announces the result. False when it was not open. */
export async function closeAndAnnounce(services: Services, pollId: string, by: ActorRef | null, early = false): Promise<PollWithOptions | null> {
  const closed = await closePoll(services.db, pollId, services.clock(), by, early);
  if (!closed) return null;
  await announceClose(services, closed.poll);
  return closed.poll;
}

/** Cancels a poll with a reason and tells the groups; emits poll.closed (cancelled). */
export async function cancelAndAnnounce(services: Services, by: ActorRef, pollId: string, reason: string): Promise<PollWithOptions> {
  const poll = await cancelPoll(services.db, by, pollId, reason, services.clock());
  const { i18n, outbox, events } = services;
  await editCards(services, poll.id, (locale) => closedCard(i18n.bind(locale), poll));
  if (poll.postedAt) {
    await outbox.publishToCommunity(poll.communityId, `${cardKey(poll.id)}:cancelled`, (locale) => cancelledMessage(i18n.bind(locale), poll), { refType: 'poll-result', refId: poll.id });
  }
  const linked = poll.options.map((o) => o.proposalId).filter((x): x is string => Boolean(x));
  await events.emit('poll.closed', { pollId: poll.id, communityId: poll.communityId, status: 'cancelled', passed: false, approvedProposalIds: [], rejectedProposalIds: linked });
  return poll;
}

/** People eligible in a poll's electorate with their private chats, who have not voted. */
async function nonVoters(db: Db, poll: PollWithOptions) {
  const role = poll.electorate === 'council' ? 'council' : 'verified';
  const members = await db.membership.findMany({
    where: { communityId: poll.communityId, role, person: { erasedAt: null, remindersOff: false }, ...(poll.electorate === 'households' ? { householdId: { not: null } } : {}) },
    select: { personId: true, householdId: true, person: { select: { locale: true, identities: { select: { platform: true, platformUserId: true } } } } },
  });
  const voted = new Set((await db.ballot.findMany({ where: { pollId: poll.id, advisory: false }, select: { voterKey: true } })).map((b) => b.voterKey));
  return members.filter((m) => !voted.has(poll.electorate === 'households' ? `h:${m.householdId}` : `p:${m.personId}`));
}

/** Sends the one private reminder of a poll that closes within 24 hours. */
export async function remind(services: Services, poll: PollWithOptions): Promise<number> {
  const { db, outbox, i18n, adapters } = services;
  const community = await db.community.findUnique({ where: { id: poll.communityId }, select: { locale: true, name: true } });
  let sent = 0;
  for (const m of await nonVoters(db, poll)) {
    const t = i18n.bind(m.person.locale ?? community?.locale ?? 'zh-CN');
    const card = pollCard(t, poll, null);
    for (const identity of m.person.identities) {
      const adapter = adapters.get(identity.platform as never);
      const chatId = adapter ? adapter.privateChatId(identity.platformUserId) : identity.platformUserId;
      const ok = await outbox.enqueue({
        key: `${cardKey(poll.id)}:remind:${m.personId}:${identity.platform}`,
        platform: identity.platform,
        chatId,
        communityId: poll.communityId,
        refType: 'poll-reminder',
        refId: poll.id,
        message: {
          text: `${t('polls.reminder', { number: poll.number, question: poll.question, when: poll.closesAt, community: community?.name ?? '' })}`,
          buttons: [...(card.buttons ?? []), [{ label: t('polls.reminders_off_button'), action: 'po:off' }]],
        },
      });
      if (ok) sent++;
    }
  }
  await db.poll.update({ where: { id: poll.id }, data: { remindedAt: services.clock() } });
  return sent;
}

/**
 * The scheduler's job: opens scheduled polls whose time came, closes polls whose time passed
 * (also long ago, after downtime), sends due reminders, and re-announces closes that were
 * interrupted. Safe to run any number of times.
 */
export async function pollsTick(services: Services, now: Date): Promise<void> {
  const { db } = services;
  const toOpen = await db.poll.findMany({ where: { status: 'scheduled', opensAt: { lte: now } }, include: withOptions });
  for (const poll of toOpen) {
    const claimed = await db.poll.updateMany({ where: { id: poll.id, status: 'scheduled' }, data: { status: 'open' } });
    if (claimed.count) await publishPoll(services, { ...poll, status: 'open' });
  }
  // Open polls never posted (a crash between creation and posting).
  const unposted = await db.poll.findMany({ where: { status: 'open', postedAt: null }, include: withOptions });
  for (const poll of unposted) await publishPoll(services, poll);

  await refresher(services).flush();
  const due = await db.poll.findMany({ where: { status: { in: ['open', 'scheduled'] }, closesAt: { lte: now } }, select: { id: true } });
  for (const { id } of due) await closeAndAnnounce(services, id, null);
  // A close whose announcement was interrupted: announcing again is idempotent (outbox keys).
  const recent = await db.poll.findMany({ where: { status: 'closed', closedAt: { gte: new Date(now.getTime() - 86_400_000) } }, include: withOptions });
  const done = new Set((await db.jobRun.findMany({ where: { job: ANNOUNCED, key: { in: recent.map((p) => p.id) } }, select: { key: true } })).map((r) => r.key));
  for (const poll of recent) if (!done.has(poll.id)) await announceClose(services, poll);

  const remindable = await db.poll.findMany({
    where: { status: 'open', remindedAt: null, closesAt: { gt: now, lte: new Date(now.getTime() + 86_400_000) }, opensAt: { lte: new Date(now.getTime() - 3_600_000) } },
    include: withOptions,
  });
  for (const poll of remindable) await remind(services, poll);
}
