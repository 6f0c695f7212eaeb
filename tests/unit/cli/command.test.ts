import { describe, expect, it } from 'vitest';
import { LOCALE_USAGE, localeOption, UsageError } from '../../../src/cli/command.ts';
import { createTranslator } from '../../../src/i18n/i18n.ts';

describe('the --locale option of CLI commands', () => {
  it('takes the languages Linli ships and says which ones when given another', () => {
    expect(localeOption({})).toBeUndefined();
    expect(localeOption({ locale: 'zh-CN' })).toBe('zh-CN');
    expect(localeOption({ locale: 'en' })).toBe('en');
    expect(() => localeOption({ locale: 'fr' })).toThrow(UsageError);
    let refusal: UsageError | undefined;
    try {
      localeOption({ locale: 'fr' });
    } catch (err) {
      refusal = err as UsageError;
    }
    // The refusal names its words in cli.json: the CLI prints them in the operator's language.
    const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    expect(i18n.t('zh-CN', refusal!.key, refusal!.params)).toBe('--locale：“fr”不是可用的语言（zh-CN | en）');
    expect(i18n.t('en', refusal!.key, refusal!.params)).toBe('--locale: "fr" is not one of zh-CN | en');
    expect(LOCALE_USAGE).toBe('[--locale zh-CN|en]');
  });
});
