/**
 * Looking at a PDF the way a person would, with poppler-utils (`pdftoppm`, `pdftotext`; Debian
 * package poppler-utils): a page rendered to a grey-scale image, and the text a reader sees.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A page as grey levels, 0 black to 255 white. */
export interface PageImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Renders one page of a PDF at `dpi` to a grey-scale image (PGM read back). */
export function renderPage(pdfFile: string, page = 1, dpi = 50): PageImage {
  const out = join(mkdtempSync(join(tmpdir(), 'linli-pdf-')), 'page');
  execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', pdfFile, out]);
  const pgm = readFileSync(`${out}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not write a PGM image');
  const [whole, width, height] = header;
  return { width: Number(width), height: Number(height), pixels: pgm.subarray(whole.length) };
}

/** Share of dark pixels (< 128) in a rectangle of the page given as fractions of its size. */
export function inkShare(img: PageImage, box: { x: number; y: number; w: number; h: number } = { x: 0, y: 0, w: 1, h: 1 }): number {
  const x0 = Math.floor(box.x * img.width);
  const y0 = Math.floor(box.y * img.height);
  const x1 = Math.floor((box.x + box.w) * img.width);
  const y1 = Math.floor((box.y + box.h) * img.height);
  let dark = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (img.pixels[y * img.width + x] < 128) dark++;
  return dark / Math.max(1, (x1 - x0) * (y1 - y0));
}

/** The text of a PDF as a reader sees it (pdftotext). */
export function pdfText(pdfFile: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' });
}

/** Number of pages of a PDF. */
export function pdfPages(pdfFile: string): number {
  const info = execFileSync('pdfinfo', [pdfFile], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
}
