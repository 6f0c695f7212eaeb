import { describe, expect, it } from 'vitest';
import { LOCALE_USAGE, localeOption, UsageError } from '../../../src/cli/command.ts';

describe('the --locale option of CLI commands', () => {
  it('takes the languages Linli ships and says which ones when given another', () => {
    expect(localeOption({})).toBeUndefined();
    expect(localeOption({ locale: 'zh-CN' })).toBe('zh-CN');
    expect(localeOption({ locale: 'en' })).toBe('en');
    expect(() => localeOption({ locale: 'fr' })).toThrow(UsageError);
    expect(() => localeOption({ locale: 'fr' })).toThrow('--locale: "fr" is not zh-CN or en');
    expect(LOCALE_USAGE).toBe('[--locale zh-CN|en]');
  });
});
