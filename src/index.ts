/**
 * Linli as a library: build the whole bot in-process with `createLinli` (configuration,
 * database file, and the platforms — a Telegram API root, an injected wechaty puppet) and
 * start it. The same factory runs `npm start` and the end-to-end tests.
 *
 * ```ts
 * import { createLinli } from 'linli';
 * // PuppetMock and mock come from the wechaty-puppet-mock package (see README "Embedding").
 *
 * const mocker = new mock.Mocker();
 * const bot = await createLinli({
 *   env: { LINLI_ADMINS: 'wechat:admin-contact-id' },
 *   databaseFile: './data/linli.db',
 *   wechat: { puppet: new PuppetMock({ mocker }) },
 * });
 * await bot.start();
 * // … mocker.login(…), residents talk …
 * await bot.stop();
 * ```
 */
export { createLinli, type Linli, type LinliOptions, type WechatOptions } from './app/createLinli.ts';
export { loadConfig, ConfigError, type Config } from './config.ts';
export type { Adapter, AdapterCapabilities } from './platform/adapter.ts';
export type { Incoming, OutMessage, Platform } from './platform/messages.ts';
export type { Feature } from './features/feature.ts';
