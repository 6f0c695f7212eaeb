/**
 * The proposals namespace: both languages have the same keys, and every key the code names
 * (literally) exists, so no resident ever reads a raw key.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATUSES } from '../../../../src/domain/proposals/states.ts';
import { DEFAULT_CATEGORIES } from '../../../../src/domain/proposals/rules.ts';
import { createTranslator } from '../../../../src/i18n/i18n.ts';

const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });

function keys(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('proposals locales', () => {
  it('have the same keys in zh-CN and en', () => {
    const zh = keys(JSON.parse(readFileSync('locales/zh-CN/proposals.json', 'utf8'))).sort();
    const en = keys(JSON.parse(readFileSync('locales/en/proposals.json', 'utf8'))).sort();
    expect(en).toEqual(zh);
  });

  it('define every key the code names, every status and category', () => {
    const files = [...sources('src/features/proposals'), ...sources('src/domain/proposals'), 'scenes/propose.ts', 'scenes/proposalCommittee.ts'];
    const used = new Set<string>();
    for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/['`](proposals\.[a-z_.]+[a-z_])['`]/g)) used.add(m[1]);
    for (const s of STATUSES) used.add(`proposals.status.${s}`);
    for (const c of DEFAULT_CATEGORIES) used.add(`proposals.category.${c}`);
    for (const op of ['start_review', 'shortlist', 'reject', 'merge', 'budget', 'progress', 'complete']) used.add(`proposals.review.${op}`);
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((k) => !i18n.has('zh-CN', k) || !i18n.has('en', k));
    expect(missing).toEqual([]);
  });

  it('has no Chinese literals in the feature code (command keywords aside)', () => {
    const files = [...sources('src/features/proposals'), ...sources('src/domain/proposals'), 'scenes/propose.ts', 'scenes/proposalCommittee.ts'];
    for (const f of files) {
      const code = readFileSync(f, 'utf8').replace(/\/\*\*[\s\S]*?\*\/|\/\/.*$|^\s*aliases: .*$/gm, '');
      expect(code, f).not.toMatch(/['"`][^'"`\n]*[\u4e00-\u9fff][^'"`\n]*['"`]/);
    }
  });
});
