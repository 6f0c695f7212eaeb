import { describe, expect, it } from 'vitest';
import { parseSendTime } from '../../../../src/domain/announcements/sendTime.ts';

const SH = 'Asia/Shanghai';
const now = new Date('2026-11-22T02:00:00Z'); // Sunday 10:00 in Shanghai
const at = (raw: string) => {
  const r = parseSendTime(raw, now, SH);
  return r.ok ? r.at.toISOString() : r.reason;
};

describe('parseSendTime', () => {
  it('reads relative days, dates and clock times in Shanghai time', () => {
    expect(at('明天 9:00')).toBe('2026-11-23T01:00:00.000Z');
    expect(at('明天9点')).toBe('2026-11-23T01:00:00.000Z');
    expect(at('后天下午3点半')).toBe('2026-11-24T07:30:00.000Z');
    expect(at('2026-11-25 09:00')).toBe('2026-11-25T01:00:00.000Z');
    expect(at('2026/11/25 9:05')).toBe('2026-11-25T01:05:00.000Z');
    expect(at('2026年11月25日 09:00')).toBe('2026-11-25T01:00:00.000Z');
    expect(at('11月25日 晚上8点')).toBe('2026-11-25T12:00:00.000Z');
    expect(at('18:30')).toBe('2026-11-22T10:30:00.000Z');
    expect(at('１８：３０')).toBe('2026-11-22T10:30:00.000Z'); // full-width
    expect(at('tomorrow 9:00')).toBe('2026-11-23T01:00:00.000Z');
    expect(at('2026-12-31 23:59')).toBe('2026-12-31T15:59:00.000Z');
  });
  it('treats "now" as now', () => {
    const r = parseSendTime('现在', now, SH);
    expect(r).toEqual({ ok: true, at: now, now: true });
  });
  it('refuses past, far and malformed times', () => {
    expect(at('09:00')).toBe('past'); // 09:00 today already passed at 10:00
    expect(at('2026-11-21 09:00')).toBe('past');
    expect(at('2027-06-01 09:00')).toBe('too_far');
    for (const bad of ['', '明天', '25:00', '12:60', '2026-02-30 09:00', 'next week', '下周一', '9', '2026-11-25']) expect(at(bad)).toBe('unparsable');
  });
});
