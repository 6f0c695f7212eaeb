/**
 * Renders a message for platforms that show only text (the console, WeChat): buttons become
 * numbered options ("回复 1 赞成，2 反对"), links are printed in full.
 */
import type { OutMessage } from '../../platform/messages.ts';

/** One numbered option: what to reply, and the button's label. */
export interface NumberedOption {
  n: number;
  label: string;
}

/**
 * The text of a message with its buttons as numbered options. `replyHint` gets the options as
 * "1. label" lines and as a list, so a platform may lay them out inline ("回复 1 赞成，2 反对").
 */
export function renderText(message: OutMessage, replyHint: (options: string, items: NumberedOption[]) => string): string {
  const lines = [message.text];
  const items: NumberedOption[] = [];
  const links: string[] = [];
  for (const b of (message.buttons ?? []).flat()) {
    if (b.url) links.push(`${b.label}: ${b.url}`);
    else if (b.action) items.push({ n: items.length + 1, label: b.label });
  }
  if (items.length) lines.push('', replyHint(items.map((o) => `${o.n}. ${o.label}`).join('\n'), items));
  if (links.length) lines.push('', ...links);
  return lines.join('\n');
}
