/**
 * The arithmetic of polls: validation of drafts, quorum sizes and outcomes under each pass rule,
 * with abstentions and multiple-choice approval votes.
 */
import { describe, expect, it } from 'vitest';
import { decide, meetsRule, parseQuorum, quorumRequired, validateDraft, votesNeeded, type PollDraft, type TallyInput } from '../../../../src/domain/polls/rules.ts';

const now = new Date('2026-11-22T02:00:00Z');
const draft = (over: Partial<PollDraft> = {}): PollDraft => ({
  question: '是否同意加装休闲座椅？',
  options: [{ label: '同意' }, { label: '不同意' }],
  maxChoices: 1,
  electorate: 'residents',
  anonymous: true,
  allowChange: true,
  closesAt: new Date(now.getTime() + 3 * 86_400_000),
  quorum: { kind: 'none' },
  rule: 'majority',
  liveResults: false,
  ...over,
});
const key = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { key?: string }).key;
  }
  return 'ok';
};

describe('validateDraft', () => {
  it('accepts a plain poll and numbers its options', () => {
    const v = validateDraft(draft(), now);
    expect(v.options.map((o) => [o.position, o.label, o.kind])).toEqual([[1, '同意', 'custom'], [2, '不同意', 'custom']]);
    expect(v.opensAt).toEqual(now);
  });
  it('builds the standard options and keeps them single choice', () => {
    expect(validateDraft(draft({ options: 'standard' }), now).options.map((o) => o.kind)).toEqual(['yes', 'no', 'abstain']);
    expect(key(() => validateDraft(draft({ options: 'standard', maxChoices: 2 }), now))).toBe('polls.err_standard_single');
  });
  it('refuses bad shapes with a reason', () => {
    expect(key(() => validateDraft(draft({ options: [{ label: '只有一个' }] }), now))).toBe('polls.err_options_count');
    expect(key(() => validateDraft(draft({ options: Array.from({ length: 11 }, (_, i) => ({ label: `选项${i}` })) }), now))).toBe('polls.err_options_count');
    expect(key(() => validateDraft(draft({ options: [{ label: 'Yes' }, { label: ' yes ' }] }), now))).toBe('polls.err_option_duplicate');
    expect(key(() => validateDraft(draft({ options: [{ label: 'a' }, { label: '   ' }] }), now))).toBe('polls.err_option_empty');
    expect(key(() => validateDraft(draft({ options: [{ label: 'a' }, { label: '长'.repeat(41) }] }), now))).toBe('polls.err_option_long');
    expect(key(() => validateDraft(draft({ question: ' ' }), now))).toBe('polls.err_question_short');
    expect(key(() => validateDraft(draft({ question: '问'.repeat(201) }), now))).toBe('polls.err_question_long');
    expect(key(() => validateDraft(draft({ maxChoices: 3 }), now))).toBe('polls.err_max_choices');
    expect(key(() => validateDraft(draft({ maxChoices: 0 }), now))).toBe('polls.err_max_choices');
    expect(key(() => validateDraft(draft({ electorate: 'everyone' as never }), now))).toBe('polls.err_electorate');
    expect(key(() => validateDraft(draft({ rule: 'unanimous' as never }), now))).toBe('polls.err_rule');
    expect(key(() => validateDraft(draft({ quorum: { kind: 'share', value: 1.5 } }), now))).toBe('polls.err_quorum');
    expect(key(() => validateDraft(draft({ quorum: { kind: 'count', value: 2.5 } }), now))).toBe('polls.err_quorum');
  });
  it('refuses times in the past, too short or too long', () => {
    expect(key(() => validateDraft(draft({ closesAt: new Date(now.getTime() - 1000) }), now))).toBe('polls.err_closes_past');
    expect(key(() => validateDraft(draft({ opensAt: new Date(now.getTime() - 3_600_000) }), now))).toBe('polls.err_opens_past');
    expect(key(() => validateDraft(draft({ closesAt: new Date(now.getTime() + 30 * 60_000) }), now))).toBe('polls.err_too_short');
    expect(key(() => validateDraft(draft({ closesAt: new Date(now.getTime() + 60 * 86_400_000) }), now))).toBe('polls.err_too_long');
    expect(key(() => validateDraft(draft({ closesAt: new Date('nonsense') }), now))).toBe('polls.err_time_invalid');
  });
});

describe('quorum', () => {
  it('parses counts, shares and none', () => {
    expect(parseQuorum('30%')).toEqual({ kind: 'share', value: 0.3 });
    expect(parseQuorum('30％')).toEqual({ kind: 'share', value: 0.3 });
    expect(parseQuorum('50')).toEqual({ kind: 'count', value: 50 });
    expect(parseQuorum('')).toEqual({ kind: 'none' });
    expect(parseQuorum('lots')).toBeNull();
    expect(parseQuorum('150%')).toBeNull();
    expect(parseQuorum('-3')).toBeNull();
  });
  it('rounds a share of the electorate up', () => {
    expect(quorumRequired({ kind: 'share', value: 0.3 }, 101)).toBe(31);
    expect(quorumRequired({ kind: 'share', value: 0.5 }, 100)).toBe(50);
    expect(quorumRequired({ kind: 'count', value: 7 }, 3)).toBe(7);
    expect(quorumRequired({ kind: 'none' }, 100)).toBe(0);
  });
});

describe('pass rules', () => {
  it('majority of votes cast needs more than half', () => {
    expect(meetsRule('majority', 5, 10, 100)).toBe(false);
    expect(meetsRule('majority', 6, 10, 100)).toBe(true);
    expect(votesNeeded('majority', 10, 100)).toBe(6);
    expect(votesNeeded('majority', 9, 100)).toBe(5);
  });
  it('majority of the electorate ignores turnout', () => {
    expect(meetsRule('electorate', 9, 9, 20)).toBe(false);
    expect(meetsRule('electorate', 11, 12, 20)).toBe(true);
    expect(votesNeeded('electorate', 12, 20)).toBe(11);
  });
  it('two thirds means at least two thirds', () => {
    expect(meetsRule('two-thirds', 6, 9, 100)).toBe(true);
    expect(meetsRule('two-thirds', 5, 9, 100)).toBe(false);
    expect(meetsRule('two-thirds', 7, 10, 100)).toBe(true);
    expect(meetsRule('two-thirds', 6, 10, 100)).toBe(false);
    expect(votesNeeded('two-thirds', 10, 100)).toBe(7);
  });
});

const std = [
  { id: 'y', position: 1, kind: 'yes' as const, proposalId: null },
  { id: 'n', position: 2, kind: 'no' as const, proposalId: null },
  { id: 'a', position: 3, kind: 'abstain' as const, proposalId: null },
];
const tally = (over: Partial<TallyInput>): TallyInput => ({ options: std, votes: {}, turnout: 0, electorateSize: 100, maxChoices: 1, rule: 'majority', quorum: { kind: 'none' }, ...over });

describe('decide', () => {
  it('counts abstentions as votes cast, so they weigh against a motion', () => {
    expect(decide(tally({ votes: { y: 5, n: 3, a: 2 }, turnout: 10 })).passed).toBe(false);
    expect(decide(tally({ votes: { y: 6, n: 3, a: 1 }, turnout: 10 })).passed).toBe(true);
    expect(decide(tally({ votes: { y: 6, n: 3, a: 1 }, turnout: 10 })).passedOptionIds).toEqual(['y']);
  });
  it('applies two thirds and majority of the electorate', () => {
    expect(decide(tally({ votes: { y: 6, n: 3 }, turnout: 9, rule: 'two-thirds' })).passed).toBe(true);
    expect(decide(tally({ votes: { y: 6, n: 4 }, turnout: 10, rule: 'two-thirds' })).passed).toBe(false);
    expect(decide(tally({ votes: { y: 40, n: 0 }, turnout: 40, rule: 'electorate' })).passed).toBe(false);
    expect(decide(tally({ votes: { y: 51, n: 0 }, turnout: 51, rule: 'electorate' })).passed).toBe(true);
  });
  it('passes nothing without quorum', () => {
    const o = decide(tally({ votes: { y: 9, n: 0 }, turnout: 9, quorum: { kind: 'share', value: 0.1 } }));
    expect(o).toMatchObject({ quorumRequired: 10, quorumMet: false, passed: false, passedOptionIds: [] });
    expect(decide(tally({ votes: { y: 10 }, turnout: 10, quorum: { kind: 'share', value: 0.1 } })).quorumMet).toBe(true);
    expect(decide(tally({ turnout: 0 })).quorumMet).toBe(false);
  });
  it('picks the single winner of custom options only when it meets the rule', () => {
    const options = ['p', 'q', 'r'].map((id, i) => ({ id, position: i + 1, kind: 'custom' as const, proposalId: null }));
    expect(decide(tally({ options, votes: { p: 4, q: 3, r: 3 }, turnout: 10 })).passedOptionIds).toEqual([]);
    expect(decide(tally({ options, votes: { p: 6, q: 3, r: 1 }, turnout: 10 })).passedOptionIds).toEqual(['p']);
  });
  it('chooses up to k approved options in an approval vote, best first', () => {
    const options = ['p1', 'p2', 'p3', 'p4'].map((id, i) => ({ id, position: i + 1, kind: 'custom' as const, proposalId: `prop-${id}` }));
    const o = decide(tally({ options, votes: { p1: 8, p2: 3, p3: 9, p4: 7 }, turnout: 10, maxChoices: 2 }));
    expect(o.passedOptionIds).toEqual(['p3', 'p1']);
    expect(o.tie).toBe(false);
    const tied = decide(tally({ options, votes: { p1: 8, p2: 3, p3: 9, p4: 8 }, turnout: 10, maxChoices: 2 }));
    expect(tied.passedOptionIds).toEqual(['p3', 'p1']);
    expect(tied.tie).toBe(true);
    // An option under the rule is never chosen even when places are left.
    expect(decide(tally({ options, votes: { p1: 8, p2: 3, p3: 5, p4: 1 }, turnout: 10, maxChoices: 3 })).passedOptionIds).toEqual(['p1']);
  });
});
