/** Progress as committee members type it: 50, 50%, ５０％, "50 %", — whole numbers 0..100. */
import { describe, expect, it } from 'vitest';
import { parsePercent } from '../../../../src/domain/proposals/rules.ts';

describe('parsePercent', () => {
  it('reads the ways people write a percentage', () => {
    for (const raw of ['50', '50%', '５０％', '50 %', ' 50％ ', '50percent']) expect(parsePercent(raw)).toBe(50);
    expect(parsePercent('0')).toBe(0);
    expect(parsePercent('100%')).toBe(100);
  });
  it('refuses what is not a whole percentage from 0 to 100', () => {
    for (const raw of ['', '%', '101', '120%', '55.5', '-5', '一半', '50%%', '1e2']) expect(parsePercent(raw)).toBeNull();
  });
});
