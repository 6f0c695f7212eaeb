/**
 * The committee's and the assignee's short scenes on one request: the answer to the resident
 * (with a preview), and the outside unit a request is referred to. Each starts from a button of
 * the request's page with the request id as its argument; the domain checks who acts again
 * when the scene finishes. The requests feature hands in what follows a step.
 */
import type { Ctx } from '../src/core/context.ts';
import type { Services } from '../src/core/services.ts';
import { defineScene } from '../src/engine/scene.ts';
import { requireAnswer, requireHandle } from '../src/domain/requests/access.ts';
import { loadRequest, referRequest, replyRequest } from '../src/domain/requests/requests.ts';
import { MAX_REPLY, MAX_UNIT, MIN_UNIT } from '../src/domain/requests/rules.ts';
import { stepTarget, type StepKind } from '../src/domain/requests/states.ts';
import type { ResidentRequest } from '../src/generated/prisma/client.ts';

const acting = (ctx: Ctx) => ({ actor: ctx.actor, via: ctx.via, now: ctx.services.clock() });

/** The request a handling scene works on, once the person may take `step` on it and its status allows it. */
async function beginOn(ctx: Ctx, args: string, may: typeof requireAnswer, step: StepKind): Promise<{ requestId: string; number: number }> {
  const r = await loadRequest(ctx.services.db, args);
  may(ctx.actor, r);
  stepTarget(step, r.status, r.number);
  return { requestId: r.id, number: r.number };
}

/** What the scenes need from the requests feature. */
export interface HandlingSceneDeps {
  afterReply(services: Services, r: ResidentRequest): Promise<void>;
  afterAssign(services: Services, r: ResidentRequest): Promise<void>;
}

interface ReplyState {
  requestId: string;
  number: number;
  reply?: string;
}

/** The answer (答复) to a request. */
export const createReplyScene = (deps: HandlingSceneDeps) =>
  defineScene<ReplyState>({
    id: 'requestreply',
    private: true,
    begin: (ctx, args) => beginOn(ctx, args, requireAnswer, 'reply'),
    steps: [
      {
        id: 'reply',
        prompt: (ctx, s) => ({ kind: 'text', text: ctx.t('requests.handle.ask_reply', { number: s.number, max: MAX_REPLY }), min: 2, max: MAX_REPLY }),
        apply: (s, a) => ({ state: { ...s, reply: String(a) } }),
      },
      {
        id: 'confirm',
        prompt: (ctx, s) => ({ kind: 'confirm', text: ctx.t('requests.handle.confirm_reply', { number: s.number, reply: s.reply }), yesLabel: ctx.t('requests.handle.send_reply'), noLabel: ctx.t('requests.handle.rewrite') }),
        apply: (s, a) => (a ? { state: s } : { state: s, next: 'reply' }),
      },
    ],
    async finish(ctx, s) {
      const r = await replyRequest(ctx.services.db, acting(ctx), s.requestId, s.reply!);
      await deps.afterReply(ctx.services, r);
      await ctx.reply(ctx.t(r.repliedAt && r.repliedAt <= r.dueAt ? 'requests.handle.replied_on_time' : 'requests.handle.replied_late', { number: r.number }));
    },
  });

interface ReferState {
  requestId: string;
  number: number;
  unit?: string;
}

/** The outside unit a request is referred to (物业服务中心, 12345热线…). */
export const createReferScene = (deps: HandlingSceneDeps) =>
  defineScene<ReferState>({
    id: 'requestrefer',
    private: true,
    begin: (ctx, args) => beginOn(ctx, args, requireHandle, 'refer'),
    steps: [
      {
        id: 'unit',
        prompt: (ctx, s) => ({ kind: 'text', text: ctx.t('requests.handle.ask_unit', { number: s.number, min: MIN_UNIT, max: MAX_UNIT }), min: MIN_UNIT, max: MAX_UNIT }),
        apply: (s, a) => ({ state: { ...s, unit: String(a) } }),
      },
    ],
    async finish(ctx, s) {
      const r = await referRequest(ctx.services.db, acting(ctx), s.requestId, s.unit!);
      await deps.afterAssign(ctx.services, r);
      await ctx.reply(ctx.t('requests.handle.referred', { number: r.number, unit: r.unitName }));
    },
  });
