// The arithmetic the committee acts on: satisfaction rate, mean, distribution, dimensions, and
// the threshold flag at its edges (exactly at the threshold, too few answers, no answers).
import { describe, expect, it } from 'vitest';
import { summarize, verdict } from '../../../../src/domain/ratings/reports.ts';
import { parsePeriod, periodOf, periodsUpTo, previousPeriod } from '../../../../src/domain/ratings/periods.ts';
import { dimensionsOf } from '../../../../src/domain/ratings/ratings.ts';

/** Rows with the given number of answers per score. */
function rows(counts: Partial<Record<1 | 2 | 3 | 4 | 5, number>>) {
  return Object.entries(counts).flatMap(([score, n]) => Array.from({ length: n! }, () => ({ overall: Number(score) })));
}

const rule = { threshold: 0.6, minAnswers: 30 };

describe('summarize', () => {
  it('counts (非常满意 + 满意) / all answers and the mean score', () => {
    const s = summarize(rows({ 5: 7, 4: 11, 3: 6, 2: 4, 1: 2 }));
    expect(s.answers).toBe(30);
    expect(s.satisfied).toBe(18);
    expect(s.rate).toBe(18 / 30);
    expect(s.distribution).toEqual({ 5: 7, 4: 11, 3: 6, 2: 4, 1: 2 });
    expect(s.mean).toBeCloseTo((7 * 5 + 11 * 4 + 6 * 3 + 4 * 2 + 2) / 30, 12);
  });

  it('does not count 基本满意 as satisfied', () => {
    const s = summarize(rows({ 3: 10 }));
    expect(s.satisfied).toBe(0);
    expect(s.rate).toBe(0);
    expect(s.mean).toBe(3);
  });

  it('has no rate and no mean without answers', () => {
    const s = summarize([]);
    expect(s).toMatchObject({ answers: 0, satisfied: 0, rate: null, mean: null });
  });

  it('averages each dimension over the answers that scored it, ignoring unknown and broken ones', () => {
    const s = summarize(
      [
        { overall: 5, dimensions: JSON.stringify({ attitude: 5, efficiency: 3 }) },
        { overall: 4, dimensions: JSON.stringify({ attitude: 4 }) },
        { overall: 2, dimensions: null },
        { overall: 1, dimensions: '{not json' },
        { overall: 3, dimensions: JSON.stringify({ attitude: 9, removed: 5 }) },
      ],
      ['attitude', 'efficiency', 'facilities'],
    );
    expect(s.dimensions).toEqual([
      { key: 'attitude', answers: 2, mean: 4.5 },
      { key: 'efficiency', answers: 1, mean: 3 },
      { key: 'facilities', answers: 0, mean: null },
    ]);
  });
});

describe('threshold verdict', () => {
  it('is not below exactly at the threshold (18 of 30 = 60%)', () => {
    expect(verdict(summarize(rows({ 5: 18, 2: 12 })), rule)).toBe('ok');
  });

  it('flags one answer below the threshold (17 of 30)', () => {
    expect(verdict(summarize(rows({ 4: 17, 3: 13 })), rule)).toBe('below');
  });

  it('says the sample is too small below the minimum, however low the rate', () => {
    expect(verdict(summarize(rows({ 1: 29 })), rule)).toBe('too_few');
    expect(verdict(summarize(rows({ 1: 30 })), rule)).toBe('below');
  });

  it('gives no verdict without answers', () => {
    expect(verdict(summarize([]), rule)).toBe('none');
  });

  it('compares exactly where floating point would not (0.7 × 10 answers, 29 of 50 at 58%)', () => {
    // 0.7 * 10 is 7.000000000000001 in floating point; 7 of 10 must still meet 70%.
    expect(verdict({ answers: 10, satisfied: 7 }, { threshold: 0.7, minAnswers: 10 })).toBe('ok');
    expect(verdict({ answers: 50, satisfied: 29 }, { threshold: 0.58, minAnswers: 1 })).toBe('ok');
    expect(verdict({ answers: 50, satisfied: 28 }, { threshold: 0.58, minAnswers: 1 })).toBe('below');
    // The setting is read to 0.01 percentage points: 2/3 becomes 66.67%, which 2 of 3 misses.
    expect(verdict({ answers: 3, satisfied: 2 }, { threshold: 2 / 3, minAnswers: 3 })).toBe('below');
    expect(verdict({ answers: 10_000, satisfied: 6_667 }, { threshold: 2 / 3, minAnswers: 3 })).toBe('ok');
  });
});

describe('periods', () => {
  it('computes the quarter in the deployment time zone', () => {
    // 31 Dec 2026 17:00 UTC is already 1 Jan 2027 in Shanghai.
    expect(periodOf(new Date('2026-12-31T17:00:00Z'), 'Asia/Shanghai')).toBe('2027Q1');
    expect(periodOf(new Date('2026-12-31T15:59:00Z'), 'Asia/Shanghai')).toBe('2026Q4');
    expect(periodOf(new Date('2026-04-01T00:00:00+08:00'), 'Asia/Shanghai')).toBe('2026Q2');
  });

  it('reads typed periods and refuses others', () => {
    expect(parsePeriod(' 2026q4 ')).toBe('2026Q4');
    expect(parsePeriod('２０２６Ｑ３')).toBe('2026Q3');
    for (const bad of ['', '2026Q5', '2026-10', '第四季度', 'x'.repeat(500)]) expect(() => parsePeriod(bad)).toThrow(/bad_period/);
  });

  it('steps back across years for the trend', () => {
    expect(previousPeriod('2026Q1')).toBe('2025Q4');
    expect(periodsUpTo('2026Q2', 4)).toEqual(['2025Q3', '2025Q4', '2026Q1', '2026Q2']);
  });
});

describe('dimensions setting', () => {
  it('uses the defaults without a setting or with a broken one', () => {
    expect(dimensionsOf({ ratingDimensions: null })).toEqual(['attitude', 'efficiency', 'facilities', 'expertise']);
    expect(dimensionsOf({ ratingDimensions: '{"a":1}' })).toEqual(['attitude', 'efficiency', 'facilities', 'expertise']);
    expect(dimensionsOf({ ratingDimensions: 'nope' })).toHaveLength(4);
    expect(dimensionsOf({ ratingDimensions: JSON.stringify(['attitude', ' 绿化养护 ', 'attitude', 3]) })).toEqual(['attitude', '绿化养护']);
  });
});
