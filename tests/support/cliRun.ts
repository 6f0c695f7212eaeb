/**
 * Runs `linli` in-process (the same runCli the executable calls) and captures what it prints,
 * so CLI behaviour is tested without paying for a new Node process per command. `cliEnv` builds
 * the environment one command gets, for tests that call a command's run() directly.
 */
import { vi } from 'vitest';
import type { Config } from '../../src/config.ts';
import type { CliEnv } from '../../src/cli/command.ts';
import type { Db } from '../../src/db/client.ts';
import { createTranslator, type Locale } from '../../src/i18n/i18n.ts';
import { createLogger } from '../../src/log.ts';
import { runCli } from '../../src/cli/main.ts';
import { isPostgresUrl } from '../../src/db/engine.ts';
import { TEST_BALLOT_KEY, testDatabaseUrl } from './testDatabase.ts';

/**
 * Exit code, stdout and stderr of one `linli` invocation against a database file (or a
 * PostgreSQL database URL). `env` adds to (or, with undefined, removes from) the variables the
 * CLI sees, e.g. `{ LINLI_CLI_LOCALE: 'en' }`. On PostgreSQL the CLI gets the ballot key the test
 * bot has (startTestBot): the configuration requires one there, and a paper ballot the CLI
 * enters in an anonymous poll must be sealed with the bot's key.
 */
export async function linli(dbFile: string, args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
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
    const code = await runCli(args, { DATABASE_URL: testDatabaseUrl(dbFile), LOG_LEVEL: 'silent', LINLI_TIMEZONE: 'Asia/Shanghai', ...(isPostgresUrl(dbFile) ? { LINLI_BALLOT_KEY: TEST_BALLOT_KEY } : {}), ...env });
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** A command's environment for calling run() directly: every line it prints goes to `lines`. */
export function cliEnv(config: Config, db: Db, lines: string[], opts: { locale?: Locale; json?: boolean } = {}): CliEnv {
  const locale = opts.locale ?? 'en';
  const json = opts.json ?? false;
  const t = createTranslator({ defaultLocale: locale, timeZone: config.LINLI_TIMEZONE }).bind(locale);
  return {
    config,
    env: {},
    log: createLogger('silent'),
    locale,
    t,
    json,
    db: async () => db,
    print: (data, text) => {
      if (json) lines.push(JSON.stringify(data));
      else lines.push(...(Array.isArray(text) ? text : [text]));
    },
    out: (l) => lines.push(l),
    problem: (key, params) => lines.push(t(key, params)),
    err: (l) => lines.push(l),
  };
}
