/**
 * Tamper evidence that survives a rewritten database: `disclosure verify` checks the chain
 * against every publication the audit log recorded, and `--head <码>` proves that a head code
 * posted in the groups is still in today's chain. Each kind of deletion and rollback is made
 * with raw SQL, as someone with the database file would.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/client.ts';
import { headCode, parseHeadCode, verifyChain } from '../../../../src/domain/disclosures/chain.ts';
import { correctDisclosure, publishDisclosure } from '../../../../src/domain/disclosures/disclosures.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import type { Actor } from '../../../../src/domain/residents/roles.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { grantRole, makeCommunity } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';
import { linli as linliIn } from '../../../support/cliRun.ts';

// These tests quote the CLI's English: the operator reads it in English (LINLI_CLI_LOCALE=en).
const linli = (dbFile: string, args: string[]) => linliIn(dbFile, args, { LINLI_CLI_LOCALE: 'en' });

const T0 = new Date('2026-10-15T01:00:00Z');

describe('verify against the audit log and posted heads', () => {
  let db: Db;
  let file: string;
  let community: Community;
  let committee: Actor;

  beforeEach(async () => {
    ({ db, file } = await freshDatabase());
    community = await makeCommunity(db);
    committee = await loadActor(db, await grantRole(db, community, 301, 'committee'));
  });

  /** Three versions: #1, #2 and a correction of #2 (the head). */
  async function seed() {
    const a = await publishDisclosure(db, committee, 'telegram', community.id, { category: 'affairs', period: '2026年9月', title: '九月工作安排', body: '九月召开议事会。', statement: null }, T0);
    const b = await publishDisclosure(db, committee, 'telegram', community.id, { category: 'affairs', period: '2026年10月', title: '十月工作安排', body: '十月召开议事会。', statement: null }, new Date(T0.getTime() + 60_000));
    const c = await correctDisclosure(db, committee, 'telegram', b.disclosure.id, { body: '十月召开议事会两次。', statement: null, reason: '次数笔误' }, new Date(T0.getTime() + 120_000));
    return { a, b, c };
  }

  const verify = () => linli(file, ['disclosure', 'verify', '--community', 'badeng']);

  it('records each publication’s hash in its audit entry', async () => {
    const { a, c } = await seed();
    const entries = await db.auditEntry.findMany({ where: { action: { in: ['disclosure.publish', 'disclosure.correct'] } }, orderBy: { at: 'asc' } });
    expect(entries.map((e) => JSON.parse(e.details!).hash)).toEqual([a.version.hash, expect.any(String), c.version.hash]);
    expect((await verify()).code).toBe(0);
  });

  it('detects the newest version deleted with the head rolled back', async () => {
    const { b, c } = await seed();
    await db.$executeRawUnsafe(`DELETE FROM "DisclosureVersion" WHERE "id" = ?`, c.version.id);
    await db.$executeRawUnsafe(`UPDATE "Disclosure" SET "latestVersion" = 1 WHERE "id" = ?`, b.disclosure.id);
    await db.$executeRawUnsafe(`UPDATE "DisclosureChainHead" SET "seq" = 2, "hash" = ? WHERE "communityId" = ?`, b.version.hash, community.id);
    const problems = (await verifyChain(db, community.id))[0].problems;
    expect(problems).toEqual([expect.objectContaining({ kind: 'missing', disclosureNumber: 2, version: 2, auditHash: c.version.hash })]);
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.err).toContain(`TAMPERED badeng: disclosure #2, version 2, audited hash ${headCode(c.version.hash)}: the audit log records its publication`);
  });

  it('detects every disclosure deleted', async () => {
    await seed();
    await db.$executeRawUnsafe(`DELETE FROM "DisclosureVersion"`);
    await db.$executeRawUnsafe(`DELETE FROM "Disclosure"`);
    await db.$executeRawUnsafe(`DELETE FROM "DisclosureChainHead"`);
    const [report] = await verifyChain(db, community.id);
    expect(report.links).toBe(0);
    expect(report.problems.map((p) => [p.kind, p.disclosureNumber, p.version])).toEqual([
      ['missing', 1, 1],
      ['missing', 2, 1],
      ['missing', 2, 2],
    ]);
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.out).toContain('3 problem(s) found');
  });

  it('detects a middle version edited', async () => {
    const { b } = await seed();
    await db.$executeRawUnsafe(`UPDATE "DisclosureVersion" SET "body" = '十月没有开会。' WHERE "id" = ?`, b.version.id);
    expect((await verifyChain(db, community.id))[0].problems).toEqual([expect.objectContaining({ kind: 'hash', disclosureNumber: 2, version: 1 })]);
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.err).toContain('disclosure #2, version 1, chain #2');
  });

  it('--head accepts a posted code (short form, as copied from a chat) and refuses a made-up one', async () => {
    const { a, c } = await seed();
    // The code posted with the first publication, as a resident copied it from the group.
    const posted = await linli(file, ['disclosure', 'verify', '--community', 'badeng', '--head', `防篡改校验码：${headCode(a.version.hash).toUpperCase()}`]);
    expect(posted.err).toBe('');
    expect(posted.code).toBe(0);
    expect(posted.out).toContain(`ok badeng: head ${headCode(a.version.hash)} is in today's chain (disclosure #1, version 1, chain #1`);
    expect(posted.out).toContain('2 version(s) published since');
    const latest = await linli(file, ['disclosure', 'verify', '--community', 'badeng', '--head', headCode(c.version.hash)]);
    expect(latest.code).toBe(0);

    const madeUp = await linli(file, ['disclosure', 'verify', '--community', 'badeng', '--head', '3f9a 1c07 b2e4']);
    expect(madeUp.code).toBe(1);
    expect(madeUp.err).toContain('TAMPERED badeng: head 3f9a 1c07 b2e4 was posted but no version of today');
    const garbage = await linli(file, ['disclosure', 'verify', '--community', 'badeng', '--head', 'abc']);
    expect(garbage.code).toBe(1);
    expect(garbage.err).toContain('12 to 64 hex characters');
    const noCommunity = await linli(file, ['disclosure', 'verify', '--head', headCode(c.version.hash)]);
    expect(noCommunity.code).toBe(1);
    expect(noCommunity.err).toContain('--head needs --community');
  });

  it('--head fails once the posted head was deleted, even with the audit log wiped too', async () => {
    const { b, c } = await seed();
    const code = headCode(c.version.hash);
    await db.$executeRawUnsafe(`DELETE FROM "DisclosureVersion" WHERE "id" = ?`, c.version.id);
    await db.$executeRawUnsafe(`UPDATE "Disclosure" SET "latestVersion" = 1 WHERE "id" = ?`, b.disclosure.id);
    await db.$executeRawUnsafe(`UPDATE "DisclosureChainHead" SET "seq" = 2, "hash" = ? WHERE "communityId" = ?`, b.version.hash, community.id);
    await db.$executeRawUnsafe(`DELETE FROM "AuditEntry" WHERE "action" = 'disclosure.correct'`);
    // The database now agrees with itself; only the code in the groups' history tells.
    expect((await verify()).code).toBe(0);
    const r = await linli(file, ['disclosure', 'verify', '--community', 'badeng', '--head', code]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`head ${code} was posted but no version`);
  });

  it('--head fails when the posted head is present but a version before it was edited', async () => {
    const { a, c } = await seed();
    await db.$executeRawUnsafe(`UPDATE "DisclosureVersion" SET "title" = '九月安排' WHERE "id" = ?`, a.version.id);
    const r = await linli(file, ['disclosure', 'verify', '--community', 'badeng', '--head', headCode(c.version.hash)]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('is in the chain but a version at or before it does not verify');
  });

  it('reads head codes as people copy them', () => {
    expect(parseHeadCode('3F9A-1C07-B2E4')).toBe('3f9a1c07b2e4');
    expect(parseHeadCode('３ｆ９ａ １ｃ０７ ｂ２ｅ４')).toBe('3f9a1c07b2e4');
    expect(parseHeadCode('3f9a 1c07')).toBeNull();
    expect(parseHeadCode('xyz0 1c07 b2e4')).toBeNull();
    expect(headCode('3f9a1c07b2e4d5')).toBe('3f9a 1c07 b2e4');
  });
});
