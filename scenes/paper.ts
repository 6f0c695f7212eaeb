/**
 * `/paper <poll>`: a committee member or a 楼栋长 enters a returned paper ballot — the ballot's
 * code (typed, or the text a QR scanner gives) or the household's unit, then the choice marked
 * on it. The household is checked at once (a wrong code, another poll's ballot, a unit outside
 * the electorate or another building is asked again); the entry itself is the domain's, which
 * refuses a household that already voted and says when and how.
 */
import type { Ctx } from '../src/core/context.ts';
import { DomainError } from '../src/domain/errors.ts';
import { householdOfBallot, normalizeBallotCode, requireHouseholdPoll, requireVotingTime, type BallotRef } from '../src/domain/polls/paper.ts';
import { requirePoll } from '../src/domain/polls/polls.ts';
import { requirePermission } from '../src/domain/residents/permissions.ts';
import { defineScene, invalid } from '../src/engine/scene.ts';

interface PaperState {
  pollId: string;
  number: number;
  typed?: string;
  /** Multiple choice: positions typed as "1 3". */
  positions?: number[];
}

/** The id the polls feature starts this scene by. */
export const PAPER_SCENE = 'paper';

/** Longest code or unit typed. */
const MAX_TYPED = 60;

/** A typed code (anything that reads as a ballot code) or else a unit. */
export function ballotRefOf(typed: string): BallotRef {
  return normalizeBallotCode(typed) ? { code: typed } : { unit: typed };
}

/** Positions typed as "1", "1 3", "1,3", "1、3". */
export function typedPositions(raw: string): number[] | null {
  const parts = raw.normalize('NFKC').split(/[\s,，、]+/).filter(Boolean);
  return parts.length && parts.every((p) => /^\d{1,2}$/.test(p)) ? parts.map(Number) : null;
}

/** What the scene needs from the polls feature. */
export interface PaperSceneDeps {
  /** Enters the ballot and answers the person. */
  enter(ctx: Ctx, pollId: string, ref: BallotRef, positions: number[]): Promise<void>;
  /** An option's label in the person's language. */
  label(ctx: Ctx, option: { kind: string; label: string }): string;
}

/** The /paper scene. */
export function createPaperScene(deps: PaperSceneDeps) {
  const pollOf = (ctx: Ctx, state: PaperState) => requirePoll(ctx.services.db, state.pollId);
  return defineScene<PaperState>({
    id: PAPER_SCENE,
    private: true,
    ttlMinutes: 30,
    async begin(ctx, args) {
      const community = ctx.requireCommunity();
      requirePermission(ctx.actor, 'poll.paper', community.id);
      if (!args.trim()) throw new DomainError('ballots.which_poll');
      const poll = await requirePoll(ctx.services.db, args.trim(), community.id);
      requireHouseholdPoll(poll);
      requireVotingTime(poll, ctx.services.clock());
      return { pollId: poll.id, number: poll.number };
    },
    steps: [
      {
        id: 'ballot',
        prompt: (ctx, state) => ({ kind: 'text', text: ctx.t('ballots.ask_ballot', { number: state.number }), max: MAX_TYPED }),
        async validate(answer, ctx, state) {
          try {
            await householdOfBallot(ctx.services.db, { actor: ctx.actor, via: ctx.via }, await pollOf(ctx, state), ballotRefOf(String(answer)));
          } catch (err) {
            if (err instanceof DomainError) return invalid(err.key, err.params);
            throw err;
          }
        },
        apply: (state, answer) => ({ state: { ...state, typed: String(answer) } }),
      },
      {
        id: 'choice',
        async prompt(ctx, state) {
          const poll = await pollOf(ctx, state);
          const options = poll.options.map((o) => ({ value: String(o.position), label: `${o.position}. ${deps.label(ctx, o)}` }));
          if (poll.maxChoices === 1) return { kind: 'choice', text: ctx.t('ballots.ask_choice', { unit: state.typed ?? '' }), options, columns: 1 };
          return { kind: 'text', text: ctx.t('ballots.ask_choices', { unit: state.typed ?? '', k: poll.maxChoices, options: options.map((o) => o.label).join('\n') }), max: 40 };
        },
        async validate(answer, ctx, state) {
          const poll = await pollOf(ctx, state);
          const positions = typedPositions(String(answer));
          if (!positions || positions.length > poll.maxChoices || positions.some((p) => !poll.options.some((o) => o.position === p)) || new Set(positions).size !== positions.length) {
            return invalid('ballots.bad_choice', { n: poll.options.length, k: poll.maxChoices });
          }
        },
        apply: (state, answer) => ({ state: { ...state, positions: typedPositions(String(answer)) ?? [] } }),
      },
    ],
    async finish(ctx, state) {
      await deps.enter(ctx, state.pollId, ballotRefOf(state.typed ?? ''), state.positions ?? []);
    },
  });
}
