/**
 * Runs `linli` in-process (the same runCli the executable calls) and captures what it prints,
 * so CLI behaviour is tested without paying for a new Node process per command.
 */
import { vi } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { testDatabaseUrl } from './testDatabase.ts';

/** Exit code, stdout and stderr of one `linli` invocation against a database file. */
export async function linli(dbFile: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await runCli(args, { DATABASE_URL: testDatabaseUrl(dbFile), LOG_LEVEL: 'silent', LINLI_TIMEZONE: 'Asia/Shanghai' });
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
