/**
 * The sign-in sheet shown in the room: one A4 page with the meeting, a large QR code of the
 * deep link that signs in with one tap, and the steps in large type — or, without a deep link
 * (a WeChat-only deployment), the words to send. PNG for a screen or projector, PDF to print;
 * drawn on src/export/pdf.ts like the register slips.
 */
import QRCode from 'qrcode';
import { A4, drawQr, renderPdf } from '../../export/pdf.ts';
import type { TFn } from '../../i18n/i18n.ts';

/** What the sheet shows. */
export interface SheetInput {
  t: TFn;
  community: string;
  /** "居民议事会 · 12月例会". */
  heading: string;
  when: Date;
  place: string;
  /** The deep link that signs in, or undefined. */
  link: string | undefined;
  /** What to send instead, e.g. "签到 3". */
  words: string;
}

/** The deep-link payload that signs in at a meeting. */
export const signInPayload = (meetingId: string) => `mtg-${meetingId}`;

/** Parses a sign-in payload. */
export function parseSignInPayload(payload: string): string | null {
  return /^mtg-([A-Za-z0-9_-]{8,40})$/.exec(payload)?.[1] ?? null;
}

/** The sheet as an A4 PDF. */
export function renderSignInSheetPdf(input: SheetInput): Promise<Buffer> {
  return renderPdf({ title: `${input.community} ${input.heading}`, margin: 0 }, (doc) => {
    const width = A4.width;
    const { t } = input;
    doc.fillColor('#555555').font('regular').fontSize(14).text(input.community, 40, 50, { width: width - 80, align: 'center' });
    doc.fillColor('#1a1a1a').font('bold').fontSize(26).text(t('meetings.sheet_title'), 40, 76, { width: width - 80, align: 'center' });
    doc.font('bold').fontSize(18).text(input.heading, 40, 120, { width: width - 80, align: 'center' });
    doc.font('regular').fontSize(14).text(t('meetings.sheet_when', { when: input.when, place: input.place }), 40, 152, { width: width - 80, align: 'center' });
    const size = 300;
    if (input.link) drawQr(doc, input.link, (width - size) / 2, 190, size);
    const top = input.link ? 510 : 220;
    const steps = input.link ? [t('meetings.sheet_step_scan'), t('meetings.sheet_step_start'), t('meetings.sheet_step_done')] : [t('meetings.sheet_step_send', { words: input.words }), t('meetings.sheet_step_done')];
    steps.forEach((s, i) => doc.fillColor('#1a1a1a').font('regular').fontSize(20).text(s, 60, top + i * 40, { width: width - 120 }));
    doc.fillColor('#555555').font('regular').fontSize(12).text(t('meetings.sheet_footer', { words: input.words }), 60, top + steps.length * 40 + 20, { width: width - 120 });
  });
}

/** The QR code alone as a PNG (for a projector or a phone screen). */
export function renderSignInQrPng(link: string): Promise<Buffer> {
  return QRCode.toBuffer(link, { type: 'png', errorCorrectionLevel: 'M', width: 800, margin: 2 });
}
