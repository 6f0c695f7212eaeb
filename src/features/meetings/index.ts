/**
 * Meetings (议事): committee members schedule a meeting of a body with its agenda (/meeting),
 * the groups get the notice and a reminder the day before, attendees sign in with one tap or
 * the QR code in the room (or the secretary ticks them), the secretary records minutes and
 * decisions and publishes the minutes as a 居务 disclosure; committees are reminded when a body
 * has not met as often as the seeds require. The rules live in src/domain/meetings.
 */
import type { Feature } from '../feature.ts';
import { createMeetingScene } from '../../../scenes/meeting.ts';
import { createChangeScene } from '../../../scenes/meetingChange.ts';
import { createMinutesScene } from '../../../scenes/meetingMinutes.ts';
import { cancelAndAnnounce, rescheduleAndAnnounce } from './changes.ts';
import { bodyActions, meetingBodyCommand } from './bodies.ts';
import { meetingCommand, meetingsCommand } from './commands.ts';
import { meetingsDigest } from './digest.ts';
import { manageActions, sendCard } from './manage.ts';
import { meetingFrequencyJob, meetingRemindersJob } from './notices.ts';
import { correctAndAnnounce, recordItem, scheduleAndAnnounce } from './recording.ts';
import { signInActions, signInCommand, signInPayloadHandler } from './signin.ts';

/** The meetings feature. */
export const meetingsFeature: Feature = {
  name: 'meetings',
  scenes: [
    createMeetingScene({ schedule: scheduleAndAnnounce }),
    createChangeScene({ cancel: cancelAndAnnounce, reschedule: rescheduleAndAnnounce }),
    createMinutesScene({ record: recordItem, correct: correctAndAnnounce, done: (ctx, meetingId) => sendCard(ctx, meetingId) }),
  ],
  commands: [meetingCommand, meetingsCommand, signInCommand, meetingBodyCommand],
  actions: [...signInActions, ...manageActions, ...bodyActions],
  startPayloads: [signInPayloadHandler],
  jobs: [meetingRemindersJob, meetingFrequencyJob],
  digest: meetingsDigest,
};
