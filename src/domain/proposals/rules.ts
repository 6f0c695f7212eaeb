/**
 * The input rules of a proposal, shared by the /propose scene (to re-ask at once) and the
 * domain (which checks again, because a scene is only one way in): field lengths, categories,
 * the cost cap, one title per person per day.
 */
import { DomainError } from '../errors.ts';
import type { Community } from '../../generated/prisma/client.ts';
import type { TFn } from '../../i18n/i18n.ts';

/** Longest title, in characters as people count them. */
export const MAX_TITLE = 30;
/** Shortest title that says something. */
export const MIN_TITLE = 4;
/** Longest description. */
export const MAX_DESCRIPTION = 1000;
/** Shortest description. */
export const MIN_DESCRIPTION = 10;
/** Longest location. */
export const MAX_LOCATION = 60;
/** Photos a proposal may carry. */
export const MAX_PHOTOS = 3;
/** Largest photo accepted, in bytes. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** Image types accepted when a photo is sent as a file. */
export const PHOTO_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'];
/** Longest public reason (rejection) or progress note. */
export const MAX_REASON = 300;
/** Longest implementer name. */
export const MAX_IMPLEMENTER = 60;
/** The window in which the same person may not submit the same title again. */
export const DUPLICATE_TITLE_WINDOW_MS = 24 * 3600_000;

/** Default categories (stable keys; labels live in locales under proposals.category.*). */
export const DEFAULT_CATEGORIES = ['environment', 'facilities', 'culture', 'elderly', 'safety', 'other'] as const;

/** Length in characters as a person counts them. */
export function chars(s: string): number {
  return [...s].length;
}

/** The categories a community offers: its own list (keys or free labels) or the defaults. */
export function communityCategories(community: Pick<Community, 'proposalCategories'>): string[] {
  if (community.proposalCategories) {
    try {
      const list = JSON.parse(community.proposalCategories) as unknown;
      if (Array.isArray(list)) {
        const clean = list.filter((x): x is string => typeof x === 'string' && x.trim().length > 0).map((x) => x.trim());
        if (clean.length) return [...new Set(clean)];
      }
    } catch {
      // A malformed setting falls back to the defaults rather than breaking /propose.
    }
  }
  return [...DEFAULT_CATEGORIES];
}

/** True when the key is one of the built-in categories (translated) rather than a free label. */
export function isBuiltInCategory(key: string): boolean {
  return (DEFAULT_CATEGORIES as readonly string[]).includes(key);
}

/** A category's label: built-in keys are translated, a community's own labels shown as they are. */
export function categoryLabel(t: TFn, key: string): string {
  return isBuiltInCategory(key) ? t(`proposals.category.${key}`) : key;
}

/** Title as compared for duplicates: width-normalized, case- and space-insensitive. */
export function titleKey(title: string): string {
  return title.normalize('NFKC').toLowerCase().replace(/[\s\p{P}]+/gu, '');
}

/** Turns a yuan amount into fen, refusing what is not a positive amount under the cap. */
export function costToFen(yuan: number, capFen: number): number {
  if (!Number.isFinite(yuan) || yuan <= 0) throw new DomainError('proposals.cost_not_positive');
  const fen = Math.round(yuan * 100);
  if (fen <= 0) throw new DomainError('proposals.cost_not_positive');
  if (fen > capFen) throw new DomainError('proposals.cost_over_cap', { fen: capFen });
  return fen;
}

/** Cleans a text field and checks its length, or throws a refusal naming the field. */
export function cleanText(value: string, field: string, min: number, max: number): string {
  const cleaned = value.replace(/[\p{Cc}\p{Cf}]/gu, (c) => (c === '\n' ? c : '')).trim();
  const n = chars(cleaned);
  if (!n) throw new DomainError('proposals.field_empty', { field: field });
  if (n > max) throw new DomainError('proposals.field_too_long', { field: field, max, length: n });
  if (n < min) throw new DomainError('proposals.field_too_short', { field: field, min });
  return cleaned;
}

/**
 * Reads a progress percentage as a committee member types it: 50, 50%, ５０％, "50 %".
 * Returns the whole number 0..100, or null for anything else (55.5, 120, "一半").
 */
export function parsePercent(raw: string): number | null {
  const s = raw.normalize('NFKC').replace(/\s+/g, '').replace(/(%|percent)$/i, '');
  if (!/^\d{1,3}$/.test(s)) return null;
  const n = Number(s);
  return n <= 100 ? n : null;
}
