/**
 * /disclosures [category] [period] [keyword…]: the categories, a page of one category (or all)
 * and a search, answered where they were asked — anyone in a bound group, residents in private.
 * Lists and search results are short; reading one opens its full text (read.ts).
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef, type CommandDef } from '../../core/feature.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Button } from '../../platform/messages.ts';
import { LOCALES } from '../../i18n/i18n.ts';
import { categoryLabel, communityCategories, matchCategory, type CategoryKey } from '../../domain/disclosures/categories.ts';
import { listDisclosures, type DisclosureQuery } from '../../domain/disclosures/disclosures.ts';
import { parsePeriodKey, quarterKey } from '../../domain/disclosures/period.ts';
import { ALL_CATEGORIES, listPage, readDisclosure, showCategories } from './actions.ts';
import { truncate } from './render.ts';

const PAGE_SIZE = 8;
const SEARCH_LIMIT = 10;
/** Longest keyword searched for, in characters. */
const MAX_KEYWORD = 30;
/** Longest button label of a list entry. */
const MAX_LABEL = 40;

/** What a list shows: one category, or all. */
type Scope = CategoryKey | typeof ALL_CATEGORIES;

/** The category buttons. */
async function categories(ctx: Ctx): Promise<void> {
  const community = ctx.requireCommunity();
  const keys = communityCategories(community);
  const rows: Button[][] = [];
  keys.forEach((category, i) => {
    if (i % 2 === 0) rows.push([]);
    rows[rows.length - 1].push({ label: categoryLabel(ctx.t, category), action: listPage.pack({ category, page: 0, period: undefined }) });
  });
  rows.push([{ label: ctx.t('disclosures.all_button'), action: listPage.pack({ category: ALL_CATEGORIES, page: 0, period: undefined }) }]);
  await ctx.reply({ text: ctx.t('disclosures.choose_category', { community: community.name }), buttons: rows });
}

/** A page of a category (or all), optionally of one period. */
async function showList(ctx: Ctx, category: Scope, page: number, periodKey?: string): Promise<void> {
  const community = ctx.requireCommunity();
  const query: DisclosureQuery = { category: category === ALL_CATEGORIES ? undefined : category, periodKey, page, pageSize: PAGE_SIZE };
  const { items, total } = await listDisclosures(ctx.services.db, community.id, query);
  const scope = category === ALL_CATEGORIES ? ctx.t('disclosures.all_categories') : ctx.t('disclosures.category_heading', { category: categoryLabel(ctx.t, category) });
  const period = periodKey ? ctx.t('disclosures.period_filter', { key: periodKey }) : '';
  const back: Button = { label: ctx.t('disclosures.back_button'), action: showCategories.pack({}) };
  if (!total) {
    await ctx.reply({ text: ctx.t('disclosures.list_empty', { scope, period }), buttons: [[back]] });
    return;
  }
  const pages = Math.ceil(total / PAGE_SIZE);
  const rows: Button[][] = items.map((i) => [
    { label: truncate(ctx.t('disclosures.list_item', { period: i.disclosure.period, title: i.latest.title }), MAX_LABEL), action: readDisclosure.pack({ disclosure: i.disclosure.id }) },
  ]);
  const nav: Button[] = [];
  const at = (p: number) => listPage.pack({ category, page: p, period: periodKey });
  if (page > 0) nav.push({ label: ctx.t('disclosures.prev_button'), action: at(page - 1) });
  if (page + 1 < pages) nav.push({ label: ctx.t('disclosures.next_button'), action: at(page + 1) });
  nav.push(back);
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
  if (!args.trim()) return categories(ctx);
  const allowed = communityCategories(community);
  let category: CategoryKey | undefined;
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
  if (!keyword) return showList(ctx, category ?? ALL_CATEGORIES, 0, periodKey);
  if ([...keyword].length > MAX_KEYWORD) throw new DomainError('disclosures.keyword_too_long');
  const { items, total } = await listDisclosures(ctx.services.db, community.id, { category, periodKey, keyword, pageSize: SEARCH_LIMIT });
  if (!total) return void (await ctx.reply(ctx.t('disclosures.search_empty', { keyword })));
  const rows: Button[][] = items.map((i) => [
    {
      label: truncate(ctx.t('disclosures.search_item', { category: categoryLabel(ctx.t, i.disclosure.category), period: i.disclosure.period, title: i.latest.title }), MAX_LABEL),
      action: readDisclosure.pack({ disclosure: i.disclosure.id }),
    },
  ]);
  const text = [ctx.t('disclosures.search_title', { keyword, count: total })];
  if (total > SEARCH_LIMIT) text.push(ctx.t('disclosures.search_more', { shown: SEARCH_LIMIT }));
  await ctx.reply({ text: text.join('\n'), buttons: rows });
}

/** The /disclosures command. */
export const disclosuresCommand: CommandDef = {
  name: 'disclosures',
  sameForAll: true,
  description: 'disclosures.command',
  menu: true,
  order: 30,
  run: query,
};

/** The browsing buttons: public records, answered where they were tapped. */
export const browseActions: ActionDef[] = [
  onAction(showCategories, async (ctx) => {
    await ctx.toast('');
    await categories(ctx);
  }),
  onAction(listPage, async (ctx, { category, page, period }) => {
    await ctx.toast('');
    await showList(ctx, category, Math.max(0, page), period);
  }),
];
