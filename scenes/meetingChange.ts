/**
 * Cancelling or moving a scheduled meeting from its card (a committee member, in private): for a
 * move the new time and/or place (either may be skipped, not both), then the reason the notice
 * gives, then a confirmation. The domain decides again when it is done.
 */
import type { Services } from '../src/core/services.ts';
import { parseSendTime } from '../src/domain/announcements/sendTime.ts';
import { DomainError } from '../src/domain/errors.ts';
import type { MeetingMove } from '../src/domain/meetings/changes.ts';
import type { FullMeeting, MeetingActing } from '../src/domain/meetings/meetings.ts';
import { LIMITS, MAX_AHEAD_DAYS } from '../src/domain/meetings/states.ts';
import { requirePermission } from '../src/domain/residents/permissions.ts';
import { defineScene, invalid } from '../src/engine/scene.ts';

interface ChangeState {
  meetingId: string;
  mode: 'cancel' | 'move';
  number: number;
  startsAt?: string | null;
  place?: string | null;
  reason?: string;
}

/** What the scene needs from the meetings feature. */
export interface ChangeSceneDeps {
  cancel(services: Services, acting: MeetingActing, meetingId: string, reason: string): Promise<FullMeeting>;
  reschedule(services: Services, acting: MeetingActing, meetingId: string, move: MeetingMove): Promise<FullMeeting>;
}

/** The change scene; its argument is `cancel:<meeting id>` or `move:<meeting id>`. */
export const createChangeScene = (deps: ChangeSceneDeps) =>
  defineScene<ChangeState>({
    id: 'meetingChange',
    private: true,
    async begin(ctx, args) {
      const [mode, id] = args.trim().split(':');
      const meeting = await ctx.services.db.meeting.findUnique({ where: { id: id ?? '' } });
      if (!meeting || (mode !== 'cancel' && mode !== 'move')) throw new DomainError('meetings.not_found');
      requirePermission(ctx.actor, 'meeting.manage', meeting.communityId);
      if (meeting.status === 'cancelled') throw new DomainError('meetings.already_cancelled');
      if (meeting.status === 'published') throw new DomainError('meetings.already_published');
      return { meetingId: meeting.id, mode, number: meeting.number };
    },
    steps: [
      {
        id: 'time',
        skip: (state) => state.mode !== 'move',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('meetings.ask_new_time'), max: 40, optional: true }),
        validate(answer, ctx) {
          if (answer === null) return;
          const parsed = parseSendTime(String(answer), ctx.services.clock(), ctx.services.config.LINLI_TIMEZONE);
          if (!parsed.ok) return invalid(`meetings.time_${parsed.reason}`, { days: MAX_AHEAD_DAYS });
          if (parsed.now) return invalid('meetings.time_unparsable');
        },
        apply(state, answer, ctx) {
          if (answer === null) return { state: { ...state, startsAt: null } };
          const parsed = parseSendTime(String(answer), ctx.services.clock(), ctx.services.config.LINLI_TIMEZONE);
          return { state: { ...state, startsAt: parsed.ok ? parsed.at.toISOString() : null } };
        },
      },
      {
        id: 'place',
        skip: (state) => state.mode !== 'move',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('meetings.ask_new_place', { max: LIMITS.place }), min: 2, max: LIMITS.place, optional: true }),
        validate: (answer, _ctx, state) => (answer === null && !state.startsAt ? invalid('meetings.change_nothing') : undefined),
        apply: (state, answer) => ({ state: { ...state, place: answer === null ? null : String(answer) } }),
      },
      {
        id: 'reason',
        prompt: (ctx, state) => ({ kind: 'text', text: ctx.t(state.mode === 'cancel' ? 'meetings.ask_cancel_reason' : 'meetings.ask_change_reason', { max: LIMITS.reason }), min: 2, max: LIMITS.reason }),
        apply: (state, answer) => ({ state: { ...state, reason: String(answer) } }),
      },
      {
        id: 'confirm',
        prompt: (ctx, state) => ({
          kind: 'confirm',
          text:
            state.mode === 'cancel'
              ? ctx.t('meetings.cancel_confirm', { number: state.number, reason: state.reason })
              : ctx.t('meetings.change_confirm', { number: state.number, when: state.startsAt ? ctx.t('meetings.when_value', { when: new Date(state.startsAt) }) : '-', place: state.place ?? '-', reason: state.reason}),
          yesLabel: ctx.t(state.mode === 'cancel' ? 'meetings.cancel_yes' : 'meetings.change_yes'),
          noLabel: ctx.t('meetings.change_no'),
        }),
        apply: (state, answer) => (answer ? { state, next: 'done' } : { state, next: state.mode === 'cancel' ? 'reason' : 'time' }),
      },
    ],
    async finish(ctx, state) {
      const acting = { actor: ctx.actor, via: ctx.via, now: ctx.services.clock() };
      if (state.mode === 'cancel') {
        const m = await deps.cancel(ctx.services, acting, state.meetingId, state.reason!);
        await ctx.reply(ctx.t('meetings.cancel_done', { number: m.number }));
        return;
      }
      const m = await deps.reschedule(ctx.services, acting, state.meetingId, { startsAt: state.startsAt ? new Date(state.startsAt) : null, place: state.place ?? null, reason: state.reason! });
      await ctx.reply(ctx.t('meetings.change_done', { number: m.number, when: m.startsAt, place: m.place }));
    },
  });
