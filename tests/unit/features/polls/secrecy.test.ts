/**
 * A secret ballot is secret in the database too (issue 15, item 5). The real bot runs an
 * anonymous poll — votes by tapping the card, changes, a double tap, an invited member's
 * advisory vote — and the test then reads the raw database, as someone holding a copy of it
 * would: the SQLite file with better-sqlite3, or on a PostgreSQL run (LINLI_TEST_DATABASE) the
 * test's own database with `pg`. No column or row path leads from a person to a choice, the
 * hashes match nothing without the key (which is not in the database), the rows' order says
 * nothing, and after the close there is no hash at all. Tallies, turnout and /mydata still work;
 * a named poll keeps who voted what.
 *
 * Where the engines differ: SQLite keeps the key in a file beside the database (made on first
 * use), PostgreSQL takes it from LINLI_BALLOT_KEY; SQLite places rows by random rowid from the
 * first vote, PostgreSQL's heap follows the voting order while the poll is open and is rewritten
 * in random order at the close (shuffleBallotRows), so there the order is checked after it.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoll, storedResult, type PollWithOptions } from '../../../../src/domain/polls/polls.ts';
import type { PollDraft } from '../../../../src/domain/polls/rules.ts';
import { forgetPerson } from '../../../../src/domain/residents/privacy.ts';
import { ballotKeyFile } from '../../../../src/features/polls/ballotKey.ts';
import { publishPoll } from '../../../../src/features/polls/lifecycle.ts';
import type { Community, Person } from '../../../../src/generated/prisma/client.ts';
import type { SentMessage } from '../../../support/fakeBotApi.ts';
import { bindTelegramGroup, grantRole, makeCommunity, OPERATOR } from '../../../support/fixtures.ts';
import { startTestBot, testClock, textOf, type TestBot } from '../../../support/harness.ts';
import { TEST_BALLOT_KEY, TEST_ENGINE } from '../../../support/testDatabase.ts';

const GROUP = -100555;
const residents = Array.from({ length: 12 }, (_, i) => ({ id: 7001 + i, first_name: `投票人${i + 1}`, language_code: 'zh-CN' }));
const invited = { id: 7100, first_name: '特邀委员老何', language_code: 'zh-CN' };
/** Each resident's taps, in order (positions 1 赞成, 2 反对, 3 弃权); the last one counts. */
const TAPS = residents.map((_, i) => (i % 4 === 0 ? [1, 2] : i % 4 === 1 ? [3, 3] : i % 4 === 2 ? [2] : [1, 3, 1]));
const FINAL = TAPS.map((t) => t[t.length - 1]);

type Row = Record<string, unknown>;

const onPostgres = TEST_ENGINE === 'postgresql';

/**
 * The raw database, read-only in spirit: queries with `?` placeholders; `rowid` is the row's
 * place in the table (SQLite's rowid, PostgreSQL's ctid, i.e. heap order).
 */
interface RawDb {
  all<T = Row>(sql: string, ...params: unknown[]): Promise<T[]>;
  columns(table: string): Promise<string[]>;
  tables(): Promise<string[]>;
  close(): Promise<void>;
}

async function openRaw(target: string): Promise<RawDb> {
  if (onPostgres) {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    let n = 0;
    const all = async <T,>(sql: string, ...params: unknown[]) => (await client.query(sql.replace(/\?/g, () => `$${++n}`).replace(/\browid\b/g, 'ctid'), params)).rows as T[];
    return {
      all: async (sql, ...params) => {
        n = 0;
        return all(sql, ...params);
      },
      columns: async (table) => (await client.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`, [table])).rows.map((r: { column_name: string }) => r.column_name),
      tables: async () => (await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)).rows.map((r: { table_name: string }) => r.table_name),
      close: () => client.end(),
    };
  }
  const conn = new Database(target, { readonly: true, fileMustExist: true });
  return {
    all: async <T,>(sql: string, ...params: unknown[]) => conn.prepare(sql).all(...params) as T[],
    columns: async (table) => (conn.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name),
    tables: async () => (conn.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name),
    close: async () => void conn.close(),
  };
}

describe('secret ballots in the database', () => {
  let bot: TestBot;
  let community: Community;
  const people: Person[] = [];
  const clock = testClock(new Date());

  const raw = () => openRaw(bot.dbFile);
  const answers = () => bot.fake.calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => String(c.params.text ?? ''));
  const cardOf = (poll: PollWithOptions): SentMessage => bot.fake.messagesTo(GROUP).filter((m) => m.kind === 'send' && textOf(m).includes(poll.question)).at(-1)!;
  const tap = async (from: { id: number; first_name: string }, poll: PollWithOptions, position: number) => {
    bot.fake.pressButton({ from, chat: { id: GROUP }, messageId: cardOf(poll).messageId, data: `v:${poll.shortId}:${position}` });
    await bot.settle();
  };
  const newPoll = async (question: string, over: Partial<PollDraft> = {}) => {
    const poll = await createPoll(
      bot.db,
      { actor: OPERATOR, via: 'test' },
      community.id,
      { question, options: 'standard', maxChoices: 1, electorate: 'residents', anonymous: true, allowChange: true, closesAt: new Date(clock().getTime() + 86_400_000), quorum: { kind: 'none' }, rule: 'majority', liveResults: false, ...over },
      clock(),
    );
    await publishPoll(bot.linli.services, poll);
    await bot.flushOutbox();
    return poll;
  };
  /** Everything that identifies a person here: ids, voter keys, accounts, names, households. */
  const identifiers = async () => {
    const ids = new Set<string>();
    for (const p of await bot.db.person.findMany({ include: { identities: true, memberships: true } })) {
      ids.add(p.id);
      ids.add(p.displayName);
      for (const i of p.identities) ids.add(i.platformUserId);
      for (const m of p.memberships) if (m.householdId) ids.add(m.householdId);
    }
    for (const v of await bot.db.pollParticipation.findMany()) ids.add(v.voterKey);
    return [...ids];
  };
  /** The ballot key: the file beside the SQLite database, or PostgreSQL's setting (LINLI_BALLOT_KEY, as the harness sets it). */
  const keyOnDisk = () => (onPostgres ? Buffer.from(TEST_BALLOT_KEY, 'utf8') : Buffer.from(readFileSync(ballotKeyFile(bot.dbFile), 'utf8').trim(), 'base64'));

  let poll: PollWithOptions;

  beforeAll(async () => {
    bot = await startTestBot({ clock });
    community = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, community, GROUP);
    for (const [i, r] of residents.entries()) people.push(await grantRole(bot.db, community, r.id, 'verified', `6栋-1单元-${101 + i}`));
    await grantRole(bot.db, community, invited.id, 'invited');
    poll = await newPoll('是否同意将小区东侧空地改建为口袋公园？');
  });
  afterAll(async () => bot?.close());

  it(onPostgres ? 'takes the ballot key from the setting on PostgreSQL, and never keeps it in the database' : 'creates the ballot key beside the database on first use, readable by the bot only, and never in the database', async () => {
    if (!onPostgres) expect(existsSync(ballotKeyFile(bot.dbFile))).toBe(false);
    for (const [i, r] of residents.entries()) for (const position of TAPS[i]) await tap(r, poll, position);
    await tap(invited, poll, 2);
    expect(answers().at(-1)).toContain('参考意见');
    const key = keyOnDisk();
    const forms = [key, Buffer.from(key.toString('base64')), Buffer.from(key.toString('hex'))];
    if (onPostgres) {
      // No file to look into: every value of every table, as a dump would show them.
      const conn = await raw();
      try {
        const text = forms.map((f) => f.toString('latin1'));
        for (const table of await conn.tables()) {
          for (const row of await conn.all(`SELECT * FROM "${table}"`)) {
            for (const value of Object.values(row)) {
              const shown = Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
              for (const t of text) expect(shown.includes(t), table).toBe(false);
            }
          }
        }
      } finally {
        await conn.close();
      }
      return;
    }
    expect(existsSync(ballotKeyFile(bot.dbFile))).toBe(true);
    expect(statSync(ballotKeyFile(bot.dbFile)).mode & 0o777).toBe(0o600);
    expect(key.length).toBe(32);
    for (const file of [bot.dbFile, `${bot.dbFile}-wal`].filter(existsSync)) {
      const bytes = readFileSync(file);
      for (const f of forms) expect(bytes.includes(f)).toBe(false);
    }
  });

  it('counts what was chosen: the tally and the turnout are right', async () => {
    const { currentResult } = await import('../../../../src/domain/polls/polls.ts');
    const result = await currentResult(bot.db, poll);
    const byPosition = (pos: number) => result.votes[poll.options.find((o) => o.position === pos)!.id] ?? 0;
    expect([1, 2, 3].map(byPosition)).toEqual([1, 2, 3].map((pos) => FINAL.filter((f) => f === pos).length));
    expect(result.turnout).toBe(residents.length);
    expect(result.advisoryBallots).toBe(1);
  });

  it('keeps no person next to a choice: the ballot tables name nobody and carry no time', async () => {
    const conn = await raw();
    try {
      expect((await conn.columns('Ballot')).sort()).toEqual(['advisory', 'id', 'participationId', 'pollId', 'source', 'voterHash']);
      expect((await conn.columns('BallotChoice')).sort()).toEqual(['ballotId', 'optionId']);
      const ballots = (await conn.all<Row>('SELECT * FROM "Ballot" WHERE "pollId" = ?', poll.id));
      const choices = (await conn.all<Row>('SELECT c.* FROM "BallotChoice" c JOIN "Ballot" b ON b."id" = c."ballotId" WHERE b."pollId" = ?', poll.id));
      expect(ballots).toHaveLength(residents.length + 1);
      expect(ballots.every((b) => b.participationId === null)).toBe(true);
      // Random ids (UUID v4): a cuid would carry the time of the vote.
      expect(ballots.every((b) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(String(b.id)))).toBe(true);
      const who = await identifiers();
      // Equal to none; and not inside one either — for identifiers that could not turn up in hex by chance.
      const distinctive = who.filter((id) => id.length >= 12 || /[^0-9a-f-]/.test(id));
      for (const row of [...ballots, ...choices]) {
        for (const value of Object.values(row).map(String)) {
          expect(who).not.toContain(value);
          for (const id of distinctive) expect(value).not.toContain(id);
        }
      }
      // "Has voted" says who and when, never what: no option id in a participation row.
      const optionIds = poll.options.map((o) => o.id);
      const voted = (await conn.all<Row>('SELECT * FROM "PollParticipation" WHERE "pollId" = ?', poll.id));
      expect(voted).toHaveLength(residents.length + 1);
      for (const row of voted) {
        expect(row.voterName).toBeNull();
        for (const value of Object.values(row)) expect(optionIds).not.toContain(String(value));
      }
      // And nothing else in the file joins the two: no other table holds a ballot id.
      const tables = (await conn.tables()).filter((t) => !['Ballot', 'BallotChoice'].includes(t));
      const ballotIds = new Set(ballots.map((b) => String(b.id)));
      for (const table of tables) {
        for (const row of (await conn.all<Row>(`SELECT * FROM "${table}"`))) for (const value of Object.values(row)) expect(ballotIds.has(String(value))).toBe(false);
      }
    } finally {
      await conn.close();
    }
  });

  it('links a voter to a ballot only through the keyed hash: nothing matches without the key', async () => {
    const conn = await raw();
    try {
      const hashes = new Set(((await conn.all<{ voterHash: string }>('SELECT "voterHash" FROM "Ballot" WHERE "pollId" = ?', poll.id))).map((b) => b.voterHash));
      expect(hashes.size).toBe(residents.length + 1);
      for (const h of hashes) expect(h).toMatch(/^[0-9a-f]{64}$/);
      const voted = (await conn.all<{ voterKey: string }>('SELECT "voterKey" FROM "PollParticipation" WHERE "pollId" = ?', poll.id));
      const guesses = (voterKey: string) => {
        const message = `${poll.id}:${voterKey}`;
        return [
          createHash('sha256').update(message).digest('hex'),
          createHash('sha256').update(`${voterKey}:${poll.id}`).digest('hex'),
          createHmac('sha256', randomBytes(32)).update(message).digest('hex'),
          // Keys someone might try from the database itself: the poll's own ids.
          createHmac('sha256', poll.id).update(message).digest('hex'),
          createHmac('sha256', poll.shortId).update(message).digest('hex'),
        ];
      };
      for (const v of voted) for (const g of guesses(v.voterKey)) expect(hashes.has(g)).toBe(false);
      // With the key (outside the database) the bot finds each voter's ballot: that is the only way.
      const key = keyOnDisk();
      const found = voted.map((v) => createHmac('sha256', key).update(`${poll.id}:${v.voterKey}`).digest('hex'));
      expect(found.every((h) => hashes.has(h))).toBe(true);
    } finally {
      await conn.close();
    }
  });

  /** PostgreSQL: each ballot's voter, by voting order (first taps: the residents in turn, then the invited member), read while the hashes exist. */
  const ballotVoter = new Map<string, number>();
  /** PostgreSQL: the heap order of the poll's ballots and choices does not follow the voting order (checked after the close's rewrite). */
  const expectShuffledHeap = async () => {
    const conn = await raw();
    try {
      const ballots = await conn.all<{ id: string }>('SELECT "id" FROM "Ballot" WHERE "pollId" = ? ORDER BY rowid', poll.id);
      const sequence = ballots.map((b) => ballotVoter.get(b.id)!);
      expect(sequence.filter((i) => i !== undefined)).toHaveLength(residents.length + 1);
      expect(sequence).not.toEqual([...sequence].sort((a, z) => a - z));
      const choices = await conn.all<{ ballotId: string }>('SELECT c."ballotId" FROM "BallotChoice" c JOIN "Ballot" b ON b."id" = c."ballotId" WHERE b."pollId" = ? ORDER BY c.rowid', poll.id);
      const choiceSequence = choices.map((c) => ballotVoter.get(c.ballotId)!);
      expect(choiceSequence).toHaveLength(residents.length + 1);
      expect(choiceSequence).not.toEqual([...choiceSequence].sort((a, z) => a - z));
    } finally {
      await conn.close();
    }
  };

  it(onPostgres ? 'places ballot and choice rows at random at the close: the heap order no longer follows the order of the voters' : 'places ballot and choice rows at random: their order does not follow the order of the voters', async () => {
    const conn = await raw();
    try {
      const key = keyOnDisk();
      if (onPostgres) {
        // The heap follows the voting order until the close rewrites it (shuffleBallotRows):
        // note who each ballot is now; the close test checks the order after the rewrite.
        const voted = await conn.all<{ personId: string; voterKey: string }>('SELECT "personId", "voterKey" FROM "PollParticipation" WHERE "pollId" = ?', poll.id);
        const index = (personId: string) => (people.findIndex((p) => p.id === personId) + residents.length + 1) % (residents.length + 1);
        const byHash = new Map(voted.map((v) => [createHmac('sha256', key).update(`${poll.id}:${v.voterKey}`).digest('hex'), index(v.personId)]));
        for (const b of await conn.all<{ id: string; voterHash: string }>('SELECT "id", "voterHash" FROM "Ballot" WHERE "pollId" = ?', poll.id)) ballotVoter.set(b.id, byHash.get(b.voterHash)!);
        expect(new Set(ballotVoter.values()).size).toBe(residents.length + 1);
        return;
      }
      // Voting order: the participation rows as inserted (all taps share the test clock's instant).
      const voted = (await conn.all<{ r: number; voterKey: string }>('SELECT rowid AS r, "voterKey" FROM "PollParticipation" WHERE "pollId" = ? ORDER BY rowid', poll.id));
      const order = new Map(voted.map((v, i) => [createHmac('sha256', key).update(`${poll.id}:${v.voterKey}`).digest('hex'), i]));
      const ballots = (await conn.all<{ r: bigint | number; id: string; voterHash: string }>('SELECT rowid AS r, "id", "voterHash" FROM "Ballot" WHERE "pollId" = ? ORDER BY rowid', poll.id));
      const sequence = ballots.map((b) => order.get(b.voterHash)!);
      expect(sequence).toHaveLength(residents.length + 1);
      expect(sequence).not.toEqual([...sequence].sort((a, z) => a - z));
      const choiceRows = (await conn.all<{ ballotId: string }>('SELECT c.rowid AS r, c."ballotId" FROM "BallotChoice" c JOIN "Ballot" b ON b."id" = c."ballotId" WHERE b."pollId" = ? ORDER BY c.rowid', poll.id));
      const byBallot = new Map(ballots.map((b) => [b.id, order.get(b.voterHash)!]));
      const choiceSequence = choiceRows.map((c) => byBallot.get(c.ballotId)!);
      expect(choiceSequence).not.toEqual([...choiceSequence].sort((a, z) => a - z));
    } finally {
      await conn.close();
    }
  });

  it('drops every link when the poll closes: no hash at all, the key finds nothing, the result stands', async () => {
    clock.set(new Date(poll.closesAt.getTime() + 1000));
    await bot.linli.scheduler.run('polls-tick');
    await bot.flushOutbox();
    expect(textOf(bot.fake.messagesTo(GROUP).at(-1)!)).toContain('表决结果');
    const conn = await raw();
    try {
      const ballots = (await conn.all<Row>('SELECT * FROM "Ballot" WHERE "pollId" = ?', poll.id));
      expect(ballots).toHaveLength(residents.length + 1);
      expect(ballots.filter((b) => b.voterHash !== null || b.participationId !== null)).toEqual([]);
      expect((await conn.all<{ n: number | bigint | string }>('SELECT COUNT(*) AS n FROM "Ballot" WHERE "voterHash" IS NOT NULL')).map((r) => Number(r.n))).toEqual([0]);
    } finally {
      await conn.close();
    }
    if (onPostgres) await expectShuffledHeap();
    const closed = await bot.db.poll.findUniqueOrThrow({ where: { id: poll.id }, include: { options: { orderBy: { position: 'asc' } } } });
    const result = storedResult(closed)!;
    expect(closed.options.map((o) => result.votes[o.id] ?? 0)).toEqual([1, 2, 3].map((pos) => FINAL.filter((f) => f === pos).length));
    expect(result.turnout).toBe(residents.length);
  });

  it('shows a resident in /mydata that they voted in a secret poll, not what', async () => {
    await bot.say(residents[0], '/mydata');
    const file = bot.fake.messagesTo(residents[0].id).filter((m) => m.method === 'sendDocument').at(-1)!;
    const json = JSON.parse(file.file!.bytes!.toString('utf8')) as { ballots: { question: string; anonymous: boolean; choices: string[] }[] };
    expect(json.ballots).toEqual([expect.objectContaining({ question: poll.question, anonymous: true, choices: [] })]);
  });

  it('keeps no link at all for a final secret ballot, and tells a second tap so', async () => {
    const final = await newPoll('是否同意调整小区垃圾清运时间为每日早晚两次？', { allowChange: false });
    await tap(residents[1], final, 1);
    await tap(residents[1], final, 2);
    expect(answers().at(-1)).toContain('不保存您投了哪一项');
    const ballots = await bot.db.ballot.findMany({ where: { pollId: final.id }, include: { choices: true } });
    expect(ballots).toEqual([expect.objectContaining({ voterHash: null, participationId: null, choices: [expect.objectContaining({ optionId: final.options[0].id })] })]);
  });

  it('keeps who voted what in a named poll', async () => {
    const named = await newPoll('是否同意推选王建国为楼栋长？', { anonymous: false });
    await tap(residents[2], named, 1);
    await tap(residents[2], named, 2);
    expect(answers().at(-1)).toContain('已改投');
    const voted = await bot.db.pollParticipation.findFirstOrThrow({ where: { pollId: named.id }, include: { ballot: { include: { choices: true } } } });
    expect(voted).toMatchObject({ personId: people[2].id, voterName: people[2].displayName, ballot: { voterHash: null, choices: [{ optionId: named.options[1].id }] } });
  });

  it('cuts a resident’s own secret link at once on /forgetme, leaving the tally and the others alone', async () => {
    const open = await newPoll('是否同意在北门增设共享单车停放点？');
    for (const i of [3, 4, 5]) await tap(residents[i], open, 1);
    const before = await bot.db.ballot.findMany({ where: { pollId: open.id }, select: { voterHash: true } });
    expect(before.every((b) => b.voterHash)).toBe(true);
    await forgetPerson(bot.db, people[3].id, { via: 'test', placeholder: '已注销居民', privateChats: [], now: clock(), unlinkSecretBallots: (tx, id) => bot.linli.services.polls.ballots.unlinkVoter(tx, id) });
    const after = await bot.db.ballot.findMany({ where: { pollId: open.id }, include: { choices: true } });
    expect(after).toHaveLength(3);
    expect(after.filter((b) => b.voterHash === null)).toHaveLength(1);
    expect(after.every((b) => b.choices.length === 1)).toBe(true);
    expect(await bot.db.pollParticipation.count({ where: { pollId: open.id, OR: [{ personId: people[3].id }, { voterKey: { contains: people[3].id } }] } })).toBe(0);
    // The others still change their votes as before.
    await tap(residents[4], open, 2);
    expect(answers().at(-1)).toContain('已改投');
  });
});
