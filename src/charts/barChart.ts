/**
 * Bar chart images (PNG) for chat messages, plus the small SVG toolkit the other charts share.
 *
 * Why this file exists: poll results, satisfaction ratings and digests read far better as a
 * picture than as a column of numbers in a chat bubble, and neither Telegram nor WeChat can draw
 * a chart for us. We build a plain SVG string and rasterise it with `@resvg/resvg-js`, which is a
 * self-contained native renderer: no browser, no canvas, no system libraries.
 *
 * Chinese text is the hard part. With `loadSystemFonts: false` resvg sees only the font files we
 * hand it, so a chart looks the same on every machine, and we hand it Noto Sans S Chinese (the
 * Simplified Chinese cut of Noto Sans CJK, OTF, all of CJK Unified Ideographs and Extension A)
 * from the npm package `@embedpdf/fonts-sc`: it comes with `npm install`, needs nothing from the
 * operating system, and is the smallest npm package that ships a TTF/OTF (resvg cannot read
 * woff/woff2) with full Simplified Chinese coverage.
 *
 * Bars are horizontal so that long Chinese labels ("3号楼东侧停车棚改造") fit on the left without
 * rotating or cutting them short; each bar carries its value (and an optional note) at its end.
 * This module contains no user-facing words: titles, labels and number formats come from callers,
 * who take them from i18n.
 *
 * resvg has no text-measuring API, so layout uses {@link estimateTextWidth}, which knows that a
 * Han character is one em wide and Latin characters about half that; it errs on the wide side.
 *
 * Speed: a render costs about 6 ms plus 0.7 ms per character drawn, because resvg-js 2.6 reads
 * the whole 8 MB font file again for every glyph it outlines (its API takes font paths only, not
 * font data to keep in memory). A three-bar poll takes ~80 ms, twelve bars ~190 ms, on the
 * 2-core machine the project runs on.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { XML_INVALID } from '../export/xmlText.ts';

/** The family name inside the bundled OTF files; SVG `font-family` must name exactly this. */
export const CHART_FONT_FAMILY = 'Noto Sans S Chinese';

/** The npm package that ships the CJK font files (a pinned dependency in package.json). */
const FONT_PACKAGE = '@embedpdf/fonts-sc';
/** Regular for body text and Bold for titles; both come from {@link FONT_PACKAGE}'s `fonts/`. */
const FONT_FILES = ['NotoSansHans-Regular.otf', 'NotoSansHans-Bold.otf'] as const;

/**
 * Absolute paths of the font files charts render with. Looked up on every call on purpose: a
 * module resolution and two `existsSync` cost microseconds beside a render of tens of
 * milliseconds, and no module-level cache means nothing to go stale between tests or installs.
 *
 * The package's `exports` map exposes only its JS entry point, so we resolve that and step from
 * its `dist/` folder to the sibling `fonts/` folder. Throws (a developer-facing error) when the
 * package or a file is missing, rather than silently drawing charts without any text.
 */
export function chartFontFiles(): string[] {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve(FONT_PACKAGE);
  } catch (err) {
    throw new Error(`Chart font package ${FONT_PACKAGE} is not installed (run npm install)`, { cause: err });
  }
  const fontDir = join(dirname(entry), '..', 'fonts');
  const files = FONT_FILES.map((f) => join(fontDir, f));
  for (const file of files) {
    if (!existsSync(file)) throw new Error(`Chart font file missing: ${file} (is ${FONT_PACKAGE} intact?)`);
  }
  return files;
}


/**
 * Makes arbitrary text safe to put in SVG text content or a double- or single-quoted attribute:
 * escapes `& < > " '`, turns tabs and line breaks into spaces, and drops characters XML forbids
 * (control characters, lone surrogates), since labels come straight from users.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[\t\r\n]+/g, ' ')
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * Estimated advance width, in pixels, of `text` set in the chart font at `fontSize` px.
 *
 * East Asian wide characters (Han, kana, hangul, fullwidth forms and CJK punctuation) are exactly
 * one em in Noto Sans CJK; Latin letters and digits are proportional at roughly 0.25–0.7 em. The
 * per-class widths below are slightly generous so that layouts built on them do not overlap.
 * `bold` adds 5%.
 */
export function estimateTextWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (isWide(cp)) em += 1;
    else if (ch === ' ') em += 0.23;
    else if (ch >= '0' && ch <= '9') em += 0.57;
    else if (ch >= 'A' && ch <= 'Z') em += 0.68;
    else if (ch >= 'a' && ch <= 'z') em += 0.55;
    else if ('.,:;!|\'`il'.includes(ch)) em += 0.3;
    else em += 0.62;
  }
  return em * fontSize * (bold ? 1.05 : 1);
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) || // Hangul Jamo
    (cp >= 0x2e80 && cp <= 0xa4cf) || // CJK radicals … Yi, incl. CJK punctuation, kana, Han
    (cp >= 0xac00 && cp <= 0xd7a3) || // Hangul syllables
    (cp >= 0xf900 && cp <= 0xfaff) || // CJK compatibility ideographs
    (cp >= 0xfe30 && cp <= 0xfe4f) || // CJK compatibility forms
    (cp >= 0xff00 && cp <= 0xff60) || // fullwidth forms
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) || // emoji (not in the font; at least reserve room)
    (cp >= 0x20000 && cp <= 0x3fffd) // CJK extensions B and later
  );
}

/**
 * Splits `text` into at most `maxLines` lines no wider than `maxWidth` px at `fontSize`.
 *
 * Breaks between any two characters (right for Chinese; for Latin it prefers the last space in
 * the line when there is one). When the text needs more lines, the last line ends in "…".
 */
export function wrapText(text: string, maxWidth: number, fontSize: number, maxLines: number): string[] {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  const lines: string[] = [];
  let start = 0;
  while (start < chars.length && lines.length < maxLines) {
    let end = start;
    let width = 0;
    while (end < chars.length) {
      const w = estimateTextWidth(chars[end], fontSize);
      if (width + w > maxWidth && end > start) break;
      width += w;
      end++;
    }
    if (end < chars.length) {
      const space = chars.lastIndexOf(' ', end);
      if (space > start + (end - start) / 2) end = space + 1;
    }
    lines.push(chars.slice(start, end).join('').trim());
    start = end;
  }
  if (start < chars.length && lines.length > 0) {
    let last = [...lines[lines.length - 1]];
    while (last.length > 0 && estimateTextWidth(last.join('') + '…', fontSize) > maxWidth) last = last.slice(0, -1);
    lines[lines.length - 1] = last.join('') + '…';
  }
  return lines;
}

/** Axis ticks covering a value range; see {@link niceTicks}. */
export interface Ticks {
  /** First tick, at or below the range's minimum. */
  min: number;
  /** Last tick, at or above the range's maximum. */
  max: number;
  /** Distance between ticks. */
  step: number;
  /** Every tick value from `min` to `max`. */
  values: number[];
}

/**
 * "Nice" axis ticks (steps of 1, 2, 2.5 or 5 times a power of ten) spanning `[min, max]` with
 * about `count` intervals. With `integer`, the step is at least 1 (vote counts have no halves).
 */
export function niceTicks(min: number, max: number, count = 5, integer = false): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    min = 0;
    max = 1;
  }
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    if (max === 0) max = 1;
    else if (max > 0) min = 0;
    else max = 0;
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  let step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
  if (integer) step = Math.max(1, Math.round(step));
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const values: number[] = [];
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let v = lo; v <= hi + step / 2; v += step) values.push(Number(v.toFixed(decimals)));
  return { min: values[0], max: values[values.length - 1], step, values };
}

/**
 * The number format used when a caller gives none: integers as they are, other numbers with at
 * most two decimals ("0.85", "3.5"). No grouping or units, as those are the caller's (i18n's) job.
 */
export function defaultValueFormat(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(2)));
}

/** Colours shared by all charts, chosen to stay readable after chat apps recompress the image. */
export const CHART_COLORS = {
  background: '#ffffff',
  text: '#1f2328',
  muted: '#6e7781',
  grid: '#e6e8eb',
  axis: '#9aa1a9',
  series: '#3b6fb6',
  threshold: '#d1453b',
} as const;

/**
 * Rasterises an SVG document to PNG with resvg, using only the bundled CJK font (system fonts are
 * not loaded, so the output does not depend on the machine).
 */
export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, svgRenderOptions()).render().asPng();
}

/**
 * The resvg options {@link svgToPng} uses; exported so tests can render the same SVG to raw
 * pixels (`new Resvg(svg, svgRenderOptions()).render().pixels`).
 */
export function svgRenderOptions(): ConstructorParameters<typeof Resvg>[1] {
  return {
    font: {
      fontFiles: chartFontFiles(),
      loadSystemFonts: false,
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
    fitTo: { mode: 'original' },
    background: CHART_COLORS.background,
    logLevel: 'error',
  };
}

/** Opening tag of a chart SVG: size, white background, chart font. */
export function svgOpen(width: number, height: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="${CHART_FONT_FAMILY}">` +
    `<rect width="${width}" height="${height}" fill="${CHART_COLORS.background}"/>`
  );
}

/** Layout constants of the title block shared by all charts. */
export const CHART_PADDING = 24;
const TITLE_SIZE = 22;
const SUBTITLE_SIZE = 14;

/**
 * SVG for a chart's bold title and optional grey subtitle, each wrapped to at most two lines,
 * starting at the top padding. Returns the markup and the y coordinate where it ends.
 */
export function titleBlock(title: string, subtitle: string | undefined, width: number): { svg: string; bottom: number } {
  const maxWidth = width - 2 * CHART_PADDING;
  let y = CHART_PADDING;
  let svg = '';
  for (const line of wrapText(title, maxWidth / 1.05, TITLE_SIZE, 2)) {
    y += TITLE_SIZE * 1.3;
    svg += `<text x="${CHART_PADDING}" y="${fmt(y - TITLE_SIZE * 0.3)}" font-size="${TITLE_SIZE}" font-weight="bold" fill="${CHART_COLORS.text}">${escapeXml(line)}</text>`;
  }
  if (subtitle) {
    y += 4;
    for (const line of wrapText(subtitle, maxWidth, SUBTITLE_SIZE, 2)) {
      y += SUBTITLE_SIZE * 1.4;
      svg += `<text x="${CHART_PADDING}" y="${fmt(y - SUBTITLE_SIZE * 0.35)}" font-size="${SUBTITLE_SIZE}" fill="${CHART_COLORS.muted}">${escapeXml(line)}</text>`;
    }
  }
  return { svg, bottom: y };
}

/** Rounds a coordinate to 0.1 px so the SVG stays short. */
export function fmt(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** One bar of a {@link BarChartSpec}. */
export interface Bar {
  /** Category name drawn left of the bar; wrapped to two lines, then cut with "…". */
  label: string;
  /** Bar length. Negative and non-finite values draw no bar, but their text is still shown. */
  value: number;
  /** Extra grey text after the value, e.g. a share ("38%") or a count ("12 票"). */
  note?: string;
}

/** What {@link renderBarChart} draws. All text comes from the caller (i18n). */
export interface BarChartSpec {
  /** Bold heading at the top. */
  title: string;
  /** Grey line under the title, e.g. the date range or the number of voters. */
  subtitle?: string;
  /** Bars from top to bottom, in the given order. May be empty. */
  bars: Bar[];
  /** Formats values at bar ends and on the axis; default {@link defaultValueFormat}. */
  valueFormat?: (n: number) => string;
  /** Image width in pixels (default 800, at least 320); the height follows from the bar count. */
  width?: number;
}

const LABEL_SIZE = 15;
const VALUE_SIZE = 14;
const TICK_SIZE = 12;
const BAR_THICKNESS = 20;
const LABEL_GAP = 12;

/**
 * Builds the SVG document for a horizontal bar chart (see {@link renderBarChart}); exported for
 * tests and for debugging layouts in a browser.
 */
export function barChartSvg(spec: BarChartSpec): string {
  const width = Math.max(320, Math.round(spec.width ?? 800));
  const format = spec.valueFormat ?? defaultValueFormat;
  const P = CHART_PADDING;
  const header = titleBlock(spec.title, spec.subtitle, width);

  const values = spec.bars.map((b) => (Number.isFinite(b.value) && b.value > 0 ? b.value : 0));
  const allIntegers = spec.bars.every((b) => Number.isInteger(b.value));
  const valueTexts = spec.bars.map((b) => format(b.value));
  const noteTexts = spec.bars.map((b) => (b.note ? ` ${b.note}` : ''));
  const valueColumn =
    8 + Math.max(0, ...spec.bars.map((_, i) => estimateTextWidth(valueTexts[i], VALUE_SIZE) + estimateTextWidth(noteTexts[i], VALUE_SIZE)));

  // The label column takes what it needs, up to 40% of the width, and always leaves the bars at
  // least 120 px; longer labels wrap to two lines and then end in "…".
  const inner = width - 2 * P - LABEL_GAP;
  const labelMax = Math.max(60, Math.min(width * 0.4, inner - valueColumn - 120));
  const labelLines = spec.bars.map((b) => wrapText(b.label, labelMax, LABEL_SIZE, 2));
  const labelColumn = Math.min(
    labelMax,
    Math.max(24, ...labelLines.flat().map((l) => estimateTextWidth(l, LABEL_SIZE))),
  );
  const barX = P + labelColumn + LABEL_GAP;
  const plotWidth = Math.max(40, width - P - barX - valueColumn);

  const maxTickWidth = (t: Ticks) => Math.max(...t.values.map((v) => estimateTextWidth(format(v), TICK_SIZE)));
  let ticks = niceTicks(0, Math.max(0, ...values), 5, allIntegers);
  // Fewer ticks when their labels would touch.
  for (let n = 4; n >= 1 && (plotWidth / (ticks.values.length - 1)) < maxTickWidth(ticks) + 12; n--) {
    ticks = niceTicks(0, Math.max(0, ...values), n, allIntegers);
  }
  const scale = plotWidth / (ticks.max || 1);

  const rowHeights = labelLines.map((lines) => Math.max(34, lines.length * LABEL_SIZE * 1.25 + 14));
  const plotTop = header.bottom + 18;
  const plotBottom = plotTop + Math.max(34, rowHeights.reduce((a, b) => a + b, 0));
  const height = Math.ceil(plotBottom + 8 + TICK_SIZE + P);

  const parts: string[] = [svgOpen(width, height), header.svg];

  // Grid lines and their values below the plot.
  for (const v of ticks.values) {
    const x = fmt(barX + v * scale);
    parts.push(`<line x1="${x}" y1="${fmt(plotTop)}" x2="${x}" y2="${fmt(plotBottom)}" stroke="${CHART_COLORS.grid}" stroke-width="1"/>`);
    parts.push(
      `<text x="${x}" y="${fmt(plotBottom + 6 + TICK_SIZE)}" font-size="${TICK_SIZE}" fill="${CHART_COLORS.muted}" text-anchor="middle">${escapeXml(format(v))}</text>`,
    );
  }

  let y = plotTop;
  spec.bars.forEach((bar, i) => {
    const mid = y + rowHeights[i] / 2;
    const lines = labelLines[i];
    const lineHeight = LABEL_SIZE * 1.25;
    lines.forEach((line, j) => {
      const ly = mid + (j - (lines.length - 1) / 2) * lineHeight + LABEL_SIZE * 0.35;
      parts.push(
        `<text x="${fmt(barX - LABEL_GAP)}" y="${fmt(ly)}" font-size="${LABEL_SIZE}" fill="${CHART_COLORS.text}" text-anchor="end">${escapeXml(line)}</text>`,
      );
    });
    const length = values[i] * scale;
    if (length > 0) {
      parts.push(
        `<rect x="${fmt(barX)}" y="${fmt(mid - BAR_THICKNESS / 2)}" width="${fmt(Math.max(1, length))}" height="${BAR_THICKNESS}" rx="2" fill="${CHART_COLORS.series}"/>`,
      );
    }
    const note = noteTexts[i] ? `<tspan fill="${CHART_COLORS.muted}">${escapeXml(noteTexts[i])}</tspan>` : '';
    parts.push(
      `<text x="${fmt(barX + length + 6)}" y="${fmt(mid + VALUE_SIZE * 0.35)}" font-size="${VALUE_SIZE}" fill="${CHART_COLORS.text}" xml:space="preserve">${escapeXml(valueTexts[i])}${note}</text>`,
    );
    y += rowHeights[i];
  });

  // The baseline the bars grow from, drawn last so it sits on top of the bars' rounded corners.
  parts.push(`<line x1="${fmt(barX)}" y1="${fmt(plotTop)}" x2="${fmt(barX)}" y2="${fmt(plotBottom)}" stroke="${CHART_COLORS.axis}" stroke-width="1"/>`);
  parts.push('</svg>');
  return parts.join('');
}

/**
 * Renders a horizontal bar chart to a PNG image (a `Buffer` ready to send as a chat photo).
 *
 * Labels sit left of the bars, values (and notes) right of each bar's end, with light grid lines
 * and axis values below. The scale starts at zero. Synchronous: it blocks for the render time
 * (see the note on speed at the top of this file).
 */
export function renderBarChart(spec: BarChartSpec): Buffer {
  return svgToPng(barChartSvg(spec));
}
