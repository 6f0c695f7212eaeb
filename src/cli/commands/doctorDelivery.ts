/**
 * The delivery part of `linli doctor`: the groups Linli no longer reaches (the bot was removed,
 * the chat vanished, or it moved to a supergroup) and every outbox message that was dropped or
 * failed, with the reason the platform gave. These are what an operator asks about when "the
 * group did not get the poll".
 */
import type { Db } from '../../db/client.ts';

/** Messages listed before "… and N more". */
export const DOCTOR_MESSAGE_LIMIT = 20;

/** Longest reason printed per message (platform errors can be long). */
const REASON_MAX = 160;

/** What the doctor found about delivery. */
export interface DeliveryReport {
  lines: string[];
  inactiveGroups: number;
  dropped: number;
  failed: number;
}

function when(d: Date | null | undefined): string {
  return d ? d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z') : 'unknown';
}

function oneLine(text: string | null, max = REASON_MAX): string {
  if (!text) return 'no reason recorded';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * Inactive groups: platform, chat id, title, community and, when known, since when — the
 * migration to a supergroup (audited), else the last delivery that failed there.
 */
async function inactiveGroups(db: Db): Promise<{ lines: string[]; count: number }> {
  const groups = await db.chatGroup.findMany({ where: { active: false }, include: { community: true }, orderBy: [{ platform: 'asc' }, { chatId: 'asc' }] });
  if (!groups.length) return { lines: [], count: 0 };
  const migrations = await db.auditEntry.findMany({ where: { action: 'group.migrated' }, select: { at: true, details: true }, orderBy: { at: 'asc' } });
  const movedAt = new Map<string, { at: Date; to: string }>();
  for (const m of migrations) {
    try {
      const d = JSON.parse(m.details ?? '{}') as { fromChatId?: unknown; toChatId?: unknown };
      if (typeof d.fromChatId === 'string') movedAt.set(d.fromChatId, { at: m.at, to: String(d.toChatId) });
    } catch {
      // An unreadable entry only loses the date.
    }
  }
  const lines = [`! ${groups.length} inactive group(s) — Linli no longer posts there:`];
  for (const g of groups) {
    const community = g.community ? `${g.community.slug} (${g.community.name})` : 'no community';
    const moved = movedAt.get(g.chatId);
    let since: string;
    if (moved) since = `moved to ${moved.to} on ${when(moved.at)}`;
    else {
      const lastFailure = await db.outboxMessage.findFirst({
        where: { platform: g.platform, chatId: g.chatId, status: { in: ['dropped', 'failed'] } },
        orderBy: { id: 'desc' },
        select: { attemptStartedAt: true, createdAt: true, lastError: true },
      });
      since = lastFailure ? `since about ${when(lastFailure.attemptStartedAt ?? lastFailure.createdAt)} (${oneLine(lastFailure.lastError, 80)})` : 'since unknown';
    }
    lines.push(`    ${g.platform} ${g.chatId} “${g.title ?? '(no title)'}” — ${community}, ${since}`);
  }
  return { lines, count: groups.length };
}

/** Dropped and failed outbox messages, newest first, capped. */
async function undelivered(db: Db): Promise<{ lines: string[]; dropped: number; failed: number }> {
  const where = { status: { in: ['dropped', 'failed'] } };
  const [dropped, failed] = await Promise.all([db.outboxMessage.count({ where: { status: 'dropped' } }), db.outboxMessage.count({ where: { status: 'failed' } })]);
  if (!dropped && !failed) return { lines: [], dropped, failed };
  const rows = await db.outboxMessage.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: DOCTOR_MESSAGE_LIMIT,
    select: { id: true, key: true, platform: true, chatId: true, status: true, attempts: true, lastError: true, createdAt: true, attemptStartedAt: true },
  });
  const lines = [`${failed ? '✘' : '!'} ${dropped + failed} outbox message(s) not delivered (${failed} failed, ${dropped} dropped), newest first:`];
  for (const r of rows) {
    lines.push(`    #${r.id} ${r.status} ${r.platform} ${r.chatId} ${r.key} — queued ${when(r.createdAt)}, ${r.attempts} attempt(s): ${oneLine(r.lastError)}`);
  }
  const rest = dropped + failed - rows.length;
  if (rest > 0) lines.push(`    … and ${rest} more (see "linli outbox")`);
  return { lines, dropped, failed };
}

/** The delivery section of `linli doctor`. */
export async function deliveryReport(db: Db): Promise<DeliveryReport> {
  const groups = await inactiveGroups(db);
  const messages = await undelivered(db);
  return {
    lines: [...groups.lines, ...messages.lines],
    inactiveGroups: groups.count,
    dropped: messages.dropped,
    failed: messages.failed,
  };
}
