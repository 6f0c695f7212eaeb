/**
 * Writing a comment in the 网上议事厅: a verified resident, in the private chat, on one subject
 * (a proposal, a poll, an agenda item). Who may write and whether the subject still takes
 * comments is checked when the scene begins and again when the comment is saved. A comment over
 * the limit is not thrown away: the draft stays in the scene and the person chooses to post its
 * first part or to write it again shorter.
 */
import { defineScene } from '../src/engine/scene.ts';
import type { Ctx } from '../src/core/context.ts';
import type { Comment } from '../src/generated/prisma/client.ts';
import { checkCommentText, commentableSubject, postComment } from '../src/domain/deliberation/comments.ts';
import { DELIBERATION_LIMITS as L, lengthOf } from '../src/domain/deliberation/limits.ts';
import type { ResolvedSubject, Subject } from '../src/domain/deliberation/subjects.ts';
import { DomainError } from '../src/domain/errors.ts';

interface CommentState {
  subject: Subject;
  /** The subject as residents know it ("第3号投票「…」"). */
  name: string;
  /** What the person wrote, kept even when it is too long. */
  draft?: string;
}

/** What the scene needs from the deliberation feature. */
export interface CommentSceneDeps {
  /** The subject from the scene's argument, or null. */
  parse(arg: string): Subject | null;
  /** The subject's name in the person's language. */
  name(ctx: Ctx, subject: ResolvedSubject): string;
  /** After a comment is saved: tell the person, refresh the cards. */
  posted(ctx: Ctx, comment: Comment): Promise<void>;
}

const tooLong = (draft: string | undefined) => draft !== undefined && lengthOf(draft) > L.commentMax;

/** The comment scene. */
export const createCommentScene = (deps: CommentSceneDeps) =>
  defineScene<CommentState>({
    id: 'comment',
    private: true,
    ttlMinutes: 60,
    async begin(ctx, args) {
      const subject = deps.parse(args);
      if (!subject) throw new DomainError('deliberation.subject_unknown');
      const found = await commentableSubject(ctx.services.db, { actor: ctx.actor, via: ctx.via }, subject);
      return { subject, name: deps.name(ctx, found) };
    },
    steps: [
      {
        id: 'text',
        // The engine's own limit is far above ours: a long text reaches `fix`, where the draft is kept.
        prompt: (ctx, s) => ({ kind: 'text', text: ctx.t('deliberation.ask_comment', { subject: s.name, max: L.commentMax }), max: L.commentMax * 20 }),
        validate: (a) => {
          try {
            const text = String(a);
            if (lengthOf(text) <= L.commentMax) checkCommentText(text);
          } catch (err) {
            if (err instanceof DomainError) return { invalid: err.key, params: err.params };
            throw err;
          }
        },
        apply: (s, a) => ({ state: { ...s, draft: String(a) } }),
      },
      {
        id: 'fix',
        skip: (s) => !tooLong(s.draft),
        prompt: (ctx, s) => ({
          kind: 'choice',
          columns: 1,
          text: ctx.t('deliberation.comment_too_long_kept', { max: L.commentMax, n: lengthOf(s.draft ?? '') }),
          options: [
            { value: 'cut', label: ctx.t('deliberation.cut_button', { max: L.commentMax }) },
            { value: 'again', label: ctx.t('deliberation.again_button') },
          ],
        }),
        apply: (s, a) => (a === 'cut' ? { state: { ...s, draft: [...(s.draft ?? '')].slice(0, L.commentMax).join('') } } : { state: s, next: 'text' }),
      },
    ],
    async finish(ctx, s) {
      const comment = await postComment(ctx.services.db, { actor: ctx.actor, via: ctx.via }, s.subject, s.draft ?? '', ctx.person.displayName, ctx.services.clock());
      await deps.posted(ctx, comment);
    },
  });
