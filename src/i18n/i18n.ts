/**
 * Translations: i18next with one JSON file per namespace in `locales/<language>/`.
 *
 * Linli answers each person in their own language, so there is no global "current language":
 * every lookup names its locale (`t(locale, key)`). Custom formatters make dates, yuan and
 * percentages available inside translations: `{{when, datetime}}`, `{{fen, yuan}}`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n as I18nInstance } from 'i18next';
import { formatDate, formatDateTime, formatNumber, formatPercent, formatYuan } from './format.ts';
import { formatPeriod, formatWeek, type WeekSpan } from './periods.ts';

/** Languages Linli ships. zh-CN is the primary one. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A translate function bound to one locale. */
export type TFn = (key: string, params?: Record<string, unknown>) => string;

/** The project's translations and formatters. */
export interface Translator {
  t(locale: string, key: string, params?: Record<string, unknown>): string;
  /** A translate function bound to a locale. */
  bind(locale: string): TFn;
  /** A list from the translations (e.g. a command's keywords), empty when there is none. */
  list(locale: string, key: string): string[];
  /** True when the key exists in the locale (used by tests that check both languages). */
  has(locale: string, key: string): boolean;
  readonly timeZone: string;
}

const LOCALES_DIR = fileURLToPath(new URL('../../locales', import.meta.url));

/** Reads every `locales/<lng>/<ns>.json`. */
export function loadResources(dir = LOCALES_DIR): Record<string, Record<string, object>> {
  const resources: Record<string, Record<string, object>> = {};
  for (const lng of LOCALES) {
    resources[lng] = {};
    for (const file of readdirSync(join(dir, lng)).filter((f) => f.endsWith('.json'))) {
      resources[lng][basename(file, '.json')] = JSON.parse(readFileSync(join(dir, lng, file), 'utf8'));
    }
  }
  return resources;
}

/** Builds the translator. Missing keys fall back to zh-CN, then show the key itself. */
export function createTranslator(opts: { defaultLocale: string; timeZone: string }): Translator {
  const resources = loadResources();
  const instance: I18nInstance = i18next.createInstance();
  void instance.init({
    resources,
    lng: opts.defaultLocale,
    fallbackLng: 'zh-CN',
    supportedLngs: [...LOCALES],
    ns: Object.keys(resources['zh-CN']),
    defaultNS: 'common',
    initAsync: false,
    // 'residents.bound' reads namespace residents, key bound; keys of the default namespace
    // (common) need no prefix: 'start.welcome'.
    nsSeparator: '.',
    keySeparator: '.',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const f = instance.services.formatter!;
  const tz = opts.timeZone;
  f.add('datetime', (v, lng) => formatDateTime(new Date(v), lng ?? 'zh-CN', tz));
  f.add('date', (v, lng) => formatDate(new Date(v), lng ?? 'zh-CN', tz));
  f.add('yuan', (v, lng) => formatYuan(Number(v), lng ?? 'zh-CN'));
  f.add('number', (v, lng) => formatNumber(Number(v), lng ?? 'zh-CN'));
  f.add('percent', (v, lng) => formatPercent(Number(v), lng ?? 'zh-CN'));
  // Periods and weeks read as words (2026年第四季度, 11月23日—29日): see periods.ts.
  f.add('period', (v, lng) => formatPeriod(String(v), lng ?? 'zh-CN'));
  f.add('week', (v, lng) => formatWeek(v as WeekSpan, lng ?? 'zh-CN', tz));

  // Texts without parameters never change once loaded: remember them (a bounded set — keys
  // come from the code, locales from LOCALES, unknown ones fall back).
  const plain = new Map<string, string>();
  const t = (locale: string, key: string, params?: Record<string, unknown>) => {
    if (params && Object.keys(params).length) return instance.t(key, { ...params, lng: locale }) as string;
    const memo = `${locale}\u0000${key}`;
    let text = plain.get(memo);
    if (text === undefined) {
      text = instance.t(key, { lng: locale }) as string;
      if (plain.size < 10_000) plain.set(memo, text);
    }
    return text;
  };
  return {
    t,
    bind: (locale) => (key, params) => t(locale, key, params),
    list: (locale, key) => {
      // Read the resource itself: t() with returnObjects re-resolves each element by key, which
      // goes wrong when a key (aliases.polls) shares its name with a namespace (polls).
      const [ns, ...path] = key.split('.');
      const value = instance.getResource(locale, ns, path.join('.')) as unknown;
      return Array.isArray(value) ? value.map(String) : [];
    },
    has: (locale, key) => instance.exists(key, { lng: locale, fallbackLng: false }),
    timeZone: tz,
  };
}

/**
 * Picks a person's language: their saved choice, else the client's language (zh* → zh-CN,
 * anything else → en), else the deployment default.
 */
export function resolveLocale(saved: string | null | undefined, clientLanguage: string | undefined, fallback: string): Locale {
  if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale;
  if (clientLanguage) return clientLanguage.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  return (LOCALES as readonly string[]).includes(fallback) ? (fallback as Locale) : 'zh-CN';
}

/** The language to write to a person in when they did not just send something (reminders). */
export function personLocale(person: { locale: string | null; clientLanguage: string | null } | null | undefined, fallback: string): Locale {
  return resolveLocale(person?.locale, person?.clientLanguage ?? undefined, fallback);
}
