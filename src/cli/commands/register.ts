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
import { createTranslator, LOCALES } from '../../i18n/i18n.ts';
import { planChangesSomething, renderBuilding, renderImported, renderPreview, renderProgress, renderRefusal } from '../../../scenes/registerText.ts';
import { readFileOption, requireOption, UsageError, type CliCommand, type CliEnv } from '../command.ts';

/** The actor the CLI acts as: whoever has shell access to the deployment is its operator. */
const CLI_ACTOR = { personId: 'cli', isAdmin: true, grants: [] };
/** A refused file's problems printed in full, up to this many (a chat shows fewer). */
const CLI_PROBLEMS_SHOWN = 100;

function translate(env: CliEnv, locale: string) {
  if (!(LOCALES as readonly string[]).includes(locale)) throw new UsageError(`--locale must be one of ${LOCALES.join(', ')}`);
  return createTranslator({ defaultLocale: env.config.LINLI_DEFAULT_LOCALE, timeZone: env.config.LINLI_TIMEZONE }).bind(locale);
}

export const registerImportCommand: CliCommand = {
  name: 'register import',
  usage: 'linli register import --community <slug> --file <住户名册.xlsx|.csv> [--dry-run] [--locale zh-CN|en]',
  summary: 'Import the household register (prints the preview; --dry-run writes nothing)',
  options: { community: { type: 'string' }, file: { type: 'string' }, 'dry-run': { type: 'boolean' }, locale: { type: 'string' } },
  async run(env, { values }) {
    const { path, bytes } = await readFileOption(values, 'file');
    const db = await env.db();
    const community = await communityBySlug(db, requireOption(values, 'community'));
    const t = translate(env, (values.locale as string | undefined) ?? community.locale);
    const file = basename(path);
    let preview: Awaited<ReturnType<typeof previewImport>>;
    try {
      preview = await previewImport(db, CLI_ACTOR, community, { name: file, bytes });
    } catch (err) {
      if (!(err instanceof RegisterRefused)) throw err;
      env.err(renderRefusal(t, err, CLI_PROBLEMS_SHOWN));
      return 1;
    }
    const { table, plan } = preview;
    env.out(renderPreview(t, { file, community: community.name, table, plan }));
    if (values['dry-run']) {
      env.out('\ndry run: nothing was written');
      return 0;
    }
    if (!planChangesSomething(plan)) return 0;
    const result = await applyImport(db, CLI_ACTOR, 'cli', community.id, { rows: table.rows, facts: table.facts, expectedFingerprint: plan.fingerprint, fileName: file }, new Date());
    env.out(`\n${renderImported(t, community.name, result)}`);
    return 0;
  },
};

/** The bot's Telegram username: --bot, else asked of Telegram when a token is configured. */
async function botUsername(env: CliEnv, given: string | undefined): Promise<string | null> {
  if (given) {
    if (!/^@?[A-Za-z][A-Za-z0-9_]{3,31}$/.test(given)) throw new UsageError(`--bot: "${given}" is not a Telegram bot username`);
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
    throw new UsageError(`could not ask Telegram for the bot's username (${(err as Error).message}); pass --bot <username>`);
  }
}

export const registerSlipsCommand: CliCommand = {
  name: 'register slips',
  usage: 'linli register slips --community <slug> [--building <3栋>] [--unverified] --out <slips.pdf> [--bot <username>] [--locale zh-CN|en]',
  summary: 'Print verification slips (A4 PDF, six per page); earlier unused slips of those households stop working',
  options: { community: { type: 'string' }, building: { type: 'string' }, unverified: { type: 'boolean' }, out: { type: 'string' }, bot: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values }) {
    const out = resolve(requireOption(values, 'out'));
    const db = await env.db();
    const community = await communityBySlug(db, requireOption(values, 'community'));
    const t = translate(env, (values.locale as string | undefined) ?? community.locale);
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
    env.out(`wrote ${batch.slips.length} slips (${Math.ceil(batch.slips.length / SLIPS_PER_PAGE)} pages) for ${scope} to ${out}; valid until ${batch.expiresAt.toISOString().slice(0, 10)}`);
    if (batch.revoked) env.out(`${batch.revoked} earlier unused slips of these households were withdrawn`);
    if (!bot) env.out('no Telegram bot username known (set TELEGRAM_BOT_TOKEN or pass --bot): the slips carry the words to send on WeChat instead of a QR code');
    return 0;
  },
};

export const registerStatusCommand: CliCommand = {
  name: 'register status',
  usage: 'linli register status --community <slug> [--building <3栋>] [--locale zh-CN|en]',
  summary: 'Verification progress against the household register, per building (or one building’s unverified households)',
  options: { community: { type: 'string' }, building: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values }) {
    const db = await env.db();
    const community = await communityBySlug(db, requireOption(values, 'community'));
    const t = translate(env, (values.locale as string | undefined) ?? community.locale);
    if (values.building) {
      const building = await buildingByName(db, community.id, values.building as string);
      env.out(renderBuilding(t, await buildingDetail(db, CLI_ACTOR, building.id), null));
      return 0;
    }
    env.out(renderProgress(t, community.name, await registerProgress(db, CLI_ACTOR, community.id)));
    return 0;
  },
};

/** The register's subcommands, in the order `linli help` lists them. */
export const REGISTER_COMMANDS: CliCommand[] = [registerImportCommand, registerSlipsCommand, registerStatusCommand];
