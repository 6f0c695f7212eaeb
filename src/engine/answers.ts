/**
 * Turns what a person sent into an answer for the current prompt — a typed number, a tapped
 * button, "2" for the second option on a text-only platform, "是" for yes — or into the
 * reason it does not fit. Pure functions, so every rule is unit-tested.
 */
import { normalizeLabel } from '../core/choiceMemory.ts';
import type { Incoming } from '../platform/messages.ts';
import type { Answer, Prompt } from './scene.ts';

/** The result of reading an answer. */
export type Parsed = { ok: true; answer: Answer } | { ok: false; reason: string; params?: Record<string, unknown> };

/**
 * The words that mean yes, no and skip. They come from locales/<language>/scene.json
 * ("words"), all languages at once: someone chatting in Chinese may still type "ok".
 */
export interface AnswerWords {
  yes: ReadonlySet<string>;
  no: ReadonlySet<string>;
  skip: ReadonlySet<string>;
}

/** Reads a number the way residents type it: full-width digits, commas, a trailing 元. */
export function parseNumber(raw: string): number | null {
  const s = raw.normalize('NFKC').replace(/[,\s，]/g, '').replace(/(元|块|yuan|rmb|¥)$/i, '').replace(/^[¥￥]/, '');
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Length in characters as a person counts them (an emoji or 汉字 is one). */
export function charLength(s: string): number {
  return [...s].length;
}

/**
 * The labels the buttons of a prompt were shown with, in the person's language, so that typing
 * a button's words ("提交", "不配图") answers like tapping it: the confirm pair and the skip button.
 */
export interface ShownLabels {
  yes: string;
  no: string;
  skip: string;
}

/**
 * Parses an incoming event against a prompt. `buttonIndex` is set when a scene button was
 * tapped; `shown` gives the labels the person saw, so typing one works like a tap.
 */
export function parseAnswer(prompt: Prompt, incoming: Incoming, words: AnswerWords, buttonIndex?: number | 'skip', shown?: ShownLabels): Parsed {
  const optional = 'optional' in prompt && prompt.optional;
  if (buttonIndex === 'skip') return optional ? { ok: true, answer: null } : { ok: false, reason: 'scene.not_optional' };
  const text = incoming.type === 'text' ? incoming.text.trim() : undefined;
  const typed = text === undefined ? undefined : normalizeLabel(text);
  if (typed !== undefined && optional) {
    const skipLabel = prompt.kind === 'file' && prompt.doneLabel ? prompt.doneLabel : shown?.skip;
    if (words.skip.has(typed) || (skipLabel !== undefined && normalizeLabel(skipLabel) === typed)) return { ok: true, answer: null };
  }

  switch (prompt.kind) {
    case 'text': {
      if (text === undefined) return { ok: false, reason: 'scene.expected_text' };
      if (!text) return { ok: false, reason: 'scene.empty' };
      const len = charLength(text);
      if (len > prompt.max) return { ok: false, reason: 'scene.too_long', params: { max: prompt.max, length: len } };
      if (prompt.min && len < prompt.min) return { ok: false, reason: 'scene.too_short', params: { min: prompt.min } };
      return { ok: true, answer: text };
    }
    case 'number': {
      if (text === undefined) return { ok: false, reason: 'scene.expected_number' };
      const n = parseNumber(text);
      if (n === null) return { ok: false, reason: 'scene.not_a_number' };
      if (prompt.integer && !Number.isInteger(n)) return { ok: false, reason: 'scene.not_an_integer' };
      if (prompt.min !== undefined && n < prompt.min) return { ok: false, reason: 'scene.number_too_small', params: { min: prompt.min } };
      if (prompt.max !== undefined && n > prompt.max) return { ok: false, reason: 'scene.number_too_large', params: { max: prompt.max } };
      return { ok: true, answer: n };
    }
    case 'choice': {
      if (typeof buttonIndex === 'number') {
        const opt = prompt.options[buttonIndex];
        return opt ? { ok: true, answer: opt.value } : { ok: false, reason: 'scene.pick_an_option' };
      }
      if (text === undefined) return { ok: false, reason: 'scene.pick_an_option' };
      const byNumber = parseNumber(text);
      if (byNumber !== null && Number.isInteger(byNumber) && byNumber >= 1 && byNumber <= prompt.options.length) {
        return { ok: true, answer: prompt.options[byNumber - 1].value };
      }
      // The label as shown (any case or width); two options with that label need the number.
      const byLabel = prompt.options.filter((o) => normalizeLabel(o.label) === typed);
      if (byLabel.length > 1) return { ok: false, reason: 'scene.ambiguous_label', params: { label: text } };
      if (byLabel.length === 1) return { ok: true, answer: byLabel[0].value };
      const byValue = prompt.options.find((o) => normalizeLabel(o.value) === typed);
      return byValue ? { ok: true, answer: byValue.value } : { ok: false, reason: 'scene.pick_an_option' };
    }
    case 'confirm': {
      if (typeof buttonIndex === 'number') return { ok: true, answer: buttonIndex === 0 };
      if (typed === undefined) return { ok: false, reason: 'scene.yes_or_no' };
      const yesLabel = normalizeLabel(prompt.yesLabel ?? shown?.yes ?? '');
      const noLabel = normalizeLabel(prompt.noLabel ?? shown?.no ?? '');
      // A custom pair ("提交" / "修改") is read by its labels before the general yes/no words.
      if (yesLabel && typed === yesLabel && typed !== noLabel) return { ok: true, answer: true };
      if (noLabel && typed === noLabel && typed !== yesLabel) return { ok: true, answer: false };
      if (words.yes.has(typed) || typed === '1') return { ok: true, answer: true };
      if (words.no.has(typed) || typed === '2') return { ok: true, answer: false };
      return { ok: false, reason: 'scene.yes_or_no' };
    }
    case 'file': {
      if (incoming.type !== 'file') return { ok: false, reason: prompt.accept.includes('photo') && prompt.accept.length === 1 ? 'scene.expected_photo' : 'scene.expected_file' };
      const f = incoming.file;
      if (!prompt.accept.includes(f.kind)) return { ok: false, reason: f.kind === 'photo' ? 'scene.expected_file' : 'scene.expected_photo' };
      if (prompt.mimeTypes && f.kind === 'document' && !prompt.mimeTypes.includes(f.mimeType ?? '')) {
        return { ok: false, reason: 'scene.unsupported_file', params: { name: f.name ?? '' } };
      }
      if (f.size !== undefined && f.size > prompt.maxBytes) {
        return { ok: false, reason: 'scene.file_too_large', params: { maxMb: Math.round((prompt.maxBytes / 1024 / 1024) * 10) / 10 } };
      }
      return { ok: true, answer: f };
    }
  }
}
