/**
 * Staying logged in. A WeChat web session ends now and then (the phone logged the web client
 * out, the session expired): the admins are told, and wechaty is restarted after a pause so a
 * new QR code appears; when the account is back, the admins hear that too.
 */
import type { Wechaty } from 'wechaty';
import type { AdapterLog } from '../../platform/adapter.ts';

/** Something the admins must hear about: the account logged out, or came back. */
export interface WechatAlert {
  kind: 'logout' | 'login';
  reason?: string;
  account?: string;
}

/** Follows logins and logouts and restarts wechaty after a logout. */
export interface Reconnector {
  /** wechaty's `login` event. */
  loggedIn(account: string): void;
  /** wechaty's `logout` event. */
  loggedOut(account: string | undefined, reason: string | undefined): void;
  /** Times wechaty was restarted after a logout. */
  readonly restarts: number;
  /** No restarts from now on (the adapter is stopping). */
  stop(): void;
}

/** Settings of the reconnector. */
export interface ReconnectOptions {
  bot: Wechaty;
  log: AdapterLog;
  /** Wait before restarting after a logout. */
  delayMs: number;
  /** Told about logouts and the login after one; must not throw. */
  alert(alert: WechatAlert): void;
}

/** Creates the reconnector for one wechaty instance. */
export function createReconnector(opts: ReconnectOptions): Reconnector {
  const { bot, log } = opts;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let restarts = 0;
  // Stopping wechaty for a restart may report the logout again; that one is not news.
  let restarting = false;
  let loggedOut = false;

  const scheduleRestart = () => {
    if (stopping || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (stopping) return;
      restarting = true;
      void (async () => {
        try {
          await bot.stop();
          if (stopping) return;
          await bot.start();
          restarts++;
          log.info({ restarts }, 'wechat restarted after logout; waiting for login');
        } catch (err) {
          log.error({ err }, 'wechat restart failed; trying again');
          scheduleRestart();
        } finally {
          restarting = false;
        }
      })();
    }, opts.delayMs);
  };

  return {
    loggedIn(account) {
      log.info({ account }, 'wechat logged in');
      if (loggedOut) opts.alert({ kind: 'login', account });
      loggedOut = false;
    },
    loggedOut(account, reason) {
      if (stopping || restarting) return;
      loggedOut = true;
      log.error({ account, reason }, 'wechat logged out; restarting');
      opts.alert({ kind: 'logout', reason, account });
      scheduleRestart();
    },
    get restarts() {
      return restarts;
    },
    stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
