/**
 * A community as the console's tests see it, built through the real domain code: 巴登社区 with a
 * bound group, a committee member, a workstation clerk (staff), verified residents who voted,
 * an open poll, a closed one, proposals at several stages, a quarter's ratings and a published
 * disclosure — and a second community (桂园社区) with its own committee member and poll, which
 * the first one's people must never see. The bot runs against the fake Bot API with the console
 * feature, and the console is served on a real port.
 */
import { createServer } from 'node:net';
import type { Community, Person } from '../../../../src/generated/prisma/client.ts';
import { FEATURES } from '../../../../src/features.ts';
import { startConsoleServer, type ConsoleServer } from '../../../../src/features/console/index.ts';
import { createPoll, type PollWithOptions } from '../../../../src/domain/polls/polls.ts';
import type { PollDraft } from '../../../../src/domain/polls/rules.ts';
import { closePoll } from '../../../../src/domain/polls/lifecycle.ts';
import { submitProposal, startReview, shortlistProposal } from '../../../../src/domain/proposals/proposals.ts';
import { ensureDefaultTargets, listTargets } from '../../../../src/domain/ratings/targets.ts';
import { submitRating } from '../../../../src/domain/ratings/ratings.ts';
import { publishDisclosure } from '../../../../src/domain/disclosures/disclosures.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import { publishPoll } from '../../../../src/features/polls/lifecycle.ts';
import { bindTelegramGroup, grantRole, makeCommunity, OPERATOR, telegramPerson } from '../../../support/fixtures.ts';
import { startTestBot, testClock, textOf, type TestBot, type TestClock } from '../../../support/harness.ts';
import type { FakeUserInput } from '../../../support/fakeBotApi.ts';

export const GROUP = -100_777;
export const OTHER_GROUP = -100_888;

/** The people of the tests, as the fake Telegram knows them. */
export const PEOPLE = {
  committee: { id: 1, first_name: '张丽华', language_code: 'zh-CN' },
  staff: { id: 2, first_name: '李明', language_code: 'zh-CN' },
  resident: { id: 11, first_name: '王芳', language_code: 'zh-CN' },
  otherCommittee: { id: 31, first_name: '陈建国', language_code: 'zh-CN' },
  english: { id: 3, first_name: 'Alex Chen', language_code: 'en' },
} satisfies Record<string, FakeUserInput>;

const VOTERS = Array.from({ length: 16 }, (_, i) => 40 + i);
const NAMES = ['刘桂英', '陈志强', '杨秀兰', '黄建华', '赵淑珍', '周国平', '吴丽娟', '徐永刚', '孙玉梅', '马俊杰', '朱红霞', '胡德明', '郭美玲', '林海涛', '何秀云', '高振国'];

/** A free local port (the console's links must name it before the server starts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface World {
  bot: TestBot;
  clock: TestClock;
  server: ConsoleServer;
  origin: string;
  community: Community;
  other: Community;
  openPoll: PollWithOptions;
  closedPoll: PollWithOptions;
  otherPoll: PollWithOptions;
  committee: Person;
  /** Sends /console as a person in the private chat and returns the link the bot answered with. */
  linkFor(who: FakeUserInput): Promise<string>;
  close(): Promise<void>;
}

const draft = (over: Partial<PollDraft>, now: Date): PollDraft => ({
  question: '是否同意在3栋门前加装休闲座椅？',
  options: 'standard',
  maxChoices: 1,
  electorate: 'residents',
  anonymous: true,
  allowChange: true,
  closesAt: new Date(now.getTime() + 3 * 86_400_000),
  quorum: { kind: 'none' },
  rule: 'majority',
  liveResults: false,
  ...over,
});

/** Builds the world. `env` adds settings (LINLI_PUBLIC_URL is set to the server unless given). */
export async function buildWorld(opts: { env?: Record<string, string> } = {}): Promise<World> {
  const clock = testClock(new Date('2026-11-18T02:00:00Z'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const bot = await startTestBot({ clock, features: FEATURES, env: { PORT: String(port), LINLI_PUBLIC_URL: origin, ...opts.env } });
  const server = await startConsoleServer(bot.linli.services, { port, host: '127.0.0.1' });
  const { db } = bot;
  const services = bot.linli.services;

  const community = await makeCommunity(db);
  const other = await makeCommunity(db, 'guiyuan', '桂园社区');
  await bindTelegramGroup(db, community, GROUP, '巴登社区居民群');
  await bindTelegramGroup(db, other, OTHER_GROUP, '桂园社区居民群');
  const committee = await telegramPerson(db, PEOPLE.committee.id, PEOPLE.committee.first_name);
  await grantRole(db, community, PEOPLE.committee.id, 'committee');
  await telegramPerson(db, PEOPLE.staff.id, PEOPLE.staff.first_name);
  await grantRole(db, community, PEOPLE.staff.id, 'staff');
  await telegramPerson(db, PEOPLE.resident.id, PEOPLE.resident.first_name);
  await grantRole(db, community, PEOPLE.resident.id, 'verified', '3栋-2单元-501');
  await telegramPerson(db, PEOPLE.otherCommittee.id, PEOPLE.otherCommittee.first_name);
  await grantRole(db, other, PEOPLE.otherCommittee.id, 'committee');
  const voters: Person[] = [];
  for (const [i, id] of VOTERS.entries()) {
    await telegramPerson(db, id, NAMES[i]);
    voters.push(await grantRole(db, community, id, 'verified', `${(id % 6) + 1}栋-${(id % 3) + 1}单元-${id}`));
  }

  const now = clock();
  const by = { actor: OPERATOR, via: 'test' };
  // #1: closed last week with a result; #2: open, most have voted; #3 in the other community.
  const past = await createPoll(db, by, community.id, draft({ question: '小区东门是否增设快递柜？', closesAt: new Date(now.getTime() + 60_000) }, new Date(now.getTime() - 7 * 86_400_000)), new Date(now.getTime() - 7 * 86_400_000));
  await publishPoll(services, past);
  const open = await createPoll(db, by, community.id, draft({ quorum: { kind: 'share', value: 0.5 }, description: '座椅由社区党群服务中心统一采购，位置在3栋南侧绿地旁。' }, now), now);
  await publishPoll(services, open);
  const otherPoll = await createPoll(db, by, other.id, draft({ question: '桂园社区是否调整垃圾分类投放时间？' }, now), now);
  await publishPoll(services, otherPoll);
  for (const [i, person] of voters.entries()) {
    const actor = await loadActor(db, person);
    if (i < 11) await services.polls.ballots.cast({ poll: open, actor, voterName: person.displayName, position: i < 7 ? 1 : i < 10 ? 2 : 3, now });
    await services.polls.ballots.cast({ poll: past, actor, voterName: person.displayName, position: i < 12 ? 1 : 2, now: new Date(now.getTime() - 7 * 86_400_000 + 1000) });
  }
  const closed = (await closePoll(db, past.id, new Date(now.getTime() - 7 * 86_400_000 + 120_000), null))!.poll;

  // Proposals at several stages.
  const acting = async (p: Person) => ({ actor: await loadActor(db, p), via: 'test', now });
  const proposal = (title: string, category: string, description: string, location: string, costYuan: number) => ({ title, category, description, location, costYuan, photos: [] });
  await submitProposal(db, await acting(voters[0]), community.id, voters[0].displayName, proposal('3栋楼道加装感应灯', 'facilities', '3栋二单元楼道夜间无照明，老人上下楼不便，建议加装声控感应灯。', '3栋二单元', 3000));
  await submitProposal(db, await acting(voters[1]), community.id, voters[1].displayName, proposal('增设长者休息座椅', 'elderly', '小区中心花园缺少座椅，老人散步后无处休息，建议增设六张长椅。', '中心花园', 12000));
  const third = await submitProposal(db, await acting(voters[2]), community.id, voters[2].displayName, proposal('儿童游乐区铺设软垫', 'safety', '游乐区地面为水泥地，孩子摔倒容易受伤，建议铺设塑胶软垫。', '儿童游乐区', 40000));
  const committeeActing = { actor: await loadActor(db, committee), via: 'test', now };
  await startReview(db, committeeActing, third.proposal.id);
  await shortlistProposal(db, committeeActing, third.proposal.id);

  // This quarter's satisfaction with the service centre.
  await ensureDefaultTargets(db, community.id);
  const [centre] = await listTargets(db, community.id, { activeOnly: true });
  const comments: Record<number, string> = { 0: '工作人员热情耐心，办事效率高。', 9: '窗口排队时间太长，希望增加午间办理时段。' };
  for (const [i, person] of voters.slice(0, 12).entries()) {
    const actor = await loadActor(db, person);
    await submitRating(db, actor, { communityId: community.id, targetId: centre.id, overall: i < 9 ? 5 - (i % 2) : 2, comment: comments[i] ?? null }, now, 'Asia/Shanghai');
    // Last quarter, for the trend: 5 of 8 satisfied.
    if (i < 8) await submitRating(db, actor, { communityId: community.id, targetId: centre.id, overall: i < 5 ? 4 : 3 }, new Date('2026-08-15T02:00:00Z'), 'Asia/Shanghai');
  }

  await publishDisclosure(db, await loadActor(db, committee), 'test', community.id, { category: 'affairs', period: '2026年第三季度', title: '三季度社区议事会会议纪要', body: '9月议事会讨论了东门快递柜选址、楼道照明改造和中心花园座椅增设三项议题，形成决议如下。', statement: null }, now);

  await bot.flushOutbox();
  return {
    bot,
    clock,
    server,
    origin,
    community,
    other,
    openPoll: open,
    closedPoll: closed,
    otherPoll,
    committee,
    async linkFor(who) {
      await bot.say(who, '/console');
      const text = textOf(bot.last(who.id));
      const found = /https?:\/\/\S+\/console\/signin\/[A-Za-z0-9_-]{43}/.exec(text);
      if (!found) throw new Error(`no sign-in link in: ${text}`);
      return found[0];
    },
    async close() {
      await server.close();
      await bot.close();
    },
  };
}
