/**
 * Renders a message for platforms that show only text (the console, WeChat): buttons become
 * numbered options ("回复 1 赞成，2 反对"), links are printed in full.
 */
import type { OutMessage } from '../../core/messages.ts';

/** The text of a message with its buttons as numbered options. */
export function renderText(message: OutMessage, replyHint: (options: string) => string): string {
  const lines = [message.text];
  const options: string[] = [];
  const links: string[] = [];
  for (const b of (message.buttons ?? []).flat()) {
    if (b.url) links.push(`${b.label}: ${b.url}`);
    else if (b.action) options.push(`${options.length + 1}. ${b.label}`);
  }
  if (options.length) lines.push('', replyHint(options.join('\n')));
  if (links.length) lines.push('', ...links);
  return lines.join('\n');
}
