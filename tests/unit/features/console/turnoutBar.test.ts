/**
 * The console's turnout line writes what the chat's card writes ("已投票11／17人"): no spaces, a
 * full-width slash, the poll's unit (户 for a household poll) and the share only when it can be
 * true (more votes than voters is 待核对, never 120%).
 */
import { describe, expect, it } from 'vitest';
import { turnoutBar } from '../../../../src/features/console/pages/parts.ts';
import { createTranslator } from '../../../../src/i18n/i18n.ts';

const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });
const zh = i18n.bind('zh-CN');
const en = i18n.bind('en');
const text = (h: unknown) => String(h).replace(/<[^>]+>/g, '');

describe('turnoutBar', () => {
  it('says 户 for a household poll and 人 otherwise, as a notice writes it', () => {
    expect(text(turnoutBar(zh, 'zh-CN', { turnout: 11, electorateSize: 17 }, 'people'))).toBe('已投票11／17人（64.7%）');
    expect(text(turnoutBar(zh, 'zh-CN', { turnout: 1200, electorateSize: 3000 }, 'households'))).toBe('已投票1,200／3,000户（40%）');
    expect(text(turnoutBar(en, 'en', { turnout: 2, electorateSize: 5 }, 'households'))).toBe('2 of 5 households voted (40%)');
  });

  it('never shows a share over 100%', () => {
    const over = text(turnoutBar(zh, 'zh-CN', { turnout: 20, electorateSize: 17 }, 'people'));
    expect(over).toBe('已投票20／17人（待核对）');
    expect(over).not.toMatch(/1\d\d(\.\d)?%/);
  });
});
