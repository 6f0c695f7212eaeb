/**
 * Disclosure categories (seed 003 第二十八条, seed 000 §(十二), seed 002 3.(1)): 党务, 居务,
 * 财务, 服务 for every community, plus 事务 for communities that list it in
 * `Community.disclosureCategories`. Stored by stable keys; labels live in locales.
 */
import { DomainError } from '../errors.ts';
import type { TFn, Translator } from '../../i18n/i18n.ts';
import { LOCALES } from '../../i18n/i18n.ts';

/** Every category Linli knows, in display order. */
export const CATEGORY_KEYS = ['party', 'affairs', 'finance', 'services', 'matters'] as const;
export type CategoryKey = (typeof CATEGORY_KEYS)[number];

/** Categories a community has when it configured none. */
export const DEFAULT_CATEGORIES: readonly CategoryKey[] = ['party', 'affairs', 'finance', 'services'];

/** The category whose disclosures usually carry a financial statement. */
export const FINANCE: CategoryKey = 'finance';

/** True for a known key. */
export function isCategoryKey(value: string): value is CategoryKey {
  return (CATEGORY_KEYS as readonly string[]).includes(value);
}

/**
 * The categories of a community: its configured JSON array of keys (unknown entries ignored,
 * display order kept), or the default four.
 */
export function communityCategories(community: { disclosureCategories: string | null }): CategoryKey[] {
  if (!community.disclosureCategories) return [...DEFAULT_CATEGORIES];
  try {
    const parsed: unknown = JSON.parse(community.disclosureCategories);
    if (!Array.isArray(parsed)) return [...DEFAULT_CATEGORIES];
    const wanted = new Set(parsed.map(String));
    const keys = CATEGORY_KEYS.filter((k) => wanted.has(k));
    return keys.length ? keys : [...DEFAULT_CATEGORIES];
  } catch {
    return [...DEFAULT_CATEGORIES];
  }
}

/** The i18n key of a category's label. */
export function categoryLabelKey(key: string): string {
  return `disclosures.category.${key}`;
}

/** The label of a category. */
export function categoryLabel(t: TFn, key: string): string {
  return t(categoryLabelKey(key));
}

/**
 * Reads a category as someone typed it — a key (finance) or a label in any language (财务,
 * Finances) — among the community's categories; null when it is none of them.
 */
export function matchCategory(raw: string, allowed: readonly CategoryKey[], i18n: Translator): CategoryKey | null {
  const s = raw.normalize('NFKC').trim().toLowerCase();
  if (!s) return null;
  for (const key of allowed) {
    if (key === s) return key;
    for (const locale of LOCALES) {
      const label = i18n.t(locale, categoryLabelKey(key)).toLowerCase();
      if (label === s) return key;
    }
  }
  return null;
}

/** Like matchCategory, but refuses an unknown category naming the ones allowed. */
export function requireCategory(raw: string, allowed: readonly CategoryKey[], i18n: Translator, locale: string): CategoryKey {
  const key = matchCategory(raw, allowed, i18n);
  if (key) return key;
  throw new DomainError('disclosures.unknown_category', {
    category: raw,
    allowed: allowed.map((k) => i18n.t(locale, categoryLabelKey(k))).join(i18n.t(locale, 'disclosures.separator')),
  });
}
