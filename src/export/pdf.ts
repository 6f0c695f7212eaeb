/**
 * What every printed page of Linli's shares: an A4 pdfkit document in the charts' CJK font
 * (Noto Sans SC from `@embedpdf/fonts-sc`, located by src/charts/barChart.ts, registered as
 * `regular` and `bold`; pdfkit embeds only the glyphs used), collected into one Buffer; the
 * font size that fits a line; and QR codes drawn as vector squares, which print sharply at any
 * size. Slips, ballots, the meeting sign-in sheet and the meetings record draw on top of it.
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { chartFontFiles } from '../charts/barChart.ts';

/** A4 in PDF points. */
export const A4 = { width: 595.28, height: 841.89 };

const INK = '#1a1a1a';

export interface PdfOptions {
  /** The document title in its metadata. */
  title: string;
  /** Page margin in points; 0 for pages drawn at absolute positions. */
  margin: number;
  /** Whether `draw` adds its pages itself (several pages of a fixed layout). */
  addsPages?: boolean;
}

/** Renders an A4 PDF: `draw` writes onto the document, the bytes come back once pdfkit is done. */
export async function renderPdf(options: PdfOptions, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const [regular, bold] = chartFontFiles();
  const doc = new PDFDocument({
    size: 'A4',
    margin: options.margin,
    autoFirstPage: !options.addsPages,
    compress: true,
    info: { Title: options.title, Producer: 'Linli' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  draw(doc);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** The largest font size (down to `min`) at which `text` fits `width` on one line. */
export function fitSize(doc: PDFKit.PDFDocument, font: string, text: string, width: number, max: number, min: number): number {
  for (let size = max; size > min; size -= 1) if (doc.font(font).fontSize(size).widthOfString(text) <= width) return size;
  return min;
}

/** Draws a QR code of `text` on a white square, one dark rectangle per horizontal run of modules. */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + 2 * quiet);
  doc.save().rect(x, y, size, size).fill('#ffffff');
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && qr.modules.get(r, c)) c++;
      // A hair of overlap so adjacent runs print without white seams.
      doc.rect(x + (quiet + start) * cell, y + (quiet + r) * cell, (c - start) * cell + 0.05, cell + 0.05);
    }
  }
  doc.fill(INK).restore();
}
