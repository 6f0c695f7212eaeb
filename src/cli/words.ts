/**
 * The words the CLI prints for a state: a poll's, a proposal's, a request's status or category,
 * an outbox message's status — the same labels residents read in chat (locales/<lng>/polls.json,
 * proposals.json, requests.json), so an operator never reads `under_review` where a committee
 * notice says 审议中. `--status` still takes the key (`--status under_review`), like every option
 * value; the lists say which key a label stands for in `linli <command> --help`.
 */
import type { TFn } from '../i18n/i18n.ts';

/** What a label is for; each names where the chat keeps its labels. */
const LABEL_KEYS = {
  poll: (s: string) => `polls.status_${s}`,
  proposal: (s: string) => `proposals.status.${s}`,
  request: (s: string) => `requests.status.${s}`,
  requestCategory: (s: string) => `requests.category.${s}`,
  outbox: (s: string) => `cli.outbox.status.${s}`,
} as const;

/** The label of a state in the operator's language (the key itself for a state with no label). */
export function stateLabel(t: TFn, kind: keyof typeof LABEL_KEYS, state: string): string {
  const key = LABEL_KEYS[kind](state);
  const label = t(key);
  return label === key ? state : label;
}

/** Columns a character takes in a terminal: two for CJK and full-width forms, one otherwise. */
function columns(text: string): number {
  let n = 0;
  for (const ch of text) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return n;
}

/** Pads text with spaces to `width` terminal columns, so that Chinese labels line up in a list. */
export function padColumns(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - columns(text)));
}

/** The widest label among states, in columns: the width a list pads its status column to. */
export function labelWidth(t: TFn, kind: keyof typeof LABEL_KEYS, states: readonly string[]): number {
  return Math.max(...states.map((s) => columns(stateLabel(t, kind, s))));
}

/** The keys an option takes, each with its label where that says more ("open（投票中）"; "open" in English). */
export function stateChoices(t: TFn, kind: keyof typeof LABEL_KEYS, states: readonly string[]): string {
  return states
    .map((s) => {
      const label = stateLabel(t, kind, s);
      return label.toLowerCase().replace(/ /g, '_') === s ? s : t('cli.lists.status_choice', { key: s, label });
    })
    .join(t('cli.lists.choice_separator'));
}
