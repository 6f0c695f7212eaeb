/**
 * Periods and weeks as residents read them: every stored key becomes words in both languages,
 * through the one formatter module and through the translator's `period`/`week` formatters.
 */
import { describe, expect, it } from 'vitest';
import { weekRange } from '../../../src/domain/digest/isoWeek.ts';
import { parsePeriod } from '../../../src/domain/ratings/periods.ts';
import { createTranslator } from '../../../src/i18n/i18n.ts';
import { formatPeriod, formatWeek } from '../../../src/i18n/periods.ts';

const TZ = 'Asia/Shanghai';
const span = (year: number, week: number) => {
  const { from, to } = weekRange({ year, week }, TZ);
  return { from, last: new Date(to.getTime() - 1) };
};

describe('formatPeriod', () => {
  it('reads every key as words', () => {
    expect(formatPeriod('2026Q4', 'zh-CN')).toBe('2026年第四季度');
    expect(formatPeriod('2026Q1', 'zh-CN')).toBe('2026年第一季度');
    expect(formatPeriod('2026H1', 'zh-CN')).toBe('2026年上半年');
    expect(formatPeriod('2026H2', 'zh-CN')).toBe('2026年下半年');
    expect(formatPeriod('2026-03', 'zh-CN')).toBe('2026年3月');
    expect(formatPeriod('2026', 'zh-CN')).toBe('2026年');
    expect(formatPeriod('2026Q4', 'en')).toBe('Q4 2026');
    expect(formatPeriod('2026-03', 'en')).toBe('March 2026');
  });
  it('leaves a free label as the committee wrote it', () => {
    expect(formatPeriod('2026年国庆活动', 'zh-CN')).toBe('2026年国庆活动');
    expect(formatPeriod('2026-13', 'zh-CN')).toBe('2026-13');
  });
  it('round-trips through parsePeriod, so residents can type what they read', () => {
    for (const key of ['2026Q1', '2026Q2', '2026Q3', '2026Q4']) {
      expect(parsePeriod(formatPeriod(key, 'zh-CN'))).toBe(key);
      expect(parsePeriod(formatPeriod(key, 'en'))).toBe(key);
    }
    expect(parsePeriod('2026年四季度')).toBe('2026Q4');
    expect(parsePeriod('２０２６年第４季度')).toBe('2026Q4');
    expect(() => parsePeriod('2026年第五季度')).toThrow();
  });
});

describe('formatWeek', () => {
  it('names a week by its dates, the month once when it does not change', () => {
    expect(formatWeek(span(2026, 48), 'zh-CN', TZ)).toBe('11月23日—29日');
    expect(formatWeek(span(2026, 48), 'en', TZ)).toBe('23–29 Nov');
  });
  it('names both months, or both years, when the week crosses them', () => {
    expect(formatWeek(span(2026, 49), 'zh-CN', TZ)).toBe('11月30日—12月6日');
    expect(formatWeek(span(2026, 49), 'en', TZ)).toBe('30 Nov – 6 Dec');
    expect(formatWeek(span(2026, 53), 'zh-CN', TZ)).toBe('2026年12月28日—2027年1月3日');
  });
  it('is what the translator uses for {{x, period}} and {{x, week}}', () => {
    const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: TZ });
    expect(i18n.t('zh-CN', 'ratings.period_label', { period: '2026Q4' })).toBe('2026年第四季度');
    expect(i18n.t('zh-CN', 'ratings.report_title', { community: '巴登社区', period: '2026Q4' })).toBe('【巴登社区满意度评议情况】2026年第四季度');
    expect(i18n.t('en', 'ratings.report_title', { community: 'Badeng', period: '2026Q4' })).toContain('Q4 2026');
    expect(i18n.t('zh-CN', 'digest.title', { community: '巴登社区', span: span(2026, 48) })).toBe('【社区周报｜巴登社区】\n11月23日—29日');
  });
});
