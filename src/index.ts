/**
 * Linli as a library: build the whole bot in-process with `createLinliBot` (configuration,
 * database file, and the platforms — a Telegram API root, an injected wechaty puppet) and
 * start it. The same factory runs `npm start` and the end-to-end tests.
 *
 * ```ts
 * import { createLinliBot } from 'linli';
 * // PuppetMock and mock come from the wechaty-puppet-mock package (see README "Embedding").
 *
 * const mocker = new mock.Mocker();
 * const bot = await createLinliBot({
 *   env: { LINLI_ADMINS: 'wechat:admin-contact-id' },
 *   databaseFile: './data/linli.db',
 *   wechat: { puppet: new PuppetMock({ mocker }) },
 * });
 * await bot.start();
 * // … mocker.login(…), residents talk …
 * await bot.stop();
 * ```
 */
export { createLinliBot, type LinliBot, type LinliBotOptions, type WechatBotOptions } from './bot.ts';
export { createLinli, type Linli, type LinliOptions } from './app.ts';
export { loadConfig, ConfigError, type Config } from './config.ts';
export type { Adapter, AdapterCapabilities } from './platform/adapter.ts';
export type { Incoming, OutMessage, Platform } from './platform/messages.ts';
export type { Feature } from './features/feature.ts';
