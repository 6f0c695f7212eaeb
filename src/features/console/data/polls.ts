/**
 * Polls as the console lists and shows them: the community's polls page by page with their
 * turnout, and one poll with its result (stored once closed, counted live while open), the
 * chart the groups were sent, and what became of the notices posted about it.
 */
import type { Db } from '../../../db/client.ts';
import { DomainError } from '../../../domain/errors.ts';
import { currentResult, requirePoll, storedResult, type PollResult, type PollWithOptions } from '../../../domain/polls/polls.ts';

export const POLLS_PAGE_SIZE = 20;
const withOptions = { options: { orderBy: { position: 'asc' as const } } };

/** Statuses a list can be filtered by. */
export const POLL_STATUSES = ['open', 'scheduled', 'closed', 'cancelled'] as const;

/** A poll in the list, with its figures (null for a scheduled or cancelled one). */
export interface ListedPoll {
  poll: PollWithOptions;
  result: PollResult | null;
}

/** A page of the community's polls, newest first. */
export async function listPolls(db: Db, communityId: string, status: string | undefined, page: number): Promise<{ items: ListedPoll[]; page: number; pages: number; total: number }> {
  const where = { communityId, ...(status && (POLL_STATUSES as readonly string[]).includes(status) ? { status } : {}) };
  const total = await db.poll.count({ where });
  const pages = Math.max(1, Math.ceil(total / POLLS_PAGE_SIZE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const polls = await db.poll.findMany({ where, orderBy: { number: 'desc' }, skip: current * POLLS_PAGE_SIZE, take: POLLS_PAGE_SIZE, include: withOptions });
  const items = await Promise.all(polls.map(async (poll) => ({ poll, result: figuresOf(poll) ?? (poll.status === 'open' ? await currentResult(db, poll) : null) })));
  return { items, page: current, pages, total };
}

function figuresOf(poll: PollWithOptions): PollResult | null {
  return poll.status === 'closed' ? storedResult(poll) : null;
}

/** A poll of the community by its number; another community's poll is simply not found. */
export async function pollOf(db: Db, communityId: string, number: string): Promise<PollWithOptions> {
  if (!/^\d{1,9}$/.test(number)) throw new DomainError('webconsole.polls.not_found', { ref: number.slice(0, 20) });
  try {
    return await requirePoll(db, number, communityId);
  } catch (err) {
    if (err instanceof DomainError && err.key === 'polls.not_found') throw new DomainError('webconsole.polls.not_found', { ref: number });
    throw err;
  }
}

/** The result of a poll as its page shows it: the stored one once closed, else counted now. */
export async function resultOf(db: Db, poll: PollWithOptions): Promise<PollResult | null> {
  if (poll.status === 'closed') return storedResult(poll);
  if (poll.status === 'open') return currentResult(db, poll);
  return null;
}

/** What became of the group messages about a poll (its cards and its result). */
export interface NoticeStatus {
  key: string;
  kind: 'card' | 'result' | 'cancelled';
  platform: string;
  chatId: string;
  groupTitle: string | null;
  status: string;
  sentAt: Date | null;
  lastError: string | null;
}

/** The poll's group notices (sends, not edits), oldest first. */
export async function pollNotices(db: Db, poll: PollWithOptions): Promise<NoticeStatus[]> {
  const rows = await db.outboxMessage.findMany({
    where: { refId: poll.id, refType: { in: ['poll', 'poll-result'] }, kind: 'send' },
    orderBy: { id: 'asc' },
    select: { key: true, platform: true, chatId: true, status: true, sentAt: true, lastError: true },
  });
  const groups = rows.length ? await db.chatGroup.findMany({ where: { OR: rows.map((r) => ({ platform: r.platform, chatId: r.chatId })) }, select: { platform: true, chatId: true, title: true } }) : [];
  return rows.map((r) => ({
    ...r,
    kind: r.key.includes(':result:') ? 'result' : r.key.includes(':cancelled:') ? 'cancelled' : 'card',
    groupTitle: groups.find((g) => g.platform === r.platform && g.chatId === r.chatId)?.title ?? null,
  }));
}
