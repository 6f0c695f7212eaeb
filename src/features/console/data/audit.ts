/**
 * The audit log of one community as staff read it: filtered by person, action and dates (the
 * dates are the community's calendar days), newest first, page by page, and the same selection
 * as a spreadsheet. Reading only: the log has no update or delete anywhere.
 */
import type { Db } from '../../../db/client.ts';
import type { AuditEntry } from '../../../generated/prisma/client.ts';

export const AUDIT_PAGE_SIZE = 50;
/** Most rows one download holds. */
export const AUDIT_EXPORT_LIMIT = 10_000;

/** The filters as typed in the form (all optional). */
export interface AuditFilter {
  person?: string;
  action?: string;
  from?: string;
  to?: string;
}

/** An entry with the name of who acted. */
export interface AuditRow extends AuditEntry {
  actorName: string | null;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight of a calendar day in a time zone, as an instant; null for anything but YYYY-MM-DD. */
export function startOfLocalDay(day: string | undefined, timeZone: string): Date | null {
  const m = day ? DAY.exec(day) : null;
  if (!m) return null;
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(guess) || new Date(guess).getUTCDate() !== Number(m[3])) return null;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(guess))
      .map((p) => [p.type, Number(p.value)]),
  );
  const offset = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - guess;
  return new Date(guess - offset);
}

function where(communityId: string, f: AuditFilter, timeZone: string) {
  const from = startOfLocalDay(f.from, timeZone);
  const toStart = startOfLocalDay(f.to, timeZone);
  const to = toStart ? new Date(toStart.getTime() + 86_400_000) : null;
  return {
    communityId,
    ...(f.person ? { actorId: f.person } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(from || to ? { at: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
  };
}

async function withNames(db: Db, rows: AuditEntry[]): Promise<AuditRow[]> {
  const ids = [...new Set(rows.map((r) => r.actorId).filter((x): x is string => Boolean(x)))];
  const people = ids.length ? await db.person.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } }) : [];
  return rows.map((r) => ({ ...r, actorName: people.find((p) => p.id === r.actorId)?.displayName ?? null }));
}

/** A page of entries, newest first. */
export async function auditPage(db: Db, communityId: string, f: AuditFilter, page: number, timeZone: string): Promise<{ rows: AuditRow[]; page: number; pages: number; total: number }> {
  const w = where(communityId, f, timeZone);
  const total = await db.auditEntry.count({ where: w });
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const rows = await db.auditEntry.findMany({ where: w, orderBy: [{ at: 'desc' }, { id: 'desc' }], skip: current * AUDIT_PAGE_SIZE, take: AUDIT_PAGE_SIZE });
  return { rows: await withNames(db, rows), page: current, pages, total };
}

/** The selection for a download, oldest first (as a log reads). */
export async function auditSelection(db: Db, communityId: string, f: AuditFilter, timeZone: string): Promise<AuditRow[]> {
  const rows = await db.auditEntry.findMany({ where: where(communityId, f, timeZone), orderBy: [{ at: 'asc' }, { id: 'asc' }], take: AUDIT_EXPORT_LIMIT });
  return withNames(db, rows);
}

/** Who and what appear in the community's log, for the filter choices. */
export async function auditChoices(db: Db, communityId: string): Promise<{ people: { id: string; name: string }[]; actions: string[] }> {
  const [actors, actions] = await Promise.all([
    db.auditEntry.findMany({ where: { communityId, actorId: { not: null } }, distinct: ['actorId'], select: { actorId: true }, take: 500 }),
    db.auditEntry.findMany({ where: { communityId }, distinct: ['action'], select: { action: true }, orderBy: { action: 'asc' } }),
  ]);
  const ids = actors.map((a) => a.actorId!).filter(Boolean);
  const people = ids.length ? await db.person.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true }, orderBy: { displayName: 'asc' } }) : [];
  return { people: people.map((p) => ({ id: p.id, name: p.displayName })), actions: actions.map((a) => a.action) };
}

/** An entry's details as stored: its keys and values, at most `max` of them (null when unreadable). */
export function detailEntries(details: string | null, max = 6): [string, unknown][] | null {
  if (!details) return [];
  try {
    const parsed = JSON.parse(details) as Record<string, unknown>;
    return Object.entries(parsed).slice(0, max);
  } catch {
    return null;
  }
}

/** An entry's details as short "key: value" pairs (the stored JSON is for machines). */
export function detailPairs(details: string | null, max = 6): [string, string][] {
  const entries = detailEntries(details, max);
  if (!entries) return [['details', [...(details ?? '')].slice(0, 80).join('')]];
  return entries.map(([k, v]) => [k, [...(typeof v === 'string' ? v : JSON.stringify(v))].slice(0, 80).join('')]);
}
