/**
 * The `linli` executable as an operator uses it: real processes, a real database file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeBotApi } from '../support/fakeBotApi.ts';
import { tempDir } from '../support/harness.ts';
import { createServer, type AddressInfo } from 'node:net';

const BIN = join(import.meta.dirname, '../../bin/linli.mjs');
const dir = tempDir('linli-cli-');
const DB = join(dir, 'ops.db');
const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: `file:${DB}`, LOG_LEVEL: 'silent' };

function linli(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...baseEnv, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('linli CLI', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup) await c();
  });

  it('migrates, creates a community and issues codes', () => {
    expect(linli(['migrate'])).toMatchObject({ code: 0 });
    // The executable speaks the operator's language: zh-CN unless told otherwise.
    expect(linli(['migrate']).out).toBe('数据库已是最新\n');
    expect(linli(['migrate', '--lang', 'en']).out).toBe('database is up to date\n');
    expect(linli(['migrate'], { LINLI_CLI_LOCALE: 'en' }).out).toBe('database is up to date\n');
    const add = linli(['community', 'add', 'badeng', '--name', '巴登社区', '--street', '南园街道', '--district', '福田区']);
    expect(add.code).toBe(0);
    expect(add.out).toBe('已创建社区badeng：福田区南园街道巴登社区\n');
    expect(linli(['community', 'add', 'badeng', '--name', 'x']).code).toBe(1);
    const invite = linli(['invite', 'badeng', '--unit', '3栋-2单元-501', '--count', '3', '--expires', '7d']);
    expect(invite.code).toBe(0);
    const codes = invite.out.trim().split('\n');
    expect(codes).toHaveLength(3);
    for (const c of codes) expect(c).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    // Only hashes are stored.
    const db = new Database(DB, { readonly: true });
    const stored = db.prepare('SELECT codeHash FROM VerificationCode').all() as { codeHash: string }[];
    db.close();
    expect(stored).toHaveLength(3);
    expect(stored.map((s) => s.codeHash)).not.toContain(codes[0]);
    const audit = linli(['audit', '--community', 'badeng']);
    expect(audit.out).toContain('community.create');
    expect(audit.out).toContain('code.issue');
    expect(audit.out).not.toContain('501');
  });

  it('refuses bad usage and bad configuration with the variable named', () => {
    const bad = linli(['invite', 'badeng', '--role', 'mayor']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('没有“mayor”这个身份');
    expect(linli(['invite', 'badeng', '--role', 'mayor', '--lang', 'en']).err).toContain('unknown role mayor');
    const noUnit = linli(['invite', 'badeng']);
    expect(noUnit.err).toContain('居民认证码须注明房号');
    expect(linli(['invite', 'badeng', '--lang', 'en']).err).toContain('must name the unit');
    const cfg = linli(['migrate'], { LINLI_TIMEZONE: 'Nowhere/Land' });
    expect(cfg.code).toBe(78);
    expect(cfg.err).toContain('LINLI_TIMEZONE');
    expect(linli(['frobnicate']).code).toBe(2);
  });

  it('backs up the live database consistently', () => {
    const target = join(dir, 'backup.db');
    const r = linli(['backup', target]);
    expect(r.code).toBe(0);
    expect(existsSync(target)).toBe(true);
    const copy = new Database(target, { readonly: true });
    expect((copy.prepare('SELECT count(*) n FROM Community').get() as { n: number }).n).toBe(1);
    copy.close();
    expect(linli(['backup', target]).code).toBe(1);
  });

  it('doctor reports Telegram reachability and a wrong token', async () => {
    const fake = await startFakeBotApi();
    cleanup.push(() => fake.close());
    const good = await runAsync(['doctor'], { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot });
    expect(good.out).toContain('@linli_test_bot');
    expect(good.code).toBe(0);
    const wrong = await runAsync(['doctor'], { TELEGRAM_BOT_TOKEN: '1:wrong', TELEGRAM_API_ROOT: fake.apiRoot });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('TELEGRAM_BOT_TOKEN');
  });

  it('runs the console demo, serves the web console from its printed link, and stops cleanly on SIGTERM', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const child = spawn(process.execPath, [BIN, 'start'], { env: { ...baseEnv, PORT: String(port), DATABASE_URL: `file:${join(dir, 'demo.db')}` }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const waitFor = async (text: string) => {
      for (let i = 0; i < 300 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain(text);
    };
    await waitFor('巴登社区');
    child.stdin.write('/whoami\n');
    await waitFor('3栋-2单元-501');
    // The newcomer's first command also prints a sign-in link to the web console it serves.
    const link = /http:\/\/\S+\/console\/\S+/.exec(out)?.[0];
    expect(link, out).toBeDefined();
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('管理后台');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

/** Runs the CLI without blocking the event loop (the fake server lives in this process). */
function runAsync(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...baseEnv, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}
