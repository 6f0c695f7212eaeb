// The proposals issue's scenarios on Telegram and WeChat, from one definition (tests/scenarios/proposals.ts).
import { proposalScenarios } from './proposals.ts';
import { describeOnAllPlatforms } from './platforms.ts';

describeOnAllPlatforms('proposals scenarios', proposalScenarios);
