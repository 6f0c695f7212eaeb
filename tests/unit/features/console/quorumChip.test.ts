/**
 * The console's quorum chip speaks the project's term (最低参与人数/户数) and the unit the domain
 * counted in: a household poll's minimum is in 户, every other poll's in 人.
 */
import { describe, expect, it } from 'vitest';
import { quorumChip } from '../../../../src/features/console/pages/parts.ts';
import { createTranslator } from '../../../../src/i18n/i18n.ts';

const t = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' }).bind('zh-CN');
const text = (chip: unknown) => String(chip);

describe('quorumChip', () => {
  it('says 户 for a household poll and 人 otherwise, reached or short', () => {
    expect(text(quorumChip(t, { quorumRequired: 30, quorumMet: true, turnout: 31 }, 'households'))).toContain('已达最低参与户数（30户）');
    expect(text(quorumChip(t, { quorumRequired: 30, quorumMet: false, turnout: 12 }, 'households'))).toContain('距最低参与户数还差18户（需30户）');
    expect(text(quorumChip(t, { quorumRequired: 9, quorumMet: true, turnout: 11 }, 'people'))).toContain('已达最低参与人数（9人）');
    expect(text(quorumChip(t, { quorumRequired: 9, quorumMet: false, turnout: 4 }, 'people'))).toContain('距最低参与人数还差5人（需9人）');
  });

  it('shows nothing for a poll without a minimum, and never the old 法定人数', () => {
    expect(quorumChip(t, { quorumRequired: 0, quorumMet: true, turnout: 3 }, 'people')).toBe('');
    expect(text(quorumChip(t, { quorumRequired: 9, quorumMet: true, turnout: 11 }, 'people'))).not.toContain('法定人数（');
  });
});
