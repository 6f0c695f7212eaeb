/**
 * Recording the minutes of one agenda item (the secretary, in a private chat, from a meeting's
 * card): which item, what was said, and the decision — none, a resolution on record, a move of
 * the linked proposal, or a poll for the residents — with the counts of a vote taken in the
 * room. Once the minutes are published the same scene corrects an item's text, with a reason.
 */
import type { Ctx } from '../src/core/context.ts';
import type { Services } from '../src/core/services.ts';
import type { MeetingActing } from '../src/domain/meetings/meetings.ts';
import type { DecisionInput, InPersonVotes } from '../src/domain/meetings/minutes.ts';
import { LIMITS, PROPOSAL_OUTCOMES, type ProposalOutcome } from '../src/domain/meetings/states.ts';
import { DomainError } from '../src/domain/errors.ts';
import { requirePermission } from '../src/domain/residents/permissions.ts';
import { defineScene, invalid } from '../src/engine/scene.ts';

interface MinutesState {
  meetingId: string;
  communityId: string;
  /** The minutes are published: this run corrects an item. */
  correcting: boolean;
  itemId?: string;
  itemKind?: string;
  proposalId?: string | null;
  minutes?: string;
  reason?: string;
  decision?: 'none' | 'resolution' | 'proposal' | 'poll';
  resolution?: string;
  outcome?: ProposalOutcome;
  outcomeNote?: string | null;
  votes?: InPersonVotes | null;
  pollDays?: number;
}

/** What the scene needs from the meetings feature. */
export interface MinutesSceneDeps {
  /** Records the item's minutes and its decision (posting a poll it opens). */
  record(services: Services, acting: MeetingActing, itemId: string, minutes: string, decision: DecisionInput | null): Promise<void>;
  /** Corrects a published item with a reason (a new version of the minutes' disclosure). */
  correct(services: Services, acting: MeetingActing, itemId: string, minutes: string, reason: string): Promise<void>;
  /** Tells the secretary what was recorded, with the meeting's card. */
  done(ctx: Ctx, meetingId: string): Promise<void>;
}

/** "12 1 0", "赞成12 反对1 弃权0", "12/1/0": for, against, abstain. */
export function parseVotes(raw: string): InPersonVotes | null {
  const numbers = raw.normalize('NFKC').match(/\d+/g);
  if (!numbers || numbers.length !== 3) return null;
  const [f, a, b] = numbers.map(Number);
  return { for: f, against: a, abstain: b };
}

/** The minutes scene; its argument is the meeting id. */
export const createMinutesScene = (deps: MinutesSceneDeps) =>
  defineScene<MinutesState>({
    id: 'meetingMinutes',
    private: true,
    async begin(ctx, args) {
      const meeting = await ctx.services.db.meeting.findUnique({ where: { id: args.trim() } });
      if (!meeting) throw new DomainError('meetings.not_found');
      requirePermission(ctx.actor, 'meeting.manage', meeting.communityId);
      if (meeting.status === 'cancelled') throw new DomainError('meetings.cancelled');
      if (meeting.startsAt.getTime() > ctx.services.clock().getTime()) throw new DomainError('meetings.not_begun', { when: meeting.startsAt });
      return { meetingId: meeting.id, communityId: meeting.communityId, correcting: meeting.status === 'published' };
    },
    steps: [
      {
        id: 'item',
        async prompt(ctx, state) {
          const items = await ctx.services.db.meetingAgendaItem.findMany({ where: { meetingId: state.meetingId }, orderBy: { position: 'asc' } });
          return {
            kind: 'choice',
            text: ctx.t(state.correcting ? 'meetings.ask_item_correct' : 'meetings.ask_item'),
            columns: 1,
            options: items.map((i) => ({ value: i.id, label: `${i.minutes ? '☑' : '☐'} ${i.position}. ${[...i.title].slice(0, 24).join('')}` })),
          };
        },
        async validate(answer, ctx, state) {
          const item = await ctx.services.db.meetingAgendaItem.findUnique({ where: { id: String(answer) } });
          if (!item || item.meetingId !== state.meetingId) return invalid('errors.stale_button');
        },
        apply: (state, answer) => ({ state: { ...state, itemId: String(answer) } }),
      },
      {
        id: 'text',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('meetings.ask_minutes', { max: LIMITS.minutes }), min: 2, max: LIMITS.minutes }),
        apply: (state, answer) => ({ state: { ...state, minutes: String(answer) } }),
      },
      {
        id: 'reason',
        skip: (state) => !state.correcting,
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('meetings.ask_reason', { max: LIMITS.reason }), min: 2, max: LIMITS.reason }),
        apply: (state, answer) => ({ state: { ...state, reason: String(answer) }, next: 'done' }),
      },
      {
        id: 'decision',
        async prompt(ctx, state) {
          const item = await ctx.services.db.meetingAgendaItem.findUniqueOrThrow({ where: { id: state.itemId! } });
          const options = [
            { value: 'none', label: ctx.t('meetings.decision_none') },
            { value: 'resolution', label: ctx.t('meetings.decision_add_resolution') },
            ...(item.kind === 'proposal' ? [{ value: 'proposal', label: ctx.t('meetings.decision_add_proposal') }] : []),
            { value: 'poll', label: ctx.t('meetings.decision_add_poll') },
          ];
          return { kind: 'choice', text: ctx.t('meetings.ask_decision'), columns: 1, options };
        },
        apply: (state, answer) => (answer === 'none' ? { state: { ...state, decision: 'none' }, next: 'done' } : { state: { ...state, decision: answer as MinutesState['decision'] } }),
      },
      {
        id: 'resolution',
        skip: (state) => state.decision !== 'resolution',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('meetings.ask_resolution', { max: LIMITS.decision }), min: 2, max: LIMITS.decision }),
        apply: (state, answer) => ({ state: { ...state, resolution: String(answer) } }),
      },
      {
        id: 'outcome',
        skip: (state) => state.decision !== 'proposal',
        prompt: (ctx) => ({ kind: 'choice', text: ctx.t('meetings.ask_outcome'), columns: 1, options: PROPOSAL_OUTCOMES.map((o) => ({ value: o, label: ctx.t(`meetings.outcome_${o}`) })) }),
        apply: (state, answer) => ({ state: { ...state, outcome: answer as ProposalOutcome } }),
      },
      {
        id: 'outcome_note',
        skip: (state) => state.decision !== 'proposal',
        prompt: (ctx, state) => ({ kind: 'text', text: ctx.t(state.outcome === 'rejected' ? 'meetings.ask_reject_reason' : 'meetings.ask_outcome_note'), max: LIMITS.decision, optional: state.outcome !== 'rejected' }),
        apply: (state, answer) => ({ state: { ...state, outcomeNote: answer === null ? null : String(answer) } }),
      },
      {
        id: 'votes',
        skip: (state) => state.decision !== 'resolution' && state.decision !== 'proposal',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('meetings.ask_votes'), max: 40, optional: true }),
        validate(answer) {
          if (answer !== null && !parseVotes(String(answer))) return invalid('meetings.bad_votes');
        },
        apply: (state, answer) => ({ state: { ...state, votes: answer === null ? null : parseVotes(String(answer)) }, next: 'done' }),
      },
      {
        id: 'poll_days',
        skip: (state) => state.decision !== 'poll',
        prompt: (ctx) => ({ kind: 'number', text: ctx.t('meetings.ask_poll_days'), min: 1, max: 30, integer: true }),
        apply: (state, answer) => ({ state: { ...state, pollDays: Number(answer) } }),
      },
    ],
    async finish(ctx, state) {
      const acting = { actor: ctx.actor, via: ctx.via, now: ctx.services.clock() };
      if (state.correcting) {
        await deps.correct(ctx.services, acting, state.itemId!, state.minutes!, state.reason!);
        return deps.done(ctx, state.meetingId);
      }
      let decision: DecisionInput | null = null;
      if (state.decision === 'resolution') decision = { kind: 'resolution', text: state.resolution!, votes: state.votes };
      else if (state.decision === 'proposal') {
        const item = await ctx.services.db.meetingAgendaItem.findUniqueOrThrow({ where: { id: state.itemId! } });
        decision = { kind: 'proposal', proposalId: item.refId ?? '', outcome: state.outcome!, text: state.outcomeNote ?? '', votes: state.votes };
      } else if (state.decision === 'poll') {
        const item = await ctx.services.db.meetingAgendaItem.findUniqueOrThrow({ where: { id: state.itemId! } });
        decision = { kind: 'poll', question: item.title, closesAt: new Date(acting.now.getTime() + (state.pollDays ?? 7) * 86_400_000) };
      }
      await deps.record(ctx.services, acting, state.itemId!, state.minutes!, decision);
      await deps.done(ctx, state.meetingId);
    },
  });
