/**
 * `/outcome`: the committee's closing statement on a proposal or a poll — what was decided and
 * why, in its own words. It is a public record that goes with the result, so the scene shows it
 * once more before it is posted; one per subject, never edited.
 */
import { defineScene } from '../src/engine/scene.ts';
import type { Ctx } from '../src/core/context.ts';
import type { ClosingStatement } from '../src/generated/prisma/client.ts';
import { checkStatementText, postStatement, statementSubject } from '../src/domain/deliberation/closing.ts';
import { DELIBERATION_LIMITS as L } from '../src/domain/deliberation/limits.ts';
import type { ResolvedSubject, Subject } from '../src/domain/deliberation/subjects.ts';
import { DomainError } from '../src/domain/errors.ts';

interface StatementState {
  subject: Subject;
  name: string;
  text?: string;
}

/** What the scene needs from the deliberation feature. */
export interface StatementSceneDeps {
  /** The subject a committee member typed ("投票 3", "提议 12"), or null. */
  parse(ctx: Ctx, args: string): Promise<Subject | null>;
  name(ctx: Ctx, subject: ResolvedSubject): string;
  /** After it is saved: publish it where it belongs. */
  posted(ctx: Ctx, statement: ClosingStatement, subject: ResolvedSubject): Promise<void>;
}

/** The closing-statement scene. */
export const createStatementScene = (deps: StatementSceneDeps) =>
  defineScene<StatementState>({
    id: 'outcome',
    private: true,
    ttlMinutes: 60,
    async begin(ctx, args) {
      if (!args.trim()) throw new DomainError('deliberation.outcome_usage');
      const subject = await deps.parse(ctx, args);
      if (!subject) throw new DomainError('deliberation.subject_unknown');
      const found = await statementSubject(ctx.services.db, { actor: ctx.actor, via: ctx.via }, subject);
      return { subject, name: deps.name(ctx, found) };
    },
    steps: [
      {
        id: 'text',
        prompt: (ctx, s) => ({ kind: 'text', text: ctx.t('deliberation.ask_statement', { subject: s.name, max: L.statementMax }), max: L.statementMax }),
        validate: (a) => {
          try {
            checkStatementText(String(a));
          } catch (err) {
            if (err instanceof DomainError) return { invalid: err.key, params: err.params };
            throw err;
          }
        },
        apply: (s, a) => ({ state: { ...s, text: String(a) } }),
      },
      {
        id: 'confirm',
        prompt: (ctx, s) => ({ kind: 'confirm', text: ctx.t('deliberation.confirm_statement', { subject: s.name, text: s.text }), yesLabel: ctx.t('deliberation.confirm_statement_yes'), noLabel: ctx.t('deliberation.confirm_statement_no') }),
        apply: (s, a) => (a ? { state: s } : { state: s, next: 'text' }),
      },
    ],
    async finish(ctx, s) {
      const { statement, subject } = await postStatement(ctx.services.db, { actor: ctx.actor, via: ctx.via }, s.subject, s.text ?? '', ctx.services.clock());
      await deps.posted(ctx, statement, subject);
    },
  });
