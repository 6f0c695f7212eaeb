// Typing a button's words answers a scene step like tapping it (#14 item 1).
import { describe, expect, it } from 'vitest';
import { parseAnswer, type AnswerWords } from '../../../src/engine/answers.ts';
import { createTranslator, LOCALES } from '../../../src/i18n/i18n.ts';
import type { Incoming } from '../../../src/platform/messages.ts';
import type { Prompt } from '../../../src/engine/scene.ts';

const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });
const all = (key: string) => new Set(LOCALES.flatMap((l) => i18n.list(l, `scene.words.${key}`)).map((w) => w.toLowerCase()));
const words: AnswerWords = { yes: all('yes'), no: all('no'), skip: all('skip') };
const shown = { yes: '确认', no: '修改', skip: '跳过' };
const base = { chat: { platform: 'wechat' as const, chatId: '1', kind: 'private' as const }, sender: { platform: 'wechat' as const, userId: '1', displayName: 'x' } };
const text = (t: string): Incoming => ({ ...base, type: 'text', text: t });
const parse = (p: Prompt, t: string) => parseAnswer(p, text(t), words, undefined, shown);

const choice: Prompt = { kind: 'choice', text: 'q', options: [{ value: 'zh-CN', label: '简体中文' }, { value: 'en', label: 'English' }, { value: 'all', label: '本社区全部群' }] };

describe('typed labels in scenes', () => {
  it.each([['English'], ['english'], ['ＥＮＧＬＩＳＨ'], ['  English  '], ['Ｅｎｇｌｉｓｈ']])('reads %j as the option English', (typed) => {
    expect(parse(choice, typed)).toEqual({ ok: true, answer: 'en' });
  });

  it('needs the exact label: a part of it or a sentence around it is no answer', () => {
    expect(parse(choice, 'Engl')).toMatchObject({ ok: false, reason: 'scene.pick_an_option' });
    expect(parse(choice, '我选本社区全部群')).toMatchObject({ ok: false, reason: 'scene.pick_an_option' });
  });

  it('asks for the number when two options carry the typed label', () => {
    const twins: Prompt = { kind: 'choice', text: 'q', options: [{ value: 'a', label: '东门' }, { value: 'b', label: '东门' }] };
    expect(parse(twins, '东门')).toEqual({ ok: false, reason: 'scene.ambiguous_label', params: { label: '东门' } });
    expect(parse(twins, '2')).toEqual({ ok: true, answer: 'b' });
  });

  it('reads a confirmation by its own labels (提交 / 返回修改) and the shared words', () => {
    const confirm: Prompt = { kind: 'confirm', text: 'q', yesLabel: '提交', noLabel: '返回修改' };
    expect(parse(confirm, '提交')).toEqual({ ok: true, answer: true });
    expect(parse(confirm, ' 返回修改 ')).toEqual({ ok: true, answer: false });
    expect(parse(confirm, '是')).toEqual({ ok: true, answer: true });
    expect(parse({ kind: 'confirm', text: 'q' }, '修改')).toEqual({ ok: true, answer: false });
  });

  it('skips an optional photo by its button words (不配图), not a required one', () => {
    const photo: Prompt = { kind: 'file', text: 'q', accept: ['photo'], maxBytes: 1000, optional: true, doneLabel: '不配图' };
    expect(parse(photo, '不配图')).toEqual({ ok: true, answer: null });
    expect(parse({ ...photo, optional: false }, '不配图')).toMatchObject({ ok: false, reason: 'scene.expected_photo' });
  });
});
