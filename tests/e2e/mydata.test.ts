/**
 * /mydata reads as words, in both languages: every record type a person can have — accounts,
 * roles, proposals, seconds, votes (standard options, a custom option, a secret ballot, an invited
 * member's advisory view), ratings of a default and of a named target, codes — and never a key
 * (service_centre, 2026Q4, 4分, an empty option label) or an internal id.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalKey } from '../../src/domain/residents/privacy.ts';
import type { Community, Person } from '../../src/generated/prisma/client.ts';
import { grantRole, makeCommunity } from '../support/fixtures.ts';
import { startTestBot, testClock, textOf, type TestBot } from '../support/harness.ts';

const zhUser = { id: 9311, first_name: '张', last_name: '伟', language_code: 'zh-CN' };
const enUser = { id: 9312, first_name: 'Anna', last_name: 'Smith', language_code: 'en' };

describe('/mydata in words', () => {
  let bot: TestBot;
  let community: Community;
  const ids: string[] = [];

  /** Everything a person can have on record, created the way the features store it. */
  async function records(person: Person, n: number): Promise<void> {
    const db = bot.db;
    const now = new Date('2026-11-20T02:00:00Z');
    const standard = await db.poll.create({
      data: {
        communityId: community.id, number: 10 + n, shortId: `md${n}a`, question: '是否同意加装电梯', electorate: 'residents', opensAt: now, closesAt: new Date(now.getTime() + 86_400_000),
        options: { create: [{ position: 1, label: '', kind: 'yes' }, { position: 2, label: '', kind: 'no' }, { position: 3, label: '', kind: 'abstain' }] },
      },
      include: { options: true },
    });
    const custom = await db.poll.create({
      data: { communityId: community.id, number: 20 + n, shortId: `md${n}b`, question: '活动时间', electorate: 'residents', opensAt: now, closesAt: now, options: { create: [{ position: 1, label: '周六上午' }] } },
      include: { options: true },
    });
    const secret = await db.poll.create({
      data: { communityId: community.id, number: 30 + n, shortId: `md${n}c`, question: '不记名表决', electorate: 'residents', anonymous: true, opensAt: now, closesAt: now, options: { create: [{ position: 1, label: '', kind: 'yes' }] } },
    });
    const advisory = await db.poll.create({
      data: { communityId: community.id, number: 40 + n, shortId: `md${n}d`, question: '议事会意见', electorate: 'council', opensAt: now, closesAt: now, options: { create: [{ position: 1, label: '', kind: 'no' }] } },
      include: { options: true },
    });
    const vote = (pollId: string, optionId: string | null, opts: { advisory?: boolean } = {}) =>
      db.pollParticipation.create({
        data: {
          id: randomUUID(), pollId, voterKey: `${opts.advisory ? 'a' : 'p'}:${person.id}`, personId: person.id, voterName: person.displayName, advisory: opts.advisory ?? false, castAt: now, updatedAt: now,
          ...(optionId ? { ballot: { create: { id: randomUUID(), pollId, choices: { create: [{ optionId }] } } } } : {}),
        },
      });
    await vote(standard.id, standard.options[0].id);
    await vote(custom.id, custom.options[0].id);
    await vote(secret.id, null);
    await vote(advisory.id, advisory.options[0].id, { advisory: true });
    const proposal = await db.proposal.create({
      data: { communityId: community.id, number: n, authorId: person.id, authorName: person.displayName, title: `修缮单车棚${n}`, category: 'repair', description: '顶棚漏雨', location: '5栋旁', status: 'under_review', submittedAt: now },
    });
    await db.proposalSecond.create({ data: { proposalId: proposal.id, personId: person.id, voterKey: personalKey(person.id) } });
    const centre = await db.ratingTarget.findFirst({ where: { communityId: community.id, systemKey: 'service_centre' } }) ?? (await db.ratingTarget.create({ data: { communityId: community.id, kind: 'service_centre', systemKey: 'service_centre' } }));
    const named = await db.ratingTarget.create({ data: { communityId: community.id, kind: 'property', name: `万科物业${n}` } });
    await db.rating.create({ data: { targetId: centre.id, period: '2026Q4', raterKey: personalKey(person.id), overall: 4 } });
    await db.rating.create({ data: { targetId: named.id, period: '2026Q3', raterKey: personalKey(person.id), overall: 1 } });
    ids.push(person.id, proposal.id, standard.id, centre.id, named.id, standard.options[0].id);
  }

  beforeAll(async () => {
    bot = await startTestBot({ clock: testClock('2026-11-25T02:00:00Z') });
    community = await makeCommunity(bot.db);
    await records(await grantRole(bot.db, community, zhUser.id, 'verified'), 1);
    await records(await grantRole(bot.db, community, enUser.id, 'verified'), 2);
  });
  afterAll(() => bot.close());

  const summaryOf = async (user: typeof zhUser) => {
    await bot.say(user, '/mydata');
    const msgs = bot.fake.messagesTo(user.id);
    const file = msgs.filter((m) => m.method === 'sendDocument').at(-1)!;
    return { text: msgs.filter((m) => m.method === 'sendMessage').map(textOf).join('\n'), json: JSON.parse(file.file!.bytes!.toString('utf8')) };
  };

  /** No stored key and no internal id in what the person reads. */
  const expectNoKeys = (text: string) => {
    expect(text).not.toMatch(/service_centre|workstation|property|under_review|2026Q[1-4]|\d分/);
    for (const id of ids) expect(text).not.toContain(id);
    expect(text).not.toMatch(/· [^\n]*[：:]\s*$/m); // no item ends in an empty label
  };

  it('reads every record type in Chinese', async () => {
    const { text, json } = await summaryOf(zhUser);
    expect(text).toContain(`Telegram账号 ${zhUser.id}`);
    expect(text).toContain('巴登社区｜已认证居民');
    expect(text).toContain('#1 修缮单车棚1（巴登社区，审议中）');
    expect(text).toContain('我的附议（1次）');
    expect(text).toContain('第11号“是否同意加装电梯”：赞成');
    expect(text).toContain('第21号“活动时间”：周六上午');
    expect(text).toContain('第31号“不记名表决”：已投票（不记名投票，不保存您选了什么）');
    expect(text).toContain('第41号“议事会意见”：反对（特邀委员意见，不计入表决结果）');
    expect(text).toContain('党群服务中心（2026年第四季度）：满意');
    expect(text).toContain('万科物业1（2026年第三季度）：非常不满意');
    expect(text).not.toContain('党群服务中心（党群服务中心）');
    expectNoKeys(text);
    // The file keeps the stored values and adds the words beside them.
    expect(json.ballots.find((b: { pollNumber: number }) => b.pollNumber === 11).choices).toEqual(['赞成']);
    expect(json.ratings[0]).toMatchObject({ target: '党群服务中心', period: '2026Q4', periodName: '2026年第四季度', overall: 4, overallAnswer: '满意' });
  });

  it('reads every record type in English', async () => {
    const { text, json } = await summaryOf(enUser);
    expect(text).toContain(`Telegram account ${enUser.id}`);
    expect(text).toContain('Poll 12 “是否同意加装电梯”: For');
    expect(text).toContain('Poll 42 “议事会意见”: Against (an invited member');
    expect(text).toContain('Party-Masses Service Centre (Q4 2026): Satisfied');
    expect(text).toContain('(Q4 2026)');
    expect(text).toContain('Satisfied');
    expectNoKeys(text);
    expect(json.ratings[1]).toMatchObject({ target: '万科物业2', periodName: 'Q3 2026' });
  });
});
