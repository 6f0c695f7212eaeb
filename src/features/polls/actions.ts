/**
 * The button data of polls, one typed codec per action (src/core/actionCodec.ts): what each
 * button carries, checked against Telegram's 64-byte limit when it is made.
 *
 * `v` and `po` keep the layout of the buttons already posted before the codecs (vote buttons
 * on every card in the groups, the opt-out under reminders), so those go on working. The card
 * and close buttons got names of their own: "pv" meant "poll view" here and "proposal view" in
 * the proposals' deep links (`pv-<id>`), and the close button switched on op letters.
 */
import { defineAction } from '../../core/actionCodec.ts';

/** A tap on an option of a poll's card: `v:<shortId>:<position>`. */
export const voteAction = defineAction('v', { poll: 'id', option: 'int' });

/** Shows a poll's card with its vote buttons in the private chat (from /polls and digests). */
export const showPollAction = defineAction('poll', { poll: 'id' });

/** Committee: close a poll early — first asks to confirm… */
export const closePollAction = defineAction('poll-close', { poll: 'id' });

/** …then closes it. */
export const confirmClosePollAction = defineAction('poll-close-yes', { poll: 'id' });

/** The button under a reminder: no more reminders (`off`), or them again (`on`). */
export const remindersAction = defineAction('po', { to: ['off', 'on'] });

/** /paper: enter returned ballots from a file (Excel/CSV) — starts the batch scene. */
export const paperFileAction = defineAction('pp-f', { poll: 'id' });

/** /paper: print the poll's paper ballots (a 楼栋长: their buildings') as a PDF, privately. */
export const paperPrintAction = defineAction('pp-p', { poll: 'id' });
