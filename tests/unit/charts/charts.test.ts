// Chart images: valid PNGs of sensible size, and Chinese text that really renders (a missing
// font draws no text at all, a font without CJK glyphs draws identical "tofu" boxes; both fail).
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import {
  barChartSvg,
  chartFontFiles,
  escapeXml,
  niceTicks,
  renderBarChart,
  svgRenderOptions,
  wrapText,
  type BarChartSpec,
} from '../../../src/charts/barChart.ts';
import { lineChartSvg, renderLineChart, type LineChartSpec } from '../../../src/charts/lineChart.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

interface Raster {
  data: Buffer;
  width: number;
  height: number;
}

/** Renders an SVG exactly as the charts do, but to raw RGBA pixels. */
function raster(svg: string): Raster {
  const image = new Resvg(svg, svgRenderOptions()).render();
  return { data: image.pixels, width: image.width, height: image.height };
}

/** Pixels noticeably darker than the white background. */
function ink(r: Raster): number {
  let n = 0;
  for (let i = 0; i < r.data.length; i += 4) if (r.data[i] < 200 || r.data[i + 1] < 200 || r.data[i + 2] < 200) n++;
  return n;
}

/** Pixels that differ between two same-sized rasters, and the x range they span. */
function diff(a: Raster, b: Raster): { count: number; minX: number; maxX: number } {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let count = 0;
  let minX = Infinity;
  let maxX = -Infinity;
  for (let i = 0; i < a.data.length; i += 4) {
    if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) {
      count++;
      const x = (i / 4) % a.width;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
    }
  }
  return { count, minX, maxX };
}

/** One line of text in the chart font, alone on a small white image. */
function textSvg(text: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="48" font-family="Noto Sans S Chinese">` +
    `<rect width="120" height="48" fill="#fff"/><text x="8" y="34" font-size="28">${escapeXml(text)}</text></svg>`
  );
}

const poll: BarChartSpec = {
  title: '3号楼电动自行车充电棚：投票结果',
  subtitle: '共 128 人投票',
  bars: [
    { label: '赞成', value: 87, note: '68%' },
    { label: '反对', value: 21, note: '16%' },
    { label: '弃权', value: 20, note: '16%' },
  ],
  valueFormat: (n) => `${n} 票`,
};

const satisfaction: LineChartSpec = {
  title: '居民满意度（按季度）',
  points: [
    { label: '2024年Q1', value: 0.72 },
    { label: '2024年Q2', value: 0.78 },
    { label: '2024年Q3', value: 0.85 },
    { label: '2024年Q4', value: 0.91 },
  ],
  min: 0.5,
  max: 1,
  valueFormat: (n) => `${Math.round(n * 100)}%`,
  threshold: { value: 0.8, label: '目标 80%' },
};

describe('chart font', () => {
  it('comes from an installed npm package, found without system fonts', () => {
    const files = chartFontFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect(f).toMatch(/node_modules[\\/]@embedpdf[\\/]fonts-sc[\\/]fonts[\\/].+\.otf$/);
      expect(existsSync(f)).toBe(true);
    }
    expect(chartFontFiles()).toEqual(files); // the same files on every lookup
  });

  it('draws distinct, real glyphs for Chinese characters (not nothing, not tofu)', () => {
    const samples = ['赞', '成', '反', '对', '满', '意'].map((ch) => raster(textSvg(ch)));
    for (const s of samples) expect(ink(s)).toBeGreaterThan(40);
    for (let i = 0; i < samples.length; i++) {
      for (let j = i + 1; j < samples.length; j++) expect(diff(samples[i], samples[j]).count).toBeGreaterThan(40);
    }
    // A real glyph is not the same picture as a box.
    expect(diff(raster(textSvg('赞成反对')), raster(textSvg('□□□□'))).count).toBeGreaterThan(100);
  });
});

describe('renderBarChart', () => {
  it('returns a PNG of the requested width and a height that grows with the bars', () => {
    const three = pngSize(renderBarChart(poll));
    expect(three.width).toBe(800);
    expect(three.height).toBeGreaterThan(150);
    expect(three.height).toBeLessThan(500);

    const six = pngSize(renderBarChart({ ...poll, bars: [...poll.bars, ...poll.bars], width: 600 }));
    expect(six.width).toBe(600);
    expect(six.height).toBeGreaterThan(three.height + 80);
  });

  it('draws Chinese bar labels in the label column only', () => {
    const withLabel = (label: string): Raster =>
      raster(barChartSvg({ ...poll, bars: [{ label, value: 10 }, { label: '其他', value: 4 }] }));
    // Same width estimate (four wide characters), so the layout is identical but for the text.
    const a = withLabel('赞成反对');
    const b = withLabel('满意程度');
    const d = diff(a, b);
    expect(d.count).toBeGreaterThan(200);
    expect(d.maxX).toBeLessThan(a.width * 0.45); // labels sit left of the bars
  });

  it('draws values at the bar ends', () => {
    const svg = barChartSvg(poll);
    expect(svg).toContain('>87 票<');
    expect(svg).toContain('> 68%<');
  });

  it('escapes labels and drops characters XML forbids', () => {
    const evil = { ...poll, title: 'a < b & "c" \'d\'', bars: [{ label: '<script>&\u0001', value: 1, note: '</text>' }] };
    const svg = barChartSvg(evil);
    expect(svg).toContain('&lt;script&gt;&amp;');
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('\u0001');
    expect(() => pngSize(renderBarChart(evil))).not.toThrow();
  });

  it('copes with no bars, zeros, negatives and NaN', () => {
    expect(pngSize(renderBarChart({ title: '空', bars: [] })).width).toBe(800);
    const odd = { title: '奇怪的数据', bars: [{ label: '零', value: 0 }, { label: '负', value: -3 }, { label: '无', value: NaN }] };
    expect(pngSize(renderBarChart(odd)).height).toBeGreaterThan(100);
  });

  it('wraps very long labels to two lines ending in an ellipsis', () => {
    const lines = wrapText('建议改到北侧停车场旁边的绿化带并增加监控摄像头和照明设备以及消防设施', 200, 15, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1].endsWith('…')).toBe(true);
  });
});

describe('renderLineChart', () => {
  it('returns a PNG of the requested size', () => {
    expect(pngSize(renderLineChart(satisfaction))).toEqual({ width: 800, height: 420 });
    expect(pngSize(renderLineChart({ ...satisfaction, width: 640, height: 360 }))).toEqual({ width: 640, height: 360 });
  });

  it('draws the dashed threshold line in its own colour', () => {
    const red = (r: Raster) => {
      let n = 0;
      for (let i = 0; i < r.data.length; i += 4) if (r.data[i] > 180 && r.data[i + 1] < 120 && r.data[i + 2] < 120) n++;
      return n;
    };
    const { threshold: _omit, ...plain } = satisfaction;
    expect(red(raster(lineChartSvg(satisfaction)))).toBeGreaterThan(300);
    expect(red(raster(lineChartSvg(plain)))).toBe(0);
  });

  it('draws the period labels under the axis', () => {
    const a = raster(lineChartSvg(satisfaction));
    const b = raster(lineChartSvg({ ...satisfaction, points: satisfaction.points.map((p) => ({ ...p, label: p.label.replace('年', '月') })) }));
    expect(diff(a, b).count).toBeGreaterThan(50);
  });

  it('copes with no points, one point, gaps and values outside min/max', () => {
    expect(pngSize(renderLineChart({ title: '空', points: [] })).width).toBe(800);
    expect(pngSize(renderLineChart({ title: '一', points: [{ label: 'Q1', value: 3 }] })).width).toBe(800);
    const svg = lineChartSvg({ ...satisfaction, points: [...satisfaction.points, { label: '2025年Q1', value: NaN }, { label: '2025年Q2', value: 1.2 }] });
    expect(svg).toContain('>120%<'); // the axis grew to include the value
    expect(() => renderLineChart({ ...satisfaction, points: [{ label: 'x', value: NaN }] })).not.toThrow();
  });
});

describe('niceTicks', () => {
  it('picks round steps and whole numbers for counts', () => {
    expect(niceTicks(0, 87).values).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 3, 5, true).values).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0.5, 1).values).toEqual([0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(niceTicks(0, 0).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
