/**
 * Runs shared scenarios on every platform: one `describe` per driver, one test per scenario.
 * Each platform gets its own bot and database for the whole list (scenarios use distinct people).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Feature } from '../../src/features/feature.ts';
import { testClock, type TestClock } from '../support/harness.ts';
import { runScenario, type Scenario, type ScenarioDriver } from './driver.ts';
import { startTelegramDriver } from './telegramDriver.ts';
import { startWechatDriver } from './wechatDriver.ts';

/** The platforms scenarios run on. */
export const DRIVERS: { platform: string; start(opts: { features?: Feature[]; clock?: TestClock }): Promise<ScenarioDriver> }[] = [
  { platform: 'telegram', start: startTelegramDriver },
  { platform: 'wechat', start: startWechatDriver },
];

/**
 * Declares the scenarios as tests on every platform. With `clockStart` each platform's bot runs
 * on its own test clock starting there (scenarios move it with `advance` steps).
 */
export function describeOnAllPlatforms(title: string, scenarios: Scenario[], opts: { features?: Feature[]; clockStart?: string } = {}): void {
  for (const d of DRIVERS) {
    describe(`${title} on ${d.platform}`, () => {
      let driver: ScenarioDriver;
      beforeAll(async () => {
        driver = await d.start({ features: opts.features, clock: opts.clockStart ? testClock(opts.clockStart) : undefined });
      });
      afterAll(async () => {
        await driver?.close();
      });
      for (const scenario of scenarios) it(scenario.name, () => runScenario(driver, scenario).then(() => undefined));
    });
  }
}
