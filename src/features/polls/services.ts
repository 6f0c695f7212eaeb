/**
 * Builds the polls services of one bot (`Services.polls`): the ballot box with its ballot key,
 * the open-poll cache and the card refresher. `createLinli` calls this once; two bots in one
 * process share nothing.
 */
import { OpenPollCache } from '../../domain/polls/openPolls.ts';
import { createBallotSeal } from '../../domain/polls/secrecy.ts';
import type { PollServices } from '../../domain/polls/services.ts';
import { BallotBox } from '../../domain/polls/voting.ts';
import { ballotKeyLoader } from './ballotKey.ts';
import { TimedCardRefresher, type CardDeps } from './cards.ts';

/** What the polls services are built from. */
export interface PollServicesDeps extends CardDeps {
  /** LINLI_BALLOT_KEY; unset: a key file next to the database (see ballotKey.ts). */
  ballotKey?: string;
  /** How long a burst of votes is gathered before the cards are edited (default 3 s). */
  refreshDelayMs?: number;
}

/** The polls services of one bot. */
export function createPollServices(deps: PollServicesDeps): PollServices {
  const seal = createBallotSeal(ballotKeyLoader({ setting: deps.ballotKey, log: deps.log }));
  return {
    ballots: new BallotBox(deps.db, seal),
    openPolls: new OpenPollCache(deps.db),
    cards: new TimedCardRefresher(deps, deps.refreshDelayMs),
  };
}
