/**
 * The ballot key (src/features/polls/ballotKey.ts): from LINLI_BALLOT_KEY, or from a key file
 * next to the database made on first use (0600) and read again after a restart; never in the
 * database, never in the log; a damaged file or a short setting stops with a clear message.
 *
 * The key file belongs to SQLite (PostgreSQL has no file to put it beside: config requires the
 * setting there), so the file tests open a SQLite database of their own on either run; the
 * setting's test runs on the run's engine and looks for the key in the whole database.
 */
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../../src/config.ts';
import { createPoll } from '../../../../src/domain/polls/polls.ts';
import { ballotKeyFile, ballotKeyLoader } from '../../../../src/features/polls/ballotKey.ts';
import { publishPoll } from '../../../../src/features/polls/lifecycle.ts';
import { bindTelegramGroup, grantRole, makeCommunity, OPERATOR } from '../../../support/fixtures.ts';
import { freshDatabase, startTestBot, tempDir } from '../../../support/harness.ts';
import { TEST_ENGINE } from '../../../support/testDatabase.ts';

/** Every value of every table of a PostgreSQL database, as text (what a dump would show). */
async function postgresContents(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = (await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)).rows.map((r: { table_name: string }) => r.table_name);
    let all = '';
    for (const t of tables) all += (await client.query(`SELECT t::text AS row FROM "${t}" t`)).rows.map((r: { row: string }) => r.row).join('\n');
    return all;
  } finally {
    await client.end();
  }
}

/** A logger whose lines land in `lines`. */
function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: pino({ level: 'trace' }, sink), lines };
}

describe('the ballot key', () => {
  it('is made once beside the database, 0600, read again after a restart, and never logged', async () => {
    const { db, file } = await freshDatabase(join(tempDir(), 'linli.db'));
    const { log, lines } = capturingLogger();
    const first = await ballotKeyLoader({ log })(db);
    const keyFile = ballotKeyFile(file);
    expect(keyFile).toBe(`${file}.ballot-key`);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(first.length).toBe(32);
    // A restart (a new loader) reads the same key.
    expect((await ballotKeyLoader({ log })(db)).equals(first)).toBe(true);
    const logged = lines.join('\n');
    expect(logged).toContain(keyFile);
    expect(logged).not.toContain(first.toString('base64'));
    expect(logged).not.toContain(first.toString('hex'));
    await db.$disconnect();
  });

  it('refuses a damaged key file with a message that says what to do', async () => {
    const { db, file } = await freshDatabase(join(tempDir(), 'linli.db'));
    writeFileSync(ballotKeyFile(file), 'not a key\n', { mode: 0o600 });
    await expect(ballotKeyLoader({ log: capturingLogger().log })(db)).rejects.toThrow(/damaged.*restore it, or remove it/);
    await db.$disconnect();
  });

  it(`comes from LINLI_BALLOT_KEY when set: no key file, and the hashes are keyed with it (${TEST_ENGINE})`, async () => {
    const setting = 'k7Qm2vX9pL4sR8tY1uW6zA3bC5dE0fG2hJ4kL6mN8pQ=';
    const bot = await startTestBot({ env: { LINLI_BALLOT_KEY: setting } });
    try {
      const community = await makeCommunity(bot.db);
      await bindTelegramGroup(bot.db, community, -100321);
      await grantRole(bot.db, community, 9001, 'verified');
      const now = new Date();
      const poll = await createPoll(
        bot.db,
        { actor: OPERATOR, via: 'test' },
        community.id,
        { question: '是否同意增设快递柜？', options: 'standard', maxChoices: 1, electorate: 'residents', anonymous: true, allowChange: true, closesAt: new Date(now.getTime() + 86_400_000), quorum: { kind: 'none' }, rule: 'majority', liveResults: false },
        now,
      );
      await publishPoll(bot.linli.services, poll);
      await bot.flushOutbox();
      bot.fake.pressButton({ from: { id: 9001, first_name: '居民' }, chat: { id: -100321 }, messageId: bot.last(-100321).messageId, data: `v:${poll.shortId}:1` });
      await bot.settle();
      const voted = await bot.db.pollParticipation.findFirstOrThrow({ where: { pollId: poll.id } });
      const ballot = await bot.db.ballot.findFirstOrThrow({ where: { pollId: poll.id } });
      expect(ballot.voterHash).toBe(createHmac('sha256', Buffer.from(setting, 'utf8')).update(`${poll.id}:${voted.voterKey}`).digest('hex'));
      if (TEST_ENGINE === 'postgresql') {
        const contents = await postgresContents(bot.dbFile);
        expect(contents).toContain(ballot.voterHash!); // the look is real: it sees the hash
        expect(contents).not.toContain(setting);
      } else {
        expect(existsSync(ballotKeyFile(bot.dbFile))).toBe(false);
        expect(readFileSync(bot.dbFile).includes(Buffer.from(setting))).toBe(false);
      }
    } finally {
      await bot.close();
    }
  });

  it('must be long enough, and a short one is refused without being echoed', () => {
    const short = 'tooShortSecret123';
    let error: unknown;
    try {
      loadConfig({ LINLI_BALLOT_KEY: short });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toContain('LINLI_BALLOT_KEY');
    expect(String((error as Error).message)).not.toContain(short);
  });
});
