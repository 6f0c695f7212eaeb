/** The deliberation's scenes, bound to what the feature does after each. */
import type { Ctx } from '../../core/context.ts';
import { refreshDiscussionCards } from './cards.ts';
import { afterModeration } from './moderation.ts';
import { parseSubjectArg, parseTypedSubject } from './refs.ts';
import { subjectName } from './render.ts';
import { afterStatement } from './statements.ts';
import { createCommentScene } from '../../../scenes/comment.ts';
import { createRejectCommentScene } from '../../../scenes/commentModeration.ts';
import { reasonScene } from '../../../scenes/commentReason.ts';
import { createStatementScene } from '../../../scenes/commentStatement.ts';
import type { Comment } from '../../generated/prisma/client.ts';
import { requireSubject, type SubjectKind } from '../../domain/deliberation/subjects.ts';

/** A saved comment: say whether it is public or awaits approval; refresh the cards if public. */
async function posted(ctx: Ctx, comment: Comment): Promise<void> {
  const subject = await requireSubject(ctx.services.db, { kind: comment.subjectKind as SubjectKind, id: comment.subjectId });
  if (comment.status === 'published') await refreshDiscussionCards(ctx.services, subject);
  await ctx.reply(ctx.t(comment.status === 'published' ? 'deliberation.comment_published' : 'deliberation.comment_pending', { subject: subjectName(ctx.t, subject) }));
}

export const deliberationScenes = [
  createCommentScene({ parse: parseSubjectArg, name: (ctx, s) => subjectName(ctx.t, s), posted }),
  createRejectCommentScene({ moderated: afterModeration }),
  reasonScene,
  createStatementScene({
    parse: (ctx, args) => parseTypedSubject(ctx.services.db, ctx.requireCommunity().id, args),
    name: (ctx, s) => subjectName(ctx.t, s),
    posted: afterStatement,
  }),
];
