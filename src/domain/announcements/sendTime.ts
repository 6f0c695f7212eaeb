/**
 * Reads when an announcement should go out, the way a committee member types it: "现在",
 * "明天 9:00", "后天下午3点", "2026-11-25 09:00", "11月25日 9:30", "09:00" (today), "tomorrow 9:00",
 * in the deployment's time zone. A time already past is refused rather than sent at once.
 */
import { wallClock, zonedTime } from '../digest/isoWeek.ts';

/** How far ahead an announcement may be scheduled. */
export const MAX_SCHEDULE_DAYS = 90;

/** The parsed time, or why it was refused. */
export type SendTime = { ok: true; at: Date; now: boolean } | { ok: false; reason: 'unparsable' | 'past' | 'too_far' };

const DAY_WORDS: Record<string, number> = { 今天: 0, 今日: 0, today: 0, 明天: 1, 明日: 1, tomorrow: 1, 后天: 2 };

/** Parses `raw` relative to `now` in `timeZone`. */
export function parseSendTime(raw: string, now: Date, timeZone: string): SendTime {
  const s = raw.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  if (/^(现在|立即|马上|立刻|now)$/.test(s)) return { ok: true, at: now, now: true };
  const today = wallClock(now, timeZone);
  let date: { year: number; month: number; day: number };
  let rest = s;

  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*(.*)$/.exec(s);
  if (m) {
    date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    rest = m[4];
  } else if ((m = /^(\d{1,2})[-/月](\d{1,2})[日号]?\s+(.*)$/.exec(s)) || (m = /^(\d{1,2})月(\d{1,2})[日号]\s*(.*)$/.exec(s))) {
    date = { year: today.year, month: Number(m[1]), day: Number(m[2]) };
    rest = m[3];
  } else if ((m = /^(今天|今日|today|明天|明日|tomorrow|后天)\s*(.*)$/.exec(s))) {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day + DAY_WORDS[m[1]]));
    date = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
    rest = m[2];
  } else {
    date = { year: today.year, month: today.month, day: today.day };
  }

  const time = parseClock(rest);
  if (!time || !validDate(date.year, date.month, date.day)) return { ok: false, reason: 'unparsable' };
  const at = zonedTime(date.year, date.month, date.day, time.hour, time.minute, timeZone);
  if (at.getTime() < now.getTime() - 60_000) return { ok: false, reason: 'past' };
  if (at.getTime() > now.getTime() + MAX_SCHEDULE_DAYS * 86_400_000) return { ok: false, reason: 'too_far' };
  return { ok: true, at, now: false };
}

/** "9:00", "09:30", "9点", "9点半", "下午3点", "晚上8:15", "15时". */
function parseClock(raw: string): { hour: number; minute: number } | null {
  const m = /^(上午|早上|中午|下午|晚上|am|pm)?\s*(\d{1,2})(?:[:：](\d{2})|[点时](?:(\d{1,2})分?|(半))?)\s*(am|pm)?$/.exec(raw.trim());
  if (!m) return null;
  let hour = Number(m[2]);
  const minute = m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? Number(m[4]) : m[5] ? 30 : 0;
  const period = m[1] ?? m[6];
  if (period && ['下午', '晚上', 'pm'].includes(period) && hour < 12) hour += 12;
  if (period === '中午' && hour < 11) hour += 12;
  if (hour > 23 || minute > 59) return null;
  return { hour, minute };
}

function validDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
