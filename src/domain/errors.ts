/**
 * A refusal the person should read: a broken rule, a missing permission, bad input. It carries
 * an i18n key (and its parameters) instead of text, so the router can answer in the person's
 * language. Anything else thrown is a bug and gets the generic "that did not work" answer.
 */
export class DomainError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(key);
    this.name = 'DomainError';
  }
}

/** True for a DomainError (also across module copies). */
export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError || (typeof err === 'object' && err !== null && (err as Error).name === 'DomainError');
}
