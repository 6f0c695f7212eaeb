/**
 * Scheduling a meeting (/meeting, committee members, in a private chat): the body, the time,
 * the place, an optional title, the agenda — free text, proposals under review, polls — then a
 * preview to confirm. The rules are in src/domain/meetings; the feature hands in how to schedule
 * and announce.
 */
import type { Ctx } from '../src/core/context.ts';
import type { Services } from '../src/core/services.ts';
import { parseSendTime } from '../src/domain/announcements/sendTime.ts';
import { BODY_KINDS, bodyLabelKey, isBodyKind, type BodyKind } from '../src/domain/meetings/bodies.ts';
import type { FullMeeting, MeetingActing, NewAgendaItem } from '../src/domain/meetings/meetings.ts';
import { LIMITS, MAX_AHEAD_DAYS } from '../src/domain/meetings/states.ts';
import { requirePermission } from '../src/domain/residents/permissions.ts';
import { defineScene, invalid } from '../src/engine/scene.ts';

interface MeetingState {
  communityId: string;
  body?: BodyKind;
  /** ISO instant. */
  startsAt?: string;
  place?: string;
  title?: string | null;
  agenda: NewAgendaItem[];
}

const DONE = '__done';
const BACK = '__back';
/** Proposals and polls offered for the agenda at most (the newest). */
const OFFERED = 8;

/** What the scene needs from the meetings feature. */
export interface MeetingSceneDeps {
  /** Schedules the meeting and posts its notice; returns it. */
  schedule(services: Services, acting: MeetingActing, input: { communityId: string; body: BodyKind; title: string | null; startsAt: Date; place: string; agenda: NewAgendaItem[] }): Promise<FullMeeting>;
}

function parseTime(ctx: Ctx, raw: string) {
  return parseSendTime(raw, ctx.services.clock(), ctx.services.config.LINLI_TIMEZONE);
}

/** The /meeting scene, bound to the feature's scheduling. */
export const createMeetingScene = (deps: MeetingSceneDeps) =>
  defineScene<MeetingState>({
    id: 'meeting',
    private: true,
    begin(ctx) {
      const community = ctx.requireCommunity();
      requirePermission(ctx.actor, 'meeting.manage', community.id);
      return { communityId: community.id, agenda: [] };
    },
    steps: [
      {
        id: 'body',
        prompt: (ctx) => ({ kind: 'choice', text: ctx.t('meetings.ask_body'), columns: 1, options: BODY_KINDS.map((k) => ({ value: k, label: ctx.t(bodyLabelKey(k)) })) }),
        apply: (state, answer) => ({ state: { ...state, body: isBodyKind(String(answer)) ? (String(answer) as BodyKind) : 'other' } }),
      },
      {
        id: 'time',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('meetings.ask_time'), max: 40 }),
        validate(answer, ctx) {
          const parsed = parseTime(ctx, String(answer));
          if (!parsed.ok) return invalid(`meetings.time_${parsed.reason}`, { days: MAX_AHEAD_DAYS });
          if (parsed.now) return invalid('meetings.time_unparsable');
        },
        apply(state, answer, ctx) {
          const parsed = parseTime(ctx, String(answer));
          return { state: parsed.ok ? { ...state, startsAt: parsed.at.toISOString() } : state };
        },
      },
      {
        id: 'place',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('meetings.ask_place', { max: LIMITS.place }), min: 2, max: LIMITS.place }),
        apply: (state, answer) => ({ state: { ...state, place: String(answer) } }),
      },
      {
        id: 'title',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('meetings.ask_title', { max: LIMITS.title }), min: 2, max: LIMITS.title, optional: true }),
        apply: (state, answer) => ({ state: { ...state, title: answer === null ? null : String(answer) } }),
      },
      {
        id: 'agenda',
        prompt: (ctx, state) => ({
          kind: 'choice',
          text: ctx.t('meetings.ask_agenda', { count: state.agenda.length, items: state.agenda.map((a, i) => `${i + 1}. ${a.title}`).join('\n') || ctx.t('meetings.agenda_none'), max: LIMITS.agendaItems }),
          columns: 1,
          options: [
            { value: 'text', label: ctx.t('meetings.agenda_add_text') },
            { value: 'proposal', label: ctx.t('meetings.agenda_add_proposal') },
            { value: 'poll', label: ctx.t('meetings.agenda_add_poll') },
            { value: DONE, label: ctx.t('meetings.agenda_done') },
          ],
        }),
        validate(answer, _ctx, state) {
          if (answer === DONE && !state.agenda.length) return invalid('meetings.agenda_empty');
          if (answer !== DONE && state.agenda.length >= LIMITS.agendaItems) return invalid('meetings.too_many_items', { max: LIMITS.agendaItems });
        },
        apply: (state, answer) => ({ state, next: answer === DONE ? 'confirm' : `agenda_${String(answer)}` }),
      },
      {
        id: 'agenda_text',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('meetings.ask_agenda_text', { max: LIMITS.agendaTitle }), min: 2, max: LIMITS.agendaTitle }),
        apply: (state, answer) => ({ state: { ...state, agenda: [...state.agenda, { kind: 'text', title: String(answer) }] }, next: 'agenda' }),
      },
      {
        id: 'agenda_proposal',
        async prompt(ctx, state) {
          const rows = await ctx.services.db.proposal.findMany({
            where: { communityId: state.communityId, status: { in: ['submitted', 'under_review', 'shortlisted'] } },
            orderBy: { number: 'desc' },
            take: OFFERED,
          });
          return {
            kind: 'choice',
            text: ctx.t(rows.length ? 'meetings.ask_agenda_proposal' : 'meetings.no_proposals'),
            columns: 1,
            options: [...rows.map((p) => ({ value: p.id, label: `#${p.number} ${p.title}` })), { value: BACK, label: ctx.t('meetings.back') }],
          };
        },
        apply: (state, answer) => (answer === BACK ? { state, next: 'agenda' } : { state: { ...state, agenda: [...state.agenda, { kind: 'proposal', refId: String(answer), title: '' }] }, next: 'agenda' }),
      },
      {
        id: 'agenda_poll',
        async prompt(ctx, state) {
          const rows = await ctx.services.db.poll.findMany({ where: { communityId: state.communityId, status: { in: ['open', 'scheduled'] } }, orderBy: { number: 'desc' }, take: OFFERED });
          return {
            kind: 'choice',
            text: ctx.t(rows.length ? 'meetings.ask_agenda_poll' : 'meetings.no_polls'),
            columns: 1,
            options: [...rows.map((p) => ({ value: p.id, label: `#${p.number} ${p.question}` })), { value: BACK, label: ctx.t('meetings.back') }],
          };
        },
        apply: (state, answer) => (answer === BACK ? { state, next: 'agenda' } : { state: { ...state, agenda: [...state.agenda, { kind: 'poll', refId: String(answer), title: '' }] }, next: 'agenda' }),
      },
      {
        id: 'confirm',
        async prompt(ctx, state) {
          const labels = await agendaLabels(ctx, state.agenda);
          return {
            kind: 'confirm',
            text: ctx.t('meetings.preview', {
              body: ctx.t(bodyLabelKey(state.body ?? 'other')),
              title: state.title ?? ctx.t('meetings.title_default_hint'),
              when: new Date(state.startsAt!),
              place: state.place,
              agenda: labels.map((l, i) => `${i + 1}. ${l}`).join('\n'),
            }),
            yesLabel: ctx.t('meetings.confirm_yes'),
            noLabel: ctx.t('meetings.confirm_edit'),
          };
        },
        apply: (state, answer) => (answer ? { state, next: 'done' } : { state: { ...state, agenda: [] }, next: 'body' }),
      },
    ],
    async finish(ctx, state) {
      const meeting = await deps.schedule(
        ctx.services,
        { actor: ctx.actor, via: ctx.via, now: ctx.services.clock() },
        { communityId: state.communityId, body: state.body ?? 'other', title: state.title ?? null, startsAt: new Date(state.startsAt!), place: state.place!, agenda: state.agenda },
      );
      await ctx.reply(ctx.t('meetings.scheduled', { number: meeting.number, when: meeting.startsAt }));
    },
  });

/** The agenda as the preview shows it: a proposal's or poll's own title. */
async function agendaLabels(ctx: Ctx, agenda: NewAgendaItem[]): Promise<string[]> {
  const out: string[] = [];
  for (const item of agenda) {
    if (item.kind === 'proposal' && item.refId) {
      const p = await ctx.services.db.proposal.findUnique({ where: { id: item.refId } });
      out.push(p ? `#${p.number} ${p.title}${ctx.t('meetings.agenda_tag_proposal')}` : '?');
    } else if (item.kind === 'poll' && item.refId) {
      const p = await ctx.services.db.poll.findUnique({ where: { id: item.refId } });
      out.push(p ? `#${p.number} ${p.question}${ctx.t('meetings.agenda_tag_poll')}` : '?');
    } else out.push(item.title);
  }
  return out;
}
