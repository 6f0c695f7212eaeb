/**
 * The 居民认证 button: asks for the code and takes the next message as it, so a resident who
 * tapped the button never has to learn "/verify <code>". The feature hands in how a code is
 * redeemed (src/features/residents/verify.ts); this file only asks.
 */
import type { Ctx } from '../src/core/context.ts';
import { defineScene, invalid } from '../src/engine/scene.ts';
import { looksLikeCode } from '../src/domain/residents/verification.ts';

/** What the scene needs from its feature. */
export interface VerifyCodeDeps {
  redeem(ctx: Ctx, code: string): Promise<void>;
}

/** The scene that asks for a verification code. */
export function createVerifyCodeScene(deps: VerifyCodeDeps) {
  return defineScene<{ code?: string }>({
    id: 'verifycode',
    private: true,
    ttlMinutes: 30,
    begin: () => ({}),
    steps: [
      {
        id: 'code',
        prompt: (ctx) => ({ kind: 'text', text: ctx.t('residents.verify_ask_code'), max: 40 }),
        // Anything else (a question, half a code) is answered here and asked again, never counted as a failed attempt.
        validate: (answer) => (looksLikeCode(String(answer)) ? undefined : invalid('residents.verify_not_a_code')),
        apply: (s, a) => ({ state: { ...s, code: String(a) } }),
      },
    ],
    async finish(ctx, s) {
      await deps.redeem(ctx, s.code!);
    },
  });
}
