/**
 * `createLinli`: the one composition root. It reads the configuration, opens and migrates the
 * database (unless one is handed in), picks the platforms, builds every service once, registers
 * the features and wires the router, the outbox worker and the scheduler. `npm start`, the CLI,
 * every end-to-end test and anyone embedding Linli build the bot here, so what the tests run is
 * what residents talk to. Nothing is connected until `start()`.
 */
import { ChainCheckCache } from '../domain/disclosures/chainCache.ts';
import type { Adapter } from '../platform/adapter.ts';
import type { Platform } from '../platform/messages.ts';
import type { WechatAdapter } from '../adapters/wechat/wechatAdapter.ts';
import { ConfigError, instancesShared, loadConfig, type Config } from '../config.ts';
import { EventBus } from '../core/events.ts';
import { Router, type Registry } from '../core/router.ts';
import type { Services } from '../core/services.ts';
import { openDatabase, prepareDatabaseFile, type Db } from '../db/client.ts';
import { engineOf, isPostgresUrl, redactUrl } from '../db/engine.ts';
import { migrateDatabase } from '../db/migrations.ts';
import { SceneEngine } from '../engine/engine.ts';
import { coreFeature } from '../features/core/index.ts';
import type { Feature } from '../features/feature.ts';
import { FEATURES } from '../features.ts';
import { registerConsole } from '../features/console/index.ts';
import { createHttpServer, type HttpServer } from '../http/server.ts';
import { webhookRoutes } from '../http/webhook.ts';
import { createTranslator } from '../i18n/i18n.ts';
import { createLogger, type Logger } from '../log.ts';
import { Outbox } from '../outbox/outbox.ts';
import { TELEGRAM_LIMITS, wechatLimits, type Limits } from '../outbox/rateLimiter.ts';
import { OutboxListener } from '../outbox/listener.ts';
import { OutboxWorker } from '../outbox/worker.ts';
import { PacedSender } from '../outbox/pacedSender.ts';
import { SharedPacingStore } from '../outbox/sharedPacing.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { Leadership, type LeaseTiming } from '../core/leadership.ts';
import { createPollServices } from '../features/polls/services.ts';
import { commandsInOrder, publishCommandMenu } from './commandMenu.ts';
import { choosePlatforms, type PlatformChoice } from './platforms.ts';
import { registerFeatures } from './registry.ts';

export type { WechatOptions, AdapterSource } from './platforms.ts';

/** What the bot is built from. Everything is optional except where the configuration needs it. */
export interface LinliOptions extends PlatformChoice {
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
  /** Per-platform outbox limits (tests shrink them); WeChat's come from LINLI_WECHAT_MESSAGES_PER_MINUTE. */
  outboxLimits?: Partial<Record<string, Limits>>;
  /** Run the cron scheduler (tests and the CLI run jobs by hand). Default true. */
  schedule?: boolean;
  /** Lease timing of the leadership among instances (tests shorten it). */
  leadership?: LeaseTiming;
  /** Called when this instance lost the lead to another (it stalled past its lease); run.ts exits so it restarts as a standby. */
  onLeadershipLost?: () => void;
  /** Serve the web console on HOST:PORT (npm start does; tests and the CLI only when asked). */
  web?: boolean;
}

/** A built bot. */
export interface Linli {
  config: Config;
  db: Db;
  databaseFile: string;
  log: Logger;
  services: Services;
  router: Router;
  outboxWorker: OutboxWorker;
  scheduler: Scheduler;
  /** Whether this instance leads (runs the outbox, the scheduler and leader-only adapters). */
  leadership: Leadership;
  registry: Registry;
  /** The one HTTP server (HOST:PORT): adapters' webhooks; the web console registers its routes here before `start`. */
  http: HttpServer;
  /** The Telegram adapter when Telegram is on. */
  telegram?: Adapter & { readonly username: string };
  /** The WeChat adapter when WeChat is on (its `wechaty` is there for tests and operators). */
  readonly wechat?: WechatAdapter;
  /** Connects the adapters and starts the outbox and the scheduler. */
  start(): Promise<void>;
  /** Stops intake, finishes updates in flight, stops background work, and closes a database it opened. */
  stop(): Promise<void>;
}

/**
 * Opens the database (a SQLite file or PostgreSQL), applying pending migrations first. A database
 * that cannot be reached or is not a Linli database stops the start with one line naming
 * DATABASE_URL, not a stack trace. `file` is '' on PostgreSQL (nothing of it is on this disk).
 */
export async function openMigratedDatabase(url: string, log?: Logger): Promise<{ db: Db; file: string }> {
  try {
    const { applied } = await migrateDatabase(url);
    if (applied.length) log?.info({ applied }, 'database migrated');
    if (isPostgresUrl(url)) return { db: await openDatabase(url), file: '' };
    const file = prepareDatabaseFile(url);
    return { db: await openDatabase(file), file };
  } catch (err) {
    throw cannotOpenDatabase(url, err);
  }
}

/** The one-line refusal for a database that cannot be opened or migrated, naming DATABASE_URL and why. */
export function cannotOpenDatabase(url: string, err: unknown): ConfigError {
  const reason = (err as Error).message;
  return new ConfigError([{ setting: 'DATABASE_URL', key: `cannot_open_${whyNotOpened(err)}`, params: { url: redactUrl(url), reason }, message: `cannot open the database at ${redactUrl(url)} (${reason})` }]);
}

/** Why a database could not be opened, as the operator acts on it (cli.config.cannot_open_<why>). */
function whyNotOpened(err: unknown): 'not_a_database' | 'no_folder' | 'unreachable' | 'login' | 'no_database' | 'other' {
  const chain: string[] = [];
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, n = 0; e && n < 5; e = e.cause as typeof e, n++) chain.push(`${String(e.code ?? '')} ${String(e.message ?? '')}`);
  const said = chain.join(' ');
  if (/SQLITE_NOTADB|not a database/i.test(said)) return 'not_a_database';
  if (/\b(EEXIST|ENOTDIR|ENOENT|EACCES|EPERM|EROFS|SQLITE_CANTOPEN)\b/.test(said)) return 'no_folder';
  if (/\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b/.test(said)) return 'unreachable';
  if (/\b(28P01|28000)\b|password authentication failed|role ".*" does not exist/i.test(said)) return 'login';
  if (/\b3D000\b|database ".*" does not exist/i.test(said)) return 'no_database';
  return 'other';
}

/** Builds the bot. */
export async function createLinli(opts: LinliOptions = {}): Promise<Linli> {
  const config = opts.config ?? loadConfig(opts.env ?? process.env);
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const url = opts.databaseFile ? `file:${opts.databaseFile}` : config.DATABASE_URL;
  const opened = opts.db
    ? { db: opts.db, file: isPostgresUrl(url) ? '' : prepareDatabaseFile(url) }
    : await openMigratedDatabase(url, log);
  const { db, file } = opened;
  const platforms = await choosePlatforms(config, log, file, opts);

  const clock = opts.clock ?? (() => new Date());
  const i18n = createTranslator({ defaultLocale: config.LINLI_DEFAULT_LOCALE, timeZone: config.LINLI_TIMEZONE });
  const outbox = new Outbox(db, clock);
  const scenes = new SceneEngine({ db, clock, defaultTtlMinutes: config.LINLI_SCENE_TIMEOUT_MINUTES });
  const adapters = new Map<Platform, Adapter>();
  const events = new EventBus(log);
  const polls = createPollServices({ db, outbox, i18n, log, defaultLocale: config.LINLI_DEFAULT_LOCALE, ballotKey: config.LINLI_BALLOT_KEY });
  const limits = {
    telegram: { ...TELEGRAM_LIMITS, globalPerSecond: config.LINLI_OUTBOX_GLOBAL_PER_SECOND },
    wechat: wechatLimits(config.LINLI_WECHAT_MESSAGES_PER_MINUTE),
    // The terminal has no limits to keep.
    console: { perChatIntervalMs: 0, perGroupPerMinute: Number.MAX_SAFE_INTEGER, globalPerSecond: Number.MAX_SAFE_INTEGER },
    ...opts.outboxLimits,
  };
  // Several instances on one database keep the rate limits, the 429 pause and each
  // conversation's order there; a lone instance keeps them in memory (no round trips).
  const shared = instancesShared(config);
  // One pacing for every message to a chat: replies and the outbox share Telegram's budget.
  const sender = new PacedSender({ limits, log, store: shared ? new SharedPacingStore(db, limits) : undefined });
  // Stored platform names are plain strings: matched against the running adapters, never cast.
  const adapterFor = (platform: string) => [...adapters.values()].find((a) => a.platform === platform);
  const services: Services = { config, db, log, i18n, clock, outbox, sender, events, scenes, adapters, adapterFor, startPayloads: [], digestContributors: [], exporters: [], polls, chainChecks: new ChainCheckCache(db, clock) };
  for (const source of platforms.sources) {
    const adapter = typeof source === 'function' ? source(services) : source;
    adapters.set(adapter.platform, adapter);
  }
  const http = createHttpServer({ host: config.HOST, port: config.PORT, log: log.child({ module: 'http' }) });
  for (const adapter of adapters.values()) if (adapter.webhook) http.register(webhookRoutes(adapter.webhook));
  if (opts.web) http.register((scope) => registerConsole(scope, services));

  // /help lists the registry, and the registry holds /help: the lister reads it when asked.
  const core = coreFeature(
    commandsInOrder(() => registry),
    (ctx, name) => router.runCommand(ctx, name, ''),
  );
  const { registry, jobs } = registerFeatures(services, scenes, [core, ...(opts.features ?? FEATURES)]);
  const leaseMs = config.LINLI_UPDATE_LEASE_SECONDS * 1000;
  const router = new Router(services, registry, { leaseMs, renewMs: Math.max(250, Math.floor(leaseMs / 3)), ordered: shared });
  // Shared: a short (renewed) claim, so a standby that took over from a killed leader sends its
  // rows within seconds rather than after a minute.
  // On PostgreSQL an enqueue on any instance wakes the leader's sender at once (NOTIFY/LISTEN).
  const onPostgres = engineOf(db) === 'postgresql';
  const wakeups = onPostgres && isPostgresUrl(url) ? new OutboxListener({ url, log: log.child({ module: 'outbox-listener' }) }) : undefined;
  const outboxWorker = new OutboxWorker({ db, outbox, adapters, log, clock, sender, i18n, leaseMs: shared ? 5_000 : undefined, engine: onPostgres ? 'postgresql' : 'sqlite', wakeups });
  const scheduler = new Scheduler(services, jobs);
  const schedule = opts.schedule ?? true;
  const everyInstance = [...adapters.values()].filter((a) => a.intake === 'any');
  const leaderOnly = [...adapters.values()].filter((a) => a.intake !== 'any');
  const running = new Set<Adapter>();
  const startAdapter = async (adapter: Adapter) => {
    running.add(adapter);
    await adapter.start((incoming) => router.dispatch(adapter, incoming));
    if (adapter.setCommands) await publishCommandMenu(adapter, registry, i18n).catch((err) => log.warn({ err }, 'could not publish the command menu'));
  };
  // What only one instance of a deployment does; a lone instance leads as soon as it starts.
  const leadership = new Leadership(db, log, {
    async lead() {
      for (const adapter of everyInstance) await adapter.lead?.();
      for (const adapter of leaderOnly) await startAdapter(adapter);
      outboxWorker.start();
      if (schedule) scheduler.start();
    },
    async stepDown(reason) {
      if (reason === 'lost') {
        for (const adapter of leaderOnly) {
          running.delete(adapter);
          await adapter.stop().catch((err) => log.warn({ err }, 'adapter stop failed'));
        }
      }
      await scheduler.stop();
      await outboxWorker.stop();
      if (reason === 'lost') opts.onLeadershipLost?.();
    },
  }, opts.leadership);
  let started = false;
  let closed = false;

  return {
    config,
    db,
    databaseFile: file,
    log,
    services,
    router,
    outboxWorker,
    scheduler,
    leadership,
    registry,
    http,
    telegram: platforms.telegram,
    get wechat() {
      return platforms.wechat();
    },
    async start() {
      if (started) throw new Error('Linli is already started');
      started = true;
      // Listening before the adapters start: Telegram posts as soon as setWebhook returns.
      await http.start();
      for (const adapter of everyInstance) await startAdapter(adapter);
      await leadership.start();
      log.info({ platforms: [...adapters.keys()], leader: leadership.isLeader }, leadership.isLeader ? 'linli started' : 'linli started as a standby');
    },
    async stop() {
      if (started) {
        started = false;
        for (const adapter of running) await adapter.stop().catch((err) => log.warn({ err }, 'adapter stop failed'));
        running.clear();
        await router.drain();
        await leadership.stop();
        await http.close();
        log.info('linli stopped');
      }
      if (!opts.db && !closed) {
        closed = true;
        await db.$disconnect();
      }
    },
  };
}
