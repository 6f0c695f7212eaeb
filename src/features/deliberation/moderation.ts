/**
 * Moderation in the private chat: `/moderate` shows the community's pending comments oldest
 * first (`/moderate on|off` switches pre-moderation), one tap approves, rejecting asks for the
 * reason; the author is told either way, through the outbox.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef, type CommandDef } from '../../core/feature.ts';
import type { Services } from '../../core/services.ts';
import { moderateComment, moderationQueue, type Moderated } from '../../domain/deliberation/comments.ts';
import { findSubject, type SubjectKind } from '../../domain/deliberation/subjects.ts';
import { preModeration, setPreModeration } from '../../domain/deliberation/settings.ts';
import { DomainError } from '../../domain/errors.ts';
import { notifyPerson } from '../notify.ts';
import { privateCommand } from '../privateCommand.ts';
import { approveCommentAction, discussAction, rejectCommentAction } from './actions.ts';
import { refreshDiscussionCards } from './cards.ts';
import { excerpt, moderationItem, subjectName } from './render.ts';

/** Shows the queue: a header and one message per pending comment, each with its buttons. */
async function showQueue(ctx: Ctx): Promise<void> {
  const community = ctx.requireCommunity();
  const { db } = ctx.services;
  const { comments, waiting } = await moderationQueue(db, { actor: ctx.actor, via: ctx.via }, community.id);
  const on = await preModeration(db, community.id);
  if (!waiting) return void (await ctx.reply(ctx.t('deliberation.queue_empty', { state: ctx.t(on ? 'deliberation.premod_on' : 'deliberation.premod_off') })));
  await ctx.reply(ctx.t('deliberation.queue_title', { n: waiting, shown: comments.length, state: ctx.t(on ? 'deliberation.premod_on' : 'deliberation.premod_off') }));
  for (const c of comments) await ctx.reply(moderationItem(ctx.t, c, await findSubject(db, { kind: c.subjectKind as SubjectKind, id: c.subjectId })));
}

/** `/moderate`, `/moderate on`, `/moderate off`. */
export const moderateCommand: CommandDef = privateCommand('deliberation.moderate_private', {
  name: 'moderate',
  description: 'deliberation.cmd_moderate',
  order: 37,
  permission: 'comment.moderate',
  async run(ctx, args) {
    const word = args.trim().toLowerCase();
    if (!word) return showQueue(ctx);
    const on = ['on', '开', '开启', '打开'].includes(word) ? true : ['off', '关', '关闭'].includes(word) ? false : null;
    if (on === null) throw new DomainError('deliberation.moderate_usage');
    const community = ctx.requireCommunity();
    await setPreModeration(ctx.services.db, { actor: ctx.actor, via: ctx.via }, community.id, on, ctx.services.clock());
    await ctx.reply(ctx.t(on ? 'deliberation.premod_set_on' : 'deliberation.premod_set_off', { community: community.name }));
  },
});

/** After a decision: tell the author, refresh the cards of a published comment, answer the moderator. */
export async function afterModeration(ctx: Ctx, done: Moderated): Promise<void> {
  await tellAuthor(ctx.services, done);
  const published = done.comment.status === 'published';
  if (published) await refreshDiscussionCards(ctx.services, done.subject);
  await ctx.reply(ctx.t(published ? 'deliberation.approved_done' : 'deliberation.rejected_done', { subject: subjectName(ctx.t, done.subject) }));
}

/** The author's notice of a decision on their comment (once, through the outbox). */
async function tellAuthor(services: Services, { comment, subject }: Moderated): Promise<void> {
  if (!comment.authorId) return;
  await notifyPerson(services, comment.authorId, {
    key: `comment:${comment.id}:${comment.status}`,
    communityId: comment.communityId,
    refType: 'comment',
    refId: comment.id,
    reach: 'first',
    message: (t) => ({
      text: t(comment.status === 'published' ? 'deliberation.notify_approved' : 'deliberation.notify_rejected', {
        subject: subjectName(t, subject),
        text: excerpt(comment.text, 60),
        reason: comment.moderationReason ?? '',
      }),
      buttons: [[{ label: t('deliberation.discuss_button'), action: discussAction.pack({ kind: subject.kind, id: subject.id }) }]],
    }),
  });
}

/**
 * The queue's buttons. They declare no permission: they carry a comment, and its community —
 * not the one the person is acting in — decides (the domain checks it).
 */
export const moderationActions: ActionDef[] = [
  onAction(
    approveCommentAction,
    async (ctx, { comment }) => {
      await ctx.toast('');
      const done = await moderateComment(ctx.services.db, { actor: ctx.actor, via: ctx.via }, comment, 'approve', null, ctx.services.clock());
      await afterModeration(ctx, done);
    },
    { chat: 'private' },
  ),
  onAction(
    rejectCommentAction,
    async (ctx, { comment }) => {
      await ctx.toast('');
      await ctx.services.scenes.start(ctx, 'comment-reject', comment);
    },
    { chat: 'private' },
  ),
];
