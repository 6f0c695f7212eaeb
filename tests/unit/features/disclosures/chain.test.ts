/**
 * The publication rules and the tamper-evident history: who may publish, what is refused, and
 * that `verify` (the function and the `linli disclosure verify` command) names the record
 * when a row was changed, deleted or reordered directly in the database.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../../../../src/domain/errors.ts';
import type { Db } from '../../../../src/db/client.ts';
import { headCode, verifyChain } from '../../../../src/domain/disclosures/chain.ts';
import { correctDisclosure, getDisclosure, listDisclosures, publishDisclosure } from '../../../../src/domain/disclosures/disclosures.ts';
import { readStatement } from '../../../../src/domain/disclosures/statement.ts';
import { parseCsv } from '../../../../src/domain/disclosures/csv.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import type { Actor } from '../../../../src/domain/residents/roles.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { grantRole, makeCommunity } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';
import { linli as linliIn } from '../../../support/cliRun.ts';

// These tests quote the CLI's English: the operator reads it in English (LINLI_CLI_LOCALE=en).
const linli = (dbFile: string, args: string[]) => linliIn(dbFile, args, { LINLI_CLI_LOCALE: 'en' });

const T0 = new Date('2026-10-15T01:00:00Z');

async function refusalKey(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isDomainError(err)) return err.key;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('publishing and the hash chain', () => {
  let db: Db;
  let file: string;
  let community: Community;
  let committee: Actor;
  let resident: Actor;

  beforeEach(async () => {
    ({ db, file } = await freshDatabase());
    community = await makeCommunity(db);
    committee = await loadActor(db, await grantRole(db, community, 301, 'committee'));
    resident = await loadActor(db, await grantRole(db, community, 302, 'verified'));
  });

  async function seed() {
    const statement = readStatement(parseCsv('日期,项目,收支,金额,资金来源\n10月12日,路灯维修,支出,1200,民生微实事资金\n10月1日,区拨款,收入,5000,民生微实事资金'), 2026);
    const a = await publishDisclosure(db, committee, 'telegram', community.id, { category: 'finance', period: '2026年第三季度', title: '第三季度经费收支', body: '', statement }, T0);
    const b = await publishDisclosure(db, committee, 'telegram', community.id, { category: 'affairs', period: '2026年10月', title: '十月居委会工作安排', body: '本月召开居民议事会。', statement: null }, new Date(T0.getTime() + 60_000));
    const c = await correctDisclosure(db, committee, 'telegram', b.disclosure.id, { body: '本月召开居民议事会两次。', statement: null, reason: '会议次数笔误' }, new Date(T0.getTime() + 120_000));
    return { a, b, c };
  }

  it('numbers disclosures, chains every version and keeps the old one on correction', async () => {
    const { a, b, c } = await seed();
    expect(a.disclosure.number).toBe(1);
    expect(b.disclosure.number).toBe(2);
    expect(a.version.prevHash).toBe('');
    expect(b.version.prevHash).toBe(a.version.hash);
    expect(c.version.prevHash).toBe(b.version.hash);
    expect(c.version.chainSeq).toBe(3);
    const d = await getDisclosure(db, b.disclosure.id);
    expect(d.versions.map((v) => [v.version, v.body, v.reason])).toEqual([
      [1, '本月召开居民议事会。', null],
      [2, '本月召开居民议事会两次。', '会议次数笔误'],
    ]);
    expect(d.latestVersion).toBe(2);
    expect(b.disclosure.periodKey).toBe('2026-10');
    const audit = await db.auditEntry.findMany({ where: { action: { startsWith: 'disclosure.' } }, orderBy: { at: 'asc' } });
    expect(audit.map((e) => e.action)).toEqual(['disclosure.publish', 'disclosure.publish', 'disclosure.correct']);
    expect(JSON.parse(audit[2].details!).hash).toBe(c.version.hash);
    const [report] = await verifyChain(db, community.id);
    expect(report.problems).toEqual([]);
    expect(report.links).toBe(3);
  });

  it('finds by Chinese keyword in the current version only, and by period', async () => {
    await seed();
    expect((await listDisclosures(db, community.id, { keyword: '路灯' })).items.map((i) => i.disclosure.number)).toEqual([1]);
    expect((await listDisclosures(db, community.id, { keyword: '两次' })).total).toBe(1);
    // Wording that a correction replaced is not found any more.
    expect((await listDisclosures(db, community.id, { keyword: '议事会。' })).total).toBe(0);
    expect((await listDisclosures(db, community.id, { periodKey: '2026Q3' })).items.map((i) => i.latest.title)).toEqual(['第三季度经费收支']);
    expect((await listDisclosures(db, community.id, { category: 'party' })).total).toBe(0);
  });

  it('refuses residents, unknown categories, empty bodies, bad titles and empty corrections', async () => {
    const draft = { category: 'affairs', period: '2026年第四季度', title: '通知', body: '内容', statement: null };
    expect(await refusalKey(publishDisclosure(db, resident, 'telegram', community.id, draft, T0))).toBe('errors.forbidden');
    expect(await refusalKey(publishDisclosure(db, committee, 'telegram', community.id, { ...draft, category: 'matters' }, T0))).toBe('disclosures.unknown_category');
    expect(await refusalKey(publishDisclosure(db, committee, 'telegram', community.id, { ...draft, category: 'gossip' }, T0))).toBe('disclosures.unknown_category');
    expect(await refusalKey(publishDisclosure(db, committee, 'telegram', community.id, { ...draft, body: '  \n ' }, T0))).toBe('disclosures.empty_body');
    expect(await refusalKey(publishDisclosure(db, committee, 'telegram', community.id, { ...draft, title: 'x' }, T0))).toBe('disclosures.bad_title');
    expect(await refusalKey(publishDisclosure(db, committee, 'telegram', community.id, { ...draft, body: '字'.repeat(20_001) }, T0))).toBe('disclosures.body_too_long');
    const { b } = await seed();
    expect(await refusalKey(correctDisclosure(db, committee, 'telegram', b.disclosure.id, { body: '本月召开居民议事会两次。', statement: null, reason: '再次确认' }, T0))).toBe('disclosures.correction_unchanged');
    expect(await refusalKey(correctDisclosure(db, committee, 'telegram', b.disclosure.id, { body: '新内容', statement: null, reason: ' ' }, T0))).toBe('disclosures.bad_reason');
    expect(await refusalKey(correctDisclosure(db, resident, 'telegram', b.disclosure.id, { body: '新内容', statement: null, reason: '原因说明' }, T0))).toBe('errors.forbidden');
    // 事务 is available once the community lists it.
    await db.community.update({ where: { id: community.id }, data: { disclosureCategories: JSON.stringify(['party', 'affairs', 'finance', 'services', 'matters']) } });
    const m = await publishDisclosure(db, committee, 'telegram', community.id, { ...draft, category: 'matters' }, T0);
    expect(m.disclosure.category).toBe('matters');
  });

  it('keeps the chain intact when two publications race', async () => {
    const drafts = Array.from({ length: 6 }, (_, i) => ({ category: 'services', period: '2026年10月', title: `服务公开${i + 1}`, body: `第${i + 1}项`, statement: null }));
    await Promise.all(drafts.map((d) => publishDisclosure(db, committee, 'telegram', community.id, d, T0)));
    const [report] = await verifyChain(db, community.id);
    expect(report.links).toBe(6);
    expect(report.problems).toEqual([]);
  });

  it('verify names a version whose text was changed with raw SQL (function and CLI command)', async () => {
    const { a } = await seed();
    const ok = await linli(file, ['disclosure', 'verify', '--community', 'badeng']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('ok badeng: 3 versions');
    await db.$executeRawUnsafe(`UPDATE "DisclosureVersion" SET "statement" = replace("statement", '120000', '12000') WHERE "id" = ?`, a.version.id);
    const [report] = await verifyChain(db, community.id);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'hash', disclosureNumber: 1, version: 1, versionId: a.version.id })]);
    const bad = await linli(file, ['disclosure', 'verify']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('TAMPERED badeng: disclosure #1, version 1, chain #1');
    expect(bad.err).toContain('content does not match its hash');
  });

  it('verify notices a changed category, a deleted version, a reordered chain and a dropped newest version', async () => {
    const { a, b, c } = await seed();
    await db.$executeRawUnsafe(`UPDATE "Disclosure" SET "category" = 'services' WHERE "id" = ?`, a.disclosure.id);
    expect((await verifyChain(db, community.id))[0].problems.map((p) => [p.kind, p.disclosureNumber])).toEqual([['hash', 1]]);
    await db.$executeRawUnsafe(`UPDATE "Disclosure" SET "category" = 'finance' WHERE "id" = ?`, a.disclosure.id);
    expect((await verifyChain(db, community.id))[0].problems).toEqual([]);

    // Swap the chain positions of the first two versions.
    await db.$executeRawUnsafe(`UPDATE "DisclosureVersion" SET "chainSeq" = -1 WHERE "id" = ?`, a.version.id);
    await db.$executeRawUnsafe(`UPDATE "DisclosureVersion" SET "chainSeq" = 1 WHERE "id" = ?`, b.version.id);
    await db.$executeRawUnsafe(`UPDATE "DisclosureVersion" SET "chainSeq" = 2 WHERE "id" = ?`, a.version.id);
    const reordered = (await verifyChain(db, community.id))[0].problems;
    expect(reordered.some((p) => p.kind === 'link' && p.disclosureNumber === 2)).toBe(true);
    await db.$executeRawUnsafe(`UPDATE "DisclosureVersion" SET "chainSeq" = -1 WHERE "id" = ?`, a.version.id);
    await db.$executeRawUnsafe(`UPDATE "DisclosureVersion" SET "chainSeq" = 2 WHERE "id" = ?`, b.version.id);
    await db.$executeRawUnsafe(`UPDATE "DisclosureVersion" SET "chainSeq" = 1 WHERE "id" = ?`, a.version.id);
    expect((await verifyChain(db, community.id))[0].problems).toEqual([]);

    // Delete the middle version: a gap, and the next link no longer fits.
    await db.$executeRawUnsafe(`DELETE FROM "DisclosureVersion" WHERE "id" = ?`, b.version.id);
    const gap = (await verifyChain(db, community.id))[0].problems;
    expect(gap).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'gap', chainSeq: 3, disclosureNumber: 2, version: 2 }), expect.objectContaining({ kind: 'link', chainSeq: 3 })]));
    const out = await linli(file, ['disclosure', 'verify', '--community', 'badeng']);
    expect(out.code).toBe(1);
    expect(out.err).toContain('disclosure #2, version 2, chain #3');

    // Dropping the newest version is caught by the chain head.
    await db.$executeRawUnsafe(`DELETE FROM "DisclosureVersion" WHERE "id" = ?`, c.version.id);
    const head = (await verifyChain(db, community.id))[0].problems;
    expect(head.some((p) => p.kind === 'head')).toBe(true);
    expect(head.some((p) => p.kind === 'orphan' && p.disclosureNumber === 2)).toBe(true);
    expect(headCode(c.version.hash)).toMatch(/^[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}$/);
  });

  it('verify notices a chain rewritten with fresh hashes after a change, through the audit log', async () => {
    const { a } = await seed();
    // A careful forger changes an amount and recomputes every hash and the head.
    const { hashLink } = await import('../../../../src/domain/disclosures/chain.ts');
    const links = await db.disclosureVersion.findMany({ where: { communityId: community.id }, orderBy: { chainSeq: 'asc' }, include: { disclosure: true } });
    let prev = '';
    for (const l of links) {
      const statement = l.id === a.version.id ? l.statement!.replace('120000', '12000') : l.statement;
      const hash = hashLink({ ...l, number: l.disclosure.number, category: l.disclosure.category, period: l.disclosure.period, periodKey: l.disclosure.periodKey, statement, prevHash: prev });
      await db.$executeRawUnsafe(`UPDATE "DisclosureVersion" SET "statement" = ?, "prevHash" = ?, "hash" = ? WHERE "id" = ?`, statement, prev, hash, l.id);
      prev = hash;
    }
    await db.$executeRawUnsafe(`UPDATE "DisclosureChainHead" SET "hash" = ? WHERE "communityId" = ?`, prev, community.id);
    const problems = (await verifyChain(db, community.id))[0].problems;
    expect(problems.map((p) => [p.kind, p.disclosureNumber, p.version])).toEqual([
      ['audit', 1, 1],
      ['audit', 2, 1],
      ['audit', 2, 2],
      // …and the hashes the audit log recorded are no longer in the chain.
      ['missing', 1, 1],
      ['missing', 2, 1],
      ['missing', 2, 2],
    ]);
  });
});
