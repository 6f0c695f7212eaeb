/**
 * The words under a disclosure say only what is true of the message they are in: "tap the button"
 * only where a button is attached; where none can be (WeChat has no deep links), how else to read it.
 */
import { describe, expect, it } from 'vitest';
import { publishDisclosure, getDisclosure } from '../../../../src/domain/disclosures/disclosures.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import { renderCompact, renderNotice } from '../../../../src/features/disclosures/render.ts';
import { createTranslator } from '../../../../src/i18n/i18n.ts';
import { grantRole, makeCommunity } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';

describe('disclosure hints', () => {
  it('names the button only when the message has one, in both languages', async () => {
    const { db } = await freshDatabase();
    const community = await makeCommunity(db);
    const committee = await loadActor(db, await grantRole(db, community, 7001, 'committee'));
    const { disclosure } = await publishDisclosure(db, committee, 'telegram', community.id, { category: 'affairs', period: '2026年11月', title: '十一月工作安排', body: '本月召开居民议事会。', statement: null }, new Date('2026-11-05T02:00:00Z'));
    const d = await getDisclosure(db, disclosure.id);
    const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    const zh = i18n.bind('zh-CN');
    expect(renderCompact(zh, 'zh-CN', d, true)).toContain('点击下方按钮');
    const plain = renderCompact(zh, 'zh-CN', d, false);
    expect(plain).not.toMatch(/按钮|点击/);
    expect(plain).toContain('/disclosures');
    expect(renderCompact(i18n.bind('en'), 'en', d, false)).not.toMatch(/button|tap/i);
    // The group notice always carries its read button; it names it by its own label.
    const notice = renderNotice(zh, d, d.versions[0]);
    expect(notice).toContain(`“${zh('disclosures.read_button')}”`);
    expect(notice).not.toContain('点击下方按钮');
  });
});
