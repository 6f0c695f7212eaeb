/**
 * The secret_ballots migration on a database from the field: ballots written in the old shape
 * (voter, name and time on the ballot) are carried into participation + ballot. Tallies do not
 * move; anonymous ballots lose their names, their time-bearing ids and their insertion order;
 * closed anonymous polls and final secret ballots keep no link; open anonymous polls whose votes
 * may change keep a temporary link that the bot seals into a keyed hash, after which voters
 * change their votes as before.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../src/db/client.ts';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR } from '../../../../src/db/migrate.ts';
import { countVotes, POLL_INCLUDE } from '../../../../src/domain/polls/polls.ts';
import { createBallotSeal } from '../../../../src/domain/polls/secrecy.ts';
import { BallotBox } from '../../../../src/domain/polls/voting.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import { tempDir } from '../../../support/harness.ts';

const AT = '2026-11-20T08:00:00.000+00:00';
const LATER = '2026-12-30T08:00:00.000+00:00';

/** The polls of the old database: [id, anonymous, allowChange, maxChoices, status]. */
const POLLS = [
  ['p-anon-open', 1, 1, 1, 'open'],
  ['p-anon-closed', 1, 1, 1, 'closed'],
  ['p-named', 0, 1, 1, 'open'],
  ['p-anon-final', 1, 0, 1, 'open'],
  ['p-anon-multi', 1, 0, 2, 'open'],
] as const;
/** Old ballots: [ballot id (cuid-like, with a time in it), poll, voter person, options chosen]. */
const BALLOTS = [
  ['ckold0001aaaa', 'p-anon-open', 'person-1', ['p-anon-open-o1']],
  ['ckold0002aaaa', 'p-anon-open', 'person-2', ['p-anon-open-o2']],
  ['ckold0003aaaa', 'p-anon-open', 'person-3', ['p-anon-open-o1']],
  ['ckold0004aaaa', 'p-anon-closed', 'person-1', ['p-anon-closed-o2']],
  ['ckold0005aaaa', 'p-anon-closed', 'person-2', ['p-anon-closed-o2']],
  ['ckold0006aaaa', 'p-named', 'person-1', ['p-named-o1']],
  ['ckold0007aaaa', 'p-named', 'person-2', ['p-named-o3']],
  ['ckold0008aaaa', 'p-anon-final', 'person-1', ['p-anon-final-o3']],
  ['ckold0009aaaa', 'p-anon-multi', 'person-2', ['p-anon-multi-o1', 'p-anon-multi-o2']],
] as const;

/** Fills a database that has only the first migration, the way Linli wrote ballots before. */
function fillOldDatabase(file: string): void {
  const conn = new Database(file);
  conn.prepare(`INSERT INTO "Community" ("id", "slug", "name") VALUES ('c1', 'badeng', '巴登社区')`).run();
  for (const i of [1, 2, 3]) {
    conn.prepare(`INSERT INTO "Person" ("id", "displayName", "createdAt") VALUES (?, ?, ?)`).run(`person-${i}`, `居民${i}`, AT);
    conn.prepare(`INSERT INTO "Household" ("id", "communityId", "unit") VALUES (?, 'c1', ?)`).run(`h-${i}`, `1-${i}`);
    conn.prepare(`INSERT INTO "Membership" ("id", "personId", "communityId", "role", "householdId", "source", "grantedAt") VALUES (?, ?, 'c1', 'verified', ?, 'cli', ?)`).run(`m-${i}`, `person-${i}`, `h-${i}`, AT);
  }
  POLLS.forEach(([id, anonymous, allowChange, maxChoices, status], n) => {
    conn
      .prepare(`INSERT INTO "Poll" ("id", "shortId", "communityId", "number", "question", "maxChoices", "electorate", "anonymous", "allowChange", "opensAt", "closesAt", "status", "createdAt") VALUES (?, ?, 'c1', ?, ?, ?, 'residents', ?, ?, ?, ?, ?, ?)`)
      .run(id, `short${n}aaaa`, n + 1, `议题${n + 1}`, maxChoices, anonymous, allowChange, AT, LATER, status, AT);
    for (const position of [1, 2, 3]) conn.prepare(`INSERT INTO "PollOption" ("id", "pollId", "position", "label") VALUES (?, ?, ?, ?)`).run(`${id}-o${position}`, id, position, `选项${position}`);
  });
  for (const [id, pollId, personId, options] of BALLOTS) {
    conn.prepare(`INSERT INTO "Ballot" ("id", "pollId", "voterKey", "personId", "voterName", "advisory", "castAt", "updatedAt") VALUES (?, ?, ?, ?, ?, 0, ?, ?)`).run(id, pollId, `p:${personId}`, personId, `名字-${personId}`, AT, AT);
    for (const optionId of options) conn.prepare(`INSERT INTO "BallotChoice" ("ballotId", "optionId") VALUES (?, ?)`).run(id, optionId);
  }
  conn.close();
}

describe('the secret_ballots migration', () => {
  const dir = tempDir('linli-secret-migration-');
  const file = join(dir, 'field.db');
  let db: Db;
  let tallyBefore: Record<string, Record<string, number>>;

  beforeAll(async () => {
    // The database as it was in the field: every migration before this one.
    const old = join(dir, 'migrations-old');
    mkdirSync(old);
    const earlier = readdirSync(DEFAULT_MIGRATIONS_DIR).filter((d) => /^\d{14}_/.test(d)).sort();
    for (const m of earlier.slice(0, earlier.findIndex((d) => d.endsWith('_secret_ballots')))) cpSync(join(DEFAULT_MIGRATIONS_DIR, m), join(old, m), { recursive: true });
    cpSync(join(DEFAULT_MIGRATIONS_DIR, 'migration_lock.toml'), join(old, 'migration_lock.toml'));
    applyMigrations(file, old);
    fillOldDatabase(file);
    const conn = new Database(file, { readonly: true });
    tallyBefore = {};
    for (const [pollId] of POLLS) {
      const rows = conn.prepare(`SELECT c."optionId" AS o, COUNT(*) AS n FROM "BallotChoice" c JOIN "Ballot" b ON b."id" = c."ballotId" WHERE b."pollId" = ? GROUP BY c."optionId"`).all(pollId) as { o: string; n: number }[];
      tallyBefore[pollId] = Object.fromEntries(rows.map((r) => [r.o, r.n]));
    }
    conn.close();
    // This migration first; the ones written after it apply too, as they would in the field.
    expect(applyMigrations(file).applied[0]).toMatch(/_secret_ballots$/);
    db = await openDatabase(file);
  });
  afterAll(async () => {
    await db?.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every tally and records who took part, with names only for named polls', async () => {
    for (const [pollId] of POLLS) {
      const counts = await countVotes(db, { id: pollId, inPersonVoters: null });
      expect(counts.online).toEqual(tallyBefore[pollId]);
      expect(counts.onlineBallots).toBe(BALLOTS.filter((b) => b[1] === pollId).length);
    }
    const voted = await db.pollParticipation.findMany({ include: { poll: true } });
    expect(voted).toHaveLength(BALLOTS.length);
    for (const v of voted) {
      expect(v.castAt.toISOString()).toBe('2026-11-20T08:00:00.000Z');
      expect(v.voterKey).toBe(`p:${v.personId}`);
      expect(v.voterName).toBe(v.poll.anonymous ? null : `名字-${v.personId}`);
    }
    const conn = new Database(file, { readonly: true });
    expect(conn.prepare(`SELECT name FROM sqlite_master WHERE name = '_secret_ballots_map'`).all()).toEqual([]);
    conn.close();
  });

  it('gives anonymous ballots new ids and random row positions, and links them as their poll allows', async () => {
    const ballots = await db.ballot.findMany({ include: { poll: true, participation: true } });
    const oldIds = new Set<string>(BALLOTS.map((b) => b[0]));
    for (const b of ballots) {
      expect(b.voterHash).toBeNull();
      expect(oldIds.has(b.id)).toBe(!b.poll.anonymous);
      const mayChange = b.poll.status === 'open' && (b.poll.allowChange || b.poll.maxChoices > 1);
      // Named: for good. Anonymous and still changeable: until the bot seals it. Otherwise: none.
      expect(b.participationId !== null).toBe(!b.poll.anonymous || mayChange);
    }
    const conn = new Database(file, { readonly: true });
    const ballotRows = (conn.prepare(`SELECT rowid AS r FROM "Ballot" ORDER BY rowid`).all() as { r: number | bigint }[]).map((x) => BigInt(x.r));
    const choiceRows = (conn.prepare(`SELECT rowid AS r FROM "BallotChoice" ORDER BY rowid`).all() as { r: number | bigint }[]).map((x) => BigInt(x.r));
    conn.close();
    // Not 1, 2, 3, … in the order the votes came.
    expect(ballotRows).not.toEqual(ballotRows.map((_, i) => BigInt(i + 1)));
    expect(choiceRows).not.toEqual(choiceRows.map((_, i) => BigInt(i + 1)));
  });

  it('lets the bot seal the temporary links; voters then change their votes as before', async () => {
    const key = randomBytes(32);
    const seal = createBallotSeal(async () => key);
    const box = new BallotBox(db, seal);
    expect(await box.sealLegacyLinks()).toBe(4);
    expect(await box.sealLegacyLinks()).toBe(0);
    await seal.ready(db);
    for (const pollId of ['p-anon-open', 'p-anon-multi']) {
      const ballots = await db.ballot.findMany({ where: { pollId } });
      const voted = await db.pollParticipation.findMany({ where: { pollId } });
      expect(ballots.every((b) => b.participationId === null)).toBe(true);
      expect(ballots.map((b) => b.voterHash).sort()).toEqual(voted.map((v) => seal.hash(pollId, v.voterKey)).sort());
    }
    expect(await db.ballot.count({ where: { poll: { anonymous: false }, participationId: null } })).toBe(0);

    const now = new Date('2026-12-01T08:00:00Z');
    const actor = async (id: string) => loadActor(db, await db.person.findUniqueOrThrow({ where: { id } }));
    const poll = async (id: string) => db.poll.findUniqueOrThrow({ where: { id }, include: POLL_INCLUDE });
    expect(await box.cast({ poll: await poll('p-anon-open'), actor: await actor('person-2'), voterName: '居民2', position: 1, now })).toMatchObject({ effect: 'changed', positions: [1] });
    expect((await countVotes(db, { id: 'p-anon-open', inPersonVoters: null })).online).toEqual({ 'p-anon-open-o1': 3 });
    // Found through the hash: the full multiple-choice ballot refuses a third option.
    await expect(box.cast({ poll: await poll('p-anon-multi'), actor: await actor('person-2'), voterName: '居民2', position: 3, now })).rejects.toMatchObject({ key: 'polls.max_reached' });
    // A final secret ballot has no link left: a tap is told it stands, nothing more.
    expect(await box.cast({ poll: await poll('p-anon-final'), actor: await actor('person-1'), voterName: '居民1', position: 1, now })).toMatchObject({ effect: 'unchanged', secret: true });
  });
});
