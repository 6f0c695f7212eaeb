/**
 * A message as WeChat shows it: buttons become numbered options with a hint in the chat's
 * language ("回复 1 赞成，2 反对"); images and files follow the text as attachments.
 */
import { numberedChoices, type NumberedChoice, type OutMessage } from '../../platform/messages.ts';
import { renderText, type NumberedOption } from '../text/renderText.ts';

const HINT_PLACEHOLDER = '\u0000hint\u0000';

/** The text to say, and the options its numbers stand for (in order). */
export interface WechatText {
  body: string;
  choices: NumberedChoice[];
}

/** Lays out a message; `replyHint` gives the localized hint for the options (it takes a lookup). */
export async function renderForWechat(message: OutMessage, replyHint: (items: NumberedOption[]) => Promise<string>): Promise<WechatText> {
  // renderText lays the message out synchronously; the hint's words depend on the chat's
  // language, which takes a lookup, so a placeholder marks its place first.
  const items: NumberedOption[] = [];
  const text = renderText(message, (_lines, list) => {
    items.push(...list);
    return HINT_PLACEHOLDER;
  });
  const body = items.length ? text.replace(HINT_PLACEHOLDER, await replyHint(items)) : text;
  return { body, choices: numberedChoices(message.buttons) };
}
