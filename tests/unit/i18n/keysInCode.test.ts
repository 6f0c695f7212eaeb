/**
 * Every translation key the code names exists in both languages, for every namespace: a key
 * missing from a locale file would reach a resident as the raw key. The code is read as text:
 * string literals in the places keys appear (t(…), i18n.t(locale, …), DomainError, invalid,
 * command descriptions and export labels); a template key (`roles.${role}`) needs its fixed
 * part to be a group of keys in both languages.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadResources } from '../../../src/i18n/i18n.ts';

const ROOTS = ['src', 'scenes'];
const PATTERNS = [
  /\bt\(\s*(['`])([^'`]+)\1/g,
  /\.t\(\s*[\w.[\]'"-]+,\s*(['`])([^'`]+)\1/g,
  /DomainError\(\s*(['`])([^'`]+)\1/g,
  /\binvalid\(\s*(['`])([^'`]+)\1/g,
  /\b(?:description|label|reason):\s*(['`])([^'`]+)\1/g,
];
const KEY = /^[a-z][a-z0-9_]*(\.[a-z0-9_${}.]+)+$/i;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'generated') return [];
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function keysInCode(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of ROOTS.flatMap(sourceFiles)) {
    const text = readFileSync(file, 'utf8');
    for (const re of PATTERNS) {
      for (const m of text.matchAll(re)) {
        const key = m[2];
        if (KEY.test(key) && !key.includes(' ')) found.set(key, file);
      }
    }
  }
  return found;
}

describe('translation keys named in the code', () => {
  const resources = loadResources() as Record<string, Record<string, unknown>>;

  /** The value at a dotted path in a locale: a namespace first, else the common namespace. */
  const lookup = (locale: string, key: string): unknown => {
    const walk = (node: unknown, parts: string[]): unknown => parts.reduce<unknown>((n, p) => (n && typeof n === 'object' ? (n as Record<string, unknown>)[p] : undefined), node);
    const parts = key.split('.');
    const inNamespace = walk(resources[locale], parts);
    if (inNamespace !== undefined) return inNamespace;
    const plural = walk(resources[locale], [...parts.slice(0, -1), `${parts[parts.length - 1]}_other`]);
    if (plural !== undefined) return plural;
    return walk(resources[locale].common, parts) ?? walk(resources[locale].common, [...parts.slice(0, -1), `${parts[parts.length - 1]}_other`]);
  };

  it('finds keys to check (the scan works)', () => {
    expect(keysInCode().size).toBeGreaterThan(300);
  });

  for (const locale of ['zh-CN', 'en']) {
    it(`exist in ${locale}`, () => {
      const missing: string[] = [];
      for (const [key, file] of keysInCode()) {
        if (!key.includes('${')) {
          const value = lookup(locale, key);
          if (typeof value !== 'string' && !Array.isArray(value)) missing.push(`${key} (${file})`);
          continue;
        }
        // `roles.${role}` or `wechat.alert_${kind}`: the group the fixed part names must exist.
        const fixed = key.slice(0, key.indexOf('${'));
        const group = fixed.endsWith('.') ? fixed.slice(0, -1) : fixed.slice(0, fixed.lastIndexOf('.'));
        if (typeof lookup(locale, group) !== 'object') missing.push(`${key} (${file})`);
      }
      expect(missing).toEqual([]);
    });
  }
});
