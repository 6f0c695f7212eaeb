// The polls issue's scenarios on Telegram and WeChat, from one definition (tests/scenarios/polls.ts).
import { pollScenarios } from './polls.ts';
import { describeOnAllPlatforms } from './platforms.ts';

describeOnAllPlatforms('polls scenarios', pollScenarios, { clockStart: '2026-11-02T02:00:00Z' });
