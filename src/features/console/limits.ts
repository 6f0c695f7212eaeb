/**
 * The limits the console's words name — how long a sign-in link and a session last, which pictures an announcement takes and how large — read from the constants that enforce them, so a sentence never says "10分钟" while the
 * code allows something else. Every page and refusal that states a limit takes it from here.
 */
import { MAX_IMAGE_BYTES } from '../../domain/announcements/announcements.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { LINK_TTL_MS } from './links.ts';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from './sessions.ts';

/** The picture types an announcement takes (what a group message can carry), with their names. */
export const IMAGE_TYPES: Readonly<Record<string, string>> = Object.freeze({ 'image/jpeg': 'JPG', 'image/png': 'PNG', 'image/webp': 'WebP' });

/** The `accept` attribute of the picture field: exactly the types the form takes. */
export const IMAGE_ACCEPT = Object.keys(IMAGE_TYPES).join(',');

/** The interpolation values of the limits, in the reader's language ("JPG、PNG、WebP"). */
export function limitParams(t: TFn): Record<string, string | number> {
  return {
    linkMinutes: LINK_TTL_MS / 60_000,
    sessionIdleHours: SESSION_IDLE_MS / 3_600_000,
    sessionMaxDays: SESSION_MAX_MS / 86_400_000,
    imageMb: MAX_IMAGE_BYTES / 1024 / 1024,
    imageTypes: Object.values(IMAGE_TYPES).join(t('webconsole.frame.list_separator')),
  };
}
