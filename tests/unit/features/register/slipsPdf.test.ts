/**
 * The slips PDF on its own: six slips to an A4 page, every slip drawn (unit, code, QR code or
 * WeChat words), long compound names shrunk to fit rather than cut, and the deep link asked for
 * each code.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { telegramSlipLink } from '../../../../src/domain/register/payload.ts';
import { renderSlipsPdf } from '../../../../src/features/register/slipsPdf.ts';
import { createTranslator } from '../../../../src/i18n/i18n.ts';
import { tempDir } from '../../../support/harness.ts';
import { inkShare, pdfPages, pdfText, renderPage } from './pdf.ts';

const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });
const dir = tempDir('linli-slips-');

const slips = Array.from({ length: 8 }, (_, i) => ({ unit: i === 7 ? '金色家园二期12栋-2单元-1203' : `3栋-2单元-${501 + i}`, code: `K7MX-Q3${'ABCDEFGH'[i]}${i + 2}` }));

async function render(locale: 'zh-CN' | 'en', bot: string | null) {
  const asked: string[] = [];
  const pdf = await renderSlipsPdf({
    t: i18n.bind(locale),
    community: '巴登社区',
    scope: '3栋',
    slips,
    expiresAt: new Date('2027-05-30T00:00:00Z'),
    linkFor: (code) => {
      asked.push(code);
      return bot ? telegramSlipLink(bot, code) : undefined;
    },
  });
  const path = join(dir, `${locale}-${bot ?? 'wechat'}.pdf`);
  writeFileSync(path, pdf);
  return { path, asked };
}

describe('the slips PDF', () => {
  it('puts six slips on an A4 page, each with its unit and code, and asks for each deep link', async () => {
    const { path, asked } = await render('zh-CN', 'linli_test_bot');
    expect(pdfPages(path)).toBe(2);
    expect(asked).toEqual(slips.map((s) => s.code));
    const text = pdfText(path);
    for (const s of slips) {
      expect(text).toContain(s.unit);
      expect(text).toContain(s.code);
    }
    expect(text).toContain('第2/2页');
    expect(text).toContain('有效期至2027年5月30日');
    const first = renderPage(path, 1);
    // A4 portrait (210 × 297 mm) at 50 dpi.
    expect(first.width).toBeCloseTo(413, -1);
    expect(first.height / first.width).toBeCloseTo(297 / 210, 1);
    // Ink in all six cells (text and a QR code each).
    for (const [x, y] of [[0, 0], [0.5, 0], [0, 0.33], [0.5, 0.33], [0, 0.66], [0.5, 0.66]]) {
      expect(inkShare(first, { x: x + 0.02, y: y + 0.04, w: 0.46, h: 0.28 })).toBeGreaterThan(0.05);
    }
    // The second page holds two slips in its top row and nothing below.
    const second = renderPage(path, 2);
    expect(inkShare(second, { x: 0.02, y: 0.04, w: 0.96, h: 0.28 })).toBeGreaterThan(0.05);
    expect(inkShare(second, { x: 0.02, y: 0.4, w: 0.96, h: 0.58 })).toBeLessThan(0.01);
  });

  it('prints the words to send on WeChat when no Telegram bot is known', async () => {
    const { path } = await render('en', null);
    const text = pdfText(path);
    expect(text).toContain(`2. Send: 认证 ${slips[0].code}`);
    expect(text).toContain('1. Open WeChat and find Linli');
    expect(text).not.toContain('Scan the QR code');
    // No QR code: the right half of a slip's upper part stays empty.
    const page = renderPage(path, 1);
    expect(inkShare(page, { x: 0.32, y: 0.1, w: 0.14, h: 0.1 })).toBeLessThan(0.05);
  });
});
