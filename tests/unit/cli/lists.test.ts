/**
 * The operator's lists and public numbers: `linli poll list`, `linli proposal list` (lines and
 * --json), and `export poll 3 --community <slug>` / `poll close 3 --community <slug>` addressing
 * a poll the way residents see it. Misses name the community and the list command, never /polls.
 * The operator reads zh-CN unless told otherwise (--lang en).
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/client.ts';
import { makeCommunity } from '../../support/fixtures.ts';
import { freshDatabase, tempDir } from '../../support/harness.ts';
import { linli } from '../../support/cliRun.ts';

describe('linli poll list / proposal list / poll numbers', () => {
  const dir = tempDir('linli-cli-lists-');
  let db: Db;
  let file: string;

  beforeAll(async () => {
    ({ db, file } = await freshDatabase(join(dir, 'linli.db')));
    const community = await makeCommunity(db);
    await makeCommunity(db, 'other', '另一社区');
    for (const question of ['是否同意加装电梯', '是否同意更换路灯']) {
      const r = await linli(file, ['poll', 'create', '--community', community.slug, '--question', question, '--standard', '--closes', '2d']);
      expect(r.code).toBe(0);
    }
    await db.proposal.create({ data: { communityId: community.id, number: 7, authorName: '李阿姨', title: '修缮3栋雨棚', category: 'facilities', description: '雨棚漏水', location: '3栋', status: 'under_review' } });
    await db.proposal.create({ data: { communityId: community.id, number: 8, authorName: '李阿姨', title: '草稿', category: 'facilities', description: '-', location: '-', status: 'draft' } });
  });

  it('lists polls newest first with number, status and votes; --json gives machine rows', async () => {
    const r = await linli(file, ['poll', 'list', '--community', 'badeng']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^第2号\s+投票中\s.*\s0票\s+是否同意更换路灯$/);
    expect(lines[1]).toMatch(/^第1号\s+投票中\s/);
    // The status reads as the chat says it, never as the key (open, under_review…).
    expect(r.out).not.toMatch(/\bopen\b/);
    const en = await linli(file, ['poll', 'list', '--community', 'badeng', '--lang', 'en']);
    expect(en.out.trim().split('\n')[0]).toMatch(/^#2\s+open\s.*\s0 votes\s+是否同意更换路灯$/);
    const j = await linli(file, ['poll', 'list', '--community', 'badeng', '--json']);
    const rows = JSON.parse(j.out) as { number: number; status: string; id: string; votes: number }[];
    expect(rows.map((x) => x.number)).toEqual([2, 1]);
    expect(rows[0]).toMatchObject({ status: 'open', votes: 0 });
    const none = await linli(file, ['poll', 'list', '--community', 'other']);
    expect(none.out).toBe('');
    expect(none.err).toContain('社区other没有投票');
    const bad = await linli(file, ['poll', 'list', '--community', 'badeng', '--status', 'finished'], { LINLI_CLI_LOCALE: 'en' });
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('--status must be one of scheduled, open, closed, cancelled');
    const badZh = await linli(file, ['poll', 'list', '--community', 'badeng', '--status', 'finished']);
    expect(badZh.err).toContain('--status应为以下之一：scheduled（待开始）、open（投票中）、closed（已截止）、cancelled（已撤销）');
    const noneClosed = await linli(file, ['poll', 'list', '--community', 'badeng', '--status', 'closed']);
    expect(noneClosed.err).toBe('社区badeng没有状态为已截止的投票\n');
  });

  it('lists proposals by number (drafts never), with --status', async () => {
    const r = await linli(file, ['proposal', 'list', '--community', 'badeng']);
    expect(r.out).toMatch(/^第7号 {2}审议中 {8}\d.*\s0人附议\s+修缮3栋雨棚\n$/);
    const en = await linli(file, ['proposal', 'list', '--community', 'badeng', '--lang', 'en']);
    expect(en.out).toMatch(/^#7\s+under review\s.*\s0 seconds\s+修缮3栋雨棚\n$/);
    const j = await linli(file, ['proposal', 'list', '--community', 'badeng', '--status', 'approved', '--json']);
    expect(JSON.parse(j.out)).toEqual([]);
  });

  it('addresses a poll by its public number in a community, and explains a miss in operator terms', async () => {
    const out = join(dir, 'poll2.csv');
    const r = await linli(file, ['export', 'poll', '2', '--community', 'badeng', '--format', 'csv', '--out', out]);
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    const noCommunity = await linli(file, ['export', 'poll', '2', '--format', 'csv', '--lang', 'en']);
    expect(noCommunity.code).not.toBe(0);
    expect(noCommunity.err).toContain('add --community <slug>');
    const miss = await linli(file, ['poll', 'close', '9', '--community', 'badeng']);
    expect(miss.code).not.toBe(0);
    expect(miss.err).toContain('社区badeng没有第9号投票（见linli poll list --community badeng）');
    expect(miss.err).not.toContain('/polls');
    const missEn = await linli(file, ['poll', 'close', '9', '--community', 'badeng', '--lang', 'en']);
    expect(missEn.err).toContain('community badeng has no poll #9 (see linli poll list --community badeng)');
    const byId = await linli(file, ['poll', 'close', 'no-such-poll-id']);
    expect(byId.err).toContain('没有ID为“no-such-poll-id”的投票');
    expect(byId.err).not.toContain('/polls');
    const elsewhere = await linli(file, ['poll', 'close', '第1号', '--community', 'other', '--lang', 'en']);
    expect(elsewhere.err).toContain('community other has no poll #1');
    const closed = await linli(file, ['poll', 'close', '第1号', '--community', 'badeng']);
    expect(closed.code).toBe(0);
    expect(closed.out).toMatch(/^已结束第1号投票：参与0\/\d+，未达最低参与人数，未获通过\n$/);
    expect((await db.poll.findFirst({ where: { number: 1 } }))?.status).toBe('closed');
  });

  it('linli outbox names each message state in words; --json keeps the keys', async () => {
    await db.outboxMessage.create({ data: { key: 'lists:water', platform: 'telegram', chatId: '-100', payload: JSON.stringify({ text: '停水通知' }), status: 'failed', lastError: 'chat not found' } });
    await db.outboxMessage.create({ data: { key: 'lists:reminder', platform: 'telegram', chatId: '-100', payload: JSON.stringify({ text: '投票提醒' }) } });
    const r = await linli(file, ['outbox']);
    expect(r.code).toBe(0);
    const [summary, ...lines] = r.out.trim().split('\n');
    expect(summary).toContain('待发送1条');
    expect(summary).toContain('发送失败1条');
    expect(lines.find((l) => l.includes('停水通知'))).toMatch(/^发送失败\t/);
    expect(r.out).not.toMatch(/\b(pending|failed)\b/);
    const en = await linli(file, ['outbox', '--lang', 'en']);
    expect(en.out.split('\n')[0].split('  ').sort()).toEqual(['failed: 1', 'pending: 1']);
    const j = JSON.parse((await linli(file, ['outbox', '--json'])).out) as { counts: Record<string, number>; messages: { status: string }[] };
    expect(j.counts).toMatchObject({ pending: 1, failed: 1 });
    expect(j.messages.map((m) => m.status).sort()).toEqual(['failed', 'pending']);
  });
});
