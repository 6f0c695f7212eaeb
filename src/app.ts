/**
 * `createLinli` builds a whole bot in-process from its parts: configuration, database, the
 * platform adapters and the features. `npm start`, the CLI and every end-to-end test use this
 * same factory, so what the tests run is what residents talk to.
 */
import type { Adapter } from './platform/adapter.ts';
import type { Config } from './config.ts';
import { onAction, type CommandDef, type JobDef } from './core/feature.ts';
import type { Feature } from './features/feature.ts';
import type { Platform } from './platform/messages.ts';
import { Router, type Registry } from './core/router.ts';
import { EventBus, type EventName } from './core/events.ts';
import type { Services } from './core/services.ts';
import type { Db } from './db/client.ts';
import { SceneEngine } from './engine/engine.ts';
import { openCommand } from './features/core/actions.ts';
import { coreFeature } from './features/core/index.ts';
import { FEATURES } from './features.ts';
import { createTranslator, LOCALES } from './i18n/i18n.ts';
import { createLogger, type Logger } from './log.ts';
import { Outbox } from './outbox/outbox.ts';
import { TELEGRAM_LIMITS, type Limits } from './outbox/rateLimiter.ts';
import { OutboxWorker } from './outbox/worker.ts';
import { Scheduler } from './scheduler/scheduler.ts';

/** Commands ordered below this appear in the platform's command menu; the rest only in /help. */
const MENU_ORDER_LIMIT = 60;

/** What the bot is built from. */
export interface LinliOptions {
  config: Config;
  /** An open, migrated database. */
  db: Db;
  log?: Logger;
  clock?: () => Date;
  /** Platform adapters, or factories that need the services (the console adapter). */
  adapters: (Adapter | ((services: Services) => Adapter))[];
  /** Features to run; all of Linli's by default. */
  features?: Feature[];
  /** Per-platform outbox limits (tests shrink them). */
  outboxLimits?: Partial<Record<string, Limits>>;
  /** Run the cron scheduler (tests usually run jobs by hand). Default true. */
  schedule?: boolean;
}

/** A built bot. */
export interface Linli {
  services: Services;
  router: Router;
  outboxWorker: OutboxWorker;
  scheduler: Scheduler;
  registry: Registry;
  /** Connects the adapters and starts the outbox and the scheduler. */
  start(): Promise<void>;
  /** Stops intake, finishes updates in flight, flushes nothing new, and stops background work. */
  stop(): Promise<void>;
}

/** Builds the bot. Nothing is connected until `start()`. */
export function createLinli(opts: LinliOptions): Linli {
  const { config, db } = opts;
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const clock = opts.clock ?? (() => new Date());
  const i18n = createTranslator({ defaultLocale: config.LINLI_DEFAULT_LOCALE, timeZone: config.LINLI_TIMEZONE });
  const outbox = new Outbox(db, clock);
  const scenes = new SceneEngine({ db, clock, defaultTtlMinutes: config.LINLI_SCENE_TIMEOUT_MINUTES });
  const adapters = new Map<Platform, Adapter>();
  const events = new EventBus(log);
  const services: Services = { config, db, log, i18n, clock, outbox, events, scenes, adapters, startPayloads: [], digestContributors: [], exporters: [] };
  for (const a of opts.adapters) {
    const adapter = typeof a === 'function' ? a(services) : a;
    adapters.set(adapter.platform, adapter);
  }

  const registry: Registry = { commands: new Map(), aliases: new Map(), actions: new Map(), startPayloads: services.startPayloads };
  const others = opts.features ?? FEATURES;
  const listVisible = (ctx: Parameters<NonNullable<CommandDef['visible']>>[0]) =>
    [...registry.commands.values()].filter((c) => c.visible?.(ctx) ?? true).sort((a, b) => (a.order ?? 50) - (b.order ?? 50));
  let router: Router;
  const menuAction = onAction(openCommand, (ctx, { name }) => router.runCommand(ctx, name, ''));
  const features: Feature[] = [coreFeature(listVisible), ...others, { name: 'menu', actions: [menuAction] }];
  const jobs: JobDef[] = [];
  for (const feature of features) {
    for (const c of feature.commands ?? []) {
      if (registry.commands.has(c.name)) throw new Error(`command /${c.name} defined twice`);
      registry.commands.set(c.name, c);
      // Keywords without a slash (提议, 投票…), from locales/<language>/aliases.json.
      for (const locale of LOCALES) for (const alias of i18n.list(locale, `aliases.${c.name}`)) registry.aliases.set(alias.toLowerCase(), c);
    }
    for (const a of [...(feature.actions ?? []), ...(feature.legacyActions ?? [])]) {
      const prefix = 'codec' in a ? a.codec.prefix : a.prefix;
      if (registry.actions.has(prefix)) throw new Error(`action prefix ${prefix} defined twice`);
      registry.actions.set(prefix, a);
    }
    for (const s of feature.scenes ?? []) scenes.register(s);
    jobs.push(...(feature.jobs ?? []));
    services.startPayloads.push(...(feature.startPayloads ?? []));
    if (feature.digest) services.digestContributors.push({ feature: feature.name, build: feature.digest });
    services.exporters.push(...(feature.exporters ?? []));
    for (const [name, handler] of Object.entries(feature.on ?? {})) {
      events.on(name as EventName, (payload) => (handler as (s: Services, p: unknown) => Promise<void>)(services, payload));
    }
  }

  router = new Router(services, registry);
  const limits = { telegram: { ...TELEGRAM_LIMITS, globalPerSecond: config.LINLI_OUTBOX_GLOBAL_PER_SECOND }, ...opts.outboxLimits };
  const outboxWorker = new OutboxWorker({ db, outbox, adapters, log, clock, limits });
  const scheduler = new Scheduler(services, jobs);
  let started = false;

  /** The platform's command menu: the everyday commands, in each language (zh-CN is the default). */
  const publishCommandMenu = async (adapter: Adapter) => {
    const everyday = [...registry.commands.values()].filter((c) => (c.order ?? 50) < MENU_ORDER_LIMIT).sort((a, b) => (a.order ?? 50) - (b.order ?? 50));
    for (const [locale, code] of [['zh-CN', undefined], ['en', 'en']] as const) {
      await adapter.setCommands!(everyday.map((c) => ({ name: c.name, description: i18n.t(locale, c.description) })), code);
    }
  };

  return {
    services,
    router,
    outboxWorker,
    scheduler,
    registry,
    async start() {
      for (const adapter of adapters.values()) {
        await adapter.start((incoming) => router.dispatch(adapter, incoming));
        if (adapter.setCommands) await publishCommandMenu(adapter).catch((err) => log.warn({ err }, 'could not publish the command menu'));
      }
      outboxWorker.start();
      if (opts.schedule ?? true) scheduler.start();
      started = true;
      log.info({ platforms: [...adapters.keys()] }, 'linli started');
    },
    async stop() {
      if (!started) return;
      started = false;
      for (const adapter of adapters.values()) await adapter.stop().catch((err) => log.warn({ err }, 'adapter stop failed'));
      await router.drain();
      await scheduler.stop();
      await outboxWorker.stop();
      log.info('linli stopped');
    },
  };
}
