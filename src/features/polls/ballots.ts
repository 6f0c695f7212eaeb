/**
 * Printing a household poll's paper ballots, for the CLI, the chat and the console alike: the
 * codes from the domain (which checks the permission), drawn in the community's language — the
 * paper is read by the residents, not by whoever printed it. A 楼栋长 gets their buildings' ballots
 * only (the domain chooses them).
 */
import type { Db } from '../../db/client.ts';
import { printPaperBallots } from '../../domain/polls/paper.ts';
import type { ActorRef } from '../../domain/polls/polls.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { renderBallotsPdf } from './ballotsPdf.ts';
import { optionLabel } from './render.ts';

/** The ballots PDF of a poll, with its file name and counts. */
export async function ballotsPdfOf(db: Db, by: ActorRef, pollId: string, t: TFn, now: Date): Promise<{ pdf: Buffer; name: string; count: number; created: number; number: number; buildings: string[] | null }> {
  const { poll, ballots, created, buildings } = await printPaperBallots(db, by, pollId, now);
  const community = await db.community.findUniqueOrThrow({ where: { id: poll.communityId } });
  const pdf = await renderBallotsPdf({
    t,
    community: community.name,
    number: poll.number,
    question: poll.question,
    description: poll.description,
    options: poll.options.map((o) => optionLabel(t, o)),
    maxChoices: poll.maxChoices,
    closesAt: poll.closesAt,
    ballots,
  });
  return { pdf, name: `${t('ballots.pdf_file', { number: poll.number })}.pdf`, count: ballots.length, created, number: poll.number, buildings };
}
