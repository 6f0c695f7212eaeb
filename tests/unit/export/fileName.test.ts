import { describe, expect, it } from 'vitest';
import { readableFileName } from '../../../src/export/fileName.ts';

describe('readableFileName', () => {
  it('keeps Chinese words and drops what a file system refuses', () => {
    expect(readableFileName('投票-第3号-是否同意加装电梯？', 'xlsx')).toBe('投票-第3号-是否同意加装电梯？.xlsx');
    expect(readableFileName('a/b\\c:d*e?f"g<h>i|j', 'csv')).toBe('a b c d e f g h i j.csv');
    expect(readableFileName('第一行\n第二行\t尾', 'csv')).toBe('第一行 第二行 尾.csv');
  });

  it('never yields a hidden, empty or endless name', () => {
    expect(readableFileName('...隐藏', 'pdf')).toBe('隐藏.pdf');
    expect(readableFileName('///', 'pdf')).toBe('export.pdf');
    const long = readableFileName('长'.repeat(200), 'xlsx');
    expect([...long.replace(/\.xlsx$/, '')]).toHaveLength(60);
    expect(long.endsWith('….xlsx')).toBe(true);
  });
});
