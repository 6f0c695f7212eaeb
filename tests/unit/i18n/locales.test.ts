/**
 * Every user-facing string exists in both languages with the same placeholders, so no person
 * ever sees a raw key or a "{{name}}" left unfilled.
 */
import { describe, expect, it } from 'vitest';
import { loadResources, resolveLocale, createTranslator } from '../../../src/i18n/i18n.ts';

function flatten(obj: object, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) out[key] = v.join(', ');
    else if (v && typeof v === 'object') Object.assign(out, flatten(v, key));
    else out[key] = String(v);
  }
  return out;
}

const pluralBase = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1]).sort();

describe('locales', () => {
  const resources = loadResources();
  const zh = flatten(resources['zh-CN']);
  const en = flatten(resources.en);

  it('have the same namespaces and keys in zh-CN and en', () => {
    expect(Object.keys(resources.en).sort()).toEqual(Object.keys(resources['zh-CN']).sort());
    const zhKeys = new Set(Object.keys(zh).map(pluralBase));
    const enKeys = new Set(Object.keys(en).map(pluralBase));
    expect([...zhKeys].filter((k) => !enKeys.has(k))).toEqual([]);
    expect([...enKeys].filter((k) => !zhKeys.has(k))).toEqual([]);
  });

  it('use the same placeholders in both languages and no empty strings', () => {
    const mismatched: string[] = [];
    for (const [key, zhText] of Object.entries(zh)) {
      expect(zhText.trim(), key).not.toBe('');
      const enText = en[key] ?? en[`${pluralBase(key)}_other`];
      if (enText === undefined) continue;
      if (placeholders(zhText).join() !== placeholders(enText).join()) mismatched.push(key);
    }
    expect(mismatched).toEqual([]);
  });

  it('formats dates in the configured time zone and yuan per locale', () => {
    const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    // 16:30 UTC is 00:30 the next day in Shanghai.
    const when = new Date('2026-11-22T16:30:00Z');
    const f = i18n as unknown as { t: (l: string, k: string, p: object) => string };
    expect(f.t('zh-CN', 'x', { defaultValue: '{{d, datetime}}', d: when })).toContain('11月23日');
    expect(f.t('en', 'x', { defaultValue: '{{d, datetime}}', d: when })).toContain('Nov 23');
    expect(f.t('zh-CN', 'x', { defaultValue: '{{v, yuan}}', v: 123456 })).toBe('¥1,234.56');
    expect(f.t('en', 'x', { defaultValue: '{{v, yuan}}', v: 500000 })).toBe('¥5,000');
  });

  it('picks the language from the saved choice, then the client, then the default', () => {
    expect(resolveLocale('en', 'zh-hans', 'zh-CN')).toBe('en');
    expect(resolveLocale(null, 'zh-hant', 'en')).toBe('zh-CN');
    expect(resolveLocale(null, 'de', 'zh-CN')).toBe('en');
    expect(resolveLocale(null, undefined, 'en')).toBe('en');
    expect(resolveLocale('fr', undefined, 'zh-CN')).toBe('zh-CN');
  });
});

describe('command keywords', () => {
  it('are read for every command, also where the command shares its name with a namespace', () => {
    const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    expect(i18n.list('zh-CN', 'aliases.polls')).toEqual(['投票']);
    expect(i18n.list('zh-CN', 'aliases.disclosures')).toContain('居务公开');
    expect(i18n.list('zh-CN', 'aliases.help')).toEqual(['帮助']);
    expect(i18n.list('en', 'aliases.polls')).toEqual(['polls']);
    expect(i18n.list('zh-CN', 'aliases.nonexistent')).toEqual([]);
  });
});
