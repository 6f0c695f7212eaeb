/**
 * The weekly digest of a community: every feature's section for the ISO week that just ended,
 * in each group's language, with a bar chart of the week's activity and the sections' buttons,
 * posted through the outbox under `digest:<communityId>:<week>` per chat — so it is sent once,
 * also when the job fires twice, the CLI sends it by hand, or the bot catches up after downtime.
 */
import { Cron } from 'croner';
import { renderBarChart } from '../../charts/barChart.ts';
import { MAX_ACTION_BYTES } from '../../core/actionCodec.ts';
import type { DigestSection } from '../../core/feature.ts';
import type { Button, OutMessage } from '../../platform/messages.ts';
import type { Services } from '../../core/services.ts';
import { isUniqueViolation } from '../../db/client.ts';
import type { Community } from '../../generated/prisma/client.ts';
import { formatIsoWeek, isoWeekOf, nextWeek, previousWeek, weekRange, type IsoWeek } from '../../domain/digest/isoWeek.ts';

/** The schedule used when a community's own cron expression is broken. */
export const DEFAULT_DIGEST_CRON = '0 9 * * 1';
/** JobRun.job of a digest; the key is `<communityId>:<week>`. */
export const DIGEST_JOB = 'digest';
const MAX_BUTTON_ROWS = 8;

/** A digest as it would be sent to groups of one language. */
export interface BuiltDigest {
  week: string;
  locale: string;
  sections: DigestSection[];
  /** True when no section reported anything. */
  quiet: boolean;
  /** Null when a quiet week sends nothing (digestQuietMode "none"). */
  message: OutMessage | null;
}

/** The outbox key base of a community's digest for a week. */
export function digestKeyBase(communityId: string, week: IsoWeek): string {
  return `digest:${communityId}:${formatIsoWeek(week)}`;
}

/** Gathers every feature's section; a failing contributor is logged and left out, not fatal. */
export async function gatherSections(services: Services, communityId: string, week: IsoWeek, locale: string): Promise<DigestSection[]> {
  const { from, to } = weekRange(week, services.config.LINLI_TIMEZONE);
  const sections: DigestSection[] = [];
  for (const c of services.digestContributors) {
    try {
      const section = await c.build(services, { communityId, from, to, locale });
      if (section) sections.push(section);
    } catch (err) {
      services.log.error({ err, feature: c.feature, communityId }, 'digest section failed; sending the digest without it');
    }
  }
  return sections;
}

/** Builds the digest for one language. `chart: false` skips the image (previews, benchmarks). */
export async function buildDigest(
  services: Services,
  community: Community,
  week: IsoWeek,
  locale: string,
  opts: { chart?: boolean } = {},
): Promise<BuiltDigest> {
  const t = services.i18n.bind(locale);
  const { from, to } = weekRange(week, services.config.LINLI_TIMEZONE);
  const sections = await gatherSections(services, community.id, week, locale);
  const quiet = sections.every((s) => s.items === 0);
  const label = formatIsoWeek(week);
  if (quiet && community.digestQuietMode === 'none') return { week: label, locale, sections, quiet, message: null };

  const span = { from, last: new Date(to.getTime() - 1) };
  // Read the week after it (the usual Monday digest, or a catch-up later that week) it is 上周;
  // a digest previewed or sent by hand for an older week names only its dates.
  const readNextWeek = formatIsoWeek(isoWeekOf(services.clock(), services.config.LINLI_TIMEZONE)) === formatIsoWeek(nextWeek(week));
  const lines = [t(readNextWeek ? 'digest.title_last_week' : 'digest.title', { community: community.name, span })];
  if (quiet) {
    lines.push('', t('digest.quiet'));
  } else {
    for (const s of sections.filter((x) => x.items > 0 || x.lines.length)) {
      lines.push('', t('digest.section', { title: s.title }), ...s.lines.map((l) => t('digest.line', { line: l })));
    }
  }
  const rows = buttonRows(services, sections);
  lines.push('', t(rows.length ? 'digest.footer' : 'digest.footer_plain'));
  const message: OutMessage = { text: lines.join('\n') };
  if (rows.length) message.buttons = rows;
  if (!quiet && opts.chart !== false) {
    const data = renderBarChart({
      title: t('digest.chart_title'),
      subtitle: t('digest.chart_subtitle', { span }),
      bars: sections.map((s) => ({ label: s.title, value: s.items })),
    });
    message.image = { data, name: `digest-${label}.png` };
  }
  return { week: label, locale, sections, quiet, message };
}

/** Sections' buttons, two to a row, each section starting its own row; oversized actions dropped. */
function buttonRows(services: Services, sections: DigestSection[]): Button[][] {
  const rows: Button[][] = [];
  for (const s of sections) {
    const usable = (s.buttons ?? []).filter((b) => {
      if (b.url) return true;
      if (b.action && Buffer.byteLength(b.action, 'utf8') <= MAX_ACTION_BYTES) return true;
      services.log.warn({ action: b.action }, 'digest button dropped: action missing or over 64 bytes');
      return false;
    });
    for (let i = 0; i < usable.length; i += 2) rows.push(usable.slice(i, i + 2));
  }
  return rows.slice(0, MAX_BUTTON_ROWS);
}

/** What sending a digest did. */
export interface DigestSendResult {
  week: string;
  /** Messages enqueued now (0 when already sent to every group, or a quiet week sends nothing). */
  enqueued: number;
  quiet: boolean;
}

/**
 * Enqueues the week's digest for every active group of the community, each in its language.
 * Idempotent per group: a group that already has this week's digest is skipped.
 */
export async function sendDigest(services: Services, communityId: string, week: IsoWeek): Promise<DigestSendResult> {
  const community = await services.db.community.findUniqueOrThrow({ where: { id: communityId } });
  const groups = await services.db.chatGroup.findMany({ where: { communityId, active: true }, select: { locale: true } });
  const label = formatIsoWeek(week);
  const locales = [...new Set(groups.map((g) => g.locale ?? community.locale))];
  const built = new Map<string, BuiltDigest>();
  for (const locale of locales) built.set(locale, await buildDigest(services, community, week, locale));
  const quiet = [...built.values()].every((b) => b.quiet);
  if (!groups.length || [...built.values()].every((b) => !b.message)) return { week: label, enqueued: 0, quiet };
  const enqueued = await services.outbox.publishToCommunity(
    communityId,
    digestKeyBase(communityId, week),
    (locale) => built.get(locale)?.message ?? built.values().next().value!.message!,
    { refType: 'digest', refId: label },
  );
  return { week: label, enqueued, quiet };
}

/**
 * The week whose digest is due at `now`: the week that just ended, once this week's scheduled
 * time (the community's cron in the deployment's time zone, counted from Monday 00:00) has
 * passed. A digest missed while the bot was down is therefore still due until the week is over.
 */
export function dueDigestWeek(cronExpr: string, now: Date, timeZone: string): IsoWeek | null {
  const current = isoWeekOf(now, timeZone);
  const { from, to } = weekRange(current, timeZone);
  let runAt: Date | null;
  try {
    runAt = new Cron(cronExpr, { timezone: timeZone }).nextRun(new Date(from.getTime() - 1));
  } catch {
    runAt = new Cron(DEFAULT_DIGEST_CRON, { timezone: timeZone }).nextRun(new Date(from.getTime() - 1));
  }
  if (!runAt || runAt > now || runAt >= to) return null;
  return previousWeek(current);
}

/** True when the cron expression is one croner accepts. */
export function isValidCron(expr: string): boolean {
  try {
    new Cron(expr);
    return true;
  } catch {
    return false;
  }
}

/**
 * The scheduler's job: for each community whose digest is due and not yet done, sends it and
 * records the week in JobRun. A crash between the two re-runs the send, which the outbox keys
 * make harmless.
 */
export async function runDigestJob(services: Services, now: Date): Promise<DigestSendResult[]> {
  const tz = services.config.LINLI_TIMEZONE;
  const results: DigestSendResult[] = [];
  const communities = await services.db.community.findMany({ select: { id: true, digestCron: true, createdAt: true } });
  for (const c of communities) {
    if (!isValidCron(c.digestCron)) services.log.warn({ communityId: c.id, cron: c.digestCron }, 'invalid digestCron; using the default');
    const week = dueDigestWeek(c.digestCron, now, tz);
    if (!week) continue;
    // A community set up this week has no past week to report on.
    if (weekRange(week, tz).to <= c.createdAt) continue;
    const key = `${c.id}:${formatIsoWeek(week)}`;
    if (await services.db.jobRun.findUnique({ where: { job_key: { job: DIGEST_JOB, key } } })) continue;
    try {
      const result = await sendDigest(services, c.id, week);
      results.push(result);
      await services.db.jobRun.create({ data: { job: DIGEST_JOB, key, ranAt: now, result: result.quiet ? `quiet, ${result.enqueued} enqueued` : `${result.enqueued} enqueued` } });
    } catch (err) {
      if (isUniqueViolation(err)) continue; // another run finished first
      services.log.error({ err, communityId: c.id, week: key }, 'digest failed; will retry on the next run');
    }
  }
  return results;
}
