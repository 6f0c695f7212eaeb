/**
 * Monthly figures of requests, as a street office reads them (seed 002: 系统考评、公众监督):
 * how many arrived, how many were answered and how many in time, the mean time to an answer in
 * working days, and the residents' satisfaction. A month is a calendar month in the deployment's
 * time zone; a request counts in the month it arrived, so a month's figures settle as its
 * requests are answered.
 */
import type { Db } from '../../db/client.ts';
import { requestRules } from './rules.ts';
import { startOfLocalDate, workingDaysBetween } from './workdays.ts';

/** One month's figures. */
export interface MonthStats {
  month: string;
  received: number;
  answered: number;
  answeredInTime: number;
  /** Open requests whose deadline has passed. */
  overdue: number;
  /** Mean working days from arrival to the answer, over answered requests; null with none. */
  meanDaysToAnswer: number | null;
  rated: number;
  satisfied: number;
  basic: number;
  dissatisfied: number;
  /**
   * (满意 + 基本满意) / rated answers, as 12345 hotlines report their 满意率; null with none.
   * The three-point scale has no 非常满意, so the ratings' top-two rule would count 满意 alone.
   */
  satisfactionRate: number | null;
}

export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The month (YYYY-MM) a moment falls in, in the zone. */
export function monthOf(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(at).slice(0, 7);
}

/** The month before. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The month's first moment and the next month's, in the zone. */
export function monthRange(month: string, timeZone: string): { from: Date; to: Date } {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: startOfLocalDate(`${month}-01`, timeZone), to: startOfLocalDate(`${next}-01`, timeZone) };
}

/** The figures of a community's month, as of `now`. */
export async function monthStats(db: Db, communityId: string, month: string, timeZone: string, now: Date): Promise<MonthStats> {
  const { from, to } = monthRange(month, timeZone);
  const rows = await db.residentRequest.findMany({
    where: { communityId, createdAt: { gte: from, lt: to } },
    select: { createdAt: true, dueAt: true, repliedAt: true, status: true, satisfaction: true },
  });
  const rules = await requestRules(db, communityId);
  const answered = rows.filter((r) => r.repliedAt);
  const days = answered.map((r) => workingDaysBetween(r.createdAt, r.repliedAt!, timeZone, rules.calendar));
  const count = (s: string) => rows.filter((r) => r.satisfaction === s).length;
  const satisfied = count('satisfied');
  const basic = count('basic');
  const dissatisfied = count('dissatisfied');
  const rated = satisfied + basic + dissatisfied;
  return {
    month,
    received: rows.length,
    answered: answered.length,
    answeredInTime: answered.filter((r) => r.repliedAt! <= r.dueAt).length,
    overdue: rows.filter((r) => !r.repliedAt && (r.status === 'received' || r.status === 'assigned') && r.dueAt < now).length,
    meanDaysToAnswer: days.length ? Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 100) / 100 : null,
    rated,
    satisfied,
    basic,
    dissatisfied,
    satisfactionRate: rated ? (satisfied + basic) / rated : null,
  };
}

/** The months of a quarter ("2026Q4" → 2026-10, 2026-11, 2026-12). */
export function monthsOfQuarter(period: string): string[] {
  const m = /^(\d{4})Q([1-4])$/.exec(period);
  if (!m) return [];
  const first = (Number(m[2]) - 1) * 3 + 1;
  return [0, 1, 2].map((i) => `${m[1]}-${String(first + i).padStart(2, '0')}`);
}

