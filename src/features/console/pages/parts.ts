/**
 * Small pieces the pages share: numbers and times in the reader's language and the deployment's
 * time zone, a turnout bar, a status chip and a trend line drawn as inline SVG (no script, no
 * image request).
 */
import { formatDateTime, formatNumber, formatPercent } from '../../../i18n/format.ts';
import type { PollResult } from '../../../domain/polls/polls.ts';
import { validShare } from '../../../domain/polls/rules.ts';
import type { TFn } from '../../../i18n/i18n.ts';
import { html, type Html } from '../web/html.ts';

/** "62.5%". */
export function pct(share: number, locale: string): string {
  return formatPercent(share, locale);
}

/** "1,234". */
export function num(n: number, locale: string): string {
  return formatNumber(n, locale);
}

/** A date and time on the community's wall clock. */
export function when(date: Date, locale: string, timeZone: string): Html {
  return html`<time datetime="${date.toISOString()}">${formatDateTime(date, locale, timeZone)}</time>`;
}

/** A bar for a share 0..1, with its text beside it (the bar itself is decoration). */
export function bar(share: number, text: string, kind: 'turnout' | 'votes' | 'rate' = 'turnout'): Html {
  const value = Math.max(0, Math.min(1, share));
  return html`<div class="bar-row"><progress class="bar ${kind}" max="1000" value="${Math.round(value * 1000)}" aria-hidden="true"></progress><span class="bar-text">${text}</span></div>`;
}

/** A coloured label for a state. */
export function chip(kind: 'ok' | 'warn' | 'bad' | 'info' | 'muted', text: string): Html {
  return html`<span class="chip ${kind}">${text}</span>`;
}

/** A small line of rates over periods (null: no answers that period), 0..1 on the y axis. */
export function sparkline(points: { rate: number | null }[], threshold?: number): Html | '' {
  // One point is not a trend.
  if (points.filter((p) => p.rate !== null).length < 2) return '';
  const w = 120;
  const h = 32;
  const step = points.length > 1 ? w / (points.length - 1) : 0;
  const y = (r: number) => (h - 2 - r * (h - 4)).toFixed(1);
  const coords = points.map((p, i) => (p.rate === null ? null : `${(i * step).toFixed(1)},${y(p.rate)}`));
  const line = coords.filter(Boolean).join(' ');
  const dots = coords.map((c) => (c ? html`<circle cx="${c.split(',')[0]}" cy="${c.split(',')[1]}" r="2.5"></circle>` : ''));
  const limit = threshold === undefined ? '' : html`<line class="limit" x1="0" x2="${w}" y1="${y(threshold)}" y2="${y(threshold)}"></line>`;
  return html`<svg class="spark" viewBox="-3 -3 ${w + 6} ${h + 6}" width="${w + 6}" height="${h + 6}" aria-hidden="true">${limit}${line ? html`<polyline points="${line}"></polyline>` : ''}${dots}</svg>`;
}

/** Whether a poll's quorum is reached so far, as the domain counted it ('' without a quorum). */
export function quorumChip(t: TFn, current: Pick<PollResult, 'quorumRequired' | 'quorumMet' | 'turnout'>, unit: 'households' | 'people'): Html | '' {
  if (!current.quorumRequired) return '';
  // The unit comes from the chat's voterUnit (render.ts): 户 for a household poll, else 人.
  const suffix = unit === 'households' ? '_households' : '';
  return current.quorumMet
    ? chip('ok', t(`webconsole.polls.quorum_reached${suffix}`, { count: current.quorumRequired }))
    : chip('warn', t(`webconsole.polls.quorum_short${suffix}`, { count: current.quorumRequired - current.turnout, needed: current.quorumRequired }));
}

/**
 * A poll's turnout bar: "已投票11／17人（64.7%）" as the chat's card writes it, in the poll's unit
 * (户 for a household poll, from the chat's voterUnit), the share only when it can be true.
 */
export function turnoutBar(t: TFn, locale: string, current: Pick<PollResult, 'turnout' | 'electorateSize'>, unit: 'households' | 'people'): Html {
  const share = validShare(current.turnout, current.electorateSize);
  return bar(share ?? 0, t(`webconsole.polls.turnout_line_${unit}`, { n: current.turnout, size: current.electorateSize, share: share === null ? t('ballots.export_unchecked') : pct(share, locale) }));
}
