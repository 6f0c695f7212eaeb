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
import { BackupError } from '../db/sqlite/backup.ts';
import { DatabaseLockedError } from '../db/sqlite/holders.ts';
import { asLocale, domainMessage, localizeUsage, Refused, UsageError, type CliCommand, type CliProblem } from './command.ts';
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
  return commands.map((c) => `  ${localizeUsage(c.usage, i18n, locale)}\n      ${i18n.t(locale, c.summary)}`).join('\n');
}

/** One command's help: what it does, its usage, and each option it takes (and the global ones). */
export function commandHelp(command: CliCommand, i18n: Translator, locale: Locale): string {
  const t = i18n.bind(locale);
  const options = Object.entries(command.options ?? {}).map(([name, o]) => `  --${name}${o.type === 'string' ? ` <${t('cli.help.value')}>` : ''}${o.multiple ? t('cli.help.repeatable') : ''}`);
  return [
    t(command.summary),
    '',
    t('cli.help.usage', { usage: localizeUsage(command.usage, i18n, locale) }),
    ...(options.length ? ['', t('cli.help.options'), ...options] : []),
    '',
    t('cli.help.global', { locales: LOCALES.join('|') }),
  ].join('\n');
}

const wantsHelp = (argv: string[]) => argv.includes('--help') || argv.includes('-h');

type Options = NonNullable<CliCommand['options']>;

/**
 * What is wrong with a command's arguments, in our own words (node:util's parseArgs explains
 * in English): an option the command does not take, a value missing after an option that needs
 * one (or an option where its value should be), a value given to a switch.
 */
export function argumentProblem(args: string[], options: Options): { key: string; params: Record<string, unknown> } | null {
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    const params = { option: token.rawName };
    if (!option) return { key: 'cli.errors.unknown_option', params };
    if (option.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))) return { key: 'cli.errors.missing_value', params };
    if (option.type === 'boolean' && token.value !== undefined) return { key: 'cli.errors.takes_no_value', params };
  }
  return null;
}

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
  // With --json, the results, free lines and problems a command reports become one document on stdout.
  const results: unknown[] = [];
  const lines: string[] = [];
  const problems: CliProblem[] = [];
  const usageLine = t('cli.help.usage', { usage: localizeUsage(found.command.usage, i18n, locale) });
  const options = found.command.options ?? {};
  const wrongArgument = argumentProblem(found.rest, options);
  if (wrongArgument) {
    const message = t(wrongArgument.key, { ...wrongArgument.params, command: found.command.name });
    return refuse(EXIT.refused, 'usage', json ? message : `${message}\n${usageLine}`, { key: wrongArgument.key, params: wrongArgument.params, usage: found.command.usage });
  }
  try {
    const config = loadConfig(env);
    const log = createLogger(env.LOG_LEVEL ?? 'warn');
    const args = parseArgs({ args: found.rest, options, allowPositionals: true, strict: true });
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
        problem(key, params = {}) {
          const text = t(key, params);
          if (json) problems.push({ key, params, text });
          else err(text);
        },
        err(line) {
          if (json) problems.push({ text: line });
          else err(line);
        },
      },
      args,
    );
    if (json && (results.length || lines.length || problems.length)) out(JSON.stringify(jsonDocument(results, lines, problems), null, 2));
    return code;
  } catch (e) {
    if (e instanceof ConfigError) {
      const said = e.issues.map((i) => {
        const key = `cli.config.${i.key}`;
        const rule = i18n.has(locale, key) ? t(key, i.params) : t('cli.config.invalid', { reason: i.message });
        return i.value === undefined ? t('cli.config.line_secret', { setting: i.setting, rule }) : t('cli.config.line', { setting: i.setting, value: i.value, rule });
      });
      const message = said.length === 1 ? t('cli.errors.config_one', { problem: said[0] }) : [t('cli.errors.config'), ...said.map((p) => `  - ${p}`)].join('\n');
      return refuse(EXIT.config, 'config', message, { problems: e.issues.map((i, n) => ({ setting: i.setting, key: `cli.config.${i.key}`, params: i.params, text: said[n] })) });
    }
    if (e instanceof BackupError) return refuse(EXIT.refused, 'refused', t('cli.backup.refused', { reason: t(e.key, e.params) }), { key: e.key, params: e.params });
    if (e instanceof DatabaseLockedError) return refuse(EXIT.refused, 'refused', t(e.key, e.params), { key: e.key, params: e.params });
    if (e instanceof Refused) return refuse(EXIT.refused, 'refused', t(e.key, e.params), { key: e.key });
    if (e instanceof UsageError) return refuse(EXIT.refused, 'usage', json ? t(e.key, e.params) : `${t(e.key, e.params)}\n${usageLine}`, { key: e.key, usage: found.command.usage });
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      // argumentProblem names what parseArgs refuses; this is only a net under it.
      const message = t('cli.errors.bad_arguments', { command: found.command.name });
      return refuse(EXIT.refused, 'usage', json ? message : `${message}\n${usageLine}`, { usage: found.command.usage });
    }
    if (isDomainError(e)) return refuse(EXIT.refused, 'refused', domainMessage(i18n, locale, e.key, e.params), { key: e.key });
    return refuse(EXIT.refused, 'failed', t('cli.errors.failed', { reason: json ? (e as Error).message : ((e as Error).stack ?? String(e)) }));
  } finally {
    if (db && found.command.name !== 'start') await db.$disconnect();
  }
}

/**
 * The --json document: the one result as given, several as an array; free lines and problems
 * alongside (an object result takes them as its own fields `lines` and `problems`).
 */
function jsonDocument(results: unknown[], lines: string[], problems: CliProblem[]): unknown {
  const result = results.length === 1 ? results[0] : results.length ? results : undefined;
  const extra = { ...(lines.length ? { lines } : {}), ...(problems.length ? { problems } : {}) };
  if (!Object.keys(extra).length) return result;
  if (result === undefined || result === null) return extra;
  return typeof result === 'object' && !Array.isArray(result) ? { ...result, ...extra } : { result, ...extra };
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
