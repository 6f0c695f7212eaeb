// Every `linli` command explains itself: `linli <command> --help` and `linli help <command>`
// print its summary (in the operator's language: zh-CN unless told otherwise), usage and options and exit 0, without touching the database; a bad
// DATABASE_URL stops the bot with one line that names the variable (exit 78), not a stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localizeUsage } from '../../../src/cli/command.ts';
import { CLI_COMMANDS } from '../../../src/cli/commands/index.ts';
import { createTranslator } from '../../../src/i18n/i18n.ts';
import { linli } from '../../support/cliRun.ts';
import { tempDir } from '../../support/harness.ts';

describe('linli help', () => {
  const dbFile = join(tempDir(), 'never-created.db');
  const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });

  it.each(CLI_COMMANDS.map((c) => [c.name, c] as const))('%s --help and help %s', async (name, command) => {
    for (const args of [[...name.split(' '), '--help'], ['help', ...name.split(' ')]]) {
      const r = await linli(dbFile, args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.out).toContain(`用法：${localizeUsage(command.usage, i18n, 'zh-CN')}`);
      expect(i18n.has('zh-CN', command.summary) && i18n.has('en', command.summary), command.summary).toBe(true);
      expect(r.out).toContain(i18n.t('zh-CN', command.summary));
      expect(r.out).toContain('--lang zh-CN|en');
      for (const option of Object.keys(command.options ?? {})) expect(r.out).toContain(`--${option}`);
    }
    // Help needs no database: nothing was created or migrated.
    expect(existsSync(dbFile)).toBe(false);
  });

  it('lists every command under a first word: linli help export, linli poll --help', async () => {
    const words = [...new Set(CLI_COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]!))];
    expect(words).toContain('export');
    for (const word of words) {
      for (const args of [['help', word], [word, '--help']]) {
        const r = await linli(dbFile, args);
        expect(r.code, args.join(' ')).toBe(0);
        for (const c of CLI_COMMANDS.filter((x) => x.name.split(' ')[0] === word)) expect(r.out, args.join(' ')).toContain(localizeUsage(c.usage, i18n, 'zh-CN'));
      }
    }
  });

  it('names an unknown command', async () => {
    const r = await linli(dbFile, ['help', 'frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('没有这个命令：frobnicate');
    const en = await linli(dbFile, ['help', 'frobnicate', '--lang', 'en']);
    expect(en.err).toContain('unknown command: frobnicate');
  });

  it('prints a command’s help in English with --lang en', async () => {
    const command = CLI_COMMANDS.find((c) => c.name === 'poll close')!;
    const r = await linli(dbFile, ['poll', 'close', '--help', '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Usage: ${command.usage}`);
    expect(r.out).toContain(i18n.t('en', command.summary));
    expect(r.out).toContain('Close a poll now and post its result');
  });

  it('stops npm start on a database it cannot open with one line naming DATABASE_URL', () => {
    const notADatabase = join(tempDir(), 'notes.db');
    writeFileSync(notADatabase, 'these are my notes, not a database');
    for (const url of [`file:${notADatabase}`, 'file:/dev/null/linli.db']) {
      const r = spawnSync(process.execPath, [join(import.meta.dirname, '../../../bin/linli.mjs'), 'start'], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: url, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        input: '',
        timeout: 60_000,
      });
      expect(r.status, url).toBe(78);
      expect(r.stderr).toContain('DATABASE_URL');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
