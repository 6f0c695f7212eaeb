/**
 * `linli digest preview` prints exactly what a community's groups would receive for a week (per
 * language, with the buttons and the chart's file name); `linli digest send` enqueues it now —
 * still once per group and week, so running it after the scheduler already sent it does nothing.
 * The running bot delivers what `send` enqueues; `--deliver` delivers from the CLI itself, for a
 * deployment whose bot is stopped (never use it while the bot runs: two senders would race).
 */
import { createLinli, type Linli } from '../../app/createLinli.ts';
import type { Adapter } from '../../platform/adapter.ts';
import { createTelegramAdapter } from '../../adapters/telegram/telegramAdapter.ts';
import { buildDigest, sendDigest } from '../../features/digest/digest.ts';
import { formatIsoWeek, isoWeekOf, parseIsoWeek, previousWeek, type IsoWeek } from '../../domain/digest/isoWeek.ts';
import { communityBySlug } from '../../domain/residents/communities.ts';
import { requireOption, UsageError, type CliCommand, type CliEnv } from '../command.ts';

function weekOption(env: CliEnv, raw: unknown): IsoWeek {
  if (raw === undefined) return previousWeek(isoWeekOf(new Date(), env.config.LINLI_TIMEZONE));
  const week = typeof raw === 'string' ? parseIsoWeek(raw) : null;
  if (!week) throw new UsageError('cli.digest.bad_week', { value: String(raw) });
  return week;
}

async function build(env: CliEnv, adapters: Adapter[] = []): Promise<Linli> {
  return createLinli({ config: env.config, db: await env.db(), log: env.log, telegram: false, wechat: false, adapters, schedule: false });
}

export const digestPreviewCommand: CliCommand = {
  name: 'digest preview',
  usage: 'linli digest preview --community <slug> [--week 2026-W47]',
  summary: 'cli.summary.digest_preview',
  options: { community: { type: 'string' }, week: { type: 'string' } },
  async run(env, { values }) {
    const week = weekOption(env, values.week);
    const linli = await build(env);
    const community = await communityBySlug(linli.services.db, requireOption(values, 'community'));
    const groups = await linli.services.db.chatGroup.findMany({ where: { communityId: community.id, active: true } });
    const locales = [...new Set(groups.map((g) => g.locale ?? community.locale))];
    const previews: { locale: string; groups: number; quiet: boolean; text: string | null; image: string | null; buttons: string[][] }[] = [];
    if (!locales.length) {
      env.err(env.t('cli.digest.no_groups', { slug: community.slug }));
      locales.push(community.locale);
    }
    for (const locale of locales) {
      const n = groups.filter((g) => (g.locale ?? community.locale) === locale).length;
      const d = await buildDigest(linli.services, community, week, locale);
      previews.push({
        locale,
        groups: n,
        quiet: d.quiet,
        text: d.message?.text ?? null,
        image: d.message?.image?.name ?? null,
        buttons: (d.message?.buttons ?? []).map((row) => row.map((b) => `${b.label} → ${b.action ?? b.url}`)),
      });
      const lines = [`=== ${env.t('cli.digest.heading', { week: formatIsoWeek(week), locale, count: n })}${d.quiet ? env.t('cli.digest.quiet_mark') : ''} ===`];
      if (!d.message) lines.push(env.t('cli.digest.nothing'));
      else {
        if (d.message.image) lines.push(env.t('cli.digest.image', { name: d.message.image.name, bytes: d.message.image.data.length }));
        lines.push(d.message.text);
        for (const row of d.message.buttons ?? []) lines.push(row.map((b) => `[${b.label} → ${b.action ?? b.url}]`).join(' '));
      }
      if (!env.json) env.print(null, lines);
    }
    if (env.json) env.print({ community: community.slug, week: formatIsoWeek(week), previews }, []);
    return 0;
  },
};

export const digestSendCommand: CliCommand = {
  name: 'digest send',
  usage: 'linli digest send --community <slug> [--week 2026-W47] [--deliver]',
  summary: 'cli.summary.digest_send',
  options: { community: { type: 'string' }, week: { type: 'string' }, deliver: { type: 'boolean' } },
  async run(env, { values }) {
    const week = weekOption(env, values.week);
    const adapters: Adapter[] = [];
    if (values.deliver) {
      const token = env.config.TELEGRAM_BOT_TOKEN;
      if (!token) throw new UsageError('cli.digest.deliver_needs_token');
      adapters.push(createTelegramAdapter({ token, apiRoot: env.config.TELEGRAM_API_ROOT, log: env.log }));
    }
    const linli = await build(env, adapters);
    const community = await communityBySlug(linli.services.db, requireOption(values, 'community'));
    const result = await sendDigest(linli.services, community.id, week);
    const enqueued = env.t('cli.digest.enqueued', { slug: community.slug, week: result.week, count: result.enqueued }) + (result.quiet ? env.t('cli.digest.quiet_note') : '');
    if (values.deliver) {
      const left = await linli.outboxWorker.flush(120_000);
      env.print({ community: community.slug, week: result.week, enqueued: result.enqueued, quiet: result.quiet, pending: left }, [enqueued, left ? env.t('cli.digest.still_pending', { count: left }) : env.t('cli.digest.delivered')]);
      return left ? 1 : 0;
    }
    env.print({ community: community.slug, week: result.week, enqueued: result.enqueued, quiet: result.quiet }, enqueued);
    return 0;
  },
};
