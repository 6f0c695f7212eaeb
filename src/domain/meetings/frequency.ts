/**
 * How often each body met against what it must (seed 000 §(十二), §(五)1; seed 002 三(二)1(3)):
 * meetings held per year and per quarter, the ones still planned, and what is short. The
 * quarter-end reminder and the street office's yearly record both read it.
 */
import type { Db } from '../../db/client.ts';
import type { MeetingBody } from '../../generated/prisma/client.ts';
import { zonedTime } from '../digest/isoWeek.ts';
import { localDate } from '../disclosures/period.ts';
import { bodiesOf } from './bodies.ts';

/** The instants a calendar year or quarter spans in a time zone: [from, to). */
export function periodRange(year: number, quarter: number | null, timeZone: string): { from: Date; to: Date } {
  if (quarter === null) return { from: zonedTime(year, 1, 1, 0, 0, timeZone), to: zonedTime(year + 1, 1, 1, 0, 0, timeZone) };
  const first = (quarter - 1) * 3 + 1;
  const from = zonedTime(year, first, 1, 0, 0, timeZone);
  const to = quarter === 4 ? zonedTime(year + 1, 1, 1, 0, 0, timeZone) : zonedTime(year, first + 3, 1, 0, 0, timeZone);
  return { from, to };
}

/** The quarter (1–4) of an instant in a time zone. */
export function quarterOf(date: Date, timeZone: string): number {
  return Math.ceil(localDate(date, timeZone).month / 3);
}

/** One body's record over a year. */
export interface BodyFrequency {
  body: MeetingBody;
  /** Meetings held (begun by `now`, not cancelled) in the year, and per quarter. */
  held: number;
  heldByQuarter: [number, number, number, number];
  /** Meetings scheduled later in the year. */
  planned: number;
  plannedByQuarter: [number, number, number, number];
  /** Held meetings below the yearly requirement (0 when met), and quarters that had fewer than required. */
  yearShort: number;
  shortQuarters: number[];
}

/**
 * Every body's record in `year`. A quarter counts as short once it is over (or, for the current
 * quarter, counting the meetings still planned in it) with fewer meetings than required.
 */
export async function frequencyOf(db: Db, communityId: string, year: number, now: Date, timeZone: string): Promise<BodyFrequency[]> {
  const { from, to } = periodRange(year, null, timeZone);
  const meetings = await db.meeting.findMany({ where: { communityId, status: { not: 'cancelled' }, startsAt: { gte: from, lt: to } }, select: { bodyId: true, startsAt: true } });
  const out: BodyFrequency[] = [];
  for (const body of await bodiesOf(db, communityId)) {
    const heldByQuarter: [number, number, number, number] = [0, 0, 0, 0];
    const plannedByQuarter: [number, number, number, number] = [0, 0, 0, 0];
    for (const m of meetings.filter((x) => x.bodyId === body.id)) {
      const q = quarterOf(m.startsAt, timeZone) - 1;
      if (m.startsAt.getTime() <= now.getTime()) heldByQuarter[q]++;
      else plannedByQuarter[q]++;
    }
    const held = heldByQuarter.reduce((a, b) => a + b, 0);
    const planned = plannedByQuarter.reduce((a, b) => a + b, 0);
    const shortQuarters: number[] = [];
    if (body.perQuarter > 0) {
      for (let q = 1; q <= 4; q++) {
        const range = periodRange(year, q, timeZone);
        if (range.from.getTime() > now.getTime()) continue;
        const count = heldByQuarter[q - 1] + (range.to.getTime() > now.getTime() ? plannedByQuarter[q - 1] : 0);
        if (count < body.perQuarter) shortQuarters.push(q);
      }
    }
    out.push({ body, held, heldByQuarter, planned, plannedByQuarter, yearShort: Math.max(0, body.perYear - held), shortQuarters });
  }
  return out;
}
