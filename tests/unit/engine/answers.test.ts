import { describe, expect, it } from 'vitest';
import { parseAnswer as parse, parseNumber, type AnswerWords } from '../../../src/engine/answers.ts';
import { createTranslator, LOCALES } from '../../../src/i18n/i18n.ts';
import type { Incoming } from '../../../src/platform/messages.ts';
import type { Prompt } from '../../../src/engine/scene.ts';

// The words come from the locales, as in the engine.
const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });
const all = (key: string) => new Set(LOCALES.flatMap((l) => i18n.list(l, `scene.words.${key}`)).map((w) => w.toLowerCase()));
const words: AnswerWords = { yes: all('yes'), no: all('no'), skip: all('skip') };
const parseAnswer = (prompt: Prompt, incoming: Incoming, button?: number | 'skip') => parse(prompt, incoming, words, button);

const base = { chat: { platform: 'telegram' as const, chatId: '1', kind: 'private' as const }, sender: { platform: 'telegram' as const, userId: '1', displayName: 'x' } };
const text = (t: string): Incoming => ({ ...base, type: 'text', text: t });
const photo: Incoming = { ...base, type: 'file', file: { kind: 'photo', fileId: 'p', size: 1000 } };
const doc = (mimeType: string, size = 10): Incoming => ({ ...base, type: 'file', file: { kind: 'document', fileId: 'd', name: 'a.bin', mimeType, size } });

describe('parseNumber', () => {
  it.each([
    ['3000', 3000],
    ['３０００', 3000],
    ['3,000元', 3000],
    ['¥12.5', 12.5],
    ['  42 块 ', 42],
    ['-5', -5],
  ])('reads %s as %s', (raw, expected) => expect(parseNumber(raw)).toBe(expected));
  it.each(['', 'abc', '三千', '1e9', '12..5', '1/2'])('refuses %s', (raw) => expect(parseNumber(raw)).toBeNull());
});

describe('parseAnswer', () => {
  const textPrompt: Prompt = { kind: 'text', text: 'q', max: 5, min: 2 };
  it('checks text length in characters, not bytes', () => {
    expect(parseAnswer(textPrompt, text('路灯坏了'))).toEqual({ ok: true, answer: '路灯坏了' });
    expect(parseAnswer(textPrompt, text('路灯坏了很久'))).toMatchObject({ ok: false, reason: 'scene.too_long', params: { max: 5, length: 6 } });
    expect(parseAnswer(textPrompt, text('路'))).toMatchObject({ ok: false, reason: 'scene.too_short' });
    expect(parseAnswer(textPrompt, text('   '))).toMatchObject({ ok: false, reason: 'scene.empty' });
    expect(parseAnswer(textPrompt, photo)).toMatchObject({ ok: false, reason: 'scene.expected_text' });
  });

  it('lets optional steps be skipped by word or button, required ones not', () => {
    const optional: Prompt = { kind: 'number', text: 'q', optional: true, min: 1 };
    expect(parseAnswer(optional, text('跳过'))).toEqual({ ok: true, answer: null });
    expect(parseAnswer(optional, text('skip'))).toEqual({ ok: true, answer: null });
    expect(parseAnswer(optional, text('x'), 'skip')).toEqual({ ok: true, answer: null });
    expect(parseAnswer(textPrompt, text('x'), 'skip')).toMatchObject({ ok: false, reason: 'scene.not_optional' });
  });

  it('checks numbers against range and integrality', () => {
    const p: Prompt = { kind: 'number', text: 'q', min: 1, max: 100, integer: true };
    expect(parseAnswer(p, text('50'))).toEqual({ ok: true, answer: 50 });
    expect(parseAnswer(p, text('0'))).toMatchObject({ reason: 'scene.number_too_small' });
    expect(parseAnswer(p, text('101'))).toMatchObject({ reason: 'scene.number_too_large' });
    expect(parseAnswer(p, text('1.5'))).toMatchObject({ reason: 'scene.not_an_integer' });
    expect(parseAnswer(p, text('五十'))).toMatchObject({ reason: 'scene.not_a_number' });
  });

  it('maps buttons, numbers and labels to choices', () => {
    const p: Prompt = { kind: 'choice', text: 'q', options: [{ value: 'yes', label: '赞成' }, { value: 'no', label: '反对' }] };
    expect(parseAnswer(p, text(''), 1)).toEqual({ ok: true, answer: 'no' });
    expect(parseAnswer(p, text('2'))).toEqual({ ok: true, answer: 'no' });
    expect(parseAnswer(p, text('赞成'))).toEqual({ ok: true, answer: 'yes' });
    expect(parseAnswer(p, text('3'))).toMatchObject({ ok: false, reason: 'scene.pick_an_option' });
    expect(parseAnswer(p, text(''), 7)).toMatchObject({ ok: false, reason: 'scene.pick_an_option' });
  });

  it('reads yes and no in both languages', () => {
    const p: Prompt = { kind: 'confirm', text: 'q' };
    for (const yes of ['是', '确认', 'YES', 'y', '1']) expect(parseAnswer(p, text(yes))).toEqual({ ok: true, answer: true });
    for (const no of ['否', '不', 'no', '2']) expect(parseAnswer(p, text(no))).toEqual({ ok: true, answer: false });
    expect(parseAnswer(p, text('也许'))).toMatchObject({ ok: false, reason: 'scene.yes_or_no' });
  });

  it('checks files for kind, type and size', () => {
    const p: Prompt = { kind: 'file', text: 'q', accept: ['document'], mimeTypes: ['text/csv'], maxBytes: 100 };
    expect(parseAnswer(p, doc('text/csv'))).toMatchObject({ ok: true });
    expect(parseAnswer(p, doc('application/zip'))).toMatchObject({ reason: 'scene.unsupported_file' });
    expect(parseAnswer(p, doc('text/csv', 1000))).toMatchObject({ reason: 'scene.file_too_large' });
    expect(parseAnswer(p, photo)).toMatchObject({ reason: 'scene.expected_file' });
    expect(parseAnswer({ kind: 'file', text: 'q', accept: ['photo'], maxBytes: 10 ** 6 }, text('hi'))).toMatchObject({ reason: 'scene.expected_photo' });
  });
});
