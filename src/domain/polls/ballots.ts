/**
 * How ballots are stored: one participation row per voter ("has voted": who, when) and one
 * ballot with its choices ("what was chosen": options only). The statements here are the plain
 * SQL the vote path runs — each checks the state it needs (poll open, participation new, ballot
 * present) so that taps committed together in one transaction come out exactly as if they had
 * run one after another — and the upkeep of the link between the two halves (secrecy.ts says
 * which link a poll has).
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { randomRowidColumn, shareLockSql } from '../../db/dialect.ts';
import { engineOf } from '../../db/engine.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { BallotLink, BallotSeal, KeyReader } from './secrecy.ts';

/** The client or a transaction: whatever runs plain SQL and the two tables. */
type Store = Pick<Db, '$executeRaw' | '$queryRaw' | 'ballot' | 'pollParticipation'>;

/** One tap, as the statements need it. */
export interface Tap {
  pollId: string;
  voterKey: string;
  advisory: boolean;
  personId: string;
  /** Named polls only; anonymous participation keeps no name. */
  voterName: string | null;
  optionId: string;
  link: BallotLink;
  /** The keyed hash of a sealed ballot (secrecy.ts); null otherwise. */
  hash: string | null;
  now: Date;
  /** A returned paper ballot (paper.ts); a tap otherwise. */
  source?: 'online' | 'paper';
}

/** Ids of a first ballot and its participation: random, so that they carry no time. */
export function newBallotIds(): { participation: string; ballot: string } {
  return { participation: randomUUID(), ballot: randomUUID() };
}

/**
 * Where a new ballot or choice row is placed. SQLite keeps a table's rows in rowid order and
 * hands a new row the next rowid, so reading the file front to back would line the ballots up
 * with the participation rows (who, when) and tell who chose what. A random rowid puts each row
 * at a random place instead. (Any 64-bit integer is a valid rowid; a collision is as likely as
 * guessing a 64-bit number and fails only that statement, which the vote path retries.)
 * PostgreSQL has no rowid (src/db/dialect.ts leaves the column out there); its heap order
 * follows inserts too, and a tap inserts its participation and its ballot together, so while a
 * poll is open a dump (pg_dump copies tables in heap order) lines them up. At the close
 * (shuffleBallotRows) an anonymous poll's ballots and choices are written again in random order.
 * The dead earlier versions stay in the table files until VACUUM reuses the space (VACUUM FULL
 * or CLUSTER rewrites the table at once); a dump never shows them. Shuffling taps inside one
 * group commit would not help: each tap's participation and ballot would move together.
 */

/** Rows written per statement when shuffling (PostgreSQL takes at most 65535 parameters). */
const SHUFFLE_CHUNK = 1000;

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * PostgreSQL, at an anonymous poll's close (in its transaction, after the links are cut):
 * deletes the poll's ballots and writes them, and their choices, again in random order, so the
 * heap order no longer follows the voting order. Ids and contents stay the same. SQLite: nothing
 * (random rowids already). Returns the ballots rewritten.
 */
export async function shuffleBallotRows(db: Pick<Db, 'ballot' | 'ballotChoice'>, pollId: string): Promise<number> {
  if (engineOf(db) !== 'postgresql') return 0;
  const ballots = await db.ballot.findMany({ where: { pollId, participationId: null, voterHash: null }, include: { choices: { select: { optionId: true } } } });
  if (ballots.length < 2) return 0;
  await db.ballot.deleteMany({ where: { id: { in: ballots.map((b) => b.id) } } });
  const rows = shuffled(ballots.map(({ choices: _choices, ...b }) => b));
  for (let i = 0; i < rows.length; i += SHUFFLE_CHUNK) await db.ballot.createMany({ data: rows.slice(i, i + SHUFFLE_CHUNK) });
  const choices = shuffled(ballots.flatMap((b) => b.choices.map((c) => ({ ballotId: b.id, optionId: c.optionId }))));
  for (let i = 0; i < choices.length; i += SHUFFLE_CHUNK) await db.ballotChoice.createMany({ data: choices.slice(i, i + SHUFFLE_CHUNK) });
  return ballots.length;
}

/**
 * First statement of every vote transaction: holds the poll row so that a close cannot commit
 * between this vote's "poll open" check and its commit (src/db/dialect.ts; a no-op on SQLite).
 */
export function lockPollForVote(db: Store, pollId: string): Prisma.PrismaPromise<unknown> {
  return db.$queryRaw(shareLockSql(db, 'Poll', pollId));
}

/**
 * {@link lockPollForVote} for a batch of statements: the lock on PostgreSQL, nothing on SQLite,
 * where the batch's BEGIN IMMEDIATE already keeps a close out until the vote commits (one
 * writer at a time) — a statement fewer per tap.
 */
export function pollLockForBatch(db: Store, pollId: string): Prisma.PrismaPromise<unknown>[] {
  return engineOf(db) === 'postgresql' ? [lockPollForVote(db, pollId)] : [];
}

/**
 * True while the voter's participation, if any, came from a tap: a paper ballot or a meeting
 * attendance of the household is never changed by a tap (paper.ts answers who entered it, when).
 */
const notEnteredByHand = (tap: Tap) =>
  Prisma.sql`NOT EXISTS (SELECT 1 FROM "PollParticipation" x WHERE x."pollId" = ${tap.pollId} AND x."voterKey" = ${tap.voterKey} AND x."source" <> 'online')`;

const pollIsOpen = (pollId: string) => Prisma.sql`EXISTS (SELECT 1 FROM "Poll" WHERE "id" = ${pollId} AND "status" = 'open')`;

/** The id of the voter's ballot, as a subquery: through the participation (named) or the keyed hash (sealed). */
function ballotOfVoter(tap: Tap): Prisma.Sql {
  if (tap.link === 'sealed') return Prisma.sql`(SELECT b."id" FROM "Ballot" b WHERE b."pollId" = ${tap.pollId} AND b."voterHash" = ${tap.hash})`;
  if (tap.link === 'named') {
    return Prisma.sql`(SELECT b."id" FROM "Ballot" b JOIN "PollParticipation" p ON p."id" = b."participationId" WHERE p."pollId" = ${tap.pollId} AND p."voterKey" = ${tap.voterKey})`;
  }
  throw new Error('an unlinked ballot cannot be looked up');
}

function participationValues(tap: Tap, id: string): Prisma.Sql {
  return Prisma.sql`SELECT ${id}, ${tap.pollId}, ${tap.voterKey}, ${tap.personId}, ${tap.voterName}, ${tap.advisory}, ${tap.now}, ${tap.now} WHERE ${pollIsOpen(tap.pollId)}`;
}

const PARTICIPATION_COLUMNS = Prisma.sql`("id", "pollId", "voterKey", "personId", "voterName", "advisory", "castAt", "updatedAt")`;

/** The voter's participation, while the poll is open and the voter has none yet. Affects 1 row or 0. */
export function insertParticipation(db: Store, tap: Tap, id: string): Prisma.PrismaPromise<number> {
  return db.$executeRaw`INSERT INTO "PollParticipation" ${PARTICIPATION_COLUMNS} ${participationValues(tap, id)} ON CONFLICT DO NOTHING`;
}

/**
 * The same, for a single-choice poll that allows changes: where the voter has a participation
 * whose ballot holds another option, it is touched instead (who changed it, when). Returns the
 * row's id: `id` when inserted, the existing one when touched, none when nothing was done.
 */
export function upsertParticipation(db: Store, tap: Tap, id: string): Prisma.PrismaPromise<{ id: string }[]> {
  const ballot =
    tap.link === 'named'
      ? Prisma.sql`(SELECT b."id" FROM "Ballot" b WHERE b."participationId" = "PollParticipation"."id")`
      : ballotOfVoter(tap);
  return db.$queryRaw<{ id: string }[]>`INSERT INTO "PollParticipation" ${PARTICIPATION_COLUMNS} ${participationValues(tap, id)}
    ON CONFLICT ("pollId", "voterKey") DO UPDATE SET "updatedAt" = excluded."updatedAt", "personId" = excluded."personId", "voterName" = excluded."voterName"
    WHERE "PollParticipation"."source" = 'online' AND EXISTS (SELECT 1 FROM "BallotChoice" c WHERE c."ballotId" = ${ballot} AND c."optionId" <> ${tap.optionId})
    RETURNING "id"`;
}

/** The ballot of a participation just inserted (nothing when `participationId` was not inserted). */
export function insertBallot(db: Store, tap: Tap, ids: { participation: string; ballot: string }): Prisma.PrismaPromise<number> {
  const owner = tap.link === 'named' ? ids.participation : null;
  const rowid = randomRowidColumn(db);
  return db.$executeRaw`INSERT INTO "Ballot" (${rowid.column}"id", "pollId", "advisory", "source", "voterHash", "participationId")
    SELECT ${rowid.value}${ids.ballot}, ${tap.pollId}, ${tap.advisory}, ${tap.source ?? 'online'}, ${tap.hash}, ${owner}
    WHERE EXISTS (SELECT 1 FROM "PollParticipation" WHERE "id" = ${ids.participation})`;
}

/** An option on a ballot (nothing when the ballot does not exist). */
export function insertChoice(db: Store, ballotId: string, optionId: string): Prisma.PrismaPromise<number> {
  const rowid = randomRowidColumn(db);
  return db.$executeRaw`INSERT INTO "BallotChoice" (${rowid.column}"ballotId", "optionId")
    SELECT ${rowid.value}${ballotId}, ${optionId} WHERE EXISTS (SELECT 1 FROM "Ballot" WHERE "id" = ${ballotId})`;
}

/** A returned paper ballot's rows (paper.ts): its participation, its ballot and the options marked. */
export interface PaperRows {
  participationId: string;
  ballotId: string;
  voterKey: string;
  /** Named polls only. */
  voterName: string | null;
  /** Anonymous polls: the keyed hash the ballot is found by until the close (secrecy.ts). */
  hash: string | null;
  optionIds: string[];
}

/**
 * The participations of returned paper ballots, one statement for many (personId null: the
 * household's vote, entered by hand by `enteredById`). The unique (pollId, voterKey) decides:
 * a household that has a participation already — online, on paper, at a meeting, or earlier in
 * the same statement — gets none. Returns the ids inserted. The caller checked that the poll
 * is open, in the same transaction.
 */
export function insertPaperParticipations(db: Store, pollId: string, enteredById: string, now: Date, rows: PaperRows[]): Prisma.PrismaPromise<{ id: string }[]> {
  const values = rows.map((r) => Prisma.sql`(${r.participationId}, ${pollId}, ${r.voterKey}, ${null}, ${r.voterName}, ${false}, 'paper', ${enteredById}, ${now}, ${now})`);
  return db.$queryRaw<{ id: string }[]>`INSERT INTO "PollParticipation" ("id", "pollId", "voterKey", "personId", "voterName", "advisory", "source", "enteredById", "castAt", "updatedAt")
    VALUES ${Prisma.join(values)} ON CONFLICT ("pollId", "voterKey") DO NOTHING RETURNING "id"`;
}

/**
 * The ballots and choices of paper participations just inserted, two statements for many. The
 * rows go in shuffled, so that even within one batch the ballots' order is not the
 * participations' (and on SQLite each gets a random rowid, as a tap's does).
 */
export async function insertPaperBallots(db: Store, pollId: string, link: BallotLink, rows: PaperRows[]): Promise<void> {
  if (!rows.length) return;
  const rowid = randomRowidColumn(db);
  const ballots = shuffled(rows).map(
    (r) => Prisma.sql`(${rowid.value}${r.ballotId}, ${pollId}, ${false}, 'paper', ${link === 'sealed' ? r.hash : null}, ${link === 'named' ? r.participationId : null})`,
  );
  await db.$executeRaw`INSERT INTO "Ballot" (${rowid.column}"id", "pollId", "advisory", "source", "voterHash", "participationId") VALUES ${Prisma.join(ballots)}`;
  const choices = shuffled(rows.flatMap((r) => r.optionIds.map((optionId) => Prisma.sql`(${rowid.value}${r.ballotId}, ${optionId})`)));
  await db.$executeRaw`INSERT INTO "BallotChoice" (${rowid.column}"ballotId", "optionId") VALUES ${Prisma.join(choices)}`;
}

/** Moves a single-choice ballot to the tapped option, where it holds another one and the poll is open. */
export function moveChoice(db: Store, tap: Tap): Prisma.PrismaPromise<number> {
  return db.$executeRaw`UPDATE "BallotChoice" SET "optionId" = ${tap.optionId}
    WHERE "ballotId" = ${ballotOfVoter(tap)} AND "optionId" <> ${tap.optionId} AND ${pollIsOpen(tap.pollId)} AND ${notEnteredByHand(tap)}`;
}

/** Replaces a single-choice ballot's option (inside the caller's transaction). */
export function replaceChoice(db: Store, ballotId: string, optionId: string): Prisma.PrismaPromise<number> {
  return db.$executeRaw`UPDATE "BallotChoice" SET "optionId" = ${optionId} WHERE "ballotId" = ${ballotId}`;
}

/**
 * The participation of a voter in an open poll, when its ballot holds `optionId` — or, for a
 * ballot linked to nobody, just the participation (whatever it holds). One read, no write.
 */
export function sameChoice(db: Store, tap: Tap): Prisma.PrismaPromise<{ personId: string | null; advisory: number | bigint | boolean }[]> {
  const holds = tap.link === 'none' ? Prisma.sql`1 = 1` : Prisma.sql`EXISTS (SELECT 1 FROM "BallotChoice" c WHERE c."ballotId" = ${ballotOfVoter(tap)} AND c."optionId" = ${tap.optionId})`;
  return db.$queryRaw`SELECT p."personId" AS "personId", p."advisory" AS "advisory" FROM "PollParticipation" p
    JOIN "Poll" q ON q."id" = p."pollId" AND q."status" = 'open'
    WHERE p."pollId" = ${tap.pollId} AND p."voterKey" = ${tap.voterKey} AND p."source" = 'online' AND ${holds}`;
}

/** A ballot with the ids of its options. */
export interface StoredBallot {
  id: string;
  advisory: boolean;
  optionIds: string[];
}

/**
 * The ballot of a participation, found the way the poll's link allows; null for a ballot linked
 * to nobody (or one whose hash no longer matches, e.g. after the ballot key was replaced). A
 * ballot still carrying the migration's temporary link is sealed here, on the voter's next tap.
 */
export async function findBallot(db: Store, tap: Tap, participationId: string): Promise<StoredBallot | null> {
  const choices = { select: { optionId: true } } as const;
  let row = null;
  if (tap.link === 'named') row = await db.ballot.findUnique({ where: { participationId }, include: { choices } });
  if (tap.link === 'sealed') {
    row = await db.ballot.findFirst({ where: { pollId: tap.pollId, voterHash: tap.hash }, include: { choices } });
    if (!row) {
      row = await db.ballot.findUnique({ where: { participationId }, include: { choices } });
      if (row) await db.ballot.update({ where: { id: row.id }, data: { voterHash: tap.hash, participationId: null } });
    }
  }
  return row && { id: row.id, advisory: row.advisory, optionIds: row.choices.map((c) => c.optionId) };
}

/** Cuts every link between an anonymous poll's ballots and its voters (at close and cancellation). */
export async function dropSecretLinks(db: Store, pollId: string): Promise<number> {
  const { count } = await db.ballot.updateMany({
    where: { pollId, poll: { anonymous: true }, OR: [{ voterHash: { not: null } }, { participationId: { not: null } }] },
    data: { voterHash: null, participationId: null },
  });
  return count;
}

/**
 * Replaces the temporary links the secret_ballots migration left on anonymous ballots that may
 * still change (SQL could not compute the keyed hash) by the hash, and drops any left on polls
 * that have closed since. Idempotent; the polls job runs it.
 */
export async function sealLegacyLinks(db: Db, seal: BallotSeal): Promise<number> {
  const legacy = await db.ballot.findMany({
    where: { participationId: { not: null }, poll: { anonymous: true } },
    select: { id: true, pollId: true, poll: { select: { status: true } }, participation: { select: { voterKey: true } } },
  });
  if (legacy.length) await seal.ready(db);
  for (const b of legacy) {
    const open = b.poll.status === 'open' || b.poll.status === 'scheduled';
    const voterHash = open && b.participation ? seal.hash(b.pollId, b.participation.voterKey) : null;
    await db.ballot.updateMany({ where: { id: b.id, participationId: { not: null } }, data: { voterHash, participationId: null } });
  }
  return legacy.length;
}

/**
 * /forgetme while anonymous polls are open: cuts the link of the person's own sealed ballots at
 * once, instead of at the close (they stay counted; the person can no longer change them, and
 * the key's holder can no longer find them). Household ballots keep theirs: they are the
 * household's, which other members may still change.
 */
export async function unlinkVoter(db: Store & KeyReader, seal: BallotSeal, personId: string): Promise<number> {
  const mine = await db.pollParticipation.findMany({
    where: { voterKey: { in: [`p:${personId}`, `a:${personId}`] }, poll: { anonymous: true, status: { in: ['open', 'scheduled'] } } },
    select: { id: true, pollId: true, voterKey: true },
  });
  if (mine.length) await seal.ready(db);
  let cut = 0;
  for (const p of mine) {
    const voterHash = seal.hash(p.pollId, p.voterKey);
    const { count } = await db.ballot.updateMany({
      where: { pollId: p.pollId, OR: [{ voterHash }, { participationId: p.id }] },
      data: { voterHash: null, participationId: null },
    });
    cut += count;
  }
  return cut;
}
