/**
 * The words and buttons of the 网上议事厅: the line and button a group card gains, a poll's
 * deliberation-period notice, a discussion page, a comment in the moderation queue, the lines a
 * poll's result gains (closing statement, voters' reasons) and a statement's own notice. Pure
 * functions of data and a translate function.
 */
import type { ClosingStatement, Comment, DeliberationPeriod, PollOption } from '../../generated/prisma/client.ts';
import type { CommentPage } from '../../domain/deliberation/comments.ts';
import type { ShownReason } from '../../domain/deliberation/reasons.ts';
import type { ResolvedSubject, Subject } from '../../domain/deliberation/subjects.ts';
import type { TFn } from '../../i18n/i18n.ts';
import type { Button, OutMessage } from '../../platform/messages.ts';
import { approveCommentAction, discussAction, rejectCommentAction, writeCommentAction } from './actions.ts';

/** What a card adds: lines after its body and a row of buttons. */
export interface CardAddon {
  lines: string[];
  buttons: Button[][];
}

/** Cuts a text to `max` characters, whole characters only. */
export function excerpt(text: string, max: number): string {
  const c = [...text.replace(/\s+/g, ' ')];
  return c.length > max ? `${c.slice(0, max - 1).join('')}…` : c.join('');
}

/** "第3号投票“…”" / "#12“…”" / "会议议题“…”". */
export function subjectName(t: TFn, s: Pick<ResolvedSubject, 'kind' | 'number' | 'title'>): string {
  return t(`deliberation.subject_${s.kind}`, { number: s.number ?? '', title: excerpt(s.title, 40) });
}

/** The "议一议" button of a subject. */
export function discussButton(t: TFn, s: Subject, count: number): Button {
  return { label: count ? t('deliberation.discuss_button_count', { n: count }) : t('deliberation.discuss_button'), action: discussAction.pack({ kind: s.kind, id: s.id }) };
}

/** The line and button a group card of an open subject gains. */
export function cardAddon(t: TFn, s: Subject, count: number): CardAddon {
  return { lines: [count ? t('deliberation.card_count', { n: count }) : t('deliberation.card_invite')], buttons: [[discussButton(t, s, count)]] };
}

/**
 * The notice of a poll in its deliberation period: comments now, voting from `votingOpensAt`;
 * once the poll opened it points to the poll's card; once it ended (closed, cancelled) it keeps
 * only its count.
 */
export function periodNotice(t: TFn, poll: { id: string; number: number; question: string; description: string | null; status: string }, period: Pick<DeliberationPeriod, 'votingOpensAt'>, count: number): OutMessage {
  const lines = [t('deliberation.period_title', { number: poll.number, question: poll.question })];
  if (poll.description) lines.push(poll.description);
  const phase = poll.status === 'scheduled' ? t('deliberation.period_until', { opens: period.votingOpensAt }) : poll.status === 'open' ? t('deliberation.period_over') : t('deliberation.period_ended');
  lines.push('', phase);
  if (poll.status !== 'scheduled' && poll.status !== 'open') return { text: [...lines, t('deliberation.card_count_final', { n: count })].join('\n') };
  lines.push(count ? t('deliberation.card_count', { n: count }) : t('deliberation.card_invite'));
  return { text: lines.join('\n'), buttons: [[discussButton(t, { kind: 'poll', id: poll.id }, count)]] };
}

/** One comment as residents read it. */
export function commentLine(t: TFn, c: Pick<Comment, 'authorName' | 'text' | 'createdAt'>): string {
  return t('deliberation.comment_line', { name: c.authorName, when: c.createdAt, text: c.text });
}

/** What a discussion page shows besides the comments. */
export interface PageExtras {
  /** The reader's own comments awaiting approval. */
  ownPending: number;
  statement: ClosingStatement | null;
  period: DeliberationPeriod | null;
  /** The reader may write (verified, subject open): offer the button. */
  canWrite: boolean;
}

/** A page of a subject's discussion, newest first, with paging and a write button. */
export function discussionPage(t: TFn, s: ResolvedSubject, page: CommentPage, x: PageExtras): OutMessage {
  const lines = [t('deliberation.page_title', { subject: subjectName(t, s) })];
  if (x.period && s.kind === 'poll' && s.status === 'scheduled') lines.push(t('deliberation.period_until', { opens: x.period.votingOpensAt }));
  if (!s.open) lines.push(t('deliberation.page_closed'));
  if (x.statement) lines.push('', t('deliberation.statement_line', { text: x.statement.text }));
  lines.push('');
  if (!page.total) lines.push(t('deliberation.page_empty'));
  else {
    lines.push(t('deliberation.page_range', { from: page.offset + 1, to: page.offset + page.comments.length, total: page.total }));
    for (const c of page.comments) lines.push(commentLine(t, c));
  }
  if (x.ownPending) lines.push('', t('deliberation.page_own_pending', { n: x.ownPending }));
  const buttons: Button[][] = [];
  if (x.canWrite) buttons.push([{ label: t('deliberation.write_button'), action: writeCommentAction.pack({ kind: s.kind, id: s.id }) }]);
  const paging: Button[] = [];
  if (page.newer !== null) paging.push({ label: t('deliberation.newer_button'), action: discussAction.pack({ kind: s.kind, id: s.id, at: page.newer }) });
  if (page.older !== null) paging.push({ label: t('deliberation.older_button'), action: discussAction.pack({ kind: s.kind, id: s.id, at: page.older }) });
  if (paging.length) buttons.push(paging);
  return buttons.length ? { text: lines.join('\n'), buttons } : { text: lines.join('\n') };
}

/** A pending comment in the moderation queue, with its two buttons. */
export function moderationItem(t: TFn, c: Comment, s: ResolvedSubject | null): OutMessage {
  return {
    text: t('deliberation.queue_item', { subject: s ? subjectName(t, s) : t('deliberation.subject_gone'), name: c.authorName, when: c.createdAt, text: c.text }),
    buttons: [
      [
        { label: t('deliberation.approve_button'), action: approveCommentAction.pack({ comment: c.id }) },
        { label: t('deliberation.reject_button'), action: rejectCommentAction.pack({ comment: c.id }) },
      ],
    ],
  };
}

/** Lines a poll's result gains: the committee's statement, and the voters' reasons (named polls). */
export function resultLines(t: TFn, options: Pick<PollOption, 'id' | 'kind' | 'label'>[], statement: ClosingStatement | null, reasons: ShownReason[]): string[] {
  const lines: string[] = [];
  if (reasons.length) {
    lines.push('', t('deliberation.reasons_title', { n: reasons.length }));
    for (const r of reasons) {
      const chose = r.optionIds
        .map((id) => options.find((o) => o.id === id))
        .filter((o): o is NonNullable<typeof o> => Boolean(o))
        .map((o) => (o.kind === 'custom' ? o.label : t(`polls.opt_${o.kind}`)))
        .join('、');
      lines.push(t('deliberation.reason_line', { name: r.voterName, chose, text: r.text }));
    }
  }
  if (statement) lines.push('', t('deliberation.statement_line', { text: statement.text }));
  return lines;
}

/** A statement's own notice (posted after the result, or for a proposal). */
export function statementNotice(t: TFn, s: ResolvedSubject, statement: ClosingStatement): OutMessage {
  return { text: t('deliberation.statement_notice', { subject: subjectName(t, s), text: statement.text }) };
}
