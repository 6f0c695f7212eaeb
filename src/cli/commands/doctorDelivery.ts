/**
 * The delivery part of `linli doctor`: the groups Linli no longer reaches (the bot was removed,
 * the chat vanished, or it moved to a supergroup) and every outbox message that was dropped or
 * failed, with the reason the platform gave. These are what an operator asks about when "the
 * group did not get the poll".
 */
import type { Db } from '../../db/client.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { stateLabel } from '../words.ts';

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

function when(t: TFn, d: Date | null | undefined): string {
  return d ? d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z') : t('cli.doctor.unknown');
}

function oneLine(t: TFn, text: string | null, max = REASON_MAX): string {
  if (!text) return t('cli.doctor.no_reason');
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * Inactive groups: platform, chat id, title, community and, when known, since when — the
 * migration to a supergroup (audited), else the last delivery that failed there.
 */
async function inactiveGroups(db: Db, t: TFn): Promise<{ lines: string[]; count: number }> {
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
  const lines = [`! ${t('cli.doctor.inactive', { count: groups.length })}`];
  for (const g of groups) {
    const community = g.community ? t('cli.doctor.community', { slug: g.community.slug, name: g.community.name }) : t('cli.doctor.no_community');
    const moved = movedAt.get(g.chatId);
    let since: string;
    if (moved) since = t('cli.doctor.moved', { to: moved.to, at: when(t, moved.at) });
    else {
      const lastFailure = await db.outboxMessage.findFirst({
        where: { platform: g.platform, chatId: g.chatId, status: { in: ['dropped', 'failed'] } },
        orderBy: { id: 'desc' },
        select: { attemptStartedAt: true, createdAt: true, lastError: true },
      });
      since = lastFailure ? t('cli.doctor.since_about', { at: when(t, lastFailure.attemptStartedAt ?? lastFailure.createdAt), reason: oneLine(t, lastFailure.lastError, 80) }) : t('cli.doctor.since_unknown');
    }
    lines.push(`    ${t('cli.doctor.inactive_line', { platform: g.platform, chat: g.chatId, title: g.title ?? t('cli.doctor.no_title'), community, since })}`);
  }
  return { lines, count: groups.length };
}

/** Dropped and failed outbox messages, newest first, capped. */
async function undelivered(db: Db, t: TFn): Promise<{ lines: string[]; dropped: number; failed: number }> {
  const where = { status: { in: ['dropped', 'failed'] } };
  const [dropped, failed] = await Promise.all([db.outboxMessage.count({ where: { status: 'dropped' } }), db.outboxMessage.count({ where: { status: 'failed' } })]);
  if (!dropped && !failed) return { lines: [], dropped, failed };
  const rows = await db.outboxMessage.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: DOCTOR_MESSAGE_LIMIT,
    select: { id: true, key: true, platform: true, chatId: true, status: true, attempts: true, lastError: true, createdAt: true, attemptStartedAt: true },
  });
  const lines = [`${failed ? '✘' : '!'} ${t('cli.doctor.undelivered', { count: dropped + failed, failed, dropped })}`];
  for (const r of rows) {
    lines.push(`    ${t('cli.doctor.undelivered_line', { id: r.id, status: stateLabel(t, 'outbox', r.status), platform: r.platform, chat: r.chatId, key: r.key, at: when(t, r.createdAt), attempts: r.attempts, reason: oneLine(t, r.lastError) })}`);
  }
  const rest = dropped + failed - rows.length;
  if (rest > 0) lines.push(`    ${t('cli.doctor.more', { count: rest })}`);
  return { lines, dropped, failed };
}

/** The delivery section of `linli doctor`. */
export async function deliveryReport(db: Db, t: TFn): Promise<DeliveryReport> {
  const groups = await inactiveGroups(db, t);
  const messages = await undelivered(db, t);
  return {
    lines: [...groups.lines, ...messages.lines],
    inactiveGroups: groups.count,
    dropped: messages.dropped,
    failed: messages.failed,
  };
}
