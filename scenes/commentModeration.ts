/**
 * A committee member rejects a pending comment: the reason (which the author is told) is asked
 * in the private chat. Approving needs no scene (one tap).
 */
import { defineScene } from '../src/engine/scene.ts';
import type { Ctx } from '../src/core/context.ts';
import { moderateComment, type Moderated } from '../src/domain/deliberation/comments.ts';
import { DELIBERATION_LIMITS as L } from '../src/domain/deliberation/limits.ts';
import { requirePermission } from '../src/domain/residents/permissions.ts';
import { DomainError } from '../src/domain/errors.ts';

interface RejectState {
  commentId: string;
  reason?: string;
}

/** What the scene needs from the deliberation feature. */
export interface RejectSceneDeps {
  /** After the rejection: tell the author and the moderator. */
  moderated(ctx: Ctx, done: Moderated): Promise<void>;
}

/** The reject scene; its argument is the comment's id. */
export const createRejectCommentScene = (deps: RejectSceneDeps) =>
  defineScene<RejectState>({
    id: 'comment-reject',
    private: true,
    ttlMinutes: 30,
    async begin(ctx, args) {
      const comment = await ctx.services.db.comment.findUnique({ where: { id: args.trim() } });
      if (!comment) throw new DomainError('deliberation.comment_unknown');
      requirePermission(ctx.actor, 'comment.moderate', comment.communityId);
      if (comment.status !== 'pending') throw new DomainError('deliberation.already_moderated');
      return { commentId: comment.id };
    },
    steps: [
      {
        id: 'reason',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('deliberation.ask_reject_reason', { max: L.moderationReasonMax }), min: 2, max: L.moderationReasonMax }),
        apply: (s, a) => ({ state: { ...s, reason: String(a) } }),
      },
    ],
    async finish(ctx, s) {
      const done = await moderateComment(ctx.services.db, { actor: ctx.actor, via: ctx.via }, s.commentId, 'reject', s.reason ?? '', ctx.services.clock());
      await deps.moderated(ctx, done);
    },
  });
