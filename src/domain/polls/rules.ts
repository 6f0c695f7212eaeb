/**
 * The rules of a poll as pure functions: what a valid poll looks like, how large a quorum is,
 * and what the counted votes decide under each pass rule. No database, no clock: the callers
 * pass everything in, so the arithmetic is tested on its own.
 */
import type { Scope } from '../register/scope.ts';
import { DomainError } from '../errors.ts';

/** Who may cast a counted ballot. */
export const ELECTORATES = ['council', 'residents', 'households'] as const;
export type Electorate = (typeof ELECTORATES)[number];

/** How a poll (or an option of it) passes. */
export const PASS_RULES = ['majority', 'electorate', 'two-thirds'] as const;
export type PassRule = (typeof PASS_RULES)[number];

/** Minimum turnout: none, a head count, or a share of the electorate (0..1]. */
export type Quorum = { kind: 'none' } | { kind: 'count'; value: number } | { kind: 'share'; value: number };

/** What an option is: a custom text or one of the standard 赞成/反对/弃权 options. */
export type OptionKind = 'custom' | 'yes' | 'no' | 'abstain';

/** Limits of a poll's text and shape. */
export const LIMITS = {
  questionMin: 2,
  questionMax: 200,
  descriptionMax: 1000,
  optionMax: 40,
  minOptions: 2,
  maxOptions: 10,
  /** Shortest and longest voting period. */
  minDurationMs: 60 * 60_000,
  maxDurationMs: 8 * 7 * 86_400_000,
  /** An opening time this far in the past still counts as "now" (slow typing, clock skew). */
  pastToleranceMs: 60_000,
  maxQuorumCount: 1_000_000,
} as const;

/** A poll as someone asks for it, before validation. */
export interface PollDraft {
  question: string;
  description?: string | null;
  /** Custom options, or 'standard' for 赞成/反对/弃权. */
  options: { label: string; proposalId?: string | null }[] | 'standard';
  /** 1 = single choice; k = pick up to k. */
  maxChoices: number;
  electorate: Electorate;
  anonymous: boolean;
  allowChange: boolean;
  /** Default: now. */
  opensAt?: Date | null;
  closesAt: Date;
  quorum: Quorum;
  rule: PassRule;
  liveResults: boolean;
  /** Buildings and groups in scope (src/domain/register/scope.ts); default the whole community. */
  scope?: Scope;
}

/** A validated poll ready to store. */
export interface ValidPoll extends Omit<PollDraft, 'options' | 'opensAt' | 'description'> {
  description: string | null;
  opensAt: Date;
  options: { position: number; label: string; kind: OptionKind; proposalId: string | null }[];
}

/** Collapses whitespace and strips control characters. */
export function cleanText(raw: string): string {
  return raw.replace(/[\p{Cc}\p{Cf}]/gu, ' ').replace(/\s+/g, ' ').trim();
}

const length = (s: string) => [...s].length;

/** Checks a draft; throws a DomainError naming the first problem. */
export function validateDraft(draft: PollDraft, now: Date): ValidPoll {
  const question = cleanText(String(draft.question ?? ''));
  if (length(question) < LIMITS.questionMin) throw new DomainError('polls.err_question_short', { min: LIMITS.questionMin });
  if (length(question) > LIMITS.questionMax) throw new DomainError('polls.err_question_long', { max: LIMITS.questionMax });
  const description = draft.description ? String(draft.description).trim() : '';
  if (length(description) > LIMITS.descriptionMax) throw new DomainError('polls.err_description_long', { max: LIMITS.descriptionMax });

  let options: ValidPoll['options'];
  if (draft.options === 'standard') {
    if (draft.maxChoices !== 1) throw new DomainError('polls.err_standard_single');
    options = (['yes', 'no', 'abstain'] as const).map((kind, i) => ({ position: i + 1, label: '', kind, proposalId: null }));
  } else {
    if (!Array.isArray(draft.options)) throw new DomainError('polls.err_options_count', { min: LIMITS.minOptions, max: LIMITS.maxOptions });
    const labels = draft.options.map((o) => ({ label: cleanText(String(o.label ?? '')), proposalId: o.proposalId ?? null }));
    if (labels.some((o) => !o.label)) throw new DomainError('polls.err_option_empty');
    if (labels.length < LIMITS.minOptions || labels.length > LIMITS.maxOptions) {
      throw new DomainError('polls.err_options_count', { min: LIMITS.minOptions, max: LIMITS.maxOptions });
    }
    const long = labels.find((o) => length(o.label) > LIMITS.optionMax);
    if (long) throw new DomainError('polls.err_option_long', { max: LIMITS.optionMax, option: long.label.slice(0, 20) });
    const seen = new Set<string>();
    for (const o of labels) {
      const key = o.label.toLowerCase();
      if (seen.has(key)) throw new DomainError('polls.err_option_duplicate', { option: o.label });
      seen.add(key);
    }
    const linked = labels.filter((o) => o.proposalId).map((o) => o.proposalId);
    if (new Set(linked).size !== linked.length) throw new DomainError('polls.err_option_duplicate', { option: '#' });
    options = labels.map((o, i) => ({ position: i + 1, label: o.label, kind: 'custom' as const, proposalId: o.proposalId }));
  }

  const maxChoices = Number(draft.maxChoices);
  if (!Number.isInteger(maxChoices) || maxChoices < 1 || maxChoices > options.length) {
    throw new DomainError('polls.err_max_choices', { max: options.length });
  }
  if (!(ELECTORATES as readonly string[]).includes(draft.electorate)) throw new DomainError('polls.err_electorate');
  if (!(PASS_RULES as readonly string[]).includes(draft.rule)) throw new DomainError('polls.err_rule');

  const opensAt = draft.opensAt ?? now;
  const closesAt = draft.closesAt;
  if (!(opensAt instanceof Date) || Number.isNaN(opensAt.getTime()) || !(closesAt instanceof Date) || Number.isNaN(closesAt.getTime())) {
    throw new DomainError('polls.err_time_invalid');
  }
  if (opensAt.getTime() < now.getTime() - LIMITS.pastToleranceMs) throw new DomainError('polls.err_opens_past');
  if (closesAt.getTime() <= now.getTime()) throw new DomainError('polls.err_closes_past');
  const duration = closesAt.getTime() - opensAt.getTime();
  if (duration < LIMITS.minDurationMs) throw new DomainError('polls.err_too_short');
  if (duration > LIMITS.maxDurationMs) throw new DomainError('polls.err_too_long');

  const quorum = draft.quorum ?? { kind: 'none' };
  if (quorum.kind === 'count' && (!Number.isInteger(quorum.value) || quorum.value < 1 || quorum.value > LIMITS.maxQuorumCount)) {
    throw new DomainError('polls.err_quorum');
  }
  if (quorum.kind === 'share' && !(quorum.value > 0 && quorum.value <= 1)) throw new DomainError('polls.err_quorum');
  if (!['none', 'count', 'share'].includes(quorum.kind)) throw new DomainError('polls.err_quorum');

  return {
    question,
    description: description || null,
    options,
    maxChoices,
    electorate: draft.electorate,
    anonymous: Boolean(draft.anonymous),
    allowChange: Boolean(draft.allowChange),
    opensAt,
    closesAt,
    quorum,
    rule: draft.rule,
    liveResults: Boolean(draft.liveResults),
  };
}

/**
 * Parses a quorum as people type it: "30%" (a share of the electorate), "50" (people), or
 * empty / "0" / "none" for no quorum. Returns null when it is not understood.
 */
export function parseQuorum(raw: string | null | undefined): Quorum | null {
  const s = String(raw ?? '').trim().replace(/％/g, '%');
  if (!s || s === '0' || /^(none|no|无|不设)$/i.test(s)) return { kind: 'none' };
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(s);
  if (pct) {
    const share = Number(pct[1]) / 100;
    return share > 0 && share <= 1 ? { kind: 'share', value: share } : null;
  }
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n >= 1 && n <= LIMITS.maxQuorumCount ? { kind: 'count', value: n } : null;
  }
  return null;
}

/** The head count a quorum asks for, given the electorate's size. */
export function quorumRequired(quorum: Quorum, electorateSize: number): number {
  if (quorum.kind === 'count') return quorum.value;
  if (quorum.kind === 'share') return Math.ceil(quorum.value * electorateSize - 1e-9);
  return 0;
}

/** Whether `votes` for something pass the rule, out of `cast` voters and an electorate. */
export function meetsRule(rule: PassRule, votes: number, cast: number, electorateSize: number): boolean {
  if (votes <= 0) return false;
  switch (rule) {
    case 'majority':
      return votes * 2 > cast;
    case 'electorate':
      return votes * 2 > electorateSize;
    case 'two-thirds':
      return votes * 3 >= cast * 2;
  }
}

/** The fewest votes that pass the rule (for "needs N" lines in results). */
export function votesNeeded(rule: PassRule, cast: number, electorateSize: number): number {
  switch (rule) {
    case 'majority':
      return Math.floor(cast / 2) + 1;
    case 'electorate':
      return Math.floor(electorateSize / 2) + 1;
    case 'two-thirds':
      return Math.max(1, Math.ceil((cast * 2) / 3));
  }
}

/** What the tally of a poll is made of. */
export interface TallyInput {
  options: { id: string; position: number; kind: OptionKind; proposalId: string | null }[];
  /** Counted votes per option id (online and in person merged). */
  votes: Record<string, number>;
  /** People who took part (counted ballots + in-person voters); abstentions included. */
  turnout: number;
  electorateSize: number;
  maxChoices: number;
  rule: PassRule;
  quorum: Quorum;
}

/** What a tally decides. */
export interface Outcome {
  turnout: number;
  quorumRequired: number;
  quorumMet: boolean;
  /** Votes an option needed to pass. */
  needed: number;
  /** Options that passed, best first (at most maxChoices). */
  passedOptionIds: string[];
  /** The poll as a whole passed (the 赞成 option passed, or any option did). */
  passed: boolean;
  /** More options met the rule with equal votes than places were left (committee decides). */
  tie: boolean;
}

/**
 * Decides a poll. Abstentions count as votes cast (turnout), so under "majority of votes cast"
 * an abstention weighs like a vote against — as at a council meeting, where a motion needs more
 * than half of those present. For a 赞成/反对/弃权 poll the motion passes when 赞成 passes the
 * rule; otherwise each option passes the rule on its own and the best `maxChoices` of those are
 * chosen (for an approval vote: the approved projects). Without quorum, nothing passes.
 */
export function decide(input: TallyInput): Outcome {
  const required = quorumRequired(input.quorum, input.electorateSize);
  const quorumMet = input.turnout >= required && input.turnout > 0;
  const needed = votesNeeded(input.rule, input.turnout, input.electorateSize);
  const base = { turnout: input.turnout, quorumRequired: required, quorumMet, needed };
  if (!quorumMet) return { ...base, passedOptionIds: [], passed: false, tie: false };
  const count = (id: string) => input.votes[id] ?? 0;
  const yes = input.options.find((o) => o.kind === 'yes');
  if (yes) {
    const passed = meetsRule(input.rule, count(yes.id), input.turnout, input.electorateSize);
    return { ...base, passedOptionIds: passed ? [yes.id] : [], passed, tie: false };
  }
  const qualifying = input.options
    .filter((o) => o.kind !== 'abstain' && meetsRule(input.rule, count(o.id), input.turnout, input.electorateSize))
    .sort((a, b) => count(b.id) - count(a.id) || a.position - b.position);
  const chosen = qualifying.slice(0, input.maxChoices);
  const tie = qualifying.length > input.maxChoices && count(qualifying[input.maxChoices].id) === count(chosen[chosen.length - 1].id);
  return { ...base, passedOptionIds: chosen.map((o) => o.id), passed: chosen.length > 0, tie };
}

/**
 * A share that can be true: `part` of `whole` in [0, 1], or null when it cannot be (no whole,
 * a part above the whole). Every percentage shown or exported goes through here, so a count
 * that slipped past validation reads as "unchecked", never as 120%.
 */
export function validShare(part: number, whole: number): number | null {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole <= 0 || part < 0 || part > whole) return null;
  return part / whole;
}
