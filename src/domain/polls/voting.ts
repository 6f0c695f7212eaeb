/**
 * Casting a ballot. Who may vote (council, verified residents, one per household; invited
 * members only in an advisory capacity), and recording the choice so that one voter — or one
 * household — holds exactly one ballot. The unique index on (pollId, voterKey) is the guard:
 * two taps at the same moment can never both create a ballot.
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../errors.ts';
import { isUniqueViolation, type Db } from '../../db/client.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { Poll, PollOption } from '../../generated/prisma/client.ts';
import { householdIn, rolesIn, type Actor } from '../residents/roles.ts';
import { isOpen } from './polls.ts';

/** Whose ballot a tap fills in. */
export interface VoterSlot {
  voterKey: string;
  advisory: boolean;
}

/** Why someone may not vote in a poll (i18n keys under polls.). */
export type Ineligible = 'not_council' | 'not_verified' | 'no_household';

/**
 * The ballot slot of an actor in a poll, or the reason they have none. Invited members
 * (特邀委员) outside the electorate get an advisory slot: recorded, shown apart, never counted.
 */
export function voterSlot(actor: Actor, poll: Pick<Poll, 'communityId' | 'electorate'>): VoterSlot | { ineligible: Ineligible } {
  const roles = rolesIn(actor, poll.communityId);
  const advisory = roles.has('invited') ? { voterKey: `a:${actor.personId}`, advisory: true } : null;
  switch (poll.electorate) {
    case 'council':
      if (roles.has('council')) return { voterKey: `p:${actor.personId}`, advisory: false };
      return advisory ?? { ineligible: 'not_council' };
    case 'households': {
      const household = roles.has('verified') ? householdIn(actor, poll.communityId) : null;
      if (household) return { voterKey: `h:${household}`, advisory: false };
      if (advisory) return advisory;
      return { ineligible: roles.has('verified') ? 'no_household' : 'not_verified' };
    }
    default:
      if (roles.has('verified')) return { voterKey: `p:${actor.personId}`, advisory: false };
      return advisory ?? { ineligible: 'not_verified' };
  }
}

/** What a tap did. */
export type VoteEffect = 'recorded' | 'changed' | 'added' | 'removed' | 'unchanged';

/** The ballot after a tap. */
export interface VoteOutcome {
  effect: VoteEffect;
  advisory: boolean;
  /** Positions of the options now on the ballot. */
  positions: number[];
  /** True for the poll's very first ballot (rules are frozen from now on). */
  first: boolean;
}

/** A tap on an option. */
export interface VoteRequest {
  poll: Poll & { options: PollOption[] };
  actor: Actor;
  /** Name shown in named polls' exports. */
  voterName: string;
  position: number;
  now: Date;
}

/**
 * Records a tap. Single choice: the option becomes the ballot's choice (changing it only when
 * the poll allows). Multiple choice: the option is added (up to the maximum) or, tapped again,
 * removed. Throws a DomainError for a closed poll, someone outside the electorate, or a change
 * that is not allowed.
 */
export async function castVote(db: Db, req: VoteRequest): Promise<VoteOutcome> {
  const { poll, actor, now } = req;
  const option = poll.options.find((o) => o.position === req.position);
  if (!option) throw new DomainError('polls.vote_bad_option');
  if (!isOpen(poll, now)) throw new DomainError(poll.status === 'cancelled' ? 'polls.vote_cancelled' : poll.status === 'scheduled' || poll.opensAt > now ? 'polls.vote_not_yet' : 'polls.vote_closed');
  const slot = voterSlot(actor, poll);
  if ('ineligible' in slot) throw new DomainError(`polls.ineligible_${slot.ineligible}`);

  const fast = await fastPath(db, req, slot, option.id);
  if (fast) return fast;
  const again = await sameOptionAgain(db, req, slot, option.id);
  if (again) return again;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        // Re-read inside the transaction: a close that committed first wins.
        const fresh = await tx.poll.findUnique({ where: { id: poll.id }, select: { status: true, closesAt: true, opensAt: true, firstVoteAt: true } });
        if (!fresh || !isOpen(fresh, now)) throw new DomainError(fresh?.status === 'cancelled' ? 'polls.vote_cancelled' : 'polls.vote_closed');
        const existing = await tx.ballot.findUnique({
          where: { pollId_voterKey: { pollId: poll.id, voterKey: slot.voterKey } },
          include: { choices: { select: { optionId: true } } },
        });
        const positionOf = (id: string) => poll.options.find((o) => o.id === id)!.position;
        if (!existing) {
          await tx.ballot.create({
            data: {
              pollId: poll.id,
              voterKey: slot.voterKey,
              personId: actor.personId,
              voterName: req.voterName,
              advisory: slot.advisory,
              castAt: now,
              choices: { create: [{ optionId: option.id }] },
            },
          });
          const first = !fresh.firstVoteAt && !slot.advisory;
          if (first) await tx.poll.updateMany({ where: { id: poll.id, firstVoteAt: null }, data: { firstVoteAt: now } });
          return { effect: 'recorded' as const, advisory: slot.advisory, positions: [option.position], first };
        }
        if (existing.personId && existing.personId !== actor.personId && !poll.allowChange) throw new DomainError('polls.household_voted');
        const chosen = existing.choices.map((c) => c.optionId);
        const has = chosen.includes(option.id);
        const touch = { personId: actor.personId, voterName: req.voterName };
        if (poll.maxChoices === 1) {
          if (has) return { effect: 'unchanged' as const, advisory: existing.advisory, positions: [option.position], first: false };
          if (!poll.allowChange) throw new DomainError('polls.no_change', { choice: chosen.map(positionOf).join(',') });
          await tx.ballotChoice.deleteMany({ where: { ballotId: existing.id } });
          await tx.ballotChoice.create({ data: { ballotId: existing.id, optionId: option.id } });
          await tx.ballot.update({ where: { id: existing.id }, data: touch });
          return { effect: 'changed' as const, advisory: existing.advisory, positions: [option.position], first: false };
        }
        if (has) {
          if (!poll.allowChange) throw new DomainError('polls.no_change_multi');
          const left = chosen.filter((id) => id !== option.id);
          if (!left.length) {
            await tx.ballot.delete({ where: { id: existing.id } });
          } else {
            await tx.ballotChoice.delete({ where: { ballotId_optionId: { ballotId: existing.id, optionId: option.id } } });
            await tx.ballot.update({ where: { id: existing.id }, data: touch });
          }
          return { effect: 'removed' as const, advisory: existing.advisory, positions: left.map(positionOf).sort((a, b) => a - b), first: false };
        }
        if (chosen.length >= poll.maxChoices) throw new DomainError('polls.max_reached', { k: poll.maxChoices });
        await tx.ballotChoice.create({ data: { ballotId: existing.id, optionId: option.id } });
        await tx.ballot.update({ where: { id: existing.id }, data: touch });
        return { effect: 'added' as const, advisory: existing.advisory, positions: [...chosen.map(positionOf), option.position].sort((a, b) => a - b), first: false };
      });
    } catch (err) {
      // Another tap of the same voter (or household) created the ballot first: read it again.
      if (isUniqueViolation(err)) continue;
      throw err;
    }
  }
  throw new DomainError('polls.vote_retry');
}

/**
 * The two common cases in plain statements in ONE batch transaction:
 *
 * 1. The voter's first ballot. The insert happens only while the poll is still open (checked in
 *    the same statement, so a close that committed first wins) and does nothing when the voter
 *    already has a ballot (the unique index decides).
 * 2. A single-choice poll that allows changes, and a voter who picks another option. Here case 1
 *    is an upsert: on conflict it touches the ballot row only when that holds another option,
 *    and returns the row's id (ours: inserted; another: changed; none: nothing done). The choice
 *    is then moved under the same conditions (ballot holds another option, poll open). Right after
 *    case 1 inserted the ballot with this very option, that changes nothing.
 *
 * Anything else — the same option again, a multiple-choice poll, a closed poll — changes nothing
 * here and goes the full way. Null then.
 *
 * The statements of taps arriving together are committed together (see {@link TapCommitter}).
 */
async function fastPath(db: Db, req: VoteRequest, slot: VoterSlot, optionId: string): Promise<VoteOutcome | null> {
  const { poll, actor, now } = req;
  const id = randomUUID();
  const change = poll.maxChoices === 1 && poll.allowChange;
  const open = Prisma.sql`EXISTS (SELECT 1 FROM "Poll" WHERE "id" = ${poll.id} AND "status" = 'open')`;
  const values = Prisma.sql`SELECT ${id}, ${poll.id}, ${slot.voterKey}, ${actor.personId}, ${req.voterName}, ${slot.advisory}, ${now}, ${now} WHERE ${open}`;
  const insertChoice = () =>
    db.$executeRaw`INSERT INTO "BallotChoice" ("ballotId", "optionId") SELECT ${id}, ${optionId} WHERE EXISTS (SELECT 1 FROM "Ballot" WHERE "id" = ${id})`;
  let inserted: boolean;
  let changed = false;
  if (change) {
    // The ballot row: inserted, or — when it exists and holds another option — touched, in one
    // upsert that returns the row's id (ours: new; another: changed; none: nothing to do here).
    const [rows, , moved] = await tapCommitter(db).run(() => [
      db.$queryRaw<{ id: string }[]>`INSERT INTO "Ballot" ("id", "pollId", "voterKey", "personId", "voterName", "advisory", "castAt", "updatedAt") ${values}
        ON CONFLICT ("pollId", "voterKey") DO UPDATE SET "updatedAt" = excluded."updatedAt", "personId" = excluded."personId", "voterName" = excluded."voterName"
        WHERE EXISTS (SELECT 1 FROM "BallotChoice" c WHERE c."ballotId" = "Ballot"."id" AND c."optionId" <> ${optionId})
        RETURNING "id"`,
      insertChoice(),
      db.$executeRaw`UPDATE "BallotChoice" SET "optionId" = ${optionId}
        WHERE "ballotId" = (SELECT "id" FROM "Ballot" WHERE "pollId" = ${poll.id} AND "voterKey" = ${slot.voterKey})
          AND "optionId" <> ${optionId} AND ${open}`,
    ]);
    const ids = (rows as { id: string }[]).map((r) => r.id);
    inserted = ids.includes(id);
    changed = !inserted && ids.length === 1 && moved === 1;
  } else {
    const [count] = await tapCommitter(db).run(() => [
      db.$executeRaw`INSERT INTO "Ballot" ("id", "pollId", "voterKey", "personId", "voterName", "advisory", "castAt", "updatedAt") ${values} ON CONFLICT DO NOTHING`,
      insertChoice(),
    ]);
    inserted = count === 1;
  }
  if (inserted) {
    let first = false;
    if (!poll.firstVoteAt && !slot.advisory) {
      const claimed = await db.poll.updateMany({ where: { id: poll.id, firstVoteAt: null }, data: { firstVoteAt: now } });
      first = claimed.count === 1;
      // Rules are frozen from now on; later taps need not try again (the poll object may be cached).
      poll.firstVoteAt = now;
    }
    return { effect: 'recorded', advisory: slot.advisory, positions: [req.position], first };
  }
  if (changed) return { effect: 'changed', advisory: slot.advisory, positions: [req.position], first: false };
  return null;
}

/**
 * A single-choice ballot that already holds the tapped option (a double tap, or a tap to check
 * one's vote): nothing to write, so one read answers it instead of a transaction. The answer is
 * the full way's: unchanged — except where another member of the household cast the ballot and
 * changes are not allowed, which the full way refuses (null here, so it does).
 */
async function sameOptionAgain(db: Db, req: VoteRequest, slot: VoterSlot, optionId: string): Promise<VoteOutcome | null> {
  const { poll, actor } = req;
  if (poll.maxChoices !== 1) return null;
  const [same] = await db.$queryRaw<{ personId: string | null; advisory: boolean }[]>`
    SELECT b."personId", b."advisory" FROM "Ballot" b
    JOIN "BallotChoice" c ON c."ballotId" = b."id" AND c."optionId" = ${optionId}
    JOIN "Poll" p ON p."id" = b."pollId" AND p."status" = 'open'
    WHERE b."pollId" = ${poll.id} AND b."voterKey" = ${slot.voterKey}`;
  if (!same || (same.personId && same.personId !== actor.personId && !poll.allowChange)) return null;
  return { effect: 'unchanged', advisory: Boolean(same.advisory), positions: [req.position], first: false };
}

/** Most taps committed in one transaction. */
const MAX_TAPS_PER_COMMIT = 100;

/**
 * Group commit of fast-path taps. A polling batch hands the bot up to a hundred taps at once;
 * giving each its own transaction serializes them on the driver's transaction lock and pays a
 * BEGIN/COMMIT (a WAL write) per tap. Taps submitted in the same turn of the event loop are run
 * as ONE batch transaction instead, each tap's statements in submission order, so the outcome is
 * exactly that of running the taps one after another: every statement still checks the state it
 * needs (poll open, ballot present, other option chosen) and the unique index on
 * (pollId, voterKey) still decides who holds a ballot. Each tap reads its own row counts.
 *
 * If the shared transaction fails, nothing of it was written; each tap then runs again in its own
 * transaction, so one bad tap cannot fail the others.
 */
class TapCommitter {
  private queue: { build: () => Prisma.PrismaPromise<unknown>[]; resolve: (results: unknown[]) => void; reject: (err: unknown) => void }[] = [];

  constructor(private readonly db: Db) {}

  /** Runs the statements `build` makes (in a transaction shared with other taps); their row counts. */
  run(build: () => Prisma.PrismaPromise<unknown>[]): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ build, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const all = this.queue;
    this.queue = [];
    for (let i = 0; i < all.length; i += MAX_TAPS_PER_COMMIT) {
      const taps = all.slice(i, i + MAX_TAPS_PER_COMMIT);
      const statements = taps.map((t) => t.build());
      try {
        const counts = await this.db.$transaction(statements.flat());
        let at = 0;
        for (let k = 0; k < taps.length; k++) {
          taps[k].resolve(counts.slice(at, at + statements[k].length));
          at += statements[k].length;
        }
      } catch (err) {
        if (taps.length === 1) {
          taps[0].reject(err);
          continue;
        }
        for (const t of taps) {
          try {
            t.resolve(await this.db.$transaction(t.build()));
          } catch (e) {
            t.reject(e);
          }
        }
      }
    }
  }
}

const committers = new WeakMap<Db, TapCommitter>();

function tapCommitter(db: Db): TapCommitter {
  let c = committers.get(db);
  if (!c) committers.set(db, (c = new TapCommitter(db)));
  return c;
}
