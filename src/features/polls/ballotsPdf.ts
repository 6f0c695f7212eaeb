/**
 * The printed paper ballots of a household poll: A4 pages of two ballots (top and bottom
 * halves, a dashed cut line between), one per household. Each has the community and the poll,
 * the unit in large type, the question, the options with a box to tick, how many may be ticked,
 * a signature line, the deadline, and the ballot code in print and as a QR code (a scanner's
 * text is what /paper takes). Drawn with pdfkit in the charts' CJK font, like the slips
 * (src/features/register/slipsPdf.ts), which embeds only the glyphs used.
 */
import { A4, drawQr, fitSize, renderPdf } from '../../export/pdf.ts';
import type { TFn } from '../../i18n/i18n.ts';

/** One ballot to draw. */
export interface BallotToPrint {
  unit: string;
  code: string;
}

/** What the ballots PDF is made from. */
export interface BallotsPdfInput {
  /** Translations in the community's language. */
  t: TFn;
  community: string;
  number: number;
  question: string;
  description: string | null;
  /** Option labels in position order, already translated. */
  options: string[];
  maxChoices: number;
  closesAt: Date;
  ballots: BallotToPrint[];
}

/** Ballots per page. */
export const BALLOTS_PER_PAGE = 2;
const PAD = 36;
const QR_SIZE = 78;
const INK = '#1a1a1a';
const MUTED = '#555555';
const CUT = '#8a8a8a';

/** One ballot in its half of the page. */
function drawBallot(doc: PDFKit.PDFDocument, input: BallotsPdfInput, ballot: BallotToPrint, y0: number, height: number): void {
  const { t } = input;
  const x = PAD;
  const width = A4.width - 2 * PAD;
  const textWidth = width - QR_SIZE - 12;
  let y = y0 + 26;

  const title = t('ballots.pdf_title', { community: input.community, number: input.number });
  doc.fillColor(MUTED).font('bold').fontSize(fitSize(doc, 'bold', title, textWidth, 12, 8)).text(title, x, y, { width: textWidth, lineBreak: false });
  y += 20;
  doc.fillColor(INK).font('bold').fontSize(fitSize(doc, 'bold', ballot.unit, textWidth, 26, 14)).text(ballot.unit, x, y, { width: textWidth, lineBreak: false });
  drawQr(doc, ballot.code, A4.width - PAD - QR_SIZE, y0 + 18, QR_SIZE);
  doc.fillColor(MUTED).font('regular').fontSize(8).text(ballot.code, A4.width - PAD - QR_SIZE, y0 + 18 + QR_SIZE, { width: QR_SIZE, align: 'center', lineBreak: false });
  y += 40;

  doc.fillColor(INK).font('bold').fontSize(15).text(input.question, x, y, { width: textWidth, height: 40, ellipsis: true });
  y = Math.max(y + 22, doc.y + 4);
  if (input.description) {
    doc.fillColor(MUTED).font('regular').fontSize(9.5).text(input.description, x, y, { width, height: 28, ellipsis: true });
    y = doc.y + 6;
  }
  const how = input.maxChoices === 1 ? t('ballots.pdf_how_single') : t('ballots.pdf_how_multi', { k: input.maxChoices });
  doc.fillColor(INK).font('regular').fontSize(11).text(how, x, y, { width, lineBreak: false });
  y += 22;

  // The options, each with a box large enough for a shaky tick.
  const rowHeight = Math.min(30, (y0 + height - 110 - y) / Math.max(1, input.options.length));
  const box = Math.min(16, rowHeight - 6);
  input.options.forEach((label, i) => {
    const top = y + i * rowHeight;
    doc.save().lineWidth(1.2).strokeColor(INK).rect(x + 6, top, box, box).stroke().restore();
    doc.fillColor(INK).font('regular').fontSize(fitSize(doc, 'regular', `${i + 1}. ${label}`, width - 40, 14, 8)).text(`${i + 1}. ${label}`, x + 6 + box + 10, top + 1, { width: width - 40, lineBreak: false });
  });

  const bottom = y0 + height - 86;
  const signature = t('ballots.pdf_signature');
  doc.fillColor(INK).font('regular').fontSize(11).text(signature, x, bottom, { width: 200, lineBreak: false });
  const lineFrom = x + doc.widthOfString(signature) + 6;
  doc.text(t('ballots.pdf_date'), x + 340, bottom, { width: 60, lineBreak: false });
  const dateFrom = x + 340 + doc.widthOfString(t('ballots.pdf_date')) + 6;
  doc.save().lineWidth(0.8).strokeColor(INK).moveTo(lineFrom, bottom + 14).lineTo(x + 330, bottom + 14).stroke().moveTo(dateFrom, bottom + 14).lineTo(x + width, bottom + 14).stroke().restore();
  const footer = t('ballots.pdf_footer', { when: input.closesAt });
  doc.fillColor(MUTED).font('regular').fontSize(fitSize(doc, 'regular', footer, width, 9.5, 6)).text(footer, x, bottom + 30, { width, lineBreak: false });
  const once = t('ballots.pdf_once');
  doc.fillColor(MUTED).font('regular').fontSize(fitSize(doc, 'regular', once, width, 9.5, 6)).text(once, x, bottom + 44, { width, lineBreak: false });
}

/** Renders the ballots as an A4 PDF. */
export function renderBallotsPdf(input: BallotsPdfInput): Promise<Buffer> {
  const half = A4.height / BALLOTS_PER_PAGE;
  const pages = Math.max(1, Math.ceil(input.ballots.length / BALLOTS_PER_PAGE));
  return renderPdf({ title: `${input.community} #${input.number}`, margin: 0, addsPages: true }, (doc) => {
    for (let page = 0; page < pages; page++) {
      doc.addPage({ size: 'A4', margin: 0 });
      doc.save().lineWidth(0.6).strokeColor(CUT).dash(5, { space: 4 }).moveTo(0, half).lineTo(A4.width, half).stroke().undash().restore();
      input.ballots.slice(page * BALLOTS_PER_PAGE, (page + 1) * BALLOTS_PER_PAGE).forEach((b, i) => drawBallot(doc, input, b, i * half, half));
    }
  });
}
