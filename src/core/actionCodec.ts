/**
 * Button data, declared once per action: a typed codec packs a value into the string a platform
 * carries back when the button is tapped (`callback_data` on Telegram, a remembered number on
 * WeChat) and parses it again. Each action has its own prefix, so no handler switches on op
 * letters, and the 64-byte limit of Telegram is checked when the button is made — not when a
 * resident taps a button that was never sent.
 *
 * ```ts
 * const vote = defineAction('v', { poll: 'id', option: 'int' });
 * vote.pack({ poll: p.id, option: 2 }); // "v:ckx…:2"
 * vote.parse('v:ckx…:2');               // { poll: 'ckx…', option: 2 }
 * ```
 */

/** Telegram carries at most 64 bytes of button data (a Chinese character takes 3). */
export const MAX_ACTION_BYTES = 64;

/**
 * A field of button data: an id (letters, digits, `_`, `-`), an integer, a short word without
 * `:` (`str`), or one of a fixed list. A trailing `?` makes a field optional; optional fields
 * come last.
 */
export type FieldKind = 'id' | 'int' | 'str' | 'id?' | 'int?' | 'str?' | readonly string[];

type ValueOf<K> = K extends 'int'
  ? number
  : K extends 'int?'
    ? number | undefined
    : K extends 'id?' | 'str?'
      ? string | undefined
      : K extends readonly (infer E)[]
        ? E
        : string;

/** The value an action carries, typed from its fields. */
export type ActionValue<F extends Record<string, FieldKind>> = { [K in keyof F]: ValueOf<F[K]> };

/** Packs and parses one action's button data. */
export interface ActionCodec<V> {
  readonly prefix: string;
  /** The button data for a value; throws when it would not fit a Telegram button. */
  pack(value: V): string;
  /** The value in button data of this action, or null when the data is malformed or foreign. */
  parse(data: string): V | null;
}

const ID = /^[A-Za-z0-9_-]+$/;
const INT = /^-?\d{1,15}$/;

function fieldFits(kind: FieldKind, raw: string): boolean {
  if (Array.isArray(kind)) return kind.includes(raw);
  const base = (kind as string).replace('?', '');
  if (base === 'id') return ID.test(raw);
  if (base === 'int') return INT.test(raw);
  return raw.length > 0 && !raw.includes(':');
}

/** Declares an action: its prefix (unique in the bot, no `:`) and its fields in order. */
export function defineAction<const F extends Record<string, FieldKind>>(prefix: string, fields: F): ActionCodec<ActionValue<F>> {
  if (!prefix || prefix.includes(':')) throw new Error(`action prefix "${prefix}" must be non-empty and contain no ":"`);
  const names = Object.keys(fields);
  const kinds = names.map((n) => fields[n]);
  const optionalFrom = kinds.findIndex((k) => typeof k === 'string' && k.endsWith('?'));
  if (optionalFrom >= 0 && kinds.slice(optionalFrom).some((k) => !(typeof k === 'string' && k.endsWith('?')))) {
    throw new Error(`action ${prefix}: optional fields must come last`);
  }
  const required = optionalFrom < 0 ? names.length : optionalFrom;

  return {
    prefix,
    pack(value) {
      const parts = [prefix];
      names.forEach((name, i) => {
        const v = (value as Record<string, unknown>)[name];
        if (v === undefined || v === null) {
          if (i < required) throw new Error(`action ${prefix}: field ${name} is required`);
          return;
        }
        const raw = String(v);
        if (!fieldFits(kinds[i], raw)) throw new Error(`action ${prefix}: field ${name} cannot carry "${raw}"`);
        parts.push(raw);
      });
      const data = parts.join(':');
      if (Buffer.byteLength(data, 'utf8') > MAX_ACTION_BYTES) throw new Error(`action ${prefix}: "${data}" is over ${MAX_ACTION_BYTES} bytes`);
      return data;
    },
    parse(data) {
      const [head, ...raw] = data.split(':');
      if (head !== prefix || raw.length < required || raw.length > names.length) return null;
      const value: Record<string, unknown> = {};
      for (let i = 0; i < raw.length; i++) {
        if (!fieldFits(kinds[i], raw[i])) return null;
        const base = typeof kinds[i] === 'string' ? (kinds[i] as string).replace('?', '') : 'enum';
        value[names[i]] = base === 'int' ? Number(raw[i]) : raw[i];
      }
      return value as ActionValue<F>;
    },
  };
}

/** The prefix of button data: which action it belongs to. */
export function actionPrefix(data: string): string {
  const i = data.indexOf(':');
  return i < 0 ? data : data.slice(0, i);
}
