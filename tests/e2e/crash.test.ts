// Pulling the plug: the real bot runs as a child process against the fake Bot API and is killed
// with SIGKILL at random moments of a vote storm, then started again on the same database, over
// and over. Telegram redelivers what was not confirmed; afterwards every voter's last tap is the
// counted one, each voter counted once, and the poll card was posted once in its group.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Community } from '../../src/generated/prisma/client.ts';
import { createPoll, type PollWithOptions } from '../../src/domain/polls/polls.ts';
import { publishPoll } from '../../src/features/polls/lifecycle.ts';
import { startFakeBotApi, type FakeBotApi } from '../support/fakeBotApi.ts';
import { bindTelegramGroup, grantRole, makeCommunity, OPERATOR } from '../support/fixtures.ts';
import { startTestBot, tempDir } from '../support/harness.ts';

const GROUP = -100555;
const VOTERS = Array.from({ length: 40 }, (_, i) => ({ id: 9100 + i, first_name: `居民${i}` }));
const KILLS = 20;
const LABELS = ['赞成', '反对', '弃权'];

describe('SIGKILL during a vote storm', () => {
  let fake: FakeBotApi;
  let dbFile: string;
  let poll: PollWithOptions;
  let cardId: number;
  let child: ChildProcess | undefined;

  const env = () => ({ ...process.env, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: `file:${dbFile}`, LOG_LEVEL: 'silent', LINLI_UPDATE_LEASE_SECONDS: '1' });
  const startChild = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      const script = fileURLToPath(new URL('./support/botProcess.ts', import.meta.url));
      const c = fork(script, [], { execArgv: ['--import', 'tsx'], env: env(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      c.once('message', () => resolve(c));
      c.once('exit', (code) => reject(new Error(`bot exited early (${code})`)));
    });
  const kill = async (c: ChildProcess) => {
    // The start-up's "exited early" listener goes first; then wait for this exit.
    c.removeAllListeners('exit');
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  };

  beforeAll(async () => {
    fake = await startFakeBotApi();
    dbFile = join(tempDir(), 'linli.db');
    // Set up with an in-process bot on the same file, then hand the file to the child.
    const setup = await startTestBot({ fake, dbFile });
    const community: Community = await makeCommunity(setup.db);
    await bindTelegramGroup(setup.db, community, GROUP);
    for (const v of VOTERS) await grantRole(setup.db, community, v.id, 'verified');
    const now = new Date();
    poll = await createPoll(
      setup.db,
      { actor: OPERATOR, via: 'test' },
      community.id,
      { question: '是否同意更换3栋楼道照明灯？', options: 'standard', maxChoices: 1, electorate: 'residents', anonymous: false, allowChange: true, closesAt: new Date(now.getTime() + 86_400_000), quorum: { kind: 'none' }, rule: 'majority', liveResults: false },
      now,
    );
    await publishPoll(setup.linli.services, poll);
    await setup.flushOutbox();
    cardId = fake.messagesTo(GROUP).at(-1)!.messageId;
    await setup.stop();
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) await kill(child);
    await fake.close();
  });

  it(`counts every voter's last tap once after ${KILLS} kills`, { timeout: 300_000 }, async () => {
    const last = new Map<number, number>();
    const storm = () => {
      for (let round = 0; round < 5; round++) {
        for (const v of VOTERS) {
          const option = 1 + Math.floor(Math.random() * 3);
          last.set(v.id, option);
          fake.pressButton({ from: v, chat: { id: GROUP, type: 'supergroup', title: '巴登社区居民群' }, messageId: cardId, buttonText: LABELS[option - 1] });
        }
      }
    };
    for (let k = 0; k < KILLS; k++) {
      storm();
      child = await startChild();
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      await kill(child);
    }
    child = await startChild();
    await fake.waitForUpdatesConfirmed({ timeoutMs: 120_000 });
    // Give the last batch's answers and done marks a moment, then stop cleanly.
    await new Promise((r) => setTimeout(r, 500));
    await kill(child);

    const setup = await startTestBot({ fake, dbFile });
    try {
      const participations = await setup.db.pollParticipation.findMany({
        where: { pollId: poll.id },
        include: { ballot: { include: { choices: { include: { option: true } } } } },
      });
      expect(participations).toHaveLength(VOTERS.length);
      const identities = await setup.db.identity.findMany({ where: { platform: 'telegram' } });
      const account = new Map(identities.map((i) => [i.personId, i.platformUserId]));
      const counted = new Map<string, number[]>();
      for (const p of participations) counted.set(account.get(p.personId!)!, p.ballot!.choices.map((c) => c.option.position));
      for (const v of VOTERS) expect(counted.get(String(v.id)), v.first_name).toEqual([last.get(v.id)]);
      // One card in the group: the storm never made the bot post it again.
      expect(fake.messagesTo(GROUP).filter((m) => (m.text ?? '').includes('是否同意更换3栋楼道照明灯'))).toHaveLength(1);
    } finally {
      await setup.close();
    }
  });
});
