/**
 * Splits text that is longer than a platform allows into several messages, at paragraph
 * boundaries where possible, then at line ends, then (for one enormous line) at the limit.
 */

/** Splits `text` into parts of at most `max` characters (UTF-16 code units, as Telegram counts). */
export function splitText(text: string, max: number): string[] {
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
        // Never cut a surrogate pair (an emoji or rare 汉字) in half.
        let cut = max;
        if (/[\uD800-\uDBFF]/.test(rest[cut - 1])) cut--;
        parts.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      current = rest;
    }
  }
  push();
  return parts;
}
