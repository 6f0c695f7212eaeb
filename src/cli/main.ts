/**
 * The `linli` command line: finds the subcommand, parses its options, loads the configuration
 * (a bad setting stops here with the variable named) and turns errors into exit codes.
 */
import { parseArgs } from 'node:util';
import { config as loadDotenv } from 'dotenv';
import { openMigratedDatabase } from '../app/createLinli.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { isDomainError } from '../domain/errors.ts';
import type { Db } from '../db/client.ts';
import { createTranslator } from '../i18n/i18n.ts';
import { createLogger } from '../log.ts';
import { CLI_LOCALE, UsageError, type CliCommand } from './command.ts';
import { CLI_COMMANDS } from './commands/index.ts';

function findCommand(argv: string[]): { command: CliCommand; rest: string[] } | null {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = CLI_COMMANDS.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return null;
}

function usage(): string {
  return [
    'Usage: linli <command> [options]',
    '       linli help <command>   (or linli <command> --help) for one command',
    '',
    ...CLI_COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`),
  ].join('\n');
}

/** One command's help: what it does, its usage, and each option it takes. */
export function commandHelp(command: CliCommand): string {
  const options = Object.entries(command.options ?? {}).map(([name, o]) => `  --${name}${o.type === 'string' ? ' <value>' : ''}${o.multiple ? ' (repeatable)' : ''}`);
  return [command.summary, '', `Usage: ${command.usage}`, ...(options.length ? ['', 'Options:', ...options] : [])].join('\n');
}

const wantsHelp = (argv: string[]) => argv.includes('--help') || argv.includes('-h');

/** The commands under a first word (`export`, `poll`, `meeting`…): what `linli help export` lists. */
function groupHelp(word: string | undefined): string | null {
  const members = CLI_COMMANDS.filter((c) => c.name.split(' ')[0] === word);
  return members.length ? members.map((c) => `  ${c.usage}\n      ${c.summary}`).join('\n') : null;
}

/** Runs the CLI; resolves with the exit code (-1: a long-running command keeps the process alive). */
export async function runCli(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  if (argv[0] === 'help' && argv.length > 1) {
    const asked = findCommand(argv.slice(1));
    const group = asked ? null : groupHelp(argv[1]);
    if (group) {
      out(group);
      return 0;
    }
    if (!asked) {
      err(`unknown command: ${argv.slice(1).join(' ')}\n\n${usage()}`);
      return 2;
    }
    out(commandHelp(asked.command));
    return 0;
  }
  if (!argv.length || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    out(usage());
    return argv.length ? 0 : 1;
  }
  const found = findCommand(argv);
  const group = !found && wantsHelp(argv) ? groupHelp(argv[0]) : null;
  if (group) {
    out(group);
    return 0;
  }
  if (!found) {
    err(`unknown command: ${argv.join(' ')}\n\n${usage()}`);
    return 2;
  }
  if (wantsHelp(found.rest)) {
    out(commandHelp(found.command));
    return 0;
  }
  if (env === process.env) loadDotenv({ quiet: true });
  let db: Db | undefined;
  try {
    const config = loadConfig(env);
    const log = createLogger(env.LOG_LEVEL ?? 'warn');
    const args = parseArgs({ args: found.rest, options: found.command.options ?? {}, allowPositionals: true, strict: true });
    const code = await found.command.run(
      {
        config,
        env,
        log,
        async db() {
          db ??= (await openMigratedDatabase(config.DATABASE_URL, log)).db;
          return db;
        },
        out,
        err,
      },
      args,
    );
    return code;
  } catch (e) {
    if (e instanceof ConfigError) err(e.message);
    else if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) err(`${(e as Error).message}\nusage: ${found.command.usage}`);
    else if (isDomainError(e)) {
      // Domain refusals are written for people; the CLI shows them in English.
      const i18n = createTranslator({ defaultLocale: CLI_LOCALE, timeZone: 'Asia/Shanghai' });
      err(i18n.t(CLI_LOCALE, e.key, e.params));
    } else err(`failed: ${(e as Error).stack ?? e}`);
    return e instanceof ConfigError ? 78 : 1;
  } finally {
    if (db && found.command.name !== 'start') await db.$disconnect();
  }
}
