/**
 * 居务公开 in chat: /disclosures to browse and search (anyone in a bound group, residents in
 * private), /publish and /correct for committee members (scenes/disclosures.ts), the quarterly
 * reminder job, the digest section and the staff export.
 *
 * Reading in a group: the full text of a disclosure can be long (a statement with a hundred
 * lines), so a tap on "read" in a group sends it to the person privately and answers with a
 * toast; only if the bot cannot write to them privately (on Telegram: they never opened the
 * bot) does the group get a compact message — heading, totals, fingerprint — with a link into
 * the private chat. Lists and search results are short and are answered where they were asked.
 */
import type { Ctx } from '../../core/context.ts';
import { DomainError } from '../../domain/errors.ts';
import type { JobDef } from '../../core/feature.ts';
import type { Feature } from '../feature.ts';
import type { Button, OutMessage, Platform } from '../../platform/messages.ts';
import type { Services } from '../../core/services.ts';
import { splitText } from '../../outbox/split.ts';
import { writeTableToBuffer } from '../../export/table.ts';
import { LOCALES } from '../../i18n/i18n.ts';
import { can, requirePermission } from '../../domain/residents/permissions.ts';
import { categoryLabelKey, communityCategories, isCategoryKey, matchCategory } from '../../domain/disclosures/categories.ts';
import { fingerprint, verifyChain } from '../../domain/disclosures/chain.ts';
import { getDisclosure, listDisclosures, versionsPublishedBetween, type DisclosureQuery } from '../../domain/disclosures/disclosures.ts';
import { daysLeftInQuarter, localDate, parsePeriodKey, quarterKey } from '../../domain/disclosures/period.ts';
import { correctionScene, publishScene } from '../../../scenes/disclosures.ts';
import { disclosureSheets, readAction } from './publishing.ts';
import { categoryLabel, renderCompact, renderFull } from './render.ts';

const PAGE_SIZE = 8;
const SEARCH_LIMIT = 10;
/** Remind committees this many days (or fewer) before a quarter ends. */
export const REMIND_DAYS_BEFORE_QUARTER_END = 14;

/** Sends a long text as several messages in order, buttons under the last one. */
async function replyLong(send: (m: OutMessage) => Promise<unknown>, ctx: Ctx, text: string, buttons?: Button[][]): Promise<void> {
  const parts = splitText(text, ctx.capabilities.maxTextLength);
  for (const [i, part] of parts.entries()) await send(i === parts.length - 1 && buttons?.length ? { text: part, buttons } : { text: part });
}

function truncate(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** The category buttons. */
async function showCategories(ctx: Ctx): Promise<void> {
  const community = ctx.requireCommunity();
  const keys = communityCategories(community);
  const rows: Button[][] = [];
  keys.forEach((k, i) => {
    if (i % 2 === 0) rows.push([]);
    rows[rows.length - 1].push({ label: categoryLabel(ctx.t, k), action: `dsc:l:${k}:0` });
  });
  rows.push([{ label: ctx.t('disclosures.all_button'), action: 'dsc:l:*:0' }]);
  await ctx.reply({ text: ctx.t('disclosures.choose_category', { community: community.name }), buttons: rows });
}

/** A page of a category (or all), optionally of one period. */
async function showList(ctx: Ctx, category: string, page: number, periodKey?: string): Promise<void> {
  const community = ctx.requireCommunity();
  if (category !== '*' && !isCategoryKey(category)) throw new DomainError('errors.stale_button');
  const query: DisclosureQuery = { category: category === '*' ? undefined : category, periodKey, page, pageSize: PAGE_SIZE };
  const { items, total } = await listDisclosures(ctx.services.db, community.id, query);
  const scope = category === '*' ? ctx.t('disclosures.all_categories') : categoryLabel(ctx.t, category);
  const period = periodKey ? ctx.t('disclosures.period_filter', { key: periodKey }) : '';
  if (!total) {
    await ctx.reply({ text: ctx.t('disclosures.list_empty', { scope, period }), buttons: [[{ label: ctx.t('disclosures.back_button'), action: 'dsc:c' }]] });
    return;
  }
  const pages = Math.ceil(total / PAGE_SIZE);
  const rows: Button[][] = items.map((i) => [
    { label: truncate(ctx.t('disclosures.list_item', { period: i.disclosure.period, title: i.latest.title }), 40), action: readAction(i.disclosure.id) },
  ]);
  const nav: Button[] = [];
  const suffix = periodKey ? `:${periodKey}` : '';
  if (page > 0) nav.push({ label: ctx.t('disclosures.prev_button'), action: `dsc:l:${category}:${page - 1}${suffix}` });
  if (page + 1 < pages) nav.push({ label: ctx.t('disclosures.next_button'), action: `dsc:l:${category}:${page + 1}${suffix}` });
  nav.push({ label: ctx.t('disclosures.back_button'), action: 'dsc:c' });
  rows.push(nav);
  await ctx.reply({ text: ctx.t('disclosures.list_title', { scope, period, page: page + 1, pages, total }), buttons: rows });
}

/** Words meaning "this quarter" in any language, from the locales. */
function isThisQuarter(ctx: Ctx, token: string): boolean {
  const t = token.toLowerCase();
  return LOCALES.some((l) => ctx.services.i18n.t(l, 'disclosures.this_quarter_words').toLowerCase().split('|').includes(t));
}

/** /disclosures [category] [period] [keyword…] */
async function query(ctx: Ctx, args: string): Promise<void> {
  const community = ctx.requireCommunity();
  if (!args.trim()) return showCategories(ctx);
  const allowed = communityCategories(community);
  let category: string | undefined;
  let periodKey: string | undefined;
  const words: string[] = [];
  for (const token of args.trim().split(/\s+/)) {
    const c = !category ? matchCategory(token, allowed, ctx.services.i18n) : null;
    if (c) {
      category = c;
      continue;
    }
    const p = !periodKey ? (isThisQuarter(ctx, token) ? quarterKey(ctx.services.clock(), ctx.services.config.LINLI_TIMEZONE) : parsePeriodKey(token)) : null;
    if (p) {
      periodKey = p;
      continue;
    }
    words.push(token);
  }
  const keyword = words.join(' ');
  if (!keyword) return showList(ctx, category ?? '*', 0, periodKey);
  if ([...keyword].length > 30) throw new DomainError('disclosures.keyword_too_long');
  const { items, total } = await listDisclosures(ctx.services.db, community.id, { category, periodKey, keyword, pageSize: SEARCH_LIMIT });
  if (!total) return void (await ctx.reply(ctx.t('disclosures.search_empty', { keyword })));
  const rows: Button[][] = items.map((i) => [
    { label: truncate(ctx.t('disclosures.search_item', { category: categoryLabel(ctx.t, i.disclosure.category), period: i.disclosure.period, title: i.latest.title }), 40), action: readAction(i.disclosure.id) },
  ]);
  const text = [ctx.t('disclosures.search_title', { keyword, count: total })];
  if (total > SEARCH_LIMIT) text.push(ctx.t('disclosures.search_more', { shown: SEARCH_LIMIT }));
  await ctx.reply({ text: text.join('\n'), buttons: rows });
}

/** The buttons under a full text. */
function fullTextButtons(ctx: Ctx, id: string, communityId: string): Button[][] {
  const row: Button[] = [{ label: ctx.t('disclosures.verify_button'), action: 'dsc:k' }];
  if (can(ctx.actor, 'disclosure.publish', communityId)) row.push({ label: ctx.t('disclosures.correct_start_button'), action: `dsc:x:${id}` });
  return [row];
}

/** Opens a disclosure for the person: in private the full text; from a group, see the file comment. */
async function view(ctx: Ctx, id: string): Promise<void> {
  const d = await getDisclosure(ctx.services.db, id);
  // Disclosures are public records: anyone may read one they were shown a button for.
  if (ctx.chat.kind === 'private') {
    await ctx.toast('');
    return replyLong((m) => ctx.reply(m), ctx, renderFull(ctx.t, ctx.locale, d), fullTextButtons(ctx, d.id, d.communityId));
  }
  try {
    const priv = ctx.privateCtx();
    await replyLong((m) => priv.reply(m), priv, renderFull(ctx.t, ctx.locale, d), fullTextButtons(ctx, d.id, d.communityId));
    await ctx.toast(ctx.t('disclosures.sent_privately'));
  } catch {
    const link = ctx.deepLink(`d-${d.id}`);
    await ctx.toast('');
    await ctx.reply({ text: renderCompact(ctx.t, ctx.locale, d), buttons: link ? [[{ label: ctx.t('disclosures.open_private_button'), url: link }]] : undefined });
  }
}

/** Recomputes the community's chain and says whether anything was changed. */
async function verifyForPerson(ctx: Ctx): Promise<void> {
  const community = ctx.requireCommunity();
  const [report] = await verifyChain(ctx.services.db, community.id);
  await ctx.toast('');
  if (!report.problems.length) {
    await ctx.reply(ctx.t('disclosures.verify_ok', { community: community.name, count: report.links, fingerprint: report.headHash ? fingerprint(report.headHash) : '-' }));
    return;
  }
  const p = report.problems[0];
  await ctx.reply(ctx.t('disclosures.verify_broken', { community: community.name, number: p.disclosureNumber ?? '?', version: p.version ?? '?', count: report.problems.length }));
  ctx.services.log.error({ problems: report.problems }, 'disclosure chain broken');
}

/** The quarterly reminder: categories with nothing published this quarter, two weeks before its end. */
export const reminderJob: JobDef = {
  name: 'disclosure-reminders',
  cron: '0 9 * * *',
  async run(services: Services, now: Date) {
    const tz = services.config.LINLI_TIMEZONE;
    const daysLeft = daysLeftInQuarter(now, tz);
    if (daysLeft > REMIND_DAYS_BEFORE_QUARTER_END) return;
    const quarter = quarterKey(now, tz);
    const today = localDate(now, tz);
    const lastMonth = Math.ceil(today.month / 3) * 3;
    const end = new Date(Date.UTC(today.year, lastMonth, 0, 12));
    const communities = await services.db.community.findMany();
    for (const community of communities) {
      const recent = await services.db.disclosure.findMany({ where: { communityId: community.id, createdAt: { gte: new Date(now.getTime() - 100 * 86_400_000) } } });
      const covered = new Set(recent.filter((d) => d.periodKey === quarter || quarterKey(d.createdAt, tz) === quarter).map((d) => d.category));
      const missing = communityCategories(community).filter((k) => !covered.has(k));
      if (!missing.length) continue;
      const members = await services.db.membership.findMany({
        where: { communityId: community.id, role: 'committee', person: { erasedAt: null, remindersOff: false } },
        include: { person: { include: { identities: true } } },
      });
      for (const m of members) {
        const locale = m.person.locale ?? community.locale;
        const t = services.i18n.bind(locale);
        for (const identity of m.person.identities) {
          const adapter = services.adapters.get(identity.platform as Platform);
          if (!adapter) continue;
          for (const category of missing) {
            await services.outbox.enqueue({
              key: `disclosure-remind:${community.id}:${category}:${quarter}:${m.personId}:${identity.platform}`,
              platform: identity.platform,
              chatId: adapter.privateChatId(identity.platformUserId),
              communityId: community.id,
              message: {
                text: t('disclosures.reminder', { community: community.name, category: t(categoryLabelKey(category)), quarter, days: daysLeft, end }),
                buttons: [[{ label: t('disclosures.publish_now_button'), action: 'cmd:publish' }]],
              },
              refType: 'disclosure-reminder',
            });
          }
        }
      }
    }
  },
};

/** The disclosures feature. */
export const disclosuresFeature: Feature = {
  name: 'disclosures',
  scenes: [publishScene, correctionScene],
  commands: [
    {
      name: 'disclosures',
      description: 'disclosures.command',
      menu: true,
      order: 30,
      run: query,
    },
    {
      name: 'publish',
      description: 'disclosures.command_publish',
      order: 61,
      visible: (ctx) => can(ctx.actor, 'disclosure.publish', ctx.community?.id),
      async run(ctx) {
        requirePermission(ctx.actor, 'disclosure.publish', ctx.requireCommunity().id);
        await ctx.services.scenes.start(ctx, 'publish');
      },
    },
    {
      name: 'correct',
      description: 'disclosures.command_correct',
      order: 62,
      visible: (ctx) => can(ctx.actor, 'disclosure.publish', ctx.community?.id),
      async run(ctx, args) {
        requirePermission(ctx.actor, 'disclosure.publish', ctx.requireCommunity().id);
        await ctx.services.scenes.start(ctx, 'correction', args.replace(/^#/, ''));
      },
    },
  ],
  legacyActions: [
    {
      prefix: 'dsc',
      async run(ctx, [op, a, b, c]) {
        switch (op) {
          case 'c':
            await ctx.toast('');
            return showCategories(ctx);
          case 'l':
            await ctx.toast('');
            return showList(ctx, a ?? '*', Math.max(0, Number(b) || 0), c || undefined);
          case 'v':
            return view(ctx, a ?? '');
          case 'k':
            return verifyForPerson(ctx);
          case 'x': {
            const d = await getDisclosure(ctx.services.db, a ?? '');
            requirePermission(ctx.actor, 'disclosure.publish', d.communityId);
            await ctx.toast('');
            return ctx.services.scenes.start(ctx, 'correction', d.id);
          }
          default:
            await ctx.toast(ctx.t('errors.stale_button'));
        }
      },
    },
  ],
  startPayloads: [
    async (ctx, payload) => {
      const m = /^d-([a-z0-9]{10,40})$/.exec(payload);
      if (!m) return false;
      await view(ctx, m[1]);
      return true;
    },
  ],
  jobs: [reminderJob],
  async digest(services, q) {
    const versions = await versionsPublishedBetween(services.db, q.communityId, q.from, q.to);
    if (!versions.length) return null;
    const t = services.i18n.bind(q.locale);
    const lines = versions.map((v) =>
      t(v.version > 1 ? 'disclosures.digest_correction' : 'disclosures.digest_new', {
        category: categoryLabel(t, v.disclosure.category),
        title: v.title,
        period: v.disclosure.period,
        version: v.version,
      }),
    );
    const seen = new Set<string>();
    const buttons: Button[] = [];
    for (const v of versions) {
      if (seen.has(v.disclosureId) || buttons.length >= 5) continue;
      seen.add(v.disclosureId);
      buttons.push({ label: truncate(t('disclosures.digest_read', { title: v.title }), 30), action: readAction(v.disclosureId) });
    }
    return { title: t('disclosures.digest_title'), lines, buttons, items: versions.length };
  },
  exporters: [
    {
      id: 'disclosures',
      label: 'disclosures.export_label',
      async build(ctx, communityId, _itemId, format) {
        const community = await ctx.services.db.community.findUniqueOrThrow({ where: { id: communityId } });
        const sheets = await disclosureSheets(ctx.services.db, ctx.services.i18n, ctx.locale, communityId);
        return { name: `disclosures-${community.slug}.${format}`, data: await writeTableToBuffer({ format, sheets }) };
      },
    },
  ],
};
