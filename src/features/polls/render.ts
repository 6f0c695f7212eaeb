/**
 * The words and pictures of polls: the card posted in groups (with one button per option), the
 * result notice with its bar chart, and short lines for /polls and the digest. Everything is
 * rendered per locale from i18n keys; nothing here touches the database.
 */
import { renderBarChart } from '../../charts/barChart.ts';
import type { Button, OutMessage } from '../../platform/messages.ts';
import type { PollOption } from '../../generated/prisma/client.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { quorumOf, type PollResult, type PollWithOptions } from '../../domain/polls/polls.ts';
import { readScope, scopeLine } from '../../domain/register/scope.ts';
import { validShare } from '../../domain/polls/rules.ts';
import { voteAction } from './actions.ts';

/** An option's label in a locale (standard options are translated). */
export function optionLabel(t: TFn, option: Pick<PollOption, 'kind' | 'label'>): string {
  return option.kind === 'custom' ? option.label : t(`polls.opt_${option.kind}`);
}

/** "12 票 · 40%" for an option (0 when nobody voted yet). */
function share(votes: number, turnout: number): number {
  return validShare(votes, turnout) ?? 0;
}

/** 户 or 人: what one voter of the poll is. */
export function voterUnit(poll: Pick<PollWithOptions, 'electorate'>, result: Pick<PollResult, 'unit'> | null): 'households' | 'people' {
  return result?.unit ?? (poll.electorate === 'households' ? 'households' : 'people');
}

/** The base the electorate was counted from, in words ("住户名册在册3,000户"). */
export function baseLine(t: TFn, poll: PollWithOptions, result: PollResult): string {
  const base = result.base ?? (poll.electorate === 'council' ? 'council' : 'verified');
  const unit = voterUnit(poll, result);
  const line = t(`ballots.base_${base}_${unit}`, { size: result.electorateSize });
  if (!result.coverage) return line;
  return `${line}${t('ballots.base_coverage', { households: result.coverage.households, register: result.coverage.register, share: validShare(result.coverage.households, result.coverage.register) ?? 0 })}`;
}

/** "网上40户、纸质选票30户、现场表决0户" when anything came by paper or in person. */
function sourcesLine(t: TFn, poll: PollWithOptions, result: PollResult): string | null {
  if (!result.paperBallots && !result.inPersonVoters) return null;
  return t(`ballots.sources_${voterUnit(poll, result)}`, { online: result.onlineBallots, paper: result.paperBallots ?? 0, inPerson: result.inPersonVoters });
}

/** The turnout line of a result: the share only when it can be true. */
function turnoutLine(t: TFn, poll: PollWithOptions, result: PollResult): string {
  const unit = voterUnit(poll, result);
  const share = validShare(result.turnout, result.electorateSize);
  if (share === null) return t(`ballots.result_turnout_unchecked_${unit}`, { n: result.turnout, size: result.electorateSize });
  return t(`ballots.result_turnout_${unit}`, { n: result.turnout, size: result.electorateSize, share });
}

/** A quorum word in 户 for household polls, in 人 otherwise. */
function quorumWord(t: TFn, poll: Pick<PollWithOptions, 'electorate'>, name: string, params: Record<string, unknown> = {}): string {
  return poll.electorate === 'households' ? t(`ballots.${name}_households`, params) : t(`polls.${name}`, params);
}

/** The quorum as the card, the result and the export state it. */
export function quorumText(t: TFn, poll: PollWithOptions): string {
  const quorum = quorumOf(poll);
  return quorum.kind === 'count' ? quorumWord(t, poll, 'quorum_count', { n: quorum.value }) : quorum.kind === 'share' ? quorumWord(t, poll, 'quorum_share', { share: quorum.value }) : quorumWord(t, poll, 'quorum_none');
}

/** The rule lines shared by the card and the result. */
function ruleLines(t: TFn, poll: PollWithOptions): string[] {
  const quorumText_ = quorumText(t, poll);
  const scope = scopeLine(t, readScope(poll.scope));
  return [
    t('polls.card_electorate', { electorate: t(`polls.electorate_${poll.electorate}`) }),
    ...(scope ? [scope] : []),
    [
      poll.maxChoices === 1 ? t('polls.single') : t('polls.multi', { k: poll.maxChoices }),
      poll.anonymous ? t('polls.anonymous') : t('polls.named'),
      poll.allowChange ? t('polls.change_allowed') : t('polls.change_not_allowed'),
    ].join(' · '),
    t('polls.card_rule', { rule: t(`polls.rule_${poll.rule}`), quorum: quorumText_ }),
  ];
}

/** What another feature adds to a card: lines and a row of buttons (the discussion's count and button). */
export interface PollCardAddon {
  lines: string[];
  buttons: Button[][];
}

/** The card posted in groups while the poll is open; `counts` shows turnout (and live tallies). */
export function pollCard(t: TFn, poll: PollWithOptions, current: PollResult | null, addon?: PollCardAddon): OutMessage {
  const lines = [t('polls.card_title', { number: poll.number, question: poll.question })];
  if (poll.description) lines.push(poll.description);
  lines.push('', ...ruleLines(t, poll), t('polls.card_closes', { when: poll.closesAt }));
  if (current) {
    lines.push(t(`ballots.card_turnout_${voterUnit(poll, current)}`, { n: current.turnout, size: current.electorateSize }), baseLine(t, poll, current));
    if (poll.liveResults) {
      for (const o of poll.options) lines.push(t('polls.tally_line', { label: optionLabel(t, o), n: current.votes[o.id] ?? 0, share: share(current.votes[o.id] ?? 0, current.turnout) }));
    }
    if (current.advisoryBallots) lines.push(t('polls.card_advisory', { n: current.advisoryBallots }));
  }
  if (addon) lines.push(...addon.lines);
  lines.push(poll.maxChoices === 1 ? t('polls.card_hint_single') : t('polls.card_hint_multi', { k: poll.maxChoices }));
  // What others will see of the person's vote, from the poll's own settings (never a fixed sentence).
  lines.push(poll.anonymous ? (poll.liveResults ? t('polls.card_secrecy_anonymous_live') : t('polls.card_secrecy_anonymous')) : t('polls.card_secrecy_named'));
  const buttons: Button[][] = [];
  const perRow = poll.options.every((o) => [...optionLabel(t, o)].length <= 6) ? 3 : 1;
  poll.options.forEach((o, i) => {
    if (i % perRow === 0) buttons.push([]);
    buttons[buttons.length - 1].push({ label: optionLabel(t, o), action: voteAction.pack({ poll: poll.shortId, option: o.position }) });
  });
  if (addon) buttons.push(...addon.buttons);
  return { text: lines.join('\n'), buttons };
}

/** The card after the close or cancellation: no buttons, a pointer to the result. */
export function closedCard(t: TFn, poll: PollWithOptions): OutMessage {
  const lines = [t('polls.card_title', { number: poll.number, question: poll.question })];
  if (poll.description) lines.push(poll.description);
  lines.push('', poll.status === 'cancelled' ? t('polls.card_cancelled', { reason: poll.cancelReason ?? '' }) : t('polls.card_closed'));
  return { text: lines.join('\n') };
}

/** The outcome in one line. */
export function outcomeLine(t: TFn, poll: PollWithOptions, result: PollResult): string {
  if (!result.quorumMet) return voterUnit(poll, result) === 'households' ? t('ballots.outcome_no_quorum_households', { turnout: result.turnout, needed: result.quorumRequired }) : t('polls.outcome_no_quorum', { turnout: result.turnout, needed: result.quorumRequired });
  const yes = poll.options.find((o) => o.kind === 'yes');
  if (yes) return result.passed ? t('polls.outcome_passed') : t('polls.outcome_failed');
  if (!result.passed) return t('polls.outcome_none_passed');
  const labels = result.passedOptionIds.map((id) => optionLabel(t, poll.options.find((o) => o.id === id)!)).join('、');
  return (poll.maxChoices === 1 ? t('polls.outcome_winner', { labels }) : t('polls.outcome_chosen', { labels })) + (result.tie ? t('polls.outcome_tie') : '');
}

/** The result notice, with its bar chart; `extra` lines (a closing statement, reasons) go at the end. */
export function resultMessage(t: TFn, poll: PollWithOptions, result: PollResult, withChart = true, extra: string[] = []): OutMessage {
  const lines = [t('polls.result_title', { number: poll.number, question: poll.question }), ''];
  for (const o of poll.options) {
    const inPerson = result.inPerson[o.id] ?? 0;
    const paper = result.paper?.[o.id] ?? 0;
    const line = t('polls.tally_line', { label: optionLabel(t, o), n: result.votes[o.id] ?? 0, share: share(result.votes[o.id] ?? 0, result.turnout) });
    const parts = [paper ? t('ballots.tally_paper', { n: paper }) : '', inPerson ? t('polls.tally_in_person', { n: inPerson }) : ''].filter(Boolean);
    lines.push(parts.length ? `${line} ${parts.join('')}` : line);
  }
  lines.push('', turnoutLine(t, poll, result), baseLine(t, poll, result));
  const sources = sourcesLine(t, poll, result);
  if (sources) lines.push(sources);
  lines.push(result.quorumRequired ? quorumWord(t, poll, result.quorumMet ? 'quorum_met' : 'quorum_not_met', { needed: result.quorumRequired }) : quorumWord(t, poll, 'quorum_none'));
  lines.push(t('polls.result_rule', { rule: t(`polls.rule_${poll.rule}`), needed: result.needed }));
  lines.push(outcomeLine(t, poll, result));
  if (result.advisoryBallots) {
    const parts = poll.options.map((o) => `${optionLabel(t, o)} ${result.advisory[o.id] ?? 0}`).join('，');
    lines.push('', t('polls.result_advisory', { n: result.advisoryBallots, parts }));
  }
  lines.push(...extra);
  const message: OutMessage = { text: lines.join('\n') };
  if (withChart) {
    const png = renderBarChart({
      title: t('polls.chart_title', { number: poll.number, question: poll.question }),
      subtitle: `${t(`ballots.chart_subtitle_${voterUnit(poll, result)}`, { n: result.turnout, size: result.electorateSize })} · ${baseLine(t, poll, result)}`,
      bars: poll.options.map((o) => ({ label: optionLabel(t, o), value: result.votes[o.id] ?? 0, note: t('polls.chart_note', { share: share(result.votes[o.id] ?? 0, result.turnout) }) })),
      valueFormat: (n) => String(Math.round(n)),
    });
    message.image = { data: png, name: `poll-${poll.number}.png` };
  }
  return message;
}

/** The notice that a poll was cancelled. */
export function cancelledMessage(t: TFn, poll: PollWithOptions): OutMessage {
  return { text: t('polls.cancelled_notice', { number: poll.number, question: poll.question, reason: poll.cancelReason ?? '' }) };
}
