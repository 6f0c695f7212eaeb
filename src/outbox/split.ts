/**
 * Splits text that is longer than a platform allows into several messages: at paragraph
 * boundaries where possible, then at line ends, then (for one enormous line) after the last
 * sentence end or space in the window, and only as a last resort at the limit itself — never in
 * the middle of a surrogate pair (an emoji or a rare 汉字 outside the BMP).
 */

/** Characters after which a hard cut reads naturally. */
const SOFT_BREAK = /[。！？；，、.!?;,\s]/;

/** Splits `text` into parts of at most `max` characters (UTF-16 code units, as Telegram counts). */
export function splitText(text: string, max: number): string[] {
  if (max < 2) throw new RangeError('splitText: max must be at least 2');
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let current = '';
  const push = () => {
    if (current.trim()) parts.push(current.replace(/\n+$/, ''));
    current = '';
  };
  for (const paragraph of text.split(/(?<=\n\n)/)) {
    if (current.length + paragraph.length <= max) {
      current += paragraph;
      continue;
    }
    push();
    if (paragraph.length <= max) {
      current = paragraph;
      continue;
    }
    for (const line of paragraph.split(/(?<=\n)/)) {
      if (current.length + line.length <= max) {
        current += line;
        continue;
      }
      push();
      let rest = line;
      while (rest.length > max) {
        const cut = cutPoint(rest, max);
        const piece = rest.slice(0, cut).replace(/\s+$/, '');
        if (piece) parts.push(piece);
        rest = rest.slice(cut);
      }
      current = rest;
    }
  }
  push();
  // A text of nothing but whitespace still yields one (cut) message rather than none.
  return parts.length ? parts : [text.slice(0, cutPoint(text, max))];
}

/** Where to cut a line longer than `max`: after a break in the last quarter, else at `max`. */
function cutPoint(s: string, max: number): number {
  for (let i = max; i > Math.floor(max * 0.75); i--) {
    if (SOFT_BREAK.test(s[i - 1]) && !isHighSurrogate(s, i - 1)) return i;
  }
  return isHighSurrogate(s, max - 1) ? max - 1 : max;
}

function isHighSurrogate(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff;
}
