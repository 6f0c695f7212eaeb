/**
 * What a running bot keeps for polls, built once per bot (src/features/polls/services.ts builds
 * it; `Services.polls` carries it): the ballot box, the open-poll cache and the card refresher.
 * Declared here so that every layer may name it; nothing of it is module-level state.
 */
import type { OpenPollCache } from './openPolls.ts';
import type { BallotBox } from './voting.ts';

/** Keeps posted poll cards up to date: a burst of votes becomes one edit per card. */
export interface CardRefresher {
  /** A poll's tally changed: refresh its cards soon (a burst rides along). */
  schedule(pollId: string): void;
  /** Runs every scheduled refresh now and waits for those running (tests, the close job, shutdown). */
  flush(): Promise<void>;
}

/** The polls services of one bot. */
export interface PollServices {
  /** Casts ballots and keeps secret ballots secret. */
  readonly ballots: BallotBox;
  /** Open polls by short id. */
  readonly openPolls: OpenPollCache;
  /** Re-renders posted cards after votes and in-person counts. */
  readonly cards: CardRefresher;
}
