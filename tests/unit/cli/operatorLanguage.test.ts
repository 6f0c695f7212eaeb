/**
 * Every refusal the CLI prints reaches the operator in their language (zh-CN unless told
 * otherwise): a wrong option, a bad setting, a backup or restore refused, a database held by a
 * running bot, and the usage lines themselves. No English sentence from node:util, zod or the
 * database layer gets through in Chinese mode; with --json each refusal keeps its key.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { argumentProblem } from '../../../src/cli/main.ts';
import { holdDatabase } from '../../../src/db/sqlite/holders.ts';
import { makeCommunity } from '../../support/fixtures.ts';
import { freshDatabase, tempDir } from '../../support/harness.ts';
import { linli } from '../../support/cliRun.ts';

/** Latin words of three letters or more outside option names, paths, URLs, quoted values, commands and settings: English prose. */
function englishProse(text: string): string[] {
  const stripped = text
    .replace(/--?[a-z][\w-]*(=\S*)?/gi, ' ')
    .replace(/\S*\|\S*/g, ' ')
    .replace(/@\w+|“[^”]*”|\w+:<[^>]*>/g, ' ')
    .replace(/\S*[/\\]\S*/g, ' ')
    .replace(/\blinli( [a-z]+){0,2}\b/g, ' ')
    .replace(/\b[A-Z][A-Z0-9_]{2,}\b/g, ' ');
  return stripped.match(/\b[a-z]{3,}\b/gi) ?? [];
}

describe('the operator reads every refusal in their language', () => {
  const dir = tempDir('linli-cli-words-');
  let file: string;

  beforeAll(async () => {
    const opened = await freshDatabase(join(dir, 'linli.db'));
    file = opened.file;
    await makeCommunity(opened.db);
    await opened.db.$disconnect();
  });

  it('names an unknown option, a missing value and a value given to a switch, and points to --help', async () => {
    const unknown = await linli(file, ['poll', 'list', '--communty', 'badeng']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe('linli poll list没有--communty这个选项（用法见linli poll list --help）\n用法：linli poll list --community <社区代码> [--status scheduled|open|closed|cancelled]\n');
    const missing = await linli(file, ['poll', 'list', '--community']);
    expect(missing.err.split('\n')[0]).toBe('--community后面缺少值（用法见linli poll list --help）');
    // A value that looks like the next option is a missing value, not a community called "--status".
    const swallowed = await linli(file, ['poll', 'list', '--community', '--status', 'open']);
    expect(swallowed.err.split('\n')[0]).toBe('--community后面缺少值（用法见linli poll list --help）');
    const valued = await linli(file, ['disclosure', 'publish', '--yes=1']);
    expect(valued.err.split('\n')[0]).toBe('--yes不带值，请去掉“=”及其后的内容（用法见linli disclosure publish --help）');
    const short = await linli(file, ['audit', '-x']);
    expect(short.err.split('\n')[0]).toBe('linli audit没有-x这个选项（用法见linli audit --help）');
    for (const r of [unknown, missing, swallowed, valued, short]) expect(englishProse(r.err), r.err).toEqual([]);

    const en = await linli(file, ['poll', 'list', '--communty', 'badeng', '--lang', 'en']);
    expect(en.err).toBe('linli poll list has no option --communty (see linli poll list --help)\nUsage: linli poll list --community <slug> [--status scheduled|open|closed|cancelled]\n');
    const json = await linli(file, ['poll', 'list', '--community', '--json']);
    expect(json.out).toBe('');
    expect(JSON.parse(json.err)).toMatchObject({ error: { kind: 'usage', key: 'cli.errors.missing_value', params: { option: '--community' }, exit: 1 } });
    expect(argumentProblem(['--community', 'x', '--status=open'], { community: { type: 'string' }, status: { type: 'string' } })).toBeNull();
  });

  it('says a bad setting in one line that names it, in the operator’s language', async () => {
    const bad = await linli(file, ['migrate'], { DATABASE_URL: 'mysql://linli:secret@db/linli' });
    expect(bad.code).toBe(78);
    expect(bad.err).toBe('配置有误：DATABASE_URL为“mysql://linli:***@db/linli”，应为SQLite文件地址（如file:./data/linli.db）或PostgreSQL地址（如postgresql://linli:…@db:5432/linli）\n');
    expect(bad.err).not.toContain('secret');
    const en = await linli(file, ['migrate', '--lang', 'en'], { DATABASE_URL: 'mysql://x' });
    expect(en.err).toBe('Configuration error: DATABASE_URL is "mysql://x": must be a SQLite file URL such as file:./data/linli.db or a PostgreSQL URL such as postgresql://linli:password@db:5432/linli\n');
    // A secret is never repeated; several problems are listed under one heading.
    const two = await linli(file, ['migrate'], { TELEGRAM_BOT_TOKEN: 'my-secret-token', PORT: '70000' });
    expect(two.err).toBe('配置有误：\n  - TELEGRAM_BOT_TOKEN：应为@BotFather给出的令牌，形如123456:ABC-DEF…\n  - PORT为“70000”，应为1至65535之间的端口号\n');
    const admins = await linli(file, ['migrate'], { LINLI_ADMINS: 'telegram:1, bob' });
    expect(admins.err).toBe('配置有误：LINLI_ADMINS：其中“bob”不是telegram:<用户ID>或wechat:<联系人ID>的写法\n');
    const json = await linli(file, ['migrate', '--json'], { PORT: 'x' });
    expect(JSON.parse(json.err)).toMatchObject({ error: { kind: 'config', exit: 78, problems: [{ setting: 'PORT', key: 'cli.config.PORT', text: 'PORT为“x”，应为1至65535之间的端口号' }] } });
    for (const r of [bad, two, admins]) expect(englishProse(r.err), r.err).toEqual([]);
  });

  it('says why a database cannot be opened without the driver’s English', async () => {
    const notes = join(dir, 'notes.db');
    writeFileSync(notes, 'these are my notes, not a database');
    const r = await linli(file, ['migrate'], { DATABASE_URL: `file:${notes}` });
    expect(r.code).toBe(78);
    expect(r.err).toBe(`配置有误：DATABASE_URL：file:${notes}不是SQLite数据库文件，请检查路径是否指向邻里的数据库\n`);
    const folder = await linli(file, ['migrate'], { DATABASE_URL: 'file:/dev/null/linli.db' });
    expect(folder.err).toBe('配置有误：DATABASE_URL：无法在file:/dev/null/linli.db创建或打开数据库：所在目录不存在或无权写入\n');
  });

  it('refuses a backup or restore in the operator’s words', async () => {
    const url = { DATABASE_URL: `file:${join(dir, 'own.db')}` };
    expect((await linli(file, ['migrate'], url)).code).toBe(0);
    const noFolder = await linli(file, ['backup', join(dir, 'missing', 'b.db')], url);
    expect(noFolder.code).toBe(1);
    expect(noFolder.err).toBe(`未完成：文件夹${join(dir, 'missing')}不存在\n`);
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'not a backup');
    const notBackup = await linli(file, ['restore', notes], url);
    expect(notBackup.err).toBe(`未完成：${notes}无法作为SQLite数据库打开\n`);
    const en = await linli(file, ['restore', notes, '--lang', 'en'], url);
    expect(en.err).toBe(`not done: ${notes} cannot be opened as a SQLite database\n`);
    const json = await linli(file, ['backup', join(dir, 'missing', 'b.db'), '--json'], url);
    expect(JSON.parse(json.err)).toMatchObject({ error: { kind: 'refused', key: 'cli.db.no_folder', params: { folder: join(dir, 'missing') } } });

    // A restore while the bot holds the database.
    const backup = join(dir, 'b.db');
    expect((await linli(file, ['backup', backup], url)).code).toBe(0);
    const held = holdDatabase(join(dir, 'own.db'));
    try {
      const busy = await linli(file, ['restore', backup], url);
      expect(busy.code).toBe(1);
      expect(busy.err).toBe(`${join(dir, 'own.db')}正被运行中的邻里进程（机器人或某个linli命令）使用，请先停止该进程\n`);
    } finally {
      held.release();
    }
  });

  it('writes usage placeholders in Chinese and keeps option names and values as typed', async () => {
    const zh = await linli(file, ['community', 'add', '--help']);
    expect(zh.out).toContain('用法：linli community add <社区代码> --name <名称> [--street <街道>] [--district <区>]');
    const poll = await linli(file, ['help', 'poll', 'close']);
    expect(poll.out).toContain('用法：linli poll close <编号|ID> [--community <社区代码>]');
    const all = await linli(file, ['help']);
    expect(all.out).not.toMatch(/<(slug|number|id|file|name|why|text|place|user id|person id)[|>]/);
    const en = await linli(file, ['community', 'add', '--help', '--lang', 'en']);
    expect(en.out).toContain('Usage: linli community add <slug> --name <name> [--street <street>] [--district <district>]');
  });
});
