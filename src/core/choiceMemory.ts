/**
 * On platforms without buttons a choice is shown as numbered options; this remembers, per
 * chat, which action each number stood for, so that a reply of "2" outside a scene can be
 * handled as if the second button had been tapped. Stored in the database so it survives a
 * restart.
 */
import type { Db } from '../db/client.ts';

/** Remembers what the numbers in the last message with options meant in a chat. */
export async function rememberChoices(db: Db, platform: string, chatId: string, actions: string[]): Promise<void> {
  if (!actions.length) return;
  const data = JSON.stringify(actions);
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

/** The action a number stands for in a chat, if any. */
export async function recallChoice(db: Db, platform: string, chatId: string, text: string): Promise<string | null> {
  const n = Number(text.normalize('NFKC').trim());
  if (!Number.isInteger(n) || n < 1 || n > 50) return null;
  const row = await db.choiceMemory.findUnique({ where: { platform_chatId: { platform, chatId } } });
  if (!row) return null;
  const actions = JSON.parse(row.actions) as string[];
  return actions[n - 1] ?? null;
}
