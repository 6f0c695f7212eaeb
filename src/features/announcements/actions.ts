/** The buttons of announcements: withdrawing a scheduled one (question, then confirmation), and the digest's list. */
import { defineAction } from '../../core/actionCodec.ts';

/** "Withdraw" under a scheduled announcement in /announcements (kept as `annc:<id>`). */
export const cancelAsk = defineAction('annc', { announcement: 'id' });
/** The confirmation of a withdrawal. */
export const cancelYes = defineAction('annc.y', { announcement: 'id' });
/** The digest's "announcements" button. */
export const showAnnouncements = defineAction('ann.list', {});
/** Opens one announcement in full (the list shows only first lines). */
export const readAnnouncement = defineAction('ann.v', { announcement: 'id' });
