/**
 * Reading and joining a discussion: the "议一议" button on a group card (answered in the private
 * chat, never in the group), `/discuss` (the subjects open for comments, or one subject's page
 * by "投票 3" / "提案 12"), paging through the comments newest first, and starting a comment.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef, type CommandDef } from '../../core/feature.ts';
import { commentPage, ownPending, publishedCount } from '../../domain/deliberation/comments.ts';
import { statementOf } from '../../domain/deliberation/closing.ts';
import { periodOf } from '../../domain/deliberation/periods.ts';
import { requireSubject, type Subject } from '../../domain/deliberation/subjects.ts';
import { DomainError } from '../../domain/errors.ts';
import { can } from '../../domain/residents/permissions.ts';
import type { Button } from '../../platform/messages.ts';
import { discussAction, writeCommentAction } from './actions.ts';
import { parseTypedSubject, subjectArg } from './refs.ts';
import { discussButton, discussionPage, subjectName } from './render.ts';

/** Subjects listed by a bare /discuss. */
const LISTED = 10;

/** Shows a page of a subject's discussion to the person, in the chat of `ctx`. */
export async function showDiscussion(ctx: Ctx, subject: Subject, offset = 0): Promise<void> {
  const { db } = ctx.services;
  const found = await requireSubject(db, subject);
  const [page, pending, statement, period] = await Promise.all([commentPage(db, found, offset), ownPending(db, ctx.person.id, found), statementOf(db, found), periodOf(db, found)]);
  const canWrite = found.open && can(ctx.actor, 'comment.create', found.communityId);
  await ctx.reply(discussionPage(ctx.t, found, page, { ownPending: pending, statement, period, canWrite }));
}

/** Runs `run` in the private chat; a tap in a group is answered there with a short toast. */
async function privately(ctx: Ctx, run: (ctx: Ctx) => Promise<void>): Promise<void> {
  if (ctx.chat.kind !== 'group') return run(ctx);
  await ctx.toast(ctx.t('deliberation.opened_privately'));
  return run(ctx.privateCtx());
}

/** The subjects of the community open for comments, with their counts and buttons. */
async function listOpen(ctx: Ctx): Promise<void> {
  const community = ctx.requireCommunity();
  const { db } = ctx.services;
  const [polls, proposals] = await Promise.all([
    db.poll.findMany({ where: { communityId: community.id, status: { in: ['scheduled', 'open'] } }, orderBy: { number: 'desc' }, take: LISTED, select: { id: true, number: true, question: true } }),
    db.proposal.findMany({ where: { communityId: community.id, status: { in: ['submitted', 'under_review', 'shortlisted', 'voting'] } }, orderBy: { number: 'desc' }, take: LISTED, select: { id: true, number: true, title: true } }),
  ]);
  const subjects = [
    ...polls.map((p) => ({ kind: 'poll' as const, id: p.id, number: p.number, title: p.question })),
    ...proposals.map((p) => ({ kind: 'proposal' as const, id: p.id, number: p.number, title: p.title })),
  ].slice(0, LISTED);
  if (!subjects.length) return void (await ctx.reply(ctx.t('deliberation.list_empty')));
  const lines = [ctx.t('deliberation.list_title', { community: community.name })];
  const buttons: Button[][] = [];
  for (const s of subjects) {
    const n = await publishedCount(db, s);
    lines.push(ctx.t('deliberation.list_line', { subject: subjectName(ctx.t, s), n }));
    buttons.push([{ ...discussButton(ctx.t, s, n), label: ctx.t('deliberation.list_button', { subject: subjectName(ctx.t, s), n }) }]);
  }
  lines.push('', ctx.t('deliberation.list_hint'));
  await ctx.reply({ text: lines.join('\n'), buttons });
}

/** `/discuss` (议一议): the open subjects, or one subject's discussion. */
export const discussCommand: CommandDef = {
  name: 'discuss',
  description: 'deliberation.cmd_discuss',
  order: 36,
  menu: true,
  async run(ctx, args) {
    if (!args.trim()) return privately(ctx, listOpen);
    const community = ctx.requireCommunity();
    const subject = await parseTypedSubject(ctx.services.db, community.id, args);
    if (!subject) throw new DomainError('deliberation.discuss_usage');
    const found = await requireSubject(ctx.services.db, subject);
    if (found.communityId !== community.id) throw new DomainError('deliberation.subject_unknown');
    await privately(ctx, (c) => showDiscussion(c, subject));
  },
};

/** The buttons: open a discussion (or a page of it) and write a comment. */
export const discussionActions: ActionDef[] = [
  onAction(discussAction, (ctx, { kind, id, at }) => privately(ctx, (c) => showDiscussion(c, { kind, id }, at ?? 0))),
  onAction(writeCommentAction, (ctx, { kind, id }) =>
    privately(ctx, async (c) => {
      await c.services.scenes.start(c, 'comment', subjectArg({ kind, id }));
    }),
  ),
];
