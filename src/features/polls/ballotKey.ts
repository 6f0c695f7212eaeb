/**
 * The ballot key: the secret under which an anonymous voter's ballot can be found again while
 * they may still change it (src/domain/polls/secrecy.ts). It must not be in the database — a
 * copy of the database alone must not tell who voted what — so it comes from the
 * LINLI_BALLOT_KEY setting or, when that is unset, from a key file next to the SQLite file
 * (`<database>.ballot-key`), created on first use, readable by the bot's user only (0600).
 * Keep the key file out of database backups. Losing it costs little: ballots of polls still
 * open can then no longer be changed (they stay counted), and closed polls need no key at all.
 * The key is never logged; the log names the file only.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { databaseFileOf } from '../../db/location.ts';
import type { KeyReader } from '../../domain/polls/secrecy.ts';
import type { Logger } from '../../log.ts';

/** Bytes of a generated key. */
const KEY_BYTES = 32;

/** The key file of a database file. */
export function ballotKeyFile(databaseFile: string): string {
  return `${databaseFile}.ballot-key`;
}

/** Where the key comes from: the setting when given, else the key file of the database `db` reads. */
export function ballotKeyLoader(opts: { setting?: string; log: Logger }): (db: KeyReader) => Promise<Buffer> {
  return async (db) => {
    if (opts.setting) return Buffer.from(opts.setting, 'utf8');
    const file = await databaseFileOf(db);
    if (!file) {
      // An in-memory database lives no longer than the process: neither need the key.
      opts.log.warn('in-memory database: the ballot key lasts as long as the process');
      return randomBytes(KEY_BYTES);
    }
    return readOrCreate(ballotKeyFile(file), opts.log);
  };
}

function readOrCreate(file: string, log: Logger): Buffer {
  try {
    // 'wx': never overwrite a key another process created a moment ago.
    writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    log.info({ file }, 'ballot key created; keep this file out of database backups');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length < KEY_BYTES) throw new Error(`the ballot key file ${file} is damaged (expected ${KEY_BYTES} bytes in base64); restore it, or remove it to start a new key`);
  if (statSync(file).mode & 0o077) log.warn({ file }, 'the ballot key file is readable by other users; run chmod 600 on it');
  return key;
}
