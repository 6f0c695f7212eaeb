/**
 * A voter's one-line reason for their vote (named polls only), asked in the private chat after
 * the vote; the domain refuses a secret poll, a closed one and someone who has not voted.
 */
import { defineScene } from '../src/engine/scene.ts';
import { DELIBERATION_LIMITS as L } from '../src/domain/deliberation/limits.ts';
import { checkReasonText, giveReason } from '../src/domain/deliberation/reasons.ts';
import { DomainError } from '../src/domain/errors.ts';

interface ReasonState {
  pollId: string;
  number: number;
  text?: string;
}

/** The reason scene; its argument is the poll's id. */
export const reasonScene = defineScene<ReasonState>({
  id: 'vote-reason',
  private: true,
  ttlMinutes: 30,
  async begin(ctx, args) {
    const poll = await ctx.services.db.poll.findUnique({ where: { id: args.trim() }, select: { id: true, number: true, anonymous: true } });
    if (!poll) throw new DomainError('deliberation.subject_unknown');
    if (poll.anonymous) throw new DomainError('deliberation.reason_secret');
    return { pollId: poll.id, number: poll.number };
  },
  steps: [
    {
      id: 'reason',
      prompt: (ctx, s) => ({ kind: 'text', text: ctx.t('deliberation.ask_reason', { number: s.number, max: L.reasonMax }), max: L.reasonMax * 4 }),
      validate: (a) => {
        try {
          checkReasonText(String(a));
        } catch (err) {
          if (err instanceof DomainError) return { invalid: err.key, params: err.params };
          throw err;
        }
      },
      apply: (s, a) => ({ state: { ...s, text: String(a) } }),
    },
  ],
  async finish(ctx, s) {
    await giveReason(ctx.services.db, { actor: ctx.actor, via: ctx.via }, s.pollId, s.text ?? '', ctx.person.displayName, ctx.services.clock());
    await ctx.reply(ctx.t('deliberation.reason_saved', { number: s.number }));
  },
});
