/**
 * Which platforms a bot speaks on, chosen from the configuration: Telegram when a token is set,
 * WeChat when switched on (or a puppet is handed in), plus adapters the caller brings (the
 * terminal console). The WeChat adapter's two needs from the rest of Linli — the localized hint
 * under numbered options, and telling the admins that the account logged out — are met here,
 * so the adapter itself knows nothing but the platform module.
 *
 * wechaty is loaded only when WeChat is used, so a Telegram-only bot starts fast.
 */
import { dirname, join } from 'node:path';
import type { Adapter } from '../platform/adapter.ts';
import { createTelegramAdapter } from '../adapters/telegram/telegramAdapter.ts';
import type { NumberedOption } from '../adapters/text/renderText.ts';
import type { WechatAdapter, WechatAlert, WechatPuppet } from '../adapters/wechat/wechatAdapter.ts';
import type { Config } from '../config.ts';
import { rememberChoices } from '../core/choiceMemory.ts';
import type { Services } from '../core/services.ts';
import { resolveLocale } from '../i18n/i18n.ts';
import type { Logger } from '../log.ts';

/** How to connect to WeChat. */
export interface WechatOptions {
  /** A wechaty puppet instance (e.g. `new PuppetMock({ mocker })`); else WECHATY_PUPPET is loaded. */
  puppet?: WechatPuppet;
  /** Print the login QR code in the terminal (`npm start` does). */
  qrInTerminal?: boolean;
  /** Wait before restarting after a logout (default 10 s). */
  reconnectDelayMs?: number;
  /** Minimum gap between two sends of the account (default 500 ms; tests use 0). */
  sendGapMs?: number;
}

/** An adapter, or a factory for one that needs the services (the console, WeChat). */
export type AdapterSource = Adapter | ((services: Services) => Adapter);

/** What the configuration and the caller ask for. */
export interface PlatformChoice {
  /** Telegram: on when TELEGRAM_BOT_TOKEN is set; `apiRoot` points it at another Bot API server. `false` switches it off. */
  telegram?: false | { token?: string; apiRoot?: string };
  /** WeChat: on when LINLI_WECHAT=on or a puppet is given here. `false` switches it off. */
  wechat?: false | WechatOptions;
  /** More adapters (the console), or factories that need the services. */
  adapters?: AdapterSource[];
}

/** The chosen adapters, and handles on the two platform adapters for tests and operators. */
export interface ChosenPlatforms {
  sources: AdapterSource[];
  telegram?: Adapter & { readonly username: string };
  /** Filled in when the services exist (WeChat's adapter needs them). */
  wechat(): WechatAdapter | undefined;
}

/** Picks the adapters for a bot. */
export async function choosePlatforms(config: Config, log: Logger, databaseFile: string, choice: PlatformChoice): Promise<ChosenPlatforms> {
  const sources: AdapterSource[] = [];
  let telegram: ChosenPlatforms['telegram'];
  let db: Services['db'] | undefined;
  const token = choice.telegram === false ? undefined : (choice.telegram?.token ?? config.TELEGRAM_BOT_TOKEN);
  if (token && choice.telegram !== false) {
    telegram = createTelegramAdapter({
      token,
      apiRoot: choice.telegram?.apiRoot ?? config.TELEGRAM_API_ROOT,
      webhookUrl: config.TELEGRAM_WEBHOOK_URL,
      webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
      log: log.child({ platform: 'telegram' }),
      // The adapter exists before the services (tests and operators hold it); the database is
      // reached through them once the bot is built.
      remember: (chatId, choices) => (db ? rememberChoices(db, 'telegram', chatId, choices) : Promise.resolve()),
    });
    const adapter = telegram;
    sources.push((services) => {
      db = services.db;
      return adapter;
    });
  }

  let wechat: WechatAdapter | undefined;
  const wechatOn = choice.wechat !== false && (config.LINLI_WECHAT === 'on' || choice.wechat?.puppet !== undefined);
  if (wechatOn) {
    const wx = choice.wechat || {};
    const { createWechatAdapter } = await import('../adapters/wechat/wechatAdapter.ts');
    sources.push((services) => {
      wechat = createWechatAdapter({
        puppet: wx.puppet,
        puppetName: config.WECHATY_PUPPET,
        token: config.WECHATY_PUPPET_TOKEN,
        // wechaty keeps the web login in <name>.memory-card.json: beside the database, not in the cwd.
        name: join(dirname(databaseFile), `linli-${config.WECHATY_PUPPET.replace(/[^a-z0-9-]/gi, '')}`),
        log: log.child({ platform: 'wechat' }),
        replyHint: (chatId, items) => wechatReplyHint(services, chatId, items),
        remember: (chatId, choices) => rememberChoices(services.db, 'wechat', chatId, choices),
        onAlert: (alert) => alertAdmins(services, alert),
        reconnectDelayMs: wx.reconnectDelayMs,
        sendGapMs: wx.sendGapMs ?? 500,
        qrInTerminal: wx.qrInTerminal,
      });
      return wechat;
    });
  }
  sources.push(...(choice.adapters ?? []));
  return { sources, telegram, wechat: () => wechat };
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
