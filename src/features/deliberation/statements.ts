/**
 * Where a closing statement goes. A poll's statement posted before the close rides in the result
 * notice (results.ts); after the result went out it follows as its own notice. A proposal's
 * statement (and an agenda item's) goes out at once. Every group message uses the outbox.
 */
import type { Ctx } from '../../core/context.ts';
import type { CommandDef } from '../../core/feature.ts';
import type { Services } from '../../core/services.ts';
import type { ResolvedSubject } from '../../domain/deliberation/subjects.ts';
import { announced } from '../../domain/polls/publication.ts';
import type { ClosingStatement } from '../../generated/prisma/client.ts';
import { statementNotice, subjectName } from './render.ts';

/** Outbox key base of a statement's own notice. */
export const statementKey = (s: ResolvedSubject) => `delib:statement:${s.kind}:${s.id}`;

/** Publishes the statement where it belongs; true when it went to the groups now. */
export async function publishStatement(services: Services, statement: ClosingStatement, subject: ResolvedSubject): Promise<boolean> {
  if (subject.kind === 'poll' && subject.status !== 'closed') return false;
  if (subject.kind === 'poll' && !(await announced(services.db, [subject.id])).has(subject.id)) return false;
  await services.outbox.publishToCommunity(subject.communityId, statementKey(subject), (locale) => statementNotice(services.i18n.bind(locale), subject, statement), {
    refType: 'closing-statement',
    refId: statement.id,
  });
  return true;
}

/** After the scene saved it: publish, and tell the committee member where it went. */
export async function afterStatement(ctx: Ctx, statement: ClosingStatement, subject: ResolvedSubject): Promise<void> {
  const now = await publishStatement(ctx.services, statement, subject);
  await ctx.reply(ctx.t(now ? 'deliberation.statement_published' : 'deliberation.statement_with_result', { subject: subjectName(ctx.t, subject) }));
}

/** `/outcome 投票 3` / `/outcome 提议 12`: the committee's closing statement (a scene). */
export const outcomeCommand: CommandDef = {
  name: 'outcome',
  description: 'deliberation.cmd_outcome',
  order: 38,
  permission: 'deliberation.manage',
  run: (ctx, args) => ctx.services.scenes.start(ctx, 'outcome', args.trim()),
};
