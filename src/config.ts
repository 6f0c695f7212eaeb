/**
 * Configuration, read once at start-up from the environment (and an optional `.env`).
 *
 * Every setting is validated here so a wrong value stops the bot at once with a message that
 * names the variable, instead of failing later in the middle of a conversation.
 */
import { z } from 'zod';
import type { Platform } from './platform/messages.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A platform identity of an administrator, as written in LINLI_ADMINS. */
export interface AdminRef {
  platform: Platform;
  userId: string;
}

const adminList = z
  .string()
  .default('')
  .transform((raw, ctx): AdminRef[] => {
    const refs: AdminRef[] = [];
    for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
      const m = /^(telegram|wechat|console):(.+)$/.exec(part);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not of the form telegram:<user id> or wechat:<contact id>`, params: { part } });
        continue;
      }
      refs.push({ platform: m[1] as AdminRef['platform'], userId: m[2] });
    }
    return refs;
  });

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

const schema = z.object({
  TELEGRAM_BOT_TOKEN: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-DEF… (from @BotFather)').optional(),
  ),
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: optionalUrl,
  TELEGRAM_WEBHOOK_SECRET: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'may hold only A-Z, a-z, 0-9, _ and - (1 to 256 characters)').optional(),
  ),
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  DATABASE_URL: z
    .string()
    .regex(/^(file:.+|postgres(ql)?:\/\/.+)/i, 'must be a SQLite file URL such as file:./data/linli.db or a PostgreSQL URL such as postgresql://linli:…@db:5432/linli')
    .default('file:./data/linli.db'),
  LINLI_ADMINS: adminList,
  LINLI_TIMEZONE: z.string().default('Asia/Shanghai').refine(isTimeZone, 'is not an IANA time zone such as Asia/Shanghai'),
  LINLI_DEFAULT_LOCALE: z.enum(['zh-CN', 'en']).default('zh-CN'),
  LINLI_SCENE_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
  /** How long an update stays claimed by a process that stopped renewing it (it died) before another takes it over. */
  LINLI_UPDATE_LEASE_SECONDS: z.coerce.number().int().min(1).max(600).default(15),
  /**
   * Whether several instances share the database: 'shared' keeps rate limits, the 429 pause and
   * each conversation's order in the database for all of them. Unset: shared on PostgreSQL,
   * single on a SQLite file (`npm start` alone).
   */
  LINLI_INSTANCES: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['single', 'shared']).optional()),
  LINLI_OUTBOX_GLOBAL_PER_SECOND: z.coerce.number().min(0.1).max(30).default(25),
  LINLI_WECHAT_MESSAGES_PER_MINUTE: z.coerce.number().min(1).max(120).default(20),
  WECHATY_PUPPET: z.string().default('wechaty-puppet-wechat4u'),
  WECHATY_PUPPET_TOKEN: optionalString,
  LINLI_WECHAT: z.enum(['on', 'off']).default('off'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Listen address of the HTTP server (webhook, console): loopback unless a container needs 0.0.0.0. */
  HOST: z.string().min(1, 'must be a listen address such as 127.0.0.1 or 0.0.0.0').default('127.0.0.1'),
  /** Key of secret ballots' links (never stored in the database); unset: a key file beside the database. */
  LINLI_BALLOT_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(32, 'must be at least 32 characters (e.g. from `openssl rand -base64 32`)').optional()),
  /** The web console's address as people reach it (https://linli.example.org); links are absolute and cookies Secure on https. */
  LINLI_PUBLIC_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^https?$/ }).optional()),
});

/** The validated configuration. */
export type Config = z.infer<typeof schema>;

/** True when several instances may share the database (LINLI_INSTANCES, else any database but a SQLite file). */
export function instancesShared(config: Pick<Config, 'LINLI_INSTANCES' | 'DATABASE_URL'>): boolean {
  return config.LINLI_INSTANCES ? config.LINLI_INSTANCES === 'shared' : !config.DATABASE_URL.startsWith('file:');
}

/**
 * One wrong setting. `key` names the rule in locales/<lng>/cli.json (`cli.config.<key>`), so the
 * CLI can say it in the operator's language; `message` is the same in English, for logs.
 * `value` is what was given (absent for a missing value or a secret; a URL without its password).
 */
export interface ConfigIssue {
  setting: string;
  key: string;
  params: Record<string, unknown>;
  value?: string;
  message: string;
}

/** Raised when a setting is missing or wrong; the message names every offending variable. */
export class ConfigError extends Error {
  /** The English lines, one per issue ("DATABASE_URL: must be …"). */
  readonly problems: string[];
  constructor(readonly issues: ConfigIssue[]) {
    const problems = issues.map((i) => `${i.setting}: ${i.message}`);
    super(`Configuration error:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** Settings whose value is never repeated in a message. */
const SECRET_SETTINGS = new Set(['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'LINLI_BALLOT_KEY', 'WECHATY_PUPPET_TOKEN']);

/** A URL as it may be shown: the password replaced by ***. */
function withoutPassword(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Validates the environment. Unknown variables are ignored; every problem is reported at once.
 * A webhook needs a secret, so that strangers cannot post fake updates to it.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const setting = String(i.path[0] ?? '(environment)');
        const given = env[setting];
        // The rule of a setting is one sentence per setting (cli.config.<SETTING>); the admin
        // list also names the entry that is wrong.
        const params = i.code === 'custom' && i.params ? (i.params as Record<string, unknown>) : {};
        const named = 'part' in params;
        const shown = !named && !SECRET_SETTINGS.has(setting) && given !== undefined && given !== '';
        return { setting, key: named ? `${setting}_part` : setting, params, value: shown ? withoutPassword(given) : undefined, message: i.message };
      }),
    );
  }
  const config = parsed.data;
  const issues: ConfigIssue[] = [];
  if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_BOT_TOKEN) {
    issues.push({ setting: 'TELEGRAM_WEBHOOK_URL', key: 'webhook_needs_token', params: {}, message: 'set TELEGRAM_BOT_TOKEN too, or leave the webhook unset' });
  }
  if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_WEBHOOK_SECRET) {
    issues.push({ setting: 'TELEGRAM_WEBHOOK_SECRET', key: 'webhook_needs_secret', params: {}, message: 'required when TELEGRAM_WEBHOOK_URL is set' });
  }
  if (/^postgres/i.test(config.DATABASE_URL) && !config.LINLI_BALLOT_KEY) {
    // On SQLite the key lives in a file next to the database; a PostgreSQL database has no such
    // place, and every instance must hold the same key.
    issues.push({ setting: 'LINLI_BALLOT_KEY', key: 'postgres_needs_ballot_key', params: {}, message: 'required when DATABASE_URL is PostgreSQL (the same secret on every instance, e.g. openssl rand -base64 32)' });
  }
  if (issues.length) throw new ConfigError(issues);
  return config;
}

/** Path of the SQLite file named by DATABASE_URL, relative paths taken from the working directory. */
export function databaseFile(config: Pick<Config, 'DATABASE_URL'>): string {
  return config.DATABASE_URL.replace(/^file:/, '');
}
