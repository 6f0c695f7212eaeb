import { describe, expect, it } from 'vitest';
import { splitText } from '../../../src/outbox/split.ts';
import { deliveryParts } from '../../../src/outbox/worker.ts';

describe('splitText', () => {
  it('leaves text that fits alone', () => {
    expect(splitText('你好', 10)).toEqual(['你好']);
    expect(splitText('', 10)).toEqual(['']);
    expect(splitText('x'.repeat(10), 10)).toEqual(['x'.repeat(10)]);
  });

  it('splits at paragraph boundaries and keeps every paragraph whole', () => {
    const paras = ['第一段'.repeat(10), '第二段'.repeat(10), '第三段'.repeat(10)];
    const parts = splitText(paras.join('\n\n'), 70);
    expect(parts).toEqual([`${paras[0]}\n\n${paras[1]}`, paras[2]]);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(70);
  });

  it('falls back to line ends inside a long paragraph', () => {
    const lines = Array.from({ length: 6 }, (_, i) => `line ${i} ${'x'.repeat(20)}`);
    const parts = splitText(lines.join('\n'), 60);
    expect(parts.join('\n')).toBe(lines.join('\n'));
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(60);
      expect(p.startsWith('line ')).toBe(true);
    }
  });

  it('cuts an enormous line after a sentence end where there is one', () => {
    const sentence = '请各位居民注意安全。'; // 10 chars
    const parts = splitText(sentence.repeat(50), 95);
    expect(parts.every((p) => p.endsWith('。'))).toBe(true);
    expect(parts.join('')).toBe(sentence.repeat(50));
  });

  it('never cuts a surrogate pair in half', () => {
    const text = 'a' + '😀'.repeat(100); // 201 code units; a cut at an even limit lands inside a pair
    for (const max of [10, 11, 64, 4096 % 97]) {
      const parts = splitText(text, max);
      expect(parts.join('')).toBe(text);
      for (const p of parts) {
        expect(p.length).toBeLessThanOrEqual(max);
        expect(p).not.toMatch(/[\uD800-\uDBFF]$/);
        expect(p).not.toMatch(/^[\uDC00-\uDFFF]/);
      }
    }
    // A rare 汉字 outside the BMP (𠀀, U+20000) is one character in two code units.
    const rare = '𠀀'.repeat(3000);
    const parts = splitText(rare, 4096);
    expect(parts.join('')).toBe(rare);
    expect(parts[0].length).toBe(4096);
  });

  it('keeps 4,096 as the hard limit for a real digest-sized text', () => {
    const text = Array.from({ length: 400 }, (_, i) => `第${i}条：小区${i}号楼电梯维修已完成，请居民知悉。`).join('\n\n');
    const parts = splitText(text, 4096);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(parts.join('\n\n')).toBe(text);
  });

  it('returns one message for whitespace-only text and refuses a silly limit', () => {
    expect(splitText(' '.repeat(30), 10)).toHaveLength(1);
    expect(() => splitText('abc', 1)).toThrow(RangeError);
  });
});

describe('deliveryParts', () => {
  const image = { data: new Uint8Array([1, 2, 3]), name: 'c.png' };
  it('sends an image with its text as a caption when it fits', () => {
    expect(deliveryParts({ text: 'short', image }, 4096, 1024)).toHaveLength(1);
  });
  it('sends the image first and the long text after, buttons under the last part', () => {
    const buttons = [[{ label: 'go', action: 'x:1' }]];
    const parts = deliveryParts({ text: `${'a'.repeat(3000)}\n\n${'b'.repeat(3000)}`, image, buttons }, 4096, 1024);
    expect(parts.map((p) => [Boolean(p.image), p.text.length, Boolean(p.buttons)])).toEqual([
      [true, 0, false],
      [false, 3000, false],
      [false, 3000, true],
    ]);
  });
});
