/**
 * The buttons of ratings, one codec each: rating a target (a campaign's announcement, the
 * digest), a target's detailed report, the moderation of a comment, and the committee's
 * management of targets.
 */
import { defineAction } from '../../core/actionCodec.ts';

/** Starts the rating scene for a target. */
export const rateTarget = defineAction('rt.go', { target: 'id' });
/** The detailed report of a target for a period (2026Q4). */
export const reportDetail = defineAction('rt.rep', { target: 'id', period: 'str' });

export const approveComment = defineAction('rt.ok', { rating: 'id' });
export const hideComment = defineAction('rt.hide', { rating: 'id' });

export const activateTarget = defineAction('rt.on', { target: 'id' });
export const deactivateTarget = defineAction('rt.off', { target: 'id' });
export const renameTarget = defineAction('rt.ren', { target: 'id' });
export const addTarget = defineAction('rt.add', {});
/** Launches a campaign for a target (the campaign scene, with the target chosen). */
export const campaignFor = defineAction('rt.camp', { target: 'id' });
