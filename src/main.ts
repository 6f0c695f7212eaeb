/**
 * Starts the bot for `npm start` / `linli start`: opens and migrates the database, chooses the
 * platforms from the configuration (Telegram with a token, WeChat when switched on, otherwise
 * the console demo), and shuts down cleanly on SIGINT/SIGTERM.
 */
import type { Readable, Writable } from 'node:stream';
import type { Adapter } from './platform/adapter.ts';
import { createConsoleAdapter } from './adapters/console/consoleAdapter.ts';
import type { Config } from './config.ts';
import { rememberChoices } from './core/choiceMemory.ts';
import type { Services } from './core/services.ts';
import { openDatabase, prepareDatabaseFile, type Db } from './db/client.ts';
import { applyMigrations } from './db/migrate.ts';
import { createLinliBot } from './bot.ts';
import { ensureDemoCommunity } from './features/demo/demo.ts';
import { createTranslator } from './i18n/i18n.ts';
import { createLogger, type Logger } from './log.ts';

/** Opens the database named by DATABASE_URL, applying pending migrations first. */
export async function openMigratedDatabase(config: Config, log?: Logger): Promise<{ db: Db; file: string }> {
  const file = prepareDatabaseFile(config.DATABASE_URL);
  const { applied } = applyMigrations(file);
  if (applied.length) log?.info({ applied }, 'database migrated');
  return { db: await openDatabase(file), file };
}

/** Runs the bot until a signal (or the end of console input) stops it. */
export async function runBot(config: Config, io: { input: Readable; output: Writable; env: Record<string, string | undefined> }): Promise<void> {
  const consoleMode = !config.TELEGRAM_BOT_TOKEN && config.LINLI_WECHAT === 'off';
  // In the terminal demo, routine logs would drown the chat; warnings still show.
  const log = createLogger(consoleMode && !io.env.LOG_LEVEL ? 'warn' : config.LOG_LEVEL);
  const { db, file } = await openMigratedDatabase(config, log);
  const adapters: (Adapter | ((s: Services) => Adapter))[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (async () => {
    log.info('stopping');
    await bot.stop();
    await db.$disconnect();
  })());

  if (consoleMode) {
    const i18n = createTranslator({ defaultLocale: config.LINLI_DEFAULT_LOCALE, timeZone: config.LINLI_TIMEZONE });
    const t = i18n.bind(config.LINLI_DEFAULT_LOCALE);
    const community = await ensureDemoCommunity(db, t('console.demo_name'));
    io.output.write(`${t('console.banner', { db: file, community: community?.name ?? '—', role: t('roles.verified') })}\n`);
    adapters.push((services) =>
      createConsoleAdapter({
        input: io.input,
        output: io.output,
        t,
        languageCode: config.LINLI_DEFAULT_LOCALE,
        remember: (chatId, actions) => rememberChoices(services.db, 'console', chatId, actions),
        onClose: () => void stop().then(() => process.exit(0)),
      }),
    );
  }

  // Telegram when a token is set, WeChat when LINLI_WECHAT=on (the QR code shows in the terminal).
  const bot = await createLinliBot({ config, db, databaseFile: file, log, adapters, wechat: { qrInTerminal: true } });
  const linli = bot.linli;
  await linli.start();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop().then(() => process.exit(0)));
  }
}
