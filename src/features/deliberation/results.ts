/**
 * What a poll's result notice gains from the deliberation: the voters' one-line reasons (named
 * polls only — reasonsForResult returns none for a secret ballot) and the committee's closing
 * statement when it was posted before the close.
 */
import type { Db } from '../../db/client.ts';
import { statementOf } from '../../domain/deliberation/closing.ts';
import { reasonsForResult } from '../../domain/deliberation/reasons.ts';
import type { PollWithOptions } from '../../domain/polls/polls.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { resultLines } from './render.ts';

/** The result's extra lines, rendered per language. */
export async function loadResultLines(db: Db, poll: PollWithOptions): Promise<(t: TFn) => string[]> {
  const [statement, reasons] = await Promise.all([statementOf(db, { kind: 'poll', id: poll.id }), reasonsForResult(db, poll)]);
  return (t) => resultLines(t, poll.options, statement, reasons);
}
