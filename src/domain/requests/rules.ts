/**
 * The rules of requests that are not the life cycle: text limits, the deadline of each
 * category in working days (defaults, overridden per community in RequestSettings), and the
 * community's working-day calendar.
 */
import type { Db, Prisma } from '../../db/client.ts';
import { DomainError } from '../errors.ts';
import { dueAfterWorkingDays, type WorkCalendar } from './workdays.ts';
import { isCategory, REQUEST_CATEGORIES, type RequestCategory } from './states.ts';

/** A request is a sentence or a few, not an essay: the committee must be able to act on it. */
export const MIN_TEXT = 5;
export const MAX_TEXT = 1000;
export const MAX_LOCATION = 100;
export const MAX_REPLY = 1000;
export const MIN_UNIT = 2;
export const MAX_UNIT = 40;
/** Photos as proposals take them: images up to 5 MB, sent as a photo or an image file. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const PHOTO_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/**
 * Working days to answer, per category: three as a rule; a safety hazard (安全隐患) the next
 * working day, since a loose railing or an open manhole cannot wait for the week's rota.
 */
export const DEFAULT_DEADLINES: Readonly<Record<RequestCategory, number>> = {
  repair: 3,
  sanitation: 3,
  safety: 1,
  dispute: 3,
  policy: 3,
  other: 3,
};

/** The longest deadline a community may set (a month of working days). */
export const MAX_DEADLINE_DAYS = 22;

type Client = Db | Prisma.TransactionClient;

/** The settings a community uses, with defaults filled in. */
export interface RequestRules {
  deadlines: Record<RequestCategory, number>;
  headPersonId: string | null;
  calendar: WorkCalendar;
}

function dates(json: string | null): Set<string> {
  if (!json) return new Set();
  try {
    const list = JSON.parse(json) as unknown;
    return new Set(Array.isArray(list) ? list.filter((d): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d)) : []);
  } catch {
    return new Set();
  }
}

/** Reads a community's settings (defaults where none are stored). */
export async function requestRules(db: Client, communityId: string): Promise<RequestRules> {
  const row = await db.requestSettings.findUnique({ where: { communityId } });
  const deadlines = { ...DEFAULT_DEADLINES };
  if (row?.deadlines) {
    try {
      for (const [k, v] of Object.entries(JSON.parse(row.deadlines) as Record<string, unknown>)) {
        if (isCategory(k) && Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_DEADLINE_DAYS) deadlines[k] = v as number;
      }
    } catch {
      // A broken value falls back to the defaults rather than stopping every request.
    }
  }
  return { deadlines, headPersonId: row?.headPersonId ?? null, calendar: { holidays: dates(row?.holidays ?? null), workdays: dates(row?.workdays ?? null) } };
}

/** Sets a category's deadline (CLI). */
export async function setDeadline(db: Db, communityId: string, category: string, days: number): Promise<void> {
  if (!isCategory(category)) throw new DomainError('requests.errors.unknown_category');
  if (!Number.isInteger(days) || days < 1 || days > MAX_DEADLINE_DAYS) throw new DomainError('requests.errors.bad_deadline', { max: MAX_DEADLINE_DAYS });
  const rules = await requestRules(db, communityId);
  const deadlines = JSON.stringify({ ...rules.deadlines, [category]: days });
  await db.requestSettings.upsert({ where: { communityId }, create: { communityId, deadlines }, update: { deadlines } });
}

/** Names the committee head escalations go to (CLI); null: every committee member. */
export async function setHead(db: Db, communityId: string, personId: string | null): Promise<void> {
  await db.requestSettings.upsert({ where: { communityId }, create: { communityId, headPersonId: personId }, update: { headPersonId: personId } });
}

/** When a request of a category received now must be answered. */
export function dueAt(rules: RequestRules, category: RequestCategory, received: Date, timeZone: string): Date {
  return dueAfterWorkingDays(received, rules.deadlines[category], timeZone, rules.calendar);
}

/** Trims a text and checks its length; a localized refusal names the field and the limit. */
export function cleanText(raw: string | null | undefined, field: 'text' | 'reply' | 'unit' | 'location', min: number, max: number): string {
  const text = (raw ?? '').trim();
  if (!text) throw new DomainError(`requests.errors.${field}_empty`);
  // Characters as a person counts them: an emoji or a 汉字 is one.
  const len = [...text].length;
  if (len < min) throw new DomainError(`requests.errors.${field}_too_short`, { min });
  if (len > max) throw new DomainError(`requests.errors.${field}_too_long`, { max, length: len });
  return text;
}

export { REQUEST_CATEGORIES };
