/**
 * `createLinliBot`: the whole bot, built in-process from configuration, a database file and the
 * platforms to speak on. `npm start`, the end-to-end tests and anyone embedding Linli use this
 * one factory; it opens and migrates the database, picks the adapters (Telegram with a token,
 * WeChat when switched on or when a puppet is injected) and paces each platform's outbox.
 *
 * wechaty is loaded only when WeChat is used, so a Telegram-only bot starts fast.
 */
import { dirname, join } from 'node:path';
import { createLinli, type Linli } from './app.ts';
import type { Adapter } from './platform/adapter.ts';
import { createTelegramAdapter } from './adapters/telegram/telegramAdapter.ts';
import type { NumberedOption } from './adapters/text/renderText.ts';
import type { WechatAdapter, WechatAlert, WechatPuppet } from './adapters/wechat/wechatAdapter.ts';
import { databaseFile as configuredFile, loadConfig, type Config } from './config.ts';
import { rememberChoices } from './core/choiceMemory.ts';
import type { Feature } from './core/feature.ts';
import type { Services } from './core/services.ts';
import { openDatabase, prepareDatabaseFile, type Db } from './db/client.ts';
import { applyMigrations } from './db/migrate.ts';
import { resolveLocale } from './i18n/i18n.ts';
import { createLogger, type Logger } from './log.ts';
import { wechatLimits, type Limits } from './outbox/rateLimiter.ts';

/** How to connect to WeChat. */
export interface WechatBotOptions {
  /** A wechaty puppet instance (e.g. `new PuppetMock({ mocker })`); else WECHATY_PUPPET is loaded. */
  puppet?: WechatPuppet;
  /** Print the login QR code in the terminal (the CLI does). */
  qrInTerminal?: boolean;
  /** Wait before restarting after a logout (default 10 s). */
  reconnectDelayMs?: number;
  /** Minimum gap between two sends of the account (default 500 ms; tests use 0). */
  sendGapMs?: number;
}

/** What the bot is built from. Everything is optional except where the configuration needs it. */
export interface LinliBotOptions {
  /** Environment to read the configuration from (default process.env); ignored with `config`. */
  env?: Record<string, string | undefined>;
  /** An already validated configuration. */
  config?: Config;
  /** SQLite file; overrides DATABASE_URL. Created and migrated when needed. */
  databaseFile?: string;
  /** An open, migrated database to use instead of opening one (the caller closes it). */
  db?: Db;
  log?: Logger;
  /** The current time; tests move it. */
  clock?: () => Date;
  /** Features to run; all of Linli's by default. */
  features?: Feature[];
  /** Telegram: on when TELEGRAM_BOT_TOKEN is set; `apiRoot` points it at another Bot API server. `false` switches it off. */
  telegram?: false | { token?: string; apiRoot?: string };
  /** WeChat: on when LINLI_WECHAT=on or a puppet is given here. `false` switches it off. */
  wechat?: false | WechatBotOptions;
  /** More adapters (the console), or factories that need the services. */
  adapters?: (Adapter | ((services: Services) => Adapter))[];
  /** Per-platform outbox limits; WeChat's come from LINLI_WECHAT_MESSAGES_PER_MINUTE. */
  outboxLimits?: Partial<Record<string, Limits>>;
  /** Run the cron scheduler (default true). */
  schedule?: boolean;
}

/** A built bot: call `start()` to connect, `stop()` to shut down (closing a database it opened). */
export interface LinliBot {
  linli: Linli;
  config: Config;
  db: Db;
  databaseFile: string;
  log: Logger;
  /** The Telegram adapter when Telegram is on. */
  telegram?: Adapter & { readonly username: string };
  /** The WeChat adapter when WeChat is on (its `wechaty` is there for tests and operators). */
  wechat?: WechatAdapter;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the bot. Example (WeChat through the mock puppet, as the tests do):
 *
 * ```ts
 * const mocker = new mock.Mocker();
 * const bot = await createLinliBot({ env: { LINLI_WECHAT: 'on' }, databaseFile: './data/demo.db', wechat: { puppet: new PuppetMock({ mocker }) } });
 * await bot.start();
 * ```
 */
export async function createLinliBot(opts: LinliBotOptions = {}): Promise<LinliBot> {
  const config = opts.config ?? loadConfig(opts.env ?? process.env);
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const file = prepareDatabaseFile(opts.databaseFile ?? configuredFile(config));
  let db = opts.db;
  if (!db) {
    const { applied } = applyMigrations(file);
    if (applied.length) log.info({ applied }, 'database migrated');
    db = await openDatabase(file);
  }
  const adapters: (Adapter | ((services: Services) => Adapter))[] = [];

  let telegram: LinliBot['telegram'];
  const token = opts.telegram === false ? undefined : (opts.telegram?.token ?? config.TELEGRAM_BOT_TOKEN);
  if (token && opts.telegram !== false) {
    telegram = createTelegramAdapter({
      token,
      apiRoot: opts.telegram?.apiRoot ?? config.TELEGRAM_API_ROOT,
      webhookUrl: config.TELEGRAM_WEBHOOK_URL,
      webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
      log: log.child({ platform: 'telegram' }),
    });
    adapters.push(telegram);
  }

  let wechat: WechatAdapter | undefined;
  const wechatOn = opts.wechat !== false && (config.LINLI_WECHAT === 'on' || opts.wechat?.puppet !== undefined);
  if (wechatOn) {
    const wx = opts.wechat || {};
    const { createWechatAdapter } = await import('./adapters/wechat/wechatAdapter.ts');
    adapters.push((services) => {
      wechat = createWechatAdapter({
        puppet: wx.puppet,
        puppetName: config.WECHATY_PUPPET,
        token: config.WECHATY_PUPPET_TOKEN,
        // wechaty keeps the web login in <name>.memory-card.json: beside the database, not in the cwd.
        name: join(dirname(file), `linli-${config.WECHATY_PUPPET.replace(/[^a-z0-9-]/gi, '')}`),
        log: log.child({ platform: 'wechat' }),
        replyHint: (chatId, items) => wechatReplyHint(services, chatId, items),
        remember: (chatId, actions) => rememberChoices(services.db, 'wechat', chatId, actions),
        onAlert: (alert) => alertAdmins(services, alert),
        reconnectDelayMs: wx.reconnectDelayMs,
        sendGapMs: wx.sendGapMs ?? 500,
        qrInTerminal: wx.qrInTerminal,
      });
      return wechat;
    });
  }
  adapters.push(...(opts.adapters ?? []));

  const linli = createLinli({
    config,
    db,
    log,
    clock: opts.clock,
    adapters,
    features: opts.features,
    outboxLimits: { wechat: wechatLimits(config.LINLI_WECHAT_MESSAGES_PER_MINUTE), ...opts.outboxLimits },
    schedule: opts.schedule,
  });
  const ownDb = !opts.db;
  let stopped = false;
  return {
    linli,
    config,
    db,
    databaseFile: file,
    log,
    telegram,
    get wechat() {
      return wechat;
    },
    start: () => linli.start(),
    async stop() {
      if (stopped) return;
      stopped = true;
      await linli.stop();
      if (ownDb) await db.$disconnect();
    },
  };
}

/** Options shown inline when they are few and short ("回复 1 赞成，2 反对"), else one per line. */
const INLINE_MAX_OPTIONS = 6;
const INLINE_MAX_LABEL = 10;

/** The localized hint under numbered options, in the chat's language (group or person). */
export async function wechatReplyHint(services: Services, chatId: string, items: NumberedOption[]): Promise<string> {
  const { db, config, i18n } = services;
  let saved: string | null | undefined;
  const group = await db.chatGroup.findUnique({ where: { platform_chatId: { platform: 'wechat', chatId } }, include: { community: true } });
  if (group) saved = group.locale ?? group.community?.locale;
  else saved = (await db.identity.findUnique({ where: { platform_platformUserId: { platform: 'wechat', platformUserId: chatId } }, include: { person: true } }))?.person.locale;
  const locale = resolveLocale(saved, undefined, config.LINLI_DEFAULT_LOCALE);
  const inline = items.length <= INLINE_MAX_OPTIONS && items.every((o) => [...o.label].length <= INLINE_MAX_LABEL);
  if (inline) {
    const options = items.map((o) => i18n.t(locale, 'wechat.option_inline', { n: o.n, label: o.label })).join(i18n.t(locale, 'wechat.option_separator'));
    const hint = i18n.t(locale, 'wechat.reply_inline', { options });
    // A scene's confirmation (its standard two labels) also takes 是/否, as the engine reads them.
    const confirm = items.length === 2 && items[0].label === i18n.t(locale, 'scene.yes') && items[1].label === i18n.t(locale, 'scene.no');
    return confirm ? `${hint}\n${i18n.t(locale, 'wechat.confirm_hint')}` : hint;
  }
  return i18n.t(locale, 'wechat.reply_list', { options: items.map((o) => `${o.n}. ${o.label}`).join('\n') });
}

/**
 * Tells every admin in LINLI_ADMINS that the WeChat account logged out (or is back), through the
 * outbox: Telegram admins at once, WeChat admins as soon as the account is logged in again.
 */
export async function alertAdmins(services: Services, alert: WechatAlert): Promise<void> {
  const { config, i18n, outbox, clock, log } = services;
  const at = clock();
  log[alert.kind === 'logout' ? 'error' : 'info']({ alert }, 'wechat alert for the admins');
  const text = i18n.t(config.LINLI_DEFAULT_LOCALE, `wechat.alert_${alert.kind}`, {
    account: alert.account ?? '—',
    reason: alert.reason ?? '—',
    when: at,
  });
  for (const admin of config.LINLI_ADMINS) {
    if (!services.adapters.has(admin.platform)) continue;
    await outbox.enqueue({ key: `wechat-alert:${alert.kind}:${at.toISOString()}:${admin.platform}:${admin.userId}`, platform: admin.platform, chatId: admin.userId, message: { text } });
  }
}
