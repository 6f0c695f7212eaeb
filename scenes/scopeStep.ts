/**
 * The scope step shared by /newpoll, /announce and the rating campaign scene: which buildings or
 * 居民小组 the poll, notice or campaign is for. One "跳过" tap (or "全体") keeps today's default,
 * the whole community; a community without a register is never asked. The community's buildings
 * and groups are read once when the scene begins ({@link loadScopeRegister}), so each answer is
 * checked without the database; the domain checks the scope again when the record is stored.
 */
import type { Ctx } from '../src/core/context.ts';
import { canScope, describeScope, isWholeCommunity, parseScope, scopeRegister, WHOLE_COMMUNITY, type Scope, type ScopeRegister } from '../src/domain/register/scope.ts';
import { invalid, type SceneStep } from '../src/engine/scene.ts';

/** Scene state that carries a scope. */
export interface ScopedState {
  /** The community's buildings and groups, read when the scene began; empty without a register. */
  scopeRegister?: ScopeRegister;
  scope?: Scope;
}

/** Most building names listed in the question (a large community has many; the rest are typed). */
const LISTED = 40;

/** The community's buildings and groups for the scope step. */
export function loadScopeRegister(ctx: Ctx, communityId: string): Promise<ScopeRegister> {
  return scopeRegister(ctx.services.db, communityId);
}

function listed(ctx: Ctx, names: string[]): string {
  const shown = names.slice(0, LISTED).join(ctx.t('scope.separator'));
  return names.length > LISTED ? `${shown}…` : shown;
}

/** The scope step; `skip` adds the scene's own reasons not to ask (a council poll). */
export function scopeStep<S extends ScopedState>(opts: { skip?(state: S): boolean } = {}): SceneStep<S> {
  return {
    id: 'scope',
    skip: (s) => !s.scopeRegister || !canScope(s.scopeRegister) || Boolean(opts.skip?.(s)),
    prompt: (ctx, s) => {
      const register = s.scopeRegister!;
      const groups = register.groups.length ? ctx.t('scope.ask_groups_list', { names: listed(ctx, register.groups.map((g) => g.name)) }) : '';
      return { kind: 'text', text: ctx.t('scope.ask', { buildings: listed(ctx, register.buildings.map((b) => b.name)), groups }), max: 10_000, optional: true };
    },
    validate(answer, _ctx, s) {
      if (answer === null) return;
      const parsed = parseScope(String(answer), s.scopeRegister!);
      if (!parsed.ok) return invalid(`scope.err_${parsed.reason}`, { name: parsed.name });
    },
    apply(s, answer) {
      const parsed = answer === null ? null : parseScope(String(answer), s.scopeRegister!);
      return { state: { ...s, scope: parsed?.ok ? parsed.scope : WHOLE_COMMUNITY } };
    },
  };
}

/** "已认证居民（3栋、5栋）" for a preview: what, narrowed by the scope when there is one. */
export function withScope(ctx: Ctx, what: string, scope: Scope | undefined): string {
  return !scope || isWholeCommunity(scope) ? what : ctx.t('scope.with', { what, names: describeScope(ctx.t, scope) });
}
