/**
 * A scene's saves are compare-and-set on its version: two instances that handle two answers of
 * the same person in the same conversation at once (each with its own engine and database
 * client, both having read the same version) do not overwrite each other. One answer is saved;
 * the other person-facing reply says it was not taken and shows the current question again.
 * Runs on SQLite and on PostgreSQL (LINLI_TEST_DATABASE).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../../src/core/context.ts';
import { rebuild } from '../../../src/core/context.ts';
import { openDatabase, type Db } from '../../../src/db/client.ts';
import { SceneEngine } from '../../../src/engine/engine.ts';
import type { SceneDef } from '../../../src/engine/scene.ts';
import type { Feature } from '../../../src/features/feature.ts';
import { startTestBot, textOf, type TestBot } from '../../support/harness.ts';

const resident = { id: 8801, first_name: '王阿姨', language_code: 'zh-CN' };

/** Both answers wait here until both have read the session: the race, made certain. */
let gate: { waiting: number; open: () => void; opened: Promise<void> } | null = null;
const arm = () => {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  gate = { waiting: 0, open, opened };
};

type Tally = { first?: string; second?: string };
const tallyScene: SceneDef<Tally> = {
  id: 'test-tally',
  begin: () => ({}),
  steps: [
    {
      id: 'first',
      prompt: () => ({ kind: 'text', text: 'Q-FIRST', max: 50 }),
      async validate() {
        if (!gate) return;
        if (++gate.waiting === 2) gate.open();
        await gate.opened;
      },
      apply: (state, answer) => ({ state: { ...state, first: String(answer) } }),
    },
    { id: 'second', prompt: () => ({ kind: 'text', text: 'Q-SECOND', max: 50 }), apply: (state, answer) => ({ state: { ...state, second: String(answer) } }) },
  ],
  finish: async () => {},
};

let captured: Ctx | undefined;
const feature: Feature = {
  name: 'test-tally',
  scenes: [tallyScene],
  commands: [{ name: 'tally', description: 'scene.yes', run: async (ctx) => {
    captured = ctx;
    await ctx.services.scenes.start(ctx, 'test-tally');
  } }],
};

describe('scene saves with a version check', () => {
  let bot: TestBot;
  let otherDb: Db;

  beforeAll(async () => {
    bot = await startTestBot({ features: [feature] });
    otherDb = await openDatabase(bot.dbFile);
  });
  afterAll(async () => {
    await otherDb?.$disconnect();
    await bot?.close();
  });

  it('saves one of two answers read from the same version; the other is told to answer again', async () => {
    await bot.say(resident, '/tally');
    expect(textOf(bot.last(resident.id))).toContain('Q-FIRST');
    const before = (await bot.db.sceneSession.findFirstOrThrow({ where: { scene: 'test-tally' } })).version;
    // A second instance: its own engine and database client, the same scene.
    const other = new SceneEngine({ db: otherDb, clock: () => new Date(), defaultTtlMinutes: 30 });
    other.register(tallyScene);
    const answer = (text: string) => rebuild(captured!, { ...captured!.incoming, type: 'text', text } as Ctx['incoming']);
    const sentBefore = bot.fake.messagesTo(resident.id).length;
    arm();
    const handled = await Promise.all([bot.linli.services.scenes.handle(answer('一号楼')), other.handle(answer('二号楼'))]);
    gate = null;
    expect(handled).toEqual([true, true]);

    const session = await bot.db.sceneSession.findFirstOrThrow({ where: { scene: 'test-tally' } });
    // One save, not two: the version moved once, and the state holds one answer whole.
    expect(session.version).toBe(before + 1);
    expect(session.step).toBe('second');
    const state = JSON.parse(session.state) as Tally;
    expect(['一号楼', '二号楼']).toContain(state.first);

    const replies = bot.fake.messagesTo(resident.id).slice(sentBefore).map(textOf);
    const conflicts = replies.filter((t) => t.includes('同时送达'));
    expect(conflicts).toHaveLength(1);
    // Both replies end at the current question, with a button version that is current.
    expect(replies.filter((t) => t.includes('Q-SECOND'))).toHaveLength(2);

    // The person answers again: it goes on from the saved state, nothing lost.
    await bot.say(resident, '三单元');
    const after = await bot.db.sceneSession.findFirst({ where: { scene: 'test-tally' } });
    expect(after).toBeNull();
  });

  it('finishes once when two last answers race: the other is told it was not used', async () => {
    let finished = 0;
    const once: SceneDef<Tally> = { ...tallyScene, id: 'test-once', steps: [tallyScene.steps[0]], finish: async () => void finished++ };
    (bot.linli.services.scenes as SceneEngine).register(once);
    const other = new SceneEngine({ db: otherDb, clock: () => new Date(), defaultTtlMinutes: 30 });
    other.register(once);
    await bot.linli.services.scenes.start(captured!, 'test-once');
    const answer = (text: string) => rebuild(captured!, { ...captured!.incoming, type: 'text', text } as Ctx['incoming']);
    const sentBefore = bot.fake.messagesTo(resident.id).length;
    arm();
    await Promise.all([bot.linli.services.scenes.handle(answer('甲')), other.handle(answer('乙'))]);
    gate = null;
    expect(finished).toBe(1);
    expect(await bot.db.sceneSession.count({ where: { scene: 'test-once' } })).toBe(0);
    const replies = bot.fake.messagesTo(resident.id).slice(sentBefore).map(textOf);
    // The loser is told its answer was not used: "already completed" when the winner's finish
    // deleted the session before the loser looked, else "answer again" (the finish still running).
    expect(replies.filter((t) => t.includes('已办结此事项') || t.includes('同时送达'))).toHaveLength(1);
  });
});
