/**
 * The `linli` command line: reads the global options (`--lang`, `--json`), finds the subcommand,
 * parses its options, loads the configuration (a bad setting stops here with the variable named)
 * and turns errors into exit codes. Every refusal — a usage error, a domain rule, a bad setting —
 * is printed here, once, in the operator's language (or as one JSON object with --json).
 */
import { parseArgs } from 'node:util';
import { config as loadDotenv } from 'dotenv';
import { openMigratedDatabase } from '../app/createLinli.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { isDomainError } from '../domain/errors.ts';
import type { Db } from '../db/client.ts';
import { createTranslator, LOCALES, type Locale, type Translator } from '../i18n/i18n.ts';
import { createLogger } from '../log.ts';
import { asLocale, domainMessage, Refused, UsageError, type CliCommand } from './command.ts';
import { CLI_COMMANDS } from './commands/index.ts';

/** Exit codes: a refusal or failure, an unknown command or global option, a bad setting. */
const EXIT = { refused: 1, unknown: 2, config: 78 } as const;

function findCommand(argv: string[]): { command: CliCommand; rest: string[] } | null {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = CLI_COMMANDS.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return null;
}

/** `--lang <l>`, `--lang=<l>` and `--json`, anywhere before a `--`; the rest is the command's. */
export function globalOptions(argv: string[]): { rest: string[]; lang?: string; json: boolean } {
  const rest: string[] = [];
  let lang: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === '--json') json = true;
    else if (a === '--lang') lang = argv[++i] ?? '';
    else if (a.startsWith('--lang=')) lang = a.slice('--lang='.length);
    else rest.push(a);
  }
  return { rest, lang, json };
}

/** The operator's language: --lang, else LINLI_CLI_LOCALE, else LINLI_DEFAULT_LOCALE, else zh-CN. */
export function cliLocale(lang: string | undefined, env: Record<string, string | undefined>): { locale: Locale; bad?: { source: string; value: string } } {
  if (lang !== undefined) {
    const l = asLocale(lang);
    return l ? { locale: l } : { locale: asLocale(env.LINLI_CLI_LOCALE) ?? asLocale(env.LINLI_DEFAULT_LOCALE) ?? 'zh-CN', bad: { source: '--lang', value: lang } };
  }
  for (const name of ['LINLI_CLI_LOCALE', 'LINLI_DEFAULT_LOCALE'] as const) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const l = asLocale(raw);
    if (!l) return { locale: 'zh-CN', bad: { source: name, value: raw } };
    return { locale: l };
  }
  return { locale: 'zh-CN' };
}

function usage(i18n: Translator, locale: Locale): string {
  const t = i18n.bind(locale);
  return [t('cli.help.usage_all'), t('cli.help.usage_one'), '', groupLines(i18n, locale, CLI_COMMANDS)].join('\n');
}

function groupLines(i18n: Translator, locale: Locale, commands: CliCommand[]): string {
  return commands.map((c) => `  ${c.usage}\n      ${i18n.t(locale, c.summary)}`).join('\n');
}

/** One command's help: what it does, its usage, and each option it takes (and the global ones). */
export function commandHelp(command: CliCommand, i18n: Translator, locale: Locale): string {
  const t = i18n.bind(locale);
  const options = Object.entries(command.options ?? {}).map(([name, o]) => `  --${name}${o.type === 'string' ? ` <${t('cli.help.value')}>` : ''}${o.multiple ? t('cli.help.repeatable') : ''}`);
  return [
    t(command.summary),
    '',
    t('cli.help.usage', { usage: command.usage }),
    ...(options.length ? ['', t('cli.help.options'), ...options] : []),
    '',
    t('cli.help.global', { locales: LOCALES.join('|') }),
  ].join('\n');
}

const wantsHelp = (argv: string[]) => argv.includes('--help') || argv.includes('-h');

/** The commands under a first word (`export`, `poll`, `meeting`…): what `linli help export` lists. */
function groupHelp(i18n: Translator, locale: Locale, word: string | undefined): string | null {
  const members = CLI_COMMANDS.filter((c) => c.name.split(' ')[0] === word);
  return members.length ? groupLines(i18n, locale, members) : null;
}

/** Runs the CLI; resolves with the exit code (-1: a long-running command keeps the process alive). */
export async function runCli(rawArgv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  if (env === process.env) loadDotenv({ quiet: true });
  const { rest: argv, lang, json } = globalOptions(rawArgv);
  const { locale, bad } = cliLocale(lang, env);
  const i18n = createTranslator({ defaultLocale: locale, timeZone: asTimeZone(env.LINLI_TIMEZONE) });
  const t = i18n.bind(locale);

  /** A refusal printed once: a line (and maybe more) for a person, or a JSON object on stderr. */
  const refuse = (code: number, kind: string, message: string, extra: Record<string, unknown> = {}): number => {
    if (json) err(JSON.stringify({ error: { kind, message, exit: code, ...extra } }));
    else err(message);
    return code;
  };

  if (bad) return refuse(bad.source === '--lang' ? EXIT.unknown : EXIT.config, 'locale', t('cli.errors.bad_lang', { source: bad.source, value: bad.value, allowed: LOCALES.join(' | ') }));
  if (argv[0] === 'help' && argv.length > 1) {
    const asked = findCommand(argv.slice(1));
    const group = asked ? null : groupHelp(i18n, locale, argv[1]);
    if (group) {
      out(group);
      return 0;
    }
    if (!asked) return refuse(EXIT.unknown, 'unknown_command', `${t('cli.errors.unknown_command', { command: argv.slice(1).join(' ') })}\n\n${usage(i18n, locale)}`);
    out(commandHelp(asked.command, i18n, locale));
    return 0;
  }
  if (!argv.length || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    out(usage(i18n, locale));
    return argv.length ? 0 : 1;
  }
  const found = findCommand(argv);
  const group = !found && wantsHelp(argv) ? groupHelp(i18n, locale, argv[0]) : null;
  if (group) {
    out(group);
    return 0;
  }
  if (!found) return refuse(EXIT.unknown, 'unknown_command', `${t('cli.errors.unknown_command', { command: argv.join(' ') })}\n\n${usage(i18n, locale)}`);
  if (wantsHelp(found.rest)) {
    out(commandHelp(found.command, i18n, locale));
    return 0;
  }
  let db: Db | undefined;
  // With --json, the results and free lines a command prints become one document on stdout.
  const results: unknown[] = [];
  const lines: string[] = [];
  try {
    const config = loadConfig(env);
    const log = createLogger(env.LOG_LEVEL ?? 'warn');
    const args = parseArgs({ args: found.rest, options: found.command.options ?? {}, allowPositionals: true, strict: true });
    const code = await found.command.run(
      {
        config,
        env,
        log,
        locale,
        t,
        json,
        async db() {
          db ??= (await openMigratedDatabase(config.DATABASE_URL, log)).db;
          return db;
        },
        print(data, text) {
          if (json) results.push(data);
          else for (const line of Array.isArray(text) ? text : [text]) out(line);
        },
        out(line) {
          if (json) lines.push(line);
          else out(line);
        },
        err,
      },
      args,
    );
    if (json && (results.length || lines.length)) out(JSON.stringify(jsonDocument(results, lines), null, 2));
    return code;
  } catch (e) {
    const usageLine = t('cli.help.usage', { usage: found.command.usage });
    if (e instanceof ConfigError) return refuse(EXIT.config, 'config', [t('cli.errors.config'), ...e.problems.map((p) => `  - ${p}`)].join('\n'), { problems: e.problems });
    if (e instanceof Refused) return refuse(EXIT.refused, 'refused', t(e.key, e.params), { key: e.key });
    if (e instanceof UsageError) return refuse(EXIT.refused, 'usage', json ? t(e.key, e.params) : `${t(e.key, e.params)}\n${usageLine}`, { key: e.key, usage: found.command.usage });
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const message = t('cli.errors.bad_arguments', { reason: (e as Error).message });
      return refuse(EXIT.refused, 'usage', json ? message : `${message}\n${usageLine}`, { usage: found.command.usage });
    }
    if (isDomainError(e)) return refuse(EXIT.refused, 'refused', domainMessage(i18n, locale, e.key, e.params), { key: e.key });
    return refuse(EXIT.refused, 'failed', t('cli.errors.failed', { reason: json ? (e as Error).message : ((e as Error).stack ?? String(e)) }));
  } finally {
    if (db && found.command.name !== 'start') await db.$disconnect();
  }
}

/** The --json document: the one result as given, several as an array, free lines alongside. */
function jsonDocument(results: unknown[], lines: string[]): unknown {
  const result = results.length === 1 ? results[0] : results.length ? results : undefined;
  if (!lines.length) return result;
  if (result === undefined) return { lines };
  return result && typeof result === 'object' && !Array.isArray(result) ? { ...result, lines } : { result, lines };
}

function asTimeZone(raw: string | undefined): string {
  if (!raw) return 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('en', { timeZone: raw });
    return raw;
  } catch {
    return 'Asia/Shanghai';
  }
}
