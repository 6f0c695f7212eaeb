/**
 * Line chart images (PNG) for trends over time, such as the satisfaction rate per quarter with
 * a dashed line at the target rate.
 *
 * Why this file exists: digests and reports show how a number moved from period to period, which
 * a bar chart hides. Like the bar chart it builds an SVG string and rasterises it with resvg using
 * only the bundled CJK font; the shared helpers (font, escaping, text-width estimate, nice ticks,
 * colours, title block) live in `barChart.ts`. This module contains no user-facing words: the
 * title, the period labels, the threshold's label and the number format come from callers (i18n).
 */
import {
  CHART_COLORS,
  CHART_PADDING,
  defaultValueFormat,
  escapeXml,
  estimateTextWidth,
  fmt,
  niceTicks,
  svgOpen,
  svgToPng,
  titleBlock,
  type Ticks,
} from './barChart.ts';

/** One point of a {@link LineChartSpec}: a period and its value. */
export interface LinePoint {
  /** Period name under the x axis, e.g. "2024 Q3"; thinned out when they would overlap. */
  label: string;
  /** The value; `NaN` (or ±Infinity) leaves a gap in the line, e.g. a quarter without ratings. */
  value: number;
}

/** What {@link renderLineChart} draws. All text comes from the caller (i18n). */
export interface LineChartSpec {
  /** Bold heading at the top. */
  title: string;
  /** Grey line under the title. */
  subtitle?: string;
  /** Points from left to right, evenly spaced. May be empty. */
  points: LinePoint[];
  /**
   * Lower end of the y axis (e.g. 0 for a rate). The axis still grows to include every value and
   * the threshold; without `min`/`max` it is fitted to the data with some headroom.
   */
  min?: number;
  /** Upper end of the y axis (e.g. 1 or 100 for a rate); see `min`. */
  max?: number;
  /** Formats the y axis values and the point labels; default {@link defaultValueFormat}. */
  valueFormat?: (n: number) => string;
  /** A horizontal dashed reference line (a target or a legal minimum) with its label on the right. */
  threshold?: { value: number; label: string };
  /** Image width in pixels (default 800, at least 320). */
  width?: number;
  /** Image height in pixels (default 420, at least 240). */
  height?: number;
}

const TICK_SIZE = 12;
const X_LABEL_SIZE = 13;
const POINT_LABEL_SIZE = 13;
const THRESHOLD_LABEL_SIZE = 13;
/** Above this many points the values are no longer written next to each point. */
const MAX_LABELLED_POINTS = 16;

/**
 * Builds the SVG document for a line chart (see {@link renderLineChart}); exported for tests and
 * for debugging layouts in a browser.
 */
export function lineChartSvg(spec: LineChartSpec): string {
  const width = Math.max(320, Math.round(spec.width ?? 800));
  const height = Math.max(240, Math.round(spec.height ?? 420));
  const format = spec.valueFormat ?? defaultValueFormat;
  const P = CHART_PADDING;
  const header = titleBlock(spec.title, spec.subtitle, width);
  const points = spec.points;
  const finite = points.map((p) => p.value).filter((v) => Number.isFinite(v));
  const threshold = spec.threshold && Number.isFinite(spec.threshold.value) ? spec.threshold : undefined;

  // y range: the caller's min/max widened to every value and the threshold.
  const extent = [...finite, ...(threshold ? [threshold.value] : [])];
  let lo = spec.min ?? (extent.length ? Math.min(...extent) : 0);
  let hi = spec.max ?? (extent.length ? Math.max(...extent) : 1);
  lo = Math.min(lo, ...extent);
  hi = Math.max(hi, ...extent);
  if (spec.min === undefined && spec.max === undefined) {
    const pad = (hi - lo || Math.abs(hi) || 1) * 0.1;
    lo = lo >= 0 && lo - pad < 0 ? 0 : lo - pad;
    hi += pad;
  }
  const ticks: Ticks = niceTicks(lo, hi, 5);
  const yMin = spec.min !== undefined && spec.min <= lo ? spec.min : ticks.min;
  const yMax = spec.max !== undefined && spec.max >= hi ? spec.max : ticks.max;
  const tickValues = ticks.values.filter((v) => v >= yMin - 1e-9 && v <= yMax + 1e-9);

  const tickWidth = Math.max(0, ...tickValues.map((v) => estimateTextWidth(format(v), TICK_SIZE)));
  const thresholdWidth = threshold ? estimateTextWidth(threshold.label, THRESHOLD_LABEL_SIZE) : 0;
  const left = P + tickWidth + 10;
  const right = width - P - (threshold ? Math.min(thresholdWidth + 8, width * 0.3) : 0);
  const top = header.bottom + 20;
  const bottom = height - P - X_LABEL_SIZE - 10;
  const plotW = Math.max(40, right - left);
  const plotH = Math.max(40, bottom - top);
  const yOf = (v: number) => bottom - ((v - yMin) / (yMax - yMin || 1)) * plotH;
  const slot = plotW / Math.max(1, points.length);
  const xOf = (i: number) => left + slot * (i + 0.5);

  const parts: string[] = [svgOpen(width, height), header.svg];

  // Horizontal grid lines with the y axis values on the left.
  for (const v of tickValues) {
    const y = fmt(yOf(v));
    parts.push(`<line x1="${fmt(left)}" y1="${y}" x2="${fmt(left + plotW)}" y2="${y}" stroke="${CHART_COLORS.grid}" stroke-width="1"/>`);
    parts.push(
      `<text x="${fmt(left - 8)}" y="${fmt(yOf(v) + TICK_SIZE * 0.35)}" font-size="${TICK_SIZE}" fill="${CHART_COLORS.muted}" text-anchor="end">${escapeXml(format(v))}</text>`,
    );
  }
  parts.push(`<line x1="${fmt(left)}" y1="${fmt(bottom)}" x2="${fmt(left + plotW)}" y2="${fmt(bottom)}" stroke="${CHART_COLORS.axis}" stroke-width="1"/>`);

  // Period labels; when they would run into each other, every k-th one counted back from the
  // latest period, which is the one readers look for.
  const labelWidth = Math.max(0, ...points.map((p) => estimateTextWidth(p.label, X_LABEL_SIZE)));
  const every = Math.max(1, Math.ceil((labelWidth + 10) / slot));
  points.forEach((p, i) => {
    if ((points.length - 1 - i) % every !== 0) return;
    const half = estimateTextWidth(p.label, X_LABEL_SIZE) / 2;
    const x = Math.min(Math.max(xOf(i), half + 4), width - half - 4); // never cut off at the edges
    parts.push(
      `<text x="${fmt(x)}" y="${fmt(bottom + 8 + X_LABEL_SIZE)}" font-size="${X_LABEL_SIZE}" fill="${CHART_COLORS.text}" text-anchor="middle">${escapeXml(p.label)}</text>`,
    );
  });

  if (threshold) {
    const y = yOf(threshold.value);
    parts.push(
      `<line x1="${fmt(left)}" y1="${fmt(y)}" x2="${fmt(left + plotW)}" y2="${fmt(y)}" stroke="${CHART_COLORS.threshold}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    );
    parts.push(
      `<text x="${fmt(left + plotW + 6)}" y="${fmt(y + THRESHOLD_LABEL_SIZE * 0.35)}" font-size="${THRESHOLD_LABEL_SIZE}" fill="${CHART_COLORS.threshold}">${escapeXml(threshold.label)}</text>`,
    );
  }

  // The line, broken where a value is missing.
  let path = '';
  let pen = false;
  points.forEach((p, i) => {
    if (!Number.isFinite(p.value)) {
      pen = false;
      return;
    }
    path += `${pen ? 'L' : 'M'}${fmt(xOf(i))} ${fmt(yOf(p.value))}`;
    pen = true;
  });
  if (path) {
    parts.push(`<path d="${path}" fill="none" stroke="${CHART_COLORS.series}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>`);
  }

  // Markers, and the value above each (below when there is no room above).
  const labelled = points.length <= MAX_LABELLED_POINTS;
  points.forEach((p, i) => {
    if (!Number.isFinite(p.value)) return;
    const x = xOf(i);
    const y = yOf(p.value);
    parts.push(`<circle cx="${fmt(x)}" cy="${fmt(y)}" r="4" fill="${CHART_COLORS.background}" stroke="${CHART_COLORS.series}" stroke-width="2"/>`);
    if (!labelled) return;
    const ly = y - 10 - POINT_LABEL_SIZE < top - 12 ? y + 10 + POINT_LABEL_SIZE : y - 10;
    parts.push(
      `<text x="${fmt(x)}" y="${fmt(ly)}" font-size="${POINT_LABEL_SIZE}" fill="${CHART_COLORS.text}" text-anchor="middle" ` +
        `stroke="${CHART_COLORS.background}" stroke-width="3" paint-order="stroke" stroke-linejoin="round">${escapeXml(format(p.value))}</text>`,
    );
  });

  parts.push('</svg>');
  return parts.join('');
}

/**
 * Renders a line chart to a PNG image (a `Buffer` ready to send as a chat photo): evenly spaced
 * periods on the x axis, values written at each point (up to 16 points), horizontal grid lines
 * and an optional dashed threshold line labelled on the right.
 */
export function renderLineChart(spec: LineChartSpec): Buffer {
  return svgToPng(lineChartSvg(spec));
}
