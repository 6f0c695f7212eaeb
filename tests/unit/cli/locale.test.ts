/**
 * The CLI speaks the operator's language: zh-CN unless `--lang`, LINLI_CLI_LOCALE or
 * LINLI_DEFAULT_LOCALE say otherwise (in that order), and `--json` on any command gives one JSON
 * document on stdout, or a JSON error object on stderr with a non-zero exit. A domain refusal is
 * printed once, in the operator's language, and never tells them to send a chat command.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliLocale, globalOptions } from '../../../src/cli/main.ts';
import type { Db } from '../../../src/db/client.ts';
import { createTranslator } from '../../../src/i18n/i18n.ts';
import { makeCommunity } from '../../support/fixtures.ts';
import { freshDatabase, tempDir } from '../../support/harness.ts';
import { linli } from '../../support/cliRun.ts';

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('the language and output style of linli', () => {
  const dir = tempDir('linli-cli-locale-');
  const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });
  let db: Db;
  let file: string;

  beforeAll(async () => {
    ({ db, file } = await freshDatabase(join(dir, 'linli.db')));
    await makeCommunity(db);
  });

  it('reads --lang and --json anywhere before --, and picks --lang, then LINLI_CLI_LOCALE, then LINLI_DEFAULT_LOCALE', () => {
    expect(globalOptions(['--lang', 'en', 'poll', 'list', '--json', '--community', 'x'])).toEqual({ rest: ['poll', 'list', '--community', 'x'], lang: 'en', json: true });
    expect(globalOptions(['migrate', '--lang=zh-CN'])).toEqual({ rest: ['migrate'], lang: 'zh-CN', json: false });
    expect(globalOptions(['audit', '--', '--json'])).toEqual({ rest: ['audit', '--', '--json'], lang: undefined, json: false });
    expect(cliLocale(undefined, {})).toEqual({ locale: 'zh-CN' });
    expect(cliLocale(undefined, { LINLI_DEFAULT_LOCALE: 'en' })).toEqual({ locale: 'en' });
    expect(cliLocale(undefined, { LINLI_DEFAULT_LOCALE: 'en', LINLI_CLI_LOCALE: 'zh-CN' })).toEqual({ locale: 'zh-CN' });
    expect(cliLocale('en', { LINLI_CLI_LOCALE: 'zh-CN' })).toEqual({ locale: 'en' });
    expect(cliLocale('fr', {}).bad).toEqual({ source: '--lang', value: 'fr' });
    expect(cliLocale(undefined, { LINLI_CLI_LOCALE: 'de' }).bad).toEqual({ source: 'LINLI_CLI_LOCALE', value: 'de' });
  });

  it('speaks zh-CN by default, English with --lang en, and follows LINLI_CLI_LOCALE', async () => {
    const zh = await linli(file, ['migrate']);
    expect(zh.code).toBe(0);
    expect(zh.out).toBe('数据库已是最新\n');
    const en = await linli(file, ['migrate', '--lang', 'en']);
    expect(en.out).toBe('database is up to date\n');
    const env = await linli(file, ['migrate'], { LINLI_CLI_LOCALE: 'en' });
    expect(env.out).toBe('database is up to date\n');
    // --lang wins over the setting; LINLI_CLI_LOCALE wins over the deployment default.
    expect((await linli(file, ['migrate', '--lang', 'zh-CN'], { LINLI_CLI_LOCALE: 'en' })).out).toBe('数据库已是最新\n');
    expect((await linli(file, ['migrate'], { LINLI_CLI_LOCALE: 'zh-CN', LINLI_DEFAULT_LOCALE: 'en' })).out).toBe('数据库已是最新\n');
    expect((await linli(file, ['migrate'], { LINLI_DEFAULT_LOCALE: 'en' })).out).toBe('database is up to date\n');
    const list = await linli(file, ['community', 'list']);
    expect(list.out).toBe('badeng\t巴登社区\t0个群\n');
  });

  it('refuses a language it does not ship, naming where it came from', async () => {
    const bad = await linli(file, ['migrate', '--lang', 'fr']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('--lang：“fr”不是可用的语言（zh-CN | en）\n');
    const setting = await linli(file, ['migrate'], { LINLI_CLI_LOCALE: 'de' });
    expect(setting.code).toBe(78);
    expect(setting.err).toContain('LINLI_CLI_LOCALE');
  });

  it('prints a list as one JSON array with --json, on every command', async () => {
    const polls = await linli(file, ['poll', 'list', '--community', 'badeng', '--json']);
    expect(polls.code).toBe(0);
    expect(JSON.parse(polls.out)).toEqual([]);
    expect(polls.err).toBe('');
    const communities = await linli(file, ['--json', 'community', 'list']);
    expect(JSON.parse(communities.out)).toEqual([{ slug: 'badeng', name: '巴登社区', groups: 0 }]);
    const migrate = await linli(file, ['migrate', '--json']);
    expect(JSON.parse(migrate.out)).toEqual({ applied: [] });
    const created = await linli(file, ['poll', 'create', '--community', 'badeng', '--question', '是否同意加装电梯', '--standard', '--json']);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ number: 1, status: 'open', groups: 0 });
    const listed = await linli(file, ['poll', 'list', '--community', 'badeng', '--json']);
    expect(JSON.parse(listed.out)).toMatchObject([{ number: 1, status: 'open', votes: 0, question: '是否同意加装电梯' }]);
  });

  it('gives an error as one JSON object on stderr with --json, and the same exit code', async () => {
    const usage = await linli(file, ['poll', 'list', '--json']);
    expect(usage.code).toBe(1);
    expect(usage.out).toBe('');
    expect(JSON.parse(usage.err)).toEqual({ error: { kind: 'usage', key: 'cli.errors.required', message: '缺少--community', exit: 1, usage: expect.stringContaining('linli poll list') } });
    const refused = await linli(file, ['poll', 'list', '--community', 'nowhere', '--json', '--lang', 'en']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.err)).toEqual({ error: { kind: 'refused', key: 'errors.unknown_community', message: 'no community "nowhere" (see linli community list)', exit: 1 } });
    const unknown = await linli(file, ['frobnicate', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.err).error).toMatchObject({ kind: 'unknown_command', exit: 2 });
  });

  it('prints a domain refusal once, in Chinese, without a chat command', async () => {
    const taken = await linli(file, ['community', 'add', 'badeng', '--name', '巴登社区']);
    expect(taken.code).toBe(1);
    const text = i18n.t('zh-CN', 'errors.slug_taken', { slug: 'badeng' });
    expect(text).toMatch(/[\u4e00-\u9fff]/);
    expect(occurrences(taken.err, text)).toBe(1);
    expect(taken.err).toBe(`${text}\n`);
    expect(taken.out).toBe('');
    // The chat's text says "请发送 /polls"; the operator is told the command that lists polls.
    const missing = await linli(file, ['export', 'poll', 'no-such-id', '--format', 'csv']);
    expect(missing.code).toBe(1);
    expect(missing.err).not.toMatch(/\s\/[a-z]+/);
    expect(missing.err).toContain('linli poll list');
    const en = await linli(file, ['community', 'add', 'badeng', '--name', '巴登社区', '--lang', 'en']);
    expect(en.err).toBe(`${i18n.t('en', 'errors.slug_taken', { slug: 'badeng' })}\n`);
  });

  it('writes its Chinese as an office would: no spaces between Chinese and digits, full-width punctuation', () => {
    const strings: [string, string][] = [];
    const walk = (node: unknown, path: string) => {
      if (typeof node === 'string') strings.push([path, node]);
      else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k);
    };
    walk(JSON.parse(readFileSync(join(import.meta.dirname, '../../../locales/zh-CN/cli.json'), 'utf8')), 'cli');
    expect(strings.length).toBeGreaterThan(200);
    const cjk = '[\\u4e00-\\u9fff]';
    const bad = strings.filter(([, s]) => new RegExp(`${cjk} \\d|\\d ${cjk}|${cjk}[,;:!?()]|[,;:!?(]${cjk}`).test(s.replace(/\{\{[^}]+\}\}/g, 'x')));
    expect(bad).toEqual([]);
    for (const [key] of strings) expect(i18n.has('en', key), key).toBe(true);
  });
});
