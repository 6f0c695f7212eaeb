/**
 * On platforms without buttons a choice is shown as numbered options; this remembers, per
 * chat, which action each number stood for and the label it was shown with, so that a reply of
 * "2" — or the option's words, "弃权" — is handled as if that button had been tapped. Stored in
 * the database so it survives a restart.
 */
import type { Db } from '../db/client.ts';
import type { NumberedChoice } from '../platform/messages.ts';

/** One remembered option as stored: the action and the label as the person read it. */
interface StoredChoice {
  action: string;
  label?: string;
}

/** What a reply stands for: an option, an option name shared by several (ask for the number), or nothing. */
export type Recalled = { action: string } | { ambiguous: string } | null;

/**
 * A label as people type it: full-width letters and digits folded (NFKC), case ignored, spaces
 * around and doubled inside dropped — "ＥＮＧＬＩＳＨ " reads as "english".
 */
export function normalizeLabel(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Remembers what the numbers (and labels) in the last message with options meant in a chat. */
export async function rememberChoices(db: Db, platform: string, chatId: string, choices: NumberedChoice[]): Promise<void> {
  if (!choices.length) return;
  const data = JSON.stringify(choices.map((c): StoredChoice => ({ action: c.action, label: c.label })));
  await db.choiceMemory.upsert({
    where: { platform_chatId: { platform, chatId } },
    create: { platform, chatId, actions: data },
    update: { actions: data },
  });
}

/**
 * Forgets a chat's numbers: a question that takes a typed answer (a number, a text) was asked
 * after the last options, so a reply of "2" answers that question, not the old options.
 */
export async function forgetChoices(db: Db, platform: string, chatId: string): Promise<void> {
  await db.choiceMemory.deleteMany({ where: { platform, chatId } });
}

/** True when a chat has numbered options a reply could answer. */
export async function hasChoices(db: Db, platform: string, chatId: string): Promise<boolean> {
  return (await db.choiceMemory.count({ where: { platform, chatId } })) > 0;
}

/** Rows written before labels were kept hold bare action strings. */
function parseStored(json: string): StoredChoice[] {
  const raw = JSON.parse(json) as (string | StoredChoice)[];
  return raw.map((c) => (typeof c === 'string' ? { action: c } : c));
}

/**
 * What a reply stands for in a chat: "2" is the second option; a text equal to one option's
 * label (see `normalizeLabel`) is that option. Two options with that label but different actions
 * are ambiguous — the caller asks for the number instead of guessing.
 */
export async function recallChoice(db: Db, platform: string, chatId: string, text: string): Promise<Recalled> {
  const typed = normalizeLabel(text);
  if (!typed || [...typed].length > 60) return null;
  const n = Number(typed);
  const byNumber = Number.isInteger(n) && n >= 1 && n <= 50;
  const row = await db.choiceMemory.findUnique({ where: { platform_chatId: { platform, chatId } } });
  if (!row) return null;
  const choices = parseStored(row.actions);
  if (byNumber) {
    const chosen = choices[n - 1];
    return chosen ? { action: chosen.action } : null;
  }
  const actions = new Set(choices.filter((c) => c.label !== undefined && normalizeLabel(c.label) === typed).map((c) => c.action));
  if (actions.size === 1) return { action: [...actions][0] };
  if (actions.size > 1) return { ambiguous: text.trim() };
  return null;
}
