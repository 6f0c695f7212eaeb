/**
 * The words and buttons of proposals: the public card with its 附议 button, the three
 * publications, a proposal's page, list lines. Pure functions of data and a translate
 * function, so a group's notice is rendered in the group's language.
 */
import type { Button, OutMessage } from '../../platform/messages.ts';
import type { ProposalDetail, ProposalWithSeconds } from '../../domain/proposals/queries.ts';
import { categoryLabel } from '../../domain/proposals/rules.ts';
import { SECONDABLE_STATUSES, type ProposalStatus } from '../../domain/proposals/states.ts';
import type { Proposal } from '../../generated/prisma/client.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { second } from './actions.ts';

/** A status's label. */
export function statusLabel(t: TFn, status: string): string {
  return t(`proposals.status.${status}`);
}

/** Cuts a long text for a card, keeping whole characters. */
export function excerpt(text: string, max: number): string {
  const c = [...text];
  return c.length > max ? `${c.slice(0, max - 1).join('')}…` : text;
}

/** One line of a list: number, title, status and seconds. */
export function listLine(t: TFn, p: ProposalWithSeconds): string {
  return t('proposals.list_line', { number: p.number, title: p.title, status: statusLabel(t, p.status), seconds: p.seconds });
}

/** The 附议 button of a proposal open for seconds. */
export function secondButton(t: TFn, p: Pick<Proposal, 'id'>, seconds?: number): Button {
  return { label: seconds === undefined ? t('proposals.second_button') : t('proposals.second_button_count', { n: seconds }), action: second.pack({ proposal: p.id }) };
}

/**
 * Publication 1: the proposal as the groups see it, with the 附议 button while it collects
 * seconds. Re-rendered (edited in place) as seconds come in.
 */
export function proposalCard(t: TFn, p: Proposal, seconds: number, threshold: number, detailLink?: string, addon?: { lines: string[]; buttons: Button[][] }): OutMessage {
  const lines = [
    t('proposals.card.title', { number: p.number, title: p.title }),
    t('proposals.card.category', { category: categoryLabel(t, p.category) }),
    t('proposals.card.location', { location: p.location }),
    p.costFen !== null ? t('proposals.card.cost', { fen: p.costFen }) : t('proposals.card.no_cost'),
    t('proposals.card.author', { name: p.authorName }),
    t('proposals.card.description', { text: excerpt(p.description, 300) }),
  ];
  const open = SECONDABLE_STATUSES.has(p.status as ProposalStatus);
  if (p.status === 'submitted') lines.push(t('proposals.card.seconds_needed', { n: seconds, threshold }));
  // "已达到附议人数" only when it is true: the committee may take a proposal into review before.
  else if (p.status === 'under_review') lines.push(seconds >= threshold ? t('proposals.card.seconds_reached', { n: seconds }) : t('proposals.card.seconds_in_review', { n: seconds }));
  else lines.push(t('proposals.card.seconds_closed', { n: seconds, status: statusLabel(t, p.status) }));
  // Another feature's lines and buttons (the discussion's count and 议一议 button).
  if (addon) lines.push(...addon.lines);
  const row: Button[] = [];
  if (open) row.push(secondButton(t, p, seconds));
  if (detailLink) row.push({ label: t('proposals.details_button'), url: detailLink });
  const rows = [...(row.length ? [row] : []), ...(addon?.buttons ?? [])];
  return rows.length ? { text: lines.join('\n'), buttons: rows } : { text: lines.join('\n') };
}

/** Publication 2: the decision (shortlisted, rejected with reason, merged, approved, not approved). */
export function decisionNotice(t: TFn, p: Proposal, extra: { mergedInto?: Pick<Proposal, 'number' | 'title'> | null } = {}): OutMessage {
  const base = { number: p.number, title: p.title, reason: p.statusReason ?? '' };
  switch (p.status) {
    case 'shortlisted':
      return { text: [t('proposals.notice.decision_shortlisted', base), p.statusReason ? t('proposals.notice.note', base) : ''].filter(Boolean).join('\n') };
    case 'rejected':
      return { text: t('proposals.notice.decision_rejected', base) };
    case 'merged':
      return { text: t('proposals.notice.decision_merged', { ...base, into: extra.mergedInto?.number ?? '?', intoTitle: extra.mergedInto?.title ?? '' }) };
    case 'approved':
      return { text: t('proposals.notice.decision_approved', base) };
    case 'not_approved':
      return { text: t('proposals.notice.decision_not_approved', base) };
    default:
      return { text: t('proposals.notice.status_changed', { ...base, status: statusLabel(t, p.status) }) };
  }
}

/** Publication 3: the result of a completed project. */
export function resultNotice(t: TFn, p: Proposal): OutMessage {
  const lines = [t('proposals.notice.result', { number: p.number, title: p.title })];
  if (p.implementer) lines.push(t('proposals.notice.result_implementer', { name: p.implementer }));
  if (p.approvedBudgetFen !== null) lines.push(t('proposals.notice.result_budget', { fen: p.approvedBudgetFen }));
  if (p.statusReason) lines.push(t('proposals.notice.note', { reason: p.statusReason }));
  lines.push(t('proposals.notice.result_rate'));
  return { text: lines.join('\n') };
}

/** A proposal's page: its fields, decision, progress and history. */
export function proposalPage(t: TFn, d: ProposalDetail): string {
  const p = d.proposal;
  const lines = [
    t('proposals.card.title', { number: p.number, title: p.title }),
    t('proposals.page.status', { status: statusLabel(t, p.status) }),
    t('proposals.card.category', { category: categoryLabel(t, p.category) }),
    t('proposals.card.location', { location: p.location }),
    p.costFen !== null ? t('proposals.card.cost', { fen: p.costFen }) : t('proposals.card.no_cost'),
    t('proposals.card.author', { name: p.authorName }),
    t('proposals.page.seconds', { n: p.seconds, threshold: d.threshold }),
  ];
  if (d.photos) lines.push(t('proposals.page.photos', { n: d.photos }));
  lines.push(t('proposals.card.description', { text: p.description }));
  if (p.statusReason && (p.status === 'rejected' || p.status === 'shortlisted')) lines.push(t('proposals.page.reason', { reason: p.statusReason }));
  if (d.mergedInto) lines.push(t('proposals.page.merged_into', { number: d.mergedInto.number, title: d.mergedInto.title }));
  if (d.mergedFrom.length) lines.push(t('proposals.page.merged_from', { list: d.mergedFrom.map((m) => `#${m.number}`).join('、') }));
  if (p.approvedBudgetFen !== null) lines.push(t('proposals.page.budget', { fen: p.approvedBudgetFen }));
  if (p.implementer) lines.push(t('proposals.page.implementer', { name: p.implementer }));
  if (p.satisfactionRate !== null) lines.push(t('proposals.page.satisfaction', { share: p.satisfactionRate }));
  if (d.progress.length) {
    lines.push('', t('proposals.page.progress_title', { percent: p.progressPercent }));
    for (const g of d.progress.slice(-5)) lines.push(t('proposals.page.progress_line', { when: g.at, percent: g.percent, note: g.note, photo: g.photoRef ? t('proposals.page.with_photo') : '' }));
  }
  lines.push('', t('proposals.page.history_title'));
  for (const e of d.events.slice(-10)) {
    lines.push(
      t('proposals.page.history_line', {
        when: e.at,
        status: statusLabel(t, e.toStatus),
        reason: e.reason ? t('proposals.page.history_reason', { reason: e.reason }) : '',
      }),
    );
  }
  return lines.join('\n');
}
