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
  if (!week) throw new UsageError(`--week: "${String(raw)}" is not an ISO week such as 2026-W47`);
  return week;
}

async function build(env: CliEnv, adapters: Adapter[] = []): Promise<Linli> {
  return createLinli({ config: env.config, db: await env.db(), log: env.log, telegram: false, wechat: false, adapters, schedule: false });
}

export const digestPreviewCommand: CliCommand = {
  name: 'digest preview',
  usage: 'linli digest preview --community <slug> [--week 2026-W47]',
  summary: "Print the weekly digest a community's groups would receive (default: last week)",
  options: { community: { type: 'string' }, week: { type: 'string' } },
  async run(env, { values }) {
    const week = weekOption(env, values.week);
    const linli = await build(env);
    const community = await communityBySlug(linli.services.db, requireOption(values, 'community'));
    const groups = await linli.services.db.chatGroup.findMany({ where: { communityId: community.id, active: true } });
    const locales = [...new Set(groups.map((g) => g.locale ?? community.locale))];
    if (!locales.length) {
      env.out(`${community.slug} has no active groups: nothing would be sent`);
      locales.push(community.locale);
    }
    for (const locale of locales) {
      const n = groups.filter((g) => (g.locale ?? community.locale) === locale).length;
      const d = await buildDigest(linli.services, community, week, locale);
      env.out(`=== ${formatIsoWeek(week)} · ${locale} · ${n} group(s)${d.quiet ? ' · quiet week' : ''} ===`);
      if (!d.message) {
        env.out(`(nothing: quiet week and digestQuietMode is "none")`);
        continue;
      }
      if (d.message.image) env.out(`[image ${d.message.image.name}, ${d.message.image.data.length} bytes]`);
      env.out(d.message.text);
      for (const row of d.message.buttons ?? []) env.out(row.map((b) => `[${b.label} → ${b.action ?? b.url}]`).join(' '));
    }
    return 0;
  },
};

export const digestSendCommand: CliCommand = {
  name: 'digest send',
  usage: 'linli digest send --community <slug> [--week 2026-W47] [--deliver]',
  summary: "Enqueue a community's weekly digest now (once per group and week)",
  options: { community: { type: 'string' }, week: { type: 'string' }, deliver: { type: 'boolean' } },
  async run(env, { values }) {
    const week = weekOption(env, values.week);
    const adapters: Adapter[] = [];
    if (values.deliver) {
      const token = env.config.TELEGRAM_BOT_TOKEN;
      if (!token) throw new UsageError('--deliver needs TELEGRAM_BOT_TOKEN');
      adapters.push(createTelegramAdapter({ token, apiRoot: env.config.TELEGRAM_API_ROOT, log: env.log }));
    }
    const linli = await build(env, adapters);
    const community = await communityBySlug(linli.services.db, requireOption(values, 'community'));
    const result = await sendDigest(linli.services, community.id, week);
    env.out(`${community.slug} ${result.week}: ${result.enqueued} message(s) enqueued${result.quiet ? ' (quiet week)' : ''}`);
    if (values.deliver) {
      const left = await linli.outboxWorker.flush(120_000);
      env.out(left ? `${left} message(s) still pending — see "linli outbox"` : 'delivered');
      return left ? 1 : 0;
    }
    return 0;
  },
};
