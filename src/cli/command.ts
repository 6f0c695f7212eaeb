/**
 * The shape of a `linli` subcommand. Each lives in its own file under src/cli/commands and is
 * listed in src/cli/commands/index.ts; features add theirs there.
 *
 * The CLI speaks the operator's language (`--lang`, else LINLI_CLI_LOCALE, else
 * LINLI_DEFAULT_LOCALE): every word it prints is a key in locales/<lng>/cli.json, read through
 * `env.t`. A command reports its result once, through `env.print`: a short line for a person, or
 * with `--json` the same facts as one JSON document on stdout. What goes wrong on the way (a
 * tampered record, a refused row) is reported through `env.problem`: a line on stderr for a
 * person, and with `--json` an entry of the document's `problems` array, so that everything a
 * command emits with `--json` is machine-readable and stderr stays empty.
 */
import { readFile } from 'node:fs/promises';
import type { ParseArgsConfig } from 'node:util';
import { createLinli } from '../app/createLinli.ts';
import type { Config } from '../config.ts';
import type { Services } from '../core/services.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';
import { LOCALES, type Locale, type TFn, type Translator } from '../i18n/i18n.ts';

/** What a subcommand gets. */
export interface CliEnv {
  config: Config;
  env: Record<string, string | undefined>;
  log: Logger;
  /** The operator's language: --lang, else LINLI_CLI_LOCALE, else LINLI_DEFAULT_LOCALE. */
  locale: Locale;
  /** Translations bound to the operator's language (keys such as `cli.migrate.done`). */
  t: TFn;
  /** --json: the result is one JSON document on stdout, errors a JSON object on stderr. */
  json: boolean;
  /** Opens (and migrates) the database; closed by the CLI after the command. */
  db(): Promise<Db>;
  /**
   * The command's result: `lines` for a person, or with --json `data` as JSON. Call it once;
   * a second call (a list after a change) makes the JSON document an array of both.
   */
  print(data: unknown, lines: string | string[]): void;
  /** Free text (a preview, a report); with --json it is kept as the document's `lines`. */
  out(line: string): void;
  /**
   * Something the operator must know about (a tampered record, a refused row): `key` and `params`
   * name the words in locales/<lng>/cli.json. A line on stderr; with --json an entry
   * `{ key, params, text }` of the document's `problems` array (stderr stays empty).
   */
  problem(key: string, params?: Record<string, unknown>): void;
  /**
   * A note or refusal already in words, on stderr; with --json an entry `{ text }` of the
   * document's `problems` array. Prefer `problem`, which keeps the key for machines.
   */
  err(line: string): void;
}

/** One entry of the `problems` array of a --json document. */
export interface CliProblem {
  key?: string;
  params?: Record<string, unknown>;
  text: string;
}

/** A `linli` subcommand. */
export interface CliCommand {
  /** One or two words, e.g. "migrate" or "community add". */
  name: string;
  /**
   * The command's syntax. Option names are the same in every language; placeholders such as
   * `<slug>` or `<number|id>` are words in `cli.placeholder` and read in the operator's language
   * (see localizeUsage).
   */
  usage: string;
  /** A key in locales/<lng>/cli.json: what the command does, one sentence. */
  summary: string;
  options?: ParseArgsConfig['options'];
  /** Runs the command; returns the exit code. */
  run(env: CliEnv, args: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] }): Promise<number>;
}

/**
 * Raised for a usage error; the CLI prints the message and the command's usage. `key` and
 * `params` name the words in locales/<lng>/cli.json, so the message is the operator's language.
 */
export class UsageError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(key);
    this.name = 'UsageError';
  }
}

/**
 * A refusal the operator can act on (a backup folder missing, a publication not confirmed): the
 * CLI prints it once, without the usage line, and exits 1.
 */
export class Refused extends UsageError {
  override name = 'Refused';
}

/**
 * A domain refusal in the operator's words. The chat's text tells a resident what to send
 * (/polls, /register…); where that would mislead an operator at a shell, cli.json has its own
 * words under `cli.domain.<namespace>_<key>`.
 */
export function domainMessage(i18n: Translator, locale: Locale, key: string, params: Record<string, unknown>): string {
  const own = `cli.domain.${key.replace(/\./g, '_')}`;
  return i18n.has(locale, own) ? i18n.t(locale, own, params) : i18n.t(locale, key, params);
}

/** A placeholder alternative that may name a key: words, digits, spaces and %, nothing else. */
const PLACEHOLDER_WORD = /^[A-Za-z][A-Za-z0-9 %]*$/;

/**
 * A usage line in the operator's language: each `<placeholder>` (each alternative of
 * `<number|id>`) that has words under `cli.placeholder` is replaced by them, e.g. `<slug>` by
 * `<社区代码>`; option names, literal values (`csv|xlsx`) and examples (`<3栋>`) stay as written.
 */
export function localizeUsage(usage: string, i18n: Pick<Translator, 't' | 'has'>, locale: Locale): string {
  return usage.replace(/<([^<>]+)>/g, (whole, inner: string) => {
    const parts = inner.split('|').map((alt) => {
      const word = alt.trim();
      if (!PLACEHOLDER_WORD.test(word)) return alt;
      const key = `cli.placeholder.${word.replace(/ /g, '_')}`;
      return i18n.has(locale, key) ? i18n.t(locale, key) : alt;
    });
    const out = `<${parts.join('|')}>`;
    return out === whole ? whole : out;
  });
}

/** The actor the CLI acts as: whoever has shell access to the deployment is its operator. */
export const CLI_ACTOR = { personId: 'cli', isAdmin: true, grants: [] };

/** Services without platform adapters or the scheduler: the outbox stores posts for the running bot. */
export async function cliServices(env: CliEnv): Promise<Services> {
  const db: Db = await env.db();
  return (await createLinli({ config: env.config, db, log: env.log, telegram: false, wechat: false, schedule: false })).services;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(m|min|h|d|w)$/i;

/** True for a duration such as 90m, 36h, 14d or 2w. */
export function isDuration(raw: string): boolean {
  return DURATION.test(raw.trim());
}

/** Parses a duration such as 90m, 36h, 14d or 2w into milliseconds. */
export function parseDuration(raw: string): number {
  const m = DURATION.exec(raw.trim());
  if (!m) throw new UsageError('cli.errors.not_duration', { raw });
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  const ms = unit.startsWith('m') ? 60_000 : unit === 'h' ? 3_600_000 : unit === 'd' ? 86_400_000 : 7 * 86_400_000;
  return Math.round(n * ms);
}

/** The bytes of the file a required option names, or a UsageError naming the option. */
export async function readFileOption(values: Record<string, unknown>, name: string): Promise<{ path: string; bytes: Buffer }> {
  const path = requireOption(values, name);
  try {
    return { path, bytes: await readFile(path) };
  } catch (err) {
    throw new UsageError('cli.errors.cannot_read', { option: name, path, reason: (err as Error).message });
  }
}

/** A required string option or a UsageError naming it. */
export function requireOption(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || !v.trim()) throw new UsageError('cli.errors.required', { option: name });
  return v.trim();
}

/** The `[--locale zh-CN|en]` part of a usage line: the language of a generated document. */
export const LOCALE_USAGE = `[--locale ${LOCALES.join('|')}]`;

/** One of the languages Linli ships, or null. */
export function asLocale(raw: unknown): Locale | null {
  return LOCALES.find((l) => l === raw) ?? null;
}

/** The --locale option (a document's language): one Linli ships, or undefined when not given. */
export function localeOption(values: Record<string, unknown>): Locale | undefined {
  const v = values.locale;
  if (v === undefined) return undefined;
  const found = asLocale(v);
  if (!found) throw new UsageError('cli.errors.bad_locale', { option: 'locale', value: String(v), allowed: LOCALES.join(' | ') });
  return found;
}

/** A --format option: csv or xlsx. */
export function formatOption(values: Record<string, unknown>, fallback?: 'csv' | 'xlsx'): 'csv' | 'xlsx' {
  const format = values.format === undefined && fallback ? fallback : requireOption(values, 'format');
  if (format !== 'csv' && format !== 'xlsx') throw new UsageError('cli.errors.bad_format', { value: format });
  return format;
}
