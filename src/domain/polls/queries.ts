/**
 * Reading polls: the lists /polls, the digest, the exports and the scheduler's job need, and the
 * named ballots of an export. Nothing here writes.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import { POLL_INCLUDE, type PollWithOptions } from './polls.ts';
import { RUNNING_STATUSES } from './states.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A poll by id with its options, or null. */
export function pollById(db: Db, id: string): Promise<PollWithOptions | null> {
  return db.poll.findUnique({ where: { id }, include: POLL_INCLUDE });
}

/** The community's open and scheduled polls, closing first (/polls). */
export function runningPolls(db: Db, communityId: string, take = 20): Promise<PollWithOptions[]> {
  return db.poll.findMany({ where: { communityId, status: { in: [...RUNNING_STATUSES] } }, orderBy: { closesAt: 'asc' }, take, include: POLL_INCLUDE });
}

/** How many polls of the community take votes now. */
export function openPollCount(db: Db, communityId: string): Promise<number> {
  return db.poll.count({ where: { communityId, status: 'open' } });
}

/** A digest's polls: those open now (closing first) and those closed in the week. */
export async function digestPolls(db: Db, communityId: string, from: Date, to: Date, take = 5): Promise<{ open: PollWithOptions[]; closed: PollWithOptions[] }> {
  const [open, closed] = await Promise.all([
    db.poll.findMany({ where: { communityId, status: 'open' }, orderBy: { closesAt: 'asc' }, take, include: POLL_INCLUDE }),
    db.poll.findMany({ where: { communityId, status: 'closed', closedAt: { gte: from, lt: to } }, orderBy: { closedAt: 'asc' }, take, include: POLL_INCLUDE }),
  ]);
  return { open, closed };
}

/** The polls staff may export, newest first. */
export function exportablePolls(db: Db, communityId: string, take = 30): Promise<{ id: string; number: number; question: string }[]> {
  return db.poll.findMany({ where: { communityId }, orderBy: { number: 'desc' }, take, select: { id: true, number: true, question: true } });
}

/** Shortlisted micro-projects an approval poll can put to the vote, in number order. */
export function ballotShortlist(db: Db, communityId: string, take: number): Promise<{ id: string; number: number; title: string }[]> {
  return db.proposal.findMany({ where: { communityId, status: 'shortlisted' }, orderBy: { number: 'asc' }, take, select: { id: true, number: true, title: true } });
}

/** What the scheduler's job finds to do at `now`. */
export interface DuePolls {
  /** Scheduled polls whose opening time came. */
  toOpen: PollWithOptions[];
  /** Open polls never posted (a crash between creation and posting). */
  unposted: PollWithOptions[];
  /** Polls whose closing time passed (also long ago, after downtime). */
  toClose: { id: string }[];
}

/** The polls to open, post and close now. */
export async function duePolls(db: Db, now: Date): Promise<DuePolls> {
  const [toOpen, unposted, toClose] = await Promise.all([
    db.poll.findMany({ where: { status: 'scheduled', opensAt: { lte: now } }, include: POLL_INCLUDE }),
    db.poll.findMany({ where: { status: 'open', postedAt: null }, include: POLL_INCLUDE }),
    db.poll.findMany({ where: { status: { in: [...RUNNING_STATUSES] }, closesAt: { lte: now } }, select: { id: true } }),
  ]);
  return { toOpen, unposted, toClose };
}

/** Polls closed in the last day (their result announcement may have been interrupted). */
export function recentlyClosed(db: Db, now: Date): Promise<PollWithOptions[]> {
  return db.poll.findMany({ where: { status: 'closed', closedAt: { gte: new Date(now.getTime() - DAY_MS) } }, include: POLL_INCLUDE });
}

/** Open polls due their one reminder: closing within a day, open for at least an hour, not reminded yet. */
export function remindablePolls(db: Db, now: Date): Promise<PollWithOptions[]> {
  return db.poll.findMany({
    where: { status: 'open', remindedAt: null, closesAt: { gt: now, lte: new Date(now.getTime() + DAY_MS) }, opensAt: { lte: new Date(now.getTime() - HOUR_MS) } },
    include: POLL_INCLUDE,
  });
}

/** One named ballot as its export shows it. */
export interface NamedBallotRow {
  /** Null after the voter used /forgetme. */
  voterName: string | null;
  advisory: boolean;
  /** online | paper | inperson (a meeting attendee: no options, the counts are the meeting's). */
  source: string;
  castAt: Date;
  updatedAt: Date;
  /** The options chosen, by id. */
  optionIds: string[];
}

/**
 * Who voted what in a named poll, in participation-id order, one page at a time (a plain join:
 * no per-row objects from the ORM), so a poll with 100,000 votes streams with flat memory.
 * Options are gathered in TypeScript, not with a dialect's string aggregate. Refused for an
 * anonymous poll: its ballots name nobody, and no export may pretend otherwise.
 */
export async function* namedBallotRows(db: Db, poll: Pick<PollWithOptions, 'id' | 'anonymous'>, pageSize = 1000): AsyncGenerator<NamedBallotRow> {
  if (poll.anonymous) throw new DomainError('polls.export_secret');
  let cursor = '';
  for (;;) {
    const rows = await db.$queryRaw<{ id: string; voterName: string | null; advisory: number | bigint | boolean; source: string; castAt: Date | number | string; updatedAt: Date | number | string; optionId: string | null }[]>`
      SELECT p."id" AS "id", p."voterName" AS "voterName", p."advisory" AS "advisory", p."source" AS "source", p."castAt" AS "castAt", p."updatedAt" AS "updatedAt", c."optionId" AS "optionId"
      FROM "PollParticipation" p
      LEFT JOIN "Ballot" b ON b."participationId" = p."id"
      LEFT JOIN "BallotChoice" c ON c."ballotId" = b."id"
      WHERE p."id" IN (SELECT "id" FROM "PollParticipation" WHERE "pollId" = ${poll.id} AND "id" > ${cursor} ORDER BY "id" LIMIT ${pageSize})
      ORDER BY p."id"`;
    // One row per chosen option: gather each participation's options.
    const page: NamedBallotRow[] = [];
    let last = '';
    for (const r of rows) {
      if (r.id !== last) {
        page.push({ voterName: r.voterName, advisory: Boolean(Number(r.advisory)), source: r.source, castAt: new Date(r.castAt), updatedAt: new Date(r.updatedAt), optionIds: [] });
        last = r.id;
      }
      if (r.optionId) page[page.length - 1].optionIds.push(r.optionId);
    }
    yield* page;
    if (page.length < pageSize) return;
    cursor = last;
  }
}

/** A community's polls for an operator's list, newest number first (a total order: numbers are unique per community). */
export function listPolls(db: Db, communityId: string, filter: { status?: string; take?: number } = {}): Promise<PollWithOptions[]> {
  return db.poll.findMany({
    where: { communityId, ...(filter.status ? { status: filter.status } : {}) },
    orderBy: { number: 'desc' },
    take: filter.take ?? 100,
    include: POLL_INCLUDE,
  });
}
