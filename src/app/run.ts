/**
 * `npm start` / `linli start`: builds the bot from the configuration — Telegram with a token,
 * WeChat when switched on, otherwise the terminal console on the demo community — starts it,
 * and shuts down cleanly on SIGINT/SIGTERM or at the end of console input.
 */
import type { Readable, Writable } from 'node:stream';
import { CONSOLE_GROUP, CONSOLE_USER, createConsoleAdapter } from '../adapters/console/consoleAdapter.ts';
import type { Config } from '../config.ts';
import { rememberChoices } from '../core/choiceMemory.ts';
import { ensureDemoCommunity } from '../features/demo/demo.ts';
import { demoConsoleLink } from '../features/console/index.ts';
import { createLogger } from '../log.ts';
import { createLinli, type AdapterSource } from './createLinli.ts';

/** Where the console talks, and the environment it was started with. */
export interface RunIo {
  input: Readable;
  output: Writable;
  env: Record<string, string | undefined>;
}

/** Runs the bot until a signal (or the end of console input) stops it. */
export async function run(config: Config, io: RunIo): Promise<void> {
  const consoleMode = !config.TELEGRAM_BOT_TOKEN && config.LINLI_WECHAT === 'off';
  // In the terminal demo, routine logs would drown the chat; warnings still show.
  const log = createLogger(consoleMode && !io.env.LOG_LEVEL ? 'warn' : config.LOG_LEVEL);
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= linli.stop());
  const exitAfterStop = () => void stop().then(() => process.exit(0));

  const extra: AdapterSource[] = [];
  if (consoleMode) {
    extra.push((services) =>
      createConsoleAdapter({
        input: io.input,
        output: io.output,
        t: services.i18n.bind(config.LINLI_DEFAULT_LOCALE),
        languageCode: config.LINLI_DEFAULT_LOCALE,
        remember: (chatId, choices) => rememberChoices(services.db, 'console', chatId, choices),
        onClose: exitAfterStop,
      }),
    );
  }
  const linli = await createLinli({
    config,
    log,
    adapters: extra,
    wechat: { qrInTerminal: true },
    web: true,
    // Leader-only work starts once per process: an instance that lost the lead exits with
    // EX_TEMPFAIL, and its supervisor (systemd, compose, k8s) restarts it as a standby.
    onLeadershipLost: () => void stop().then(() => process.exit(75)),
  });
  if (consoleMode) {
    const t = linli.services.i18n.bind(config.LINLI_DEFAULT_LOCALE);
    const community = await ensureDemoCommunity(linli.db, t('console.demo_name'), { userId: CONSOLE_USER, groupChatId: CONSOLE_GROUP });
    io.output.write(`${t('console.banner', { db: linli.databaseFile, community: community?.name ?? '—', role: t('roles.verified') })}\n`);
    // A newcomer sees the web console with the first command: a sign-in link for a demo clerk.
    if (community) {
      const link = await demoConsoleLink(linli.services, community.id, t('webconsole.demo.clerk'));
      io.output.write(`${'url' in link ? t('webconsole.demo.link', link) : link.refused}\n`);
    }
  }
  await linli.start();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, exitAfterStop);
}
