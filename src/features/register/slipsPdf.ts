/**
 * The printed verification slips: A4 pages of six slips (two columns, three rows) separated by
 * dashed cut lines. Each slip has the community's name, the unit in large type, its one-time
 * code, a QR code of the Telegram deep link that verifies in one tap (when the bot's username is
 * known) and three short lines of instructions in large type for elderly readers — or, without
 * a Telegram bot, the words to send on WeChat.
 *
 * Drawn on src/export/pdf.ts (pdfkit in the charts' CJK font, which embeds only the glyphs
 * used, so a building's slips are a small file; vector QR codes).
 */
import { A4, drawQr, fitSize, renderPdf } from '../../export/pdf.ts';
import type { TFn } from '../../i18n/i18n.ts';

/** One slip to draw. */
export interface SlipToPrint {
  unit: string;
  code: string;
}

/** What the slips PDF is made from. */
export interface SlipsPdfInput {
  /** Translations in the community's language. */
  t: TFn;
  community: string;
  /** What the run covers, for the page header ("3栋", "巴登社区全部住户"). */
  scope: string;
  slips: SlipToPrint[];
  expiresAt: Date;
  /** The Telegram deep link that redeems a code, or undefined when no bot username is known. */
  linkFor(code: string): string | undefined;
}

const COLUMNS = 2;
const ROWS = 3;
/** Slips per page. */
export const SLIPS_PER_PAGE = COLUMNS * ROWS;
const HEADER = 26;
const PAD = 18;
const QR_SIZE = 96;
const INK = '#1a1a1a';
const MUTED = '#555555';
const CUT = '#8a8a8a';

/** Dashed cut lines between the slips of a page. */
function drawCutLines(doc: PDFKit.PDFDocument, slipWidth: number, slipHeight: number): void {
  doc.save().lineWidth(0.6).strokeColor(CUT).dash(5, { space: 4 });
  for (let c = 1; c < COLUMNS; c++) doc.moveTo(c * slipWidth, HEADER).lineTo(c * slipWidth, A4.height).stroke();
  for (let r = 0; r < ROWS; r++) doc.moveTo(0, HEADER + r * slipHeight).lineTo(A4.width, HEADER + r * slipHeight).stroke();
  doc.undash().restore();
}

/** One slip in its cell of the page. */
function drawSlip(doc: PDFKit.PDFDocument, input: SlipsPdfInput, slip: SlipToPrint, x0: number, y0: number, w: number): void {
  const { t } = input;
  const inner = w - 2 * PAD;
  const x = x0 + PAD;
  const link = input.linkFor(slip.code);

  const title = t('register.slip.title', { community: input.community });
  doc.fillColor(MUTED).font('bold').fontSize(fitSize(doc, 'bold', title, inner, 12, 8)).text(title, x, y0 + 14, { width: inner, lineBreak: false });
  doc.fillColor(INK).font('bold').fontSize(fitSize(doc, 'bold', slip.unit, inner, 24, 13)).text(slip.unit, x, y0 + 34, { width: inner, lineBreak: false });

  const leftWidth = link ? inner - QR_SIZE - 10 : inner;
  const codeTop = y0 + 74;
  doc.fillColor(MUTED).font('regular').fontSize(10).text(t('register.slip.code_label'), x, codeTop, { width: leftWidth, lineBreak: false });
  doc.fillColor(INK).font('bold').fontSize(22).text(slip.code, x, codeTop + 14, { width: leftWidth, lineBreak: false, characterSpacing: 1.5 });
  if (link) {
    doc.fillColor(MUTED).font('regular').fontSize(9).text(t('register.slip.wechat_hint'), x, codeTop + 50, { width: leftWidth, lineBreak: false });
    doc.fillColor(MUTED).font('bold').fontSize(10).text(t('register.slip.wechat_words', { code: slip.code }), x, codeTop + 63, { width: leftWidth, lineBreak: false });
    drawQr(doc, link, x0 + w - PAD - QR_SIZE, y0 + 64, QR_SIZE);
  }

  // Three lines in large type: what an elderly resident does, step by step.
  const steps = link
    ? [t('register.slip.line_scan'), t('register.slip.line_start'), t('register.slip.line_done')]
    : [t('register.slip.line_wechat_open'), t('register.slip.line_wechat_send', { code: slip.code }), t('register.slip.line_done')];
  // Without a QR code the steps move up into its place and may be larger still.
  const stepsTop = y0 + (link ? 168 : 136);
  const stepSize = Math.min(...steps.map((s) => fitSize(doc, 'regular', s, inner, link ? 18 : 21, 11)));
  steps.forEach((s, i) => doc.fillColor(INK).font('regular').fontSize(stepSize).text(s, x, stepsTop + i * (stepSize + 8), { width: inner, lineBreak: false }));

  const footer = t('register.slip.footer', { when: input.expiresAt });
  doc.fillColor(MUTED).font('regular').fontSize(fitSize(doc, 'regular', footer, inner, 8.5, 6)).text(footer, x, y0 + 250, { width: inner, lineBreak: false });
}

/** Renders the slips as an A4 PDF. */
export function renderSlipsPdf(input: SlipsPdfInput): Promise<Buffer> {
  const slipWidth = A4.width / COLUMNS;
  const slipHeight = (A4.height - HEADER) / ROWS;
  const pages = Math.max(1, Math.ceil(input.slips.length / SLIPS_PER_PAGE));
  return renderPdf({ title: `${input.community} ${input.scope}`, margin: 0, addsPages: true }, (doc) => {
    for (let page = 0; page < pages; page++) {
      doc.addPage({ size: 'A4', margin: 0 });
      const header = input.t('register.slip.page_header', { community: input.community, scope: input.scope, page: page + 1, pages });
      doc.fillColor(MUTED).font('regular').fontSize(fitSize(doc, 'regular', header, A4.width - 40, 8, 6)).text(header, 20, 9, { width: A4.width - 40, lineBreak: false, align: 'center' });
      drawCutLines(doc, slipWidth, slipHeight);
      const onPage = input.slips.slice(page * SLIPS_PER_PAGE, (page + 1) * SLIPS_PER_PAGE);
      onPage.forEach((slip, i) => drawSlip(doc, input, slip, (i % COLUMNS) * slipWidth, HEADER + Math.floor(i / COLUMNS) * slipHeight, slipWidth));
    }
  });
}
