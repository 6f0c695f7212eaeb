// The meetings issue's main flow on Telegram and WeChat, from one definition (tests/scenarios/meetings.ts).
import { meetingScenarios } from './meetings.ts';
import { describeOnAllPlatforms } from './platforms.ts';

// Monday 2 November 2026, 10:00 in Shanghai (the enrolment codes are issued on the real clock): the meeting is tonight, so sign-in is open.
describeOnAllPlatforms('meetings scenarios', meetingScenarios, { clockStart: '2026-11-02T02:00:00Z' });
