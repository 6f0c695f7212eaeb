/**
 * The shared scenario framework: an end-to-end scenario is written ONCE as data — who says
 * what, where, which option they choose, what they must read — and run against every platform
 * through a small driver. The Telegram driver presses inline buttons on the fake Bot API; the
 * WeChat driver replies with the option's number through wechaty's mock puppet. A scenario that
 * passes on one platform and not the other is a platform drift, caught here.
 *
 * To add scenarios (proposals, polls…): write `Scenario` objects like tests/scenarios/foundation.ts
 * and run them with `describeScenarios` in a test file.
 */
import type { Db } from '../../src/db/client.ts';
import type { Community } from '../../src/generated/prisma/client.ts';

/** A person in a scenario; each driver turns it into a platform account. */
export interface ScenarioUser {
  /** Unique within the test file (the Telegram id, the WeChat contact id `wx<id>`). */
  id: number;
  name: string;
}

/** A group chat in a scenario (a Telegram supergroup, a WeChat room). */
export interface ScenarioGroup {
  id: number;
  title: string;
}

/** Where a message goes or is read: a person's private chat or a group. */
export type Target = ScenarioUser | ScenarioGroup;

/** How a scenario talks to one platform. */
export interface ScenarioDriver {
  readonly platform: 'telegram' | 'wechat';
  readonly db: Db;
  /** Sends text as `user` (in `group` when given; `mention` addresses the bot there) and waits until handled. */
  say(user: ScenarioUser, text: string, opts?: { group?: ScenarioGroup; mention?: boolean }): Promise<void>;
  /**
   * Picks the option labelled `label` (a RegExp matches labels that change, like a count) from
   * the last message with such an option in that chat, or from the last one whose text matches `on`.
   */
  choose(user: ScenarioUser, label: Match, opts?: { group?: ScenarioGroup; on?: Match }): Promise<void>;
  /** Everything the bot wrote to a chat, as people see it (numbered options included on WeChat). */
  textsTo(target: Target): string[];
  /** The labels of the options of the last message with options in a chat. */
  optionsIn(target: Target): string[];
  /**
   * What the person was told privately in answer to their own steps: toasts and private replies
   * on Telegram, their private chat on WeChat (which has no toasts).
   */
  feedbackTo(user: ScenarioUser): string[];
  /** Names of files (charts, exports) the bot sent to a chat. */
  filesTo(target: Target): string[];
  /** Sends something the bot cannot read as text (a voice message, a sticker, a photo, a location) and waits until handled. */
  sendUnreadable(user: ScenarioUser, kind: UnreadableSample, opts?: { group?: ScenarioGroup }): Promise<void>;
  /** After a scene moved from a group to the private chat: whatever the person does to get there. */
  followHandoff(user: ScenarioUser, group: ScenarioGroup): Promise<void>;
  /** Stops and starts the bot on the same database. */
  restart(): Promise<void>;
  /** Delivers everything due in the outbox. */
  flushOutbox(): Promise<void>;
  /** Moves the bot's test clock (the driver must have been started with one). */
  advanceClock(ms: number): void;
  /** Runs a scheduler job now, at the bot's clock. */
  runJob(name: string): Promise<void>;
  /** The platform's account id of a scenario user (for identity lookups). */
  accountId(user: ScenarioUser): string;
  close(): Promise<void>;
}

/** Kinds of non-text messages a driver can send. */
export type UnreadableSample = 'voice' | 'sticker' | 'photo' | 'location';

/** Values a scenario's steps share (codes issued in one step, typed in the next). */
export interface World {
  driver: ScenarioDriver;
  community?: Community;
  vars: Record<string, string>;
}

type Text = string | ((w: World) => string);
/** A substring or a pattern. */
export type Match = string | RegExp;

/** One step of a scenario. */
export type Step =
  /** A person types. */
  | { say: Text; as: ScenarioUser; in?: ScenarioGroup; mention?: boolean }
  /** A person sends something that is not text (voice, sticker, photo, location). */
  | { sendUnreadable: UnreadableSample; as: ScenarioUser; in?: ScenarioGroup }
  /** A person picks an option (button / number), from the last message matching `on` when given. */
  | { choose: Match; as: ScenarioUser; in?: ScenarioGroup; on?: Match }
  /** What the person was told privately about their last choice (toast / private message). */
  | { told: ScenarioUser; contains?: Match | Match[]; lacks?: Match | Match[] }
  /** The clock moves forward, then the scheduler job runs. */
  | { advance: number; job?: string }
  /** The last message to a chat (or `back` messages before it) contains all of `contains` and none of `lacks`. */
  | { expect: Target; contains?: Match | Match[]; lacks?: Match | Match[]; options?: string[]; back?: number }
  /** The bot said nothing to a chat during the previous step. */
  | { silent: Target }
  /** The bot sent a file with this name to a chat. */
  | { file: Target; name: Match }
  | { restart: true }
  | { handoff: ScenarioUser; from: ScenarioGroup }
  | { flushOutbox: true }
  /** Setup or assertions in code (domain calls, database checks). */
  | { run: (w: World) => Promise<void> };

/** A scenario: a name and its steps. */
export interface Scenario {
  name: string;
  steps: Step[];
}

const list = (m: Match | Match[] | undefined): Match[] => (m === undefined ? [] : Array.isArray(m) ? m : [m]);
/** Whether a text contains the substring or matches the pattern. */
export const matches = (text: string, m: Match) => (typeof m === 'string' ? text.includes(m) : m.test(text));
const label = (t: Target) => ('title' in t ? `group ${t.title}` : `${t.name}`);

/** Runs a scenario's steps on a driver; throws with the step and what was seen when one fails. */
export async function runScenario(driver: ScenarioDriver, scenario: Scenario): Promise<World> {
  const world: World = { driver, vars: {} };
  const seen = new Map<Target, number>();
  const remember = (targets: Target[]) => {
    for (const t of targets) seen.set(t, driver.textsTo(t).length);
  };
  const targets = new Set<Target>();
  for (const step of scenario.steps) {
    for (const key of ['as', 'in', 'expect', 'silent', 'file', 'handoff', 'from', 'told'] as const) {
      const v = (step as Record<string, unknown>)[key];
      if (v && typeof v === 'object') targets.add(v as Target);
    }
  }
  for (const [i, step] of scenario.steps.entries()) {
    const where = `${scenario.name} [${driver.platform}] step ${i + 1} ${JSON.stringify(step, (_k, v) => (typeof v === 'function' ? 'fn' : v instanceof RegExp ? String(v) : v))}`;
    try {
      if ('say' in step) {
        remember([...targets]);
        await driver.say(step.as, typeof step.say === 'function' ? step.say(world) : step.say, { group: step.in, mention: step.mention });
      } else if ('sendUnreadable' in step) {
        remember([...targets]);
        await driver.sendUnreadable(step.as, step.sendUnreadable, { group: step.in });
      } else if ('choose' in step) {
        remember([...targets]);
        await driver.choose(step.as, step.choose, { group: step.in, on: step.on });
      } else if ('told' in step) {
        const last = driver.feedbackTo(step.told).at(-1);
        if (last === undefined) throw new Error(`${label(step.told)} was told nothing`);
        for (const m of list(step.contains)) if (!matches(last, m)) throw new Error(`expected ${String(m)} in:\n${last}`);
        for (const m of list(step.lacks)) if (matches(last, m)) throw new Error(`did not expect ${String(m)} in:\n${last}`);
      } else if ('advance' in step) {
        driver.advanceClock(step.advance);
        if (step.job) await driver.runJob(step.job);
      } else if ('expect' in step) {
        const texts = driver.textsTo(step.expect);
        const last = texts[texts.length - 1 - (step.back ?? 0)];
        if (last === undefined) throw new Error(`nothing was sent to ${label(step.expect)}`);
        for (const m of list(step.contains)) if (!matches(last, m)) throw new Error(`expected ${String(m)} in:\n${last}`);
        for (const m of list(step.lacks)) if (matches(last, m)) throw new Error(`did not expect ${String(m)} in:\n${last}`);
        if (step.options) {
          const options = driver.optionsIn(step.expect);
          if (JSON.stringify(options) !== JSON.stringify(step.options)) throw new Error(`options ${JSON.stringify(options)} ≠ ${JSON.stringify(step.options)}`);
        }
      } else if ('silent' in step) {
        const now = driver.textsTo(step.silent);
        const before = seen.get(step.silent) ?? 0;
        if (now.length !== before) throw new Error(`expected silence in ${label(step.silent)}, got:\n${now.slice(before).join('\n---\n')}`);
      } else if ('file' in step) {
        const names = driver.filesTo(step.file);
        if (!names.some((n) => matches(n, step.name))) throw new Error(`no file ${String(step.name)} in ${JSON.stringify(names)}`);
      } else if ('restart' in step) {
        await driver.restart();
      } else if ('handoff' in step) {
        remember([...targets]);
        await driver.followHandoff(step.handoff, step.from);
      } else if ('flushOutbox' in step) {
        await driver.flushOutbox();
      } else {
        await step.run(world);
      }
    } catch (err) {
      (err as Error).message = `${where}\n${(err as Error).message}`;
      throw err;
    }
  }
  return world;
}
