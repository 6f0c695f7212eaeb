/**
 * The shape of a `linli` subcommand. Each lives in its own file under src/cli/commands and is
 * listed in src/cli/commands/index.ts; features add theirs there.
 */
import { readFile } from 'node:fs/promises';
import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';
import { LOCALES, type Locale } from '../i18n/i18n.ts';
import type { Services } from '../core/services.ts';
import { isDomainError } from '../domain/errors.ts';

/** What a subcommand gets. */
export interface CliEnv {
  config: Config;
  env: Record<string, string | undefined>;
  log: Logger;
  /** Opens (and migrates) the database; closed by the CLI after the command. */
  db(): Promise<Db>;
  out(line: string): void;
  err(line: string): void;
}

/** A `linli` subcommand. */
export interface CliCommand {
  /** One or two words, e.g. "migrate" or "community add". */
  name: string;
  usage: string;
  summary: string;
  options?: ParseArgsConfig['options'];
  /** Runs the command; returns the exit code. */
  run(env: CliEnv, args: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] }): Promise<number>;
}

/** Raised for a usage error; the CLI prints the message and the command's usage. */
export class UsageError extends Error {}

/** Runs a domain call; a DomainError becomes a UsageError the operator reads in English. */
export async function asCli<T>(services: Services, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isDomainError(err)) throw new UsageError(services.i18n.t('en', err.key, err.params));
    throw err;
  }
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(m|min|h|d|w)$/i;

/** True for a duration such as 90m, 36h, 14d or 2w. */
export function isDuration(raw: string): boolean {
  return DURATION.test(raw.trim());
}

/** Parses a duration such as 90m, 36h, 14d or 2w into milliseconds. */
export function parseDuration(raw: string): number {
  const m = DURATION.exec(raw.trim());
  if (!m) throw new UsageError(`"${raw}" is not a duration such as 90m, 36h, 14d or 2w`);
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
    throw new UsageError(`--${name}: cannot read ${path}: ${(err as Error).message}`);
  }
}

/** A required string option or a UsageError naming it. */
export function requireOption(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || !v.trim()) throw new UsageError(`--${name} is required`);
  return v.trim();
}

/** The language of the CLI's own refusals and messages: operators read it in English. */
export const CLI_LOCALE: Locale = 'en';

/** The `[--locale zh-CN|en]` part of a usage line: the languages Linli ships. */
export const LOCALE_USAGE = `[--locale ${LOCALES.join('|')}]`;

/** The --locale option: one of the languages Linli ships, or undefined when it was not given. */
export function localeOption(values: Record<string, unknown>): Locale | undefined {
  const v = values.locale;
  if (v === undefined) return undefined;
  const found = LOCALES.find((l) => l === v);
  if (!found) throw new UsageError(`--locale: "${String(v)}" is not ${LOCALES.join(' or ')}`);
  return found;
}
