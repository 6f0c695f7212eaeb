// The foundation's scenarios on Telegram and WeChat, from one definition (tests/scenarios/foundation.ts).
import { FEATURES } from '../../src/features.ts';
import { foundationScenarios, scenarioTestFeature } from './foundation.ts';
import { describeOnAllPlatforms } from './platforms.ts';

describeOnAllPlatforms('foundation scenarios', foundationScenarios, { features: [...FEATURES, scenarioTestFeature] });
