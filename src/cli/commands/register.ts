/**
 * `linli register import|slips|status`: the household register from the shell. Import prints
 * the same preview the /register scene shows (and applies it unless --dry-run); slips writes the
 * printable PDF of a building or the whole community; status prints the verification progress.
 * Texts are in the community's language (or --locale), like the chat.
 */
import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { applyImport } from '../../domain/register/apply.ts';
import { previewImport } from '../../domain/register/import.ts';
import { buildingByName } from '../../domain/register/leads.ts';
import { buildingDetail, registerProgress } from '../../domain/register/progress.ts';
import { issueSlips } from '../../domain/register/slips.ts';
import { RegisterRefused } from '../../domain/register/table.ts';
import { communityBySlug } from '../../domain/residents/communities.ts';
import { telegramSlipLink } from '../../domain/register/payload.ts';
import { renderSlipsPdf, SLIPS_PER_PAGE } from '../../features/register/slipsPdf.ts';
import { createTranslator } from '../../i18n/i18n.ts';
import { planChangesSomething, renderBuilding, renderImported, renderPreview, renderProgress, renderRefusal } from '../../../scenes/registerText.ts';
import { CLI_ACTOR, localeOption, readFileOption, requireOption, UsageError, type CliCommand, type CliEnv } from '../command.ts';

/** A refused file's problems printed in full, up to this many (a chat shows fewer). */
const CLI_PROBLEMS_SHOWN = 100;

/** Translations for the document's language: --locale, else the community's. */
function translate(env: CliEnv, values: Record<string, unknown>, communityLocale: string) {
  const locale = localeOption(values) ?? communityLocale;
  return createTranslator({ defaultLocale: env.config.LINLI_DEFAULT_LOCALE, timeZone: env.config.LINLI_TIMEZONE }).bind(locale);
}

export const registerImportCommand: CliCommand = {
  name: 'register import',
  usage: 'linli register import --community <slug> --file <住户名册.xlsx|.csv> [--dry-run] [--locale zh-CN|en]',
  summary: 'cli.summary.register_import',
  options: { community: { type: 'string' }, file: { type: 'string' }, 'dry-run': { type: 'boolean' }, locale: { type: 'string' } },
  async run(env, { values }) {
    const { path, bytes } = await readFileOption(values, 'file');
    const db = await env.db();
    const community = await communityBySlug(db, requireOption(values, 'community'));
    const t = translate(env, values, community.locale);
    const file = basename(path);
    let preview: Awaited<ReturnType<typeof previewImport>>;
    try {
      preview = await previewImport(db, CLI_ACTOR, community, { name: file, bytes });
    } catch (err) {
      if (!(err instanceof RegisterRefused)) throw err;
      env.err(renderRefusal(t, err, CLI_PROBLEMS_SHOWN));
      if (env.json) env.print({ refused: true, problems: err.total }, []);
      return 1;
    }
    const { table, plan } = preview;
    const previewText = renderPreview(t, { file, community: community.name, table, plan });
    if (values['dry-run']) {
      env.print({ file, rows: table.rows.length, fingerprint: plan.fingerprint, dryRun: true, preview: previewText }, [previewText, `\n${env.t('cli.register.dry_run')}`]);
      return 0;
    }
    if (!planChangesSomething(plan)) {
      env.print({ file, rows: table.rows.length, fingerprint: plan.fingerprint, changed: false, preview: previewText }, previewText);
      return 0;
    }
    const result = await applyImport(db, CLI_ACTOR, 'cli', community.id, { rows: table.rows, facts: table.facts, expectedFingerprint: plan.fingerprint, fileName: file }, new Date());
    const imported = renderImported(t, community.name, result);
    env.print({ file, rows: table.rows.length, fingerprint: plan.fingerprint, changed: true, preview: previewText, imported }, [previewText, `\n${imported}`]);
    return 0;
  },
};

/** The bot's Telegram username: --bot, else asked of Telegram when a token is configured. */
async function botUsername(env: CliEnv, given: string | undefined): Promise<string | null> {
  if (given) {
    if (!/^@?[A-Za-z][A-Za-z0-9_]{3,31}$/.test(given)) throw new UsageError('cli.errors.bad_bot', { value: given });
    return given.replace(/^@/, '');
  }
  const token = env.config.TELEGRAM_BOT_TOKEN;
  if (!token) return null;
  try {
    const res = await fetch(`${env.config.TELEGRAM_API_ROOT}/bot${token}/getMe`, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json()) as { ok: boolean; result?: { username: string }; description?: string };
    if (body.ok && body.result) return body.result.username;
    throw new Error(body.description ?? `HTTP ${res.status}`);
  } catch (err) {
    throw new UsageError('cli.register.bot_unknown', { reason: (err as Error).message });
  }
}

export const registerSlipsCommand: CliCommand = {
  name: 'register slips',
  usage: 'linli register slips --community <slug> [--building <3栋>] [--unverified] --out <slips.pdf> [--bot <username>] [--locale zh-CN|en]',
  summary: 'cli.summary.register_slips',
  options: { community: { type: 'string' }, building: { type: 'string' }, unverified: { type: 'boolean' }, out: { type: 'string' }, bot: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values }) {
    const out = resolve(requireOption(values, 'out'));
    const db = await env.db();
    const community = await communityBySlug(db, requireOption(values, 'community'));
    const t = translate(env, values, community.locale);
    const bot = await botUsername(env, values.bot as string | undefined);
    const building = values.building ? await buildingByName(db, community.id, values.building as string) : null;
    const batch = await issueSlips(db, CLI_ACTOR, 'cli', { communityId: community.id, buildingId: building?.id ?? null, onlyUnverified: !!values.unverified }, new Date());
    const scope = building ? t('register.slips_scope_building', { building: building.name }) : t('register.slips_scope_all', { community: community.name });
    const pdf = await renderSlipsPdf({
      t,
      community: community.name,
      scope,
      slips: batch.slips,
      expiresAt: batch.expiresAt,
      linkFor: (code) => (bot ? telegramSlipLink(bot, code) : undefined),
    });
    await writeFile(out, pdf);
    const pages = Math.ceil(batch.slips.length / SLIPS_PER_PAGE);
    const until = batch.expiresAt.toISOString().slice(0, 10);
    const lines = [env.t('cli.register.slips_written', { count: batch.slips.length, pages, scope, out, until })];
    if (batch.revoked) lines.push(env.t('cli.register.slips_revoked', { count: batch.revoked }));
    if (!bot) lines.push(env.t('cli.register.no_bot'));
    env.print({ out, slips: batch.slips.length, pages, scope, expiresAt: batch.expiresAt.toISOString(), revoked: batch.revoked, qr: Boolean(bot) }, lines);
    return 0;
  },
};

export const registerStatusCommand: CliCommand = {
  name: 'register status',
  usage: 'linli register status --community <slug> [--building <3栋>] [--locale zh-CN|en]',
  summary: 'cli.summary.register_status',
  options: { community: { type: 'string' }, building: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values }) {
    const db = await env.db();
    const community = await communityBySlug(db, requireOption(values, 'community'));
    const t = translate(env, values, community.locale);
    if (values.building) {
      const building = await buildingByName(db, community.id, values.building as string);
      const detail = await buildingDetail(db, CLI_ACTOR, building.id);
      env.print(detail, renderBuilding(t, detail, null));
      return 0;
    }
    const progress = await registerProgress(db, CLI_ACTOR, community.id);
    env.print(progress, renderProgress(t, community.name, progress));
    return 0;
  },
};

/** The register's subcommands, in the order `linli help` lists them. */
export const REGISTER_COMMANDS: CliCommand[] = [registerImportCommand, registerSlipsCommand, registerStatusCommand];
