/**
 * English console strings count with i18next plurals (_one/_other), never "group(s)"; the
 * Chinese keys carry the same placeholder (count), so both languages read one count.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { quorumChip } from '../../../../src/features/console/pages/parts.ts';
import { createTranslator } from '../../../../src/i18n/i18n.ts';

const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });
const en = i18n.bind('en');
const zh = i18n.bind('zh-CN');

describe('console plurals', () => {
  it('writes one and many in English', () => {
    expect(en('webconsole.polls.closed_notice', { number: 3, count: 1 })).toBe('Poll 3 was closed early; its result is queued for 1 group.');
    expect(en('webconsole.polls.closed_notice', { number: 3, count: 4 })).toBe('Poll 3 was closed early; its result is queued for 4 groups.');
    expect(en('webconsole.dashboard.chain_broken', { count: 1 })).toBe('Tamper check found 1 problem');
    expect(en('webconsole.disclosures.chain_broken', { count: 2 })).toBe('2 problems');
    expect(en('webconsole.ratings.answers', { count: 1 })).toBe('1 answer');
    expect(en('webconsole.audit.found', { count: 1234 })).toBe('1,234 entries');
    expect(en('webconsole.members.slips_title', { count: 1 })).toBe('1 code issued');
    expect(String(quorumChip(en, { quorumRequired: 10, quorumMet: false, turnout: 9 }, 'people'))).toContain('1 more person needed');
    expect(String(quorumChip(en, { quorumRequired: 1, quorumMet: true, turnout: 1 }, 'households'))).toContain('(1 household)');
  });

  it('reads the same count in Chinese', () => {
    expect(zh('webconsole.polls.closed_notice', { number: 3, count: 4 })).toBe('第3号投票已提前截止，结果已排入发送队列，将发往4个居民群。');
    expect(zh('webconsole.audit.found', { count: 1234 })).toBe('共1,234条记录');
    expect(zh('webconsole.dashboard.register_based', { count: 12 })).toBe('按住户名册计算，共12个楼栋；各楼栋明细见“住户名册”。');
  });

  it('leaves no "(s)" in the English console', () => {
    expect(readFileSync('locales/en/webconsole.json', 'utf8')).not.toMatch(/\w\(s\)/);
  });
});
