/**
 * What the console's forms share about scopes (范围): the register's names as a hint beside a
 * scope field, a scope in words, a group's platform by name, and the parser's refusals in a
 * form's words ("请重新填写", where the chat says "请重新回复"). The parsing itself is the domain's
 * (src/domain/register/scope.ts), the same as in the chat.
 */
import { MAX_SCOPE_PARTS, type ScopeRegister } from '../../../domain/register/scope.ts';
import type { TFn } from '../../../i18n/i18n.ts';

/** Most names listed in a hint; a large community's others are typed all the same. */
const LISTED = 40;

function listed(t: TFn, names: string[]): string {
  const shown = names.slice(0, LISTED).join(t('scope.separator'));
  return names.length > LISTED ? `${shown}…` : shown;
}

/** "本社区名册中的楼栋：1栋、3栋；居民小组：第二居民小组". */
export function registerHint(t: TFn, register: ScopeRegister): string {
  const groups = register.groups.length ? t('webconsole.scope.register_groups', { names: listed(t, register.groups.map((g) => g.name)) }) : '';
  return t('webconsole.scope.register_names', { buildings: listed(t, register.buildings.map((b) => b.name)), groups });
}

/**
 * A refusal's words on a console form: the scope parser's in form wording, any other as it is.
 * The limit a refusal names is the parser's own (MAX_SCOPE_PARTS), never a number in the text.
 */
export function refusalText(t: TFn, err: { key: string; params?: Record<string, unknown> }): string {
  if (err.key.startsWith('scope.err_')) return t(`webconsole.scope.${err.key.slice('scope.'.length)}`, { max: MAX_SCOPE_PARTS, ...err.params });
  return t(err.key, err.params);
}

const PLATFORMS = new Set(['telegram', 'wechat', 'console']);

/** A group's platform by name ("微信", "Telegram"). */
export function platformLabel(t: TFn, platform: string): string {
  return PLATFORMS.has(platform) ? t(`webconsole.platform.${platform}`) : platform;
}
