/**
 * `/newpoll`: a committee member puts a question to the council or the residents. Most steps
 * are one tap with a sensible default; options are either the standard 赞成/反对/弃权, typed one
 * per line, or the community's shortlisted micro-projects (an approval vote). The poll is
 * checked by the domain on finish (who may create one, and every rule) and posted to every group
 * of the community by the polls feature, which hands in how.
 */
import { defineScene, invalid, type ChoiceOption } from '../src/engine/scene.ts';
import { createPoll, type PollWithOptions } from '../src/domain/polls/polls.ts';
import { ballotShortlist } from '../src/domain/polls/queries.ts';
import { cleanText, LIMITS, parseQuorum, type Electorate, type PassRule, type Quorum } from '../src/domain/polls/rules.ts';
import type { Ctx } from '../src/core/context.ts';
import type { Services } from '../src/core/services.ts';
import { parseSendTime } from '../src/domain/announcements/sendTime.ts';
import { loadScopeRegister, scopeStep, withScope, type ScopedState } from './scopeStep.ts';
import { parsePeriod, startPeriod, votingOpensAfter } from '../src/domain/deliberation/periods.ts';
import { DomainError } from '../src/domain/errors.ts';

type Mode = 'standard' | 'custom' | 'proposals';
type Ballot = 'anon-change' | 'anon-final' | 'named-change' | 'named-final';

interface NewPollState extends ScopedState {
  communityId: string;
  shortlist: { id: string; label: string }[];
  question?: string;
  description?: string | null;
  mode?: Mode;
  options?: string[];
  maxChoices?: number;
  electorate?: Electorate;
  /** ISO time voting opens; absent = at once. */
  opensAt?: string;
  durationHours?: number;
  quorum?: Quorum;
  rule?: PassRule;
  ballot?: Ballot;
  live?: boolean;
  /** Days of 议事 (comments, no votes) before voting opens; absent = none. */
  deliberationDays?: number;
}

/** "议事3天" as the opening time: a deliberation period, or null for a plain time; a refusal out of range. */
function periodAnswer(text: string): { days: number } | { invalid: string; params?: Record<string, unknown> } | null {
  try {
    const days = parsePeriod(text);
    return days === null ? null : { days };
  } catch (err) {
    if (err instanceof DomainError) return { invalid: err.key, params: err.params };
    throw err;
  }
}

const DURATIONS = [12, 24, 72, 168, 336];
const BALLOTS: Ballot[] = ['anon-change', 'anon-final', 'named-change', 'named-final'];

/** Splits typed options, one per line (also 、 or ; separated on one line). */
export function splitOptions(text: string): string[] {
  const parts = text.includes('\n') ? text.split('\n') : text.split(/[;；、]/);
  return parts.map((s) => cleanText(s.replace(/^\s*(\d+[.、)]|[-*•])\s*/, ''))).filter(Boolean);
}

/** When voting opens: the chosen time, or now. */
function opensAt(ctx: Ctx, s: NewPollState): Date {
  return s.opensAt ? new Date(s.opensAt) : ctx.services.clock();
}

function optionCount(state: NewPollState): number {
  return state.mode === 'standard' ? 3 : state.mode === 'proposals' ? state.shortlist.length : (state.options?.length ?? 0);
}

const choices = (ctx: Ctx, prefix: string, values: readonly string[]): ChoiceOption[] => values.map((v) => ({ value: v, label: ctx.t(`${prefix}${v}`) }));

/** What the scene needs from the polls feature. */
export interface NewPollSceneDeps {
  /** Posts an open poll to the community's groups; how many groups it went to. */
  publish(services: Services, poll: PollWithOptions): Promise<number>;
  /** Posts the notice of a poll's deliberation period (comments before voting opens). */
  announcePeriod?(services: Services, pollId: string): Promise<number>;
}

/** The /newpoll scene, bound to the feature's publishing. */
export const createNewPollScene = (deps: NewPollSceneDeps) =>
  defineScene<NewPollState>({
    id: 'newpoll',
    private: true,
    ttlMinutes: 60,
    // /newpoll declares its permission (the router checks it before starting) and createPoll checks it again.
    async begin(ctx) {
      const community = ctx.requireCommunity();
      const shortlisted = await ballotShortlist(ctx.services.db, community.id, LIMITS.maxOptions);
      return {
        communityId: community.id,
        shortlist: shortlisted.map((p) => ({ id: p.id, label: [...`#${p.number} ${p.title}`].slice(0, LIMITS.optionMax).join('') })),
        scopeRegister: await loadScopeRegister(ctx, community.id),
      };
    },
    steps: [
      {
        id: 'question',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('polls.ask_question', { max: LIMITS.questionMax }), min: LIMITS.questionMin, max: LIMITS.questionMax }),
        apply: (s, a) => ({ state: { ...s, question: cleanText(String(a)) } }),
      },
      {
        id: 'description',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('polls.ask_description', { max: LIMITS.descriptionMax }), max: LIMITS.descriptionMax, optional: true }),
        apply: (s, a) => ({ state: { ...s, description: a === null ? null : String(a).trim() } }),
      },
      {
        id: 'mode',
        prompt: (ctx, s) => ({
          kind: 'choice',
          text: ctx.t('polls.ask_mode'),
          columns: 1,
          options: [
            { value: 'standard', label: ctx.t('polls.mode_standard') },
            { value: 'custom', label: ctx.t('polls.mode_custom') },
            ...(s.shortlist.length >= 2 ? [{ value: 'proposals', label: ctx.t('polls.mode_proposals', { n: s.shortlist.length }) }] : []),
          ],
        }),
        apply: (s, a) => ({ state: { ...s, mode: a as Mode, maxChoices: a === 'standard' ? 1 : s.maxChoices } }),
      },
      {
        id: 'options',
        skip: (s) => s.mode !== 'custom',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('polls.ask_options', { min: LIMITS.minOptions, max: LIMITS.maxOptions, len: LIMITS.optionMax }), max: 1000 }),
        validate: (a) => {
          const options = splitOptions(String(a));
          if (options.length < LIMITS.minOptions || options.length > LIMITS.maxOptions) return invalid('polls.err_options_count', { min: LIMITS.minOptions, max: LIMITS.maxOptions });
          const long = options.find((o) => [...o].length > LIMITS.optionMax);
          if (long) return invalid('polls.err_option_long', { max: LIMITS.optionMax, option: [...long].slice(0, 20).join('') });
          const seen = new Set<string>();
          for (const o of options) {
            if (seen.has(o.toLowerCase())) return invalid('polls.err_option_duplicate', { option: o });
            seen.add(o.toLowerCase());
          }
        },
        apply: (s, a) => ({ state: { ...s, options: splitOptions(String(a)) } }),
      },
      {
        id: 'maxChoices',
        skip: (s) => s.mode === 'standard',
        prompt: (ctx, s) => ({ kind: 'number', text: ctx.t('polls.ask_max_choices', { n: optionCount(s) }), min: 1, max: optionCount(s), integer: true }),
        apply: (s, a) => ({ state: { ...s, maxChoices: Number(a) } }),
      },
      {
        id: 'electorate',
        prompt: (ctx) => ({ kind: 'choice', text: ctx.t('polls.ask_electorate'), columns: 1, options: choices(ctx, 'polls.electorate_', ['council', 'residents', 'households']) }),
        apply: (s, a) => ({ state: { ...s, electorate: a as Electorate } }),
      },
      // Residents' and household polls may be for some buildings or groups; the council's is the council's.
      scopeStep<NewPollState>({ skip: (s) => s.electorate === 'council' }),
      {
        id: 'opens',
        prompt: (ctx) => ({ kind: 'text', text: `${ctx.t('polls.ask_opens')}\n${ctx.t('deliberation.ask_opens_period')}`, max: 40 }),
        validate: (a, ctx) => {
          const period = periodAnswer(String(a));
          if (period && 'invalid' in period) return invalid(period.invalid, period.params);
          if (period) return;
          const when = parseSendTime(String(a), ctx.services.clock(), ctx.services.config.LINLI_TIMEZONE);
          if (!when.ok) return invalid(when.reason === 'past' ? 'polls.err_opens_past' : `polls.err_opens_${when.reason}`);
        },
        apply: (s, a, ctx) => {
          const period = periodAnswer(String(a));
          if (period && 'days' in period) return { state: { ...s, opensAt: votingOpensAfter(period.days, ctx.services.clock()).toISOString(), deliberationDays: period.days } };
          const when = parseSendTime(String(a), ctx.services.clock(), ctx.services.config.LINLI_TIMEZONE);
          return { state: { ...s, opensAt: when.ok && !when.now ? when.at.toISOString() : undefined, deliberationDays: undefined } };
        },
      },
      {
        id: 'duration',
        prompt: (ctx) => ({
          kind: 'choice',
          text: ctx.t('polls.ask_duration'),
          options: DURATIONS.map((h) => ({ value: String(h), label: h < 24 ? ctx.t('polls.hours', { count: h }) : ctx.t('polls.days', { count: h / 24 }) })),
        }),
        apply: (s, a) => ({ state: { ...s, durationHours: Number(a) } }),
      },
      {
        id: 'quorum',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('polls.ask_quorum'), max: 12, optional: true }),
        validate: (a) => {
          if (a !== null && !parseQuorum(String(a))) return invalid('polls.err_quorum');
        },
        apply: (s, a) => ({ state: { ...s, quorum: parseQuorum(a === null ? '' : String(a)) ?? { kind: 'none' } } }),
      },
      {
        id: 'rule',
        prompt: (ctx) => ({ kind: 'choice', text: ctx.t('polls.ask_rule'), columns: 1, options: choices(ctx, 'polls.rule_', ['majority', 'electorate', 'two-thirds']) }),
        apply: (s, a) => ({ state: { ...s, rule: a as PassRule } }),
      },
      {
        id: 'ballot',
        prompt: (ctx) => ({ kind: 'choice', text: ctx.t('polls.ask_ballot'), columns: 1, options: choices(ctx, 'polls.ballot_', BALLOTS) }),
        apply: (s, a) => ({ state: { ...s, ballot: a as Ballot } }),
      },
      {
        id: 'live',
        prompt: (ctx) => ({ kind: 'choice', text: ctx.t('polls.ask_live'), columns: 1, options: [{ value: 'hidden', label: ctx.t('polls.results_hidden') }, { value: 'live', label: ctx.t('polls.results_live') }] }),
        apply: (s, a) => ({ state: { ...s, live: a === 'live' } }),
      },
      {
        id: 'confirm',
        prompt: (ctx, s) => {
          const options = s.mode === 'standard' ? [ctx.t('polls.opt_yes'), ctx.t('polls.opt_no'), ctx.t('polls.opt_abstain')] : s.mode === 'proposals' ? s.shortlist.map((p) => p.label) : (s.options ?? []);
          const quorum = s.quorum?.kind === 'count' ? ctx.t('polls.quorum_count', { n: s.quorum.value }) : s.quorum?.kind === 'share' ? ctx.t('polls.quorum_share', { share: s.quorum.value }) : ctx.t('polls.quorum_none');
          const period = s.deliberationDays ? `\n${ctx.t('deliberation.confirm_period', { days: s.deliberationDays, opens: new Date(s.opensAt ?? 0) })}` : '';
          return {
            kind: 'confirm',
            text: ctx.t('polls.confirm', {
              question: s.question,
              options: options.map((o, i) => `${i + 1}. ${o}`).join('\n'),
              choice: (s.maxChoices ?? 1) === 1 ? ctx.t('polls.single') : ctx.t('polls.multi', { k: s.maxChoices }),
              electorate: withScope(ctx, ctx.t(`polls.electorate_${s.electorate}`), s.electorate === 'council' ? undefined : s.scope),
              opens: s.opensAt ? ctx.t('polls.opens_at', { at: new Date(s.opensAt) }) : ctx.t('polls.opens_now'),
              when: new Date(opensAt(ctx, s).getTime() + (s.durationHours ?? 72) * 3_600_000),
              quorum,
              rule: ctx.t(`polls.rule_${s.rule}`),
              ballot: ctx.t(`polls.ballot_${s.ballot}`),
              results: s.live ? ctx.t('polls.results_live') : ctx.t('polls.results_hidden'),
            }) + period,
            yesLabel: ctx.t('polls.confirm_yes'),
            noLabel: ctx.t('polls.confirm_restart'),
          };
        },
        apply: (s, a) => (a ? { state: s } : { state: { communityId: s.communityId, shortlist: s.shortlist, scopeRegister: s.scopeRegister }, next: 'question' }),
      },
    ],
    async finish(ctx, s) {
      const now = ctx.services.clock();
      // One instant for "now": read the clock twice and a poll the preview said starts at once
      // would be a few milliseconds in the future, i.e. "scheduled" — and announced as such.
      const opens = s.opensAt ? new Date(s.opensAt) : now;
      const poll = await createPoll(
        ctx.services.db,
        { actor: ctx.actor, via: ctx.via },
        s.communityId,
        {
          question: s.question ?? '',
          description: s.description,
          options: s.mode === 'standard' ? 'standard' : s.mode === 'proposals' ? s.shortlist.map((p) => ({ label: p.label, proposalId: p.id })) : (s.options ?? []).map((label) => ({ label })),
          maxChoices: s.maxChoices ?? 1,
          electorate: s.electorate ?? 'residents',
          anonymous: (s.ballot ?? 'anon-change').startsWith('anon'),
          allowChange: (s.ballot ?? 'anon-change').endsWith('change'),
          opensAt: opens,
          closesAt: new Date(opens.getTime() + (s.durationHours ?? 72) * 3_600_000),
          quorum: s.quorum ?? { kind: 'none' },
          rule: s.rule ?? 'majority',
          liveResults: s.live ?? false,
          scope: s.electorate === 'council' ? undefined : s.scope,
        },
        now,
      );
      if (poll.status === 'scheduled' && s.deliberationDays) {
        // 议事 first: the period's notice takes comments now; the scheduler opens the vote at its end.
        await startPeriod(ctx.services.db, { actor: ctx.actor, via: ctx.via }, poll.id, now);
        const groups = (await deps.announcePeriod?.(ctx.services, poll.id)) ?? 0;
        await ctx.reply(ctx.t('deliberation.period_created', { number: poll.number, opens: poll.opensAt, groups, days: s.deliberationDays }));
        return;
      }
      if (poll.status === 'scheduled') {
        // The scheduler opens and posts it at its time (polls-tick).
        await ctx.reply(ctx.t('polls.created_scheduled', { number: poll.number, opens: poll.opensAt }));
        return;
      }
      const groups = await deps.publish(ctx.services, poll);
      await ctx.reply(ctx.t('polls.created', { number: poll.number, groups }));
    },
  });
