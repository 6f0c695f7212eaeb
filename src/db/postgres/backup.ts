/**
 * `linli backup` on PostgreSQL: pg_dump in its custom format (restore with pg_restore), which
 * takes a consistent snapshot while the bot runs. pg_dump comes with the PostgreSQL client
 * packages; without it the operator is told what to install instead of seeing a stack trace.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { redactUrl } from '../engine.ts';
import { BackupError } from '../sqlite/backup.ts';

/** Writes a pg_dump of the database `url` names to `target`. */
export async function backupPostgres(url: string, target: string, pgDump = process.env.LINLI_PG_DUMP ?? 'pg_dump'): Promise<{ file: string; bytes: number }> {
  const file = resolve(target);
  const parsed = new URL(url);
  parsed.searchParams.delete('pool');
  await new Promise<void>((done, fail) => {
    // pg_dump reads the URL as a connection string; messages show it without the password.
    const child = spawn(pgDump, ['--format=custom', '--no-owner', `--file=${file}`, `--dbname=${parsed.toString()}`], { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        fail(new BackupError('no_pg_dump', {}, `pg_dump was not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client) or set LINLI_PG_DUMP to its path, then run linli backup again`));
      } else fail(error);
    });
    child.on('close', (status) => {
      if (status === 0) done();
      else {
        const reason = stderr.trim().split('\n').at(-1) ?? '';
        fail(new BackupError('pg_dump_failed', { url: redactUrl(url), status, reason }, `pg_dump of ${redactUrl(url)} failed (exit ${status}): ${reason}`));
      }
    });
  });
  return { file, bytes: statSync(file).size };
}
