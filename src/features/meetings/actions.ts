/** The buttons of meetings, one typed codec each (button data stays well under 64 bytes). */
import { defineAction } from '../../core/actionCodec.ts';

/** "签到" under the notice, in the group or the private chat. */
export const signInTap = defineAction('mtg.in', { meeting: 'id' });
/** A committee member's management card of a meeting (from /meetings). */
export const manageMeeting = defineAction('mtg.m', { meeting: 'id' });
/** The secretary's roll call: the body's members with ☐/☑. */
export const rollCall = defineAction('mtg.rc', { meeting: 'id' });
/** Ticks a member present, or takes the tick back. */
export const tickMember = defineAction('mtg.t', { meeting: 'id', person: 'id' });
/** Starts recording minutes and decisions. */
export const recordMinutesAction = defineAction('mtg.mn', { meeting: 'id' });
/** Publishing the minutes: question, then confirmation. */
export const publishAsk = defineAction('mtg.p', { meeting: 'id' });
export const publishYes = defineAction('mtg.py', { meeting: 'id' });
/** The printable sign-in sheet with the QR code. */
export const signInSheet = defineAction('mtg.qr', { meeting: 'id' });
/** The digest's "meetings" button. */
export const showMeetings = defineAction('mtg.list', {});
/** Lists the attendees signed in as observers (列席) as members of the meeting's body. */
export const enrolAttendees = defineAction('mtg.en', { meeting: 'id' });
/** Cancelling a scheduled meeting, or moving it to a new time and/or place (the card's buttons). */
export const cancelMeetingAction = defineAction('mtg.x', { meeting: 'id' });
export const moveMeetingAction = defineAction('mtg.mv', { meeting: 'id' });
/** A body's members with buttons to remove one or pick one to add (from /meetingbody). */
export const bodyMembersAction = defineAction('mtg.bm', { body: 'id' });
/** One page of the community's people who may be added to a body. */
export const bodyPickAction = defineAction('mtg.bp', { body: 'id', page: 'int' });
export const bodyAddAction = defineAction('mtg.ba', { body: 'id', person: 'id' });
export const bodyRemoveAction = defineAction('mtg.br', { body: 'id', person: 'id' });
