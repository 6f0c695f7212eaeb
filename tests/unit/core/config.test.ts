import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.ts';

describe('loadConfig', () => {
  it('has working defaults for the embedded console setup', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBe('file:./data/linli.db');
    expect(c.LINLI_TIMEZONE).toBe('Asia/Shanghai');
    expect(c.LINLI_DEFAULT_LOCALE).toBe('zh-CN');
    expect(c.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(c.LINLI_ADMINS).toEqual([]);
  });

  it('parses administrators', () => {
    expect(loadConfig({ LINLI_ADMINS: 'telegram:42, wechat:wxid_abc' }).LINLI_ADMINS).toEqual([
      { platform: 'telegram', userId: '42' },
      { platform: 'wechat', userId: 'wxid_abc' },
    ]);
  });

  it.each([
    [{ TELEGRAM_BOT_TOKEN: 'nonsense' }, 'TELEGRAM_BOT_TOKEN'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LINLI_TIMEZONE: 'Mars/Olympus' }, 'LINLI_TIMEZONE'],
    [{ LINLI_DEFAULT_LOCALE: 'fr' }, 'LINLI_DEFAULT_LOCALE'],
    [{ LINLI_ADMINS: 'bob' }, 'LINLI_ADMINS'],
    [{ DATABASE_URL: 'postgres://x' }, 'DATABASE_URL'],
    [{ TELEGRAM_API_ROOT: 'not a url' }, 'TELEGRAM_API_ROOT'],
    [{ TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_WEBHOOK_URL: 'https://x.org/hook' }, 'TELEGRAM_WEBHOOK_SECRET'],
  ])('stops on a bad value and names the variable (%o)', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });
});
