/**
 * The register on WeChat (real wechaty, mock puppet): a resident verifies by sending the words a
 * slip prints; a 楼栋长 appointed on WeChat uses /register through numbered replies and verifies
 * a neighbour in person with the words to send, since WeChat has no deep links.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyImport } from '../../../../src/domain/register/apply.ts';
import { issueLeadCode } from '../../../../src/domain/register/leads.ts';
import { issueSlips } from '../../../../src/domain/register/slips.ts';
import { unitFromCells } from '../../../../src/domain/register/units.ts';
import { FEATURES } from '../../../../src/features.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { startWechatDriver } from '../../../scenarios/wechatDriver.ts';
import { makeCommunity, OPERATOR } from '../../../support/fixtures.ts';

const CODE = /[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}/;
const resident = { id: 5101, name: '王阿姨' };
const lead = { id: 5102, name: '陈楼长' };
const neighbour = { id: 5103, name: '赵伯伯' };

describe('the register on WeChat', () => {
  let driver: Awaited<ReturnType<typeof startWechatDriver>>;
  let community: Community;
  const last = (user: { id: number; name: string }) => driver.textsTo(user).at(-1) ?? '';

  beforeAll(async () => {
    driver = await startWechatDriver({ features: FEATURES });
    const { db } = driver.bot;
    community = await makeCommunity(db);
    const rows = [['1', '1', '101'], ['1', '1', '102'], ['2', '', '301']].map(([building, entrance, room], i) => {
      const parts = unitFromCells({ building, entrance, room });
      if ('problem' in parts) throw new Error('bad row');
      return { line: i + 2, unit: parts.unit, building: parts.building, group: null, residents: null, kind: null, headName: null };
    });
    await applyImport(db, OPERATOR, 'cli', community.id, { rows, facts: { group: false, residents: false, kind: false, head: false } }, new Date());
  });
  afterAll(async () => {
    await driver?.close();
  });

  it('verifies a resident who sends the words printed on the slip', async () => {
    const { slips } = await issueSlips(driver.bot.db, OPERATOR, 'cli', { communityId: community.id, buildingId: null }, new Date());
    await driver.say(resident, `认证 ${slips[0].code}`);
    expect(last(resident)).toContain('认证成功！您已认证为巴登社区1栋-1单元-101住户');
  });

  it('lets a 楼栋长 follow /register by numbers and verify a neighbour in person with words to send', async () => {
    const building = await driver.bot.db.building.findUniqueOrThrow({ where: { communityId_name: { communityId: community.id, name: '1栋' } } });
    const { code } = await issueLeadCode(driver.bot.db, OPERATOR, 'cli', building.id, new Date());
    await driver.say(lead, `认证 ${code}`);
    expect(last(lead)).toBe('认证成功！您已获得巴登社区“楼栋长”身份。');

    await driver.say(lead, '名册');
    expect(last(lead)).toContain('【住户名册】巴登社区 · 我负责的楼栋');
    expect(last(lead)).toContain('1栋　2户　已认证1户（50%）');
    await driver.choose(lead, '1栋 50%');
    expect(last(lead)).toContain('尚未认证（1户）：\n1栋-1单元-102');
    await driver.choose(lead, '当面认证邻居');
    expect(last(lead)).toContain('请输入邻居的房号（1栋）');
    await driver.say(lead, '1-102');
    const words = last(lead);
    expect(words).toContain('请邻居在自己的微信里给“邻里”发送：认证');
    const [inPerson] = words.match(CODE)!;

    await driver.say(neighbour, `认证 ${inPerson}`);
    expect(last(neighbour)).toContain('认证成功！您已认证为巴登社区1栋-1单元-102住户');
    const entry = await driver.bot.db.auditEntry.findFirstOrThrow({ where: { action: 'verification.in_person' } });
    expect(entry.via).toBe('wechat');
  });
});
