/**
 * The deep-link payload of a printed slip: `t.me/<bot>?start=hh-K7MXQ3PA`. It differs from a
 * bare code (which /verify redeems without asking) so the register feature can ask first when
 * the slip would move a resident to another household.
 */
import { normalizeCode } from '../residents/verification.ts';

const PREFIX = 'hh-';

/** The payload that redeems a slip's code. */
export function slipPayload(code: string): string {
  return `${PREFIX}${normalizeCode(code)}`;
}

/** The code in a slip payload, or null for any other payload. */
export function codeOfSlipPayload(payload: string): string | null {
  if (!payload.toLowerCase().startsWith(PREFIX)) return null;
  const code = normalizeCode(payload.slice(PREFIX.length));
  return /^[A-Z0-9]{8}$/.test(code) ? code : null;
}

/** A Telegram deep link for a slip, for a bot whose username is known outside the bot (the CLI). */
export function telegramSlipLink(botUsername: string, code: string): string {
  return `https://t.me/${botUsername.replace(/^@/, '')}?start=${slipPayload(code)}`;
}
