/**
 * How disclosures read in chat: plain text, one line per line item (aligned columns do not
 * survive proportional fonts), a totals block, the version history with fingerprints.
 * Shared by the chat feature, the scenes' previews and the CLI preview.
 */
import type { Disclosure, DisclosureVersion } from '../../generated/prisma/client.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { categoryLabel } from '../../domain/disclosures/categories.ts';
import { headCode } from '../../domain/disclosures/chain.ts';
import type { DisclosureDraft, DisclosureWithVersions } from '../../domain/disclosures/disclosures.ts';
import { statementOf } from '../../domain/disclosures/disclosures.ts';
import type { LineItem, Statement } from '../../domain/disclosures/statement.ts';

/** Line items shown in a preview before "… and N more". */
const PREVIEW_ITEMS = 15;
/** Characters of the body shown in a preview or a compact group message. */
const PREVIEW_CHARS = 1500;
const COMPACT_CHARS = 300;

/** Cuts a label to `max` characters (as people count them), with an ellipsis. */
export function truncate(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** ¥1,200.00 — statements always show fen, as an accounts table does. */
export function formatAmount(fen: number, locale: string): string {
  const n = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Math.abs(fen) / 100);
  return `${fen < 0 ? '-' : ''}¥${n}`;
}

/** 10月12日 / Oct 12 from a stored item date (YYYY-MM-DD or MM-DD). */
export function formatItemDate(date: string, locale: string): string {
  const m = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1] ?? 2000), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(locale, { month: locale.startsWith('zh') ? 'long' : 'short', day: 'numeric', timeZone: 'UTC' }).format(d);
}

/** One line item: 10月12日 路灯维修 支出 ¥1,200.00（民生微实事资金） */
export function renderLineItem(t: TFn, locale: string, item: LineItem): string {
  return t('disclosures.line_item', {
    date: item.date ? formatItemDate(item.date, locale) : '',
    item: item.item,
    type: t(`disclosures.type_${item.type}`),
    amount: formatAmount(item.amountFen, locale),
    fund: item.fund ? t('disclosures.line_fund', { fund: item.fund }) : '',
  })
    .replace(/\s+/g, ' ')
    .trim();
}

/** The totals block: income, expense, balances, and the split by fund source. */
export function renderTotals(t: TFn, locale: string, s: Statement): string[] {
  const lines = [
    t('disclosures.totals_title'),
    t('disclosures.total_income', { amount: formatAmount(s.incomeFen, locale) }),
    t('disclosures.total_expense', { amount: formatAmount(s.expenseFen, locale) }),
  ];
  if (s.openingFen !== null) {
    lines.push(t('disclosures.opening', { amount: formatAmount(s.openingFen, locale) }));
    lines.push(t('disclosures.closing', { amount: formatAmount(s.closingFen, locale) }));
  } else {
    lines.push(t('disclosures.net', { amount: formatAmount(s.incomeFen - s.expenseFen, locale) }));
  }
  if (s.byFund.some((f) => f.fund)) {
    lines.push(t('disclosures.by_fund'));
    for (const f of s.byFund) {
      // Only the sides a fund has: 福彩公益金：支出 ¥800.50, not 收入 ¥0.00 as well.
      const key = f.incomeFen && f.expenseFen ? 'fund_line' : f.incomeFen ? 'fund_line_income' : 'fund_line_expense';
      lines.push(
        t(`disclosures.${key}`, {
          fund: f.fund ?? t('disclosures.fund_unspecified'),
          income: formatAmount(f.incomeFen, locale),
          expense: formatAmount(f.expenseFen, locale),
        }),
      );
    }
  }
  return lines;
}

/** The items section, all or the first `limit`. */
function renderItems(t: TFn, locale: string, s: Statement, limit = Infinity): string[] {
  const lines = [t('disclosures.items_title', { count: s.items.length })];
  for (const item of s.items.slice(0, limit)) lines.push(renderLineItem(t, locale, item));
  if (s.items.length > limit) lines.push(t('disclosures.items_more', { count: s.items.length - limit }));
  return lines;
}

function excerpt(text: string, max: number, t: TFn): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…${t('disclosures.excerpt_more', { length: chars.length })}`;
}

/** The heading lines of a disclosure. */
function heading(t: TFn, d: Disclosure, v: DisclosureVersion): string[] {
  return [
    t('disclosures.heading', { category: categoryLabel(t, d.category), title: v.title }),
    t('disclosures.meta', { period: d.period, number: d.number }),
    t(v.version > 1 ? 'disclosures.meta_version_corrected' : 'disclosures.meta_version', {
      when: v.publishedAt,
      version: v.version,
      code: headCode(v.hash),
    }),
  ];
}

/** The full text of a disclosure's current version, with its history. Split it before sending. */
export function renderFull(t: TFn, locale: string, d: DisclosureWithVersions): string {
  const v = d.versions[d.versions.length - 1];
  const blocks = [heading(t, d, v).join('\n')];
  if (v.body) blocks.push(v.body);
  const s = statementOf(v);
  if (s) {
    blocks.push(renderItems(t, locale, s).join('\n'));
    blocks.push(renderTotals(t, locale, s).join('\n'));
  }
  const history = [t(d.versions.length > 1 ? 'disclosures.history_title_open' : 'disclosures.history_title')];
  for (const old of [...d.versions].reverse()) {
    history.push(
      old.reason
        ? t('disclosures.history_correction', { version: old.version, when: old.publishedAt, reason: old.reason, code: headCode(old.hash) })
        : t('disclosures.history_first', { version: old.version, when: old.publishedAt, code: headCode(old.hash) }),
    );
  }
  blocks.push(history.join('\n'));
  return blocks.join('\n\n');
}

/**
 * One version as it was published: an earlier one says which version replaced it and why it was
 * corrected, then its own text, line items and totals — a correction never hides what was first
 * published.
 */
export function renderVersion(t: TFn, locale: string, d: DisclosureWithVersions, version: number): string {
  const v = d.versions.find((x) => x.version === version);
  if (!v) return renderFull(t, locale, d);
  const current = d.versions[d.versions.length - 1];
  const blocks: string[] = [];
  if (v.version < current.version) {
    const next = d.versions.find((x) => x.version === v.version + 1)!;
    blocks.push(t('disclosures.version_superseded', { version: v.version, current: current.version, next: next.version, reason: next.reason ?? '' }));
  }
  blocks.push(heading(t, d, v).join('\n'));
  if (v.reason) blocks.push(t('disclosures.version_reason', { reason: v.reason }));
  if (v.body) blocks.push(v.body);
  const s = statementOf(v);
  if (s) {
    blocks.push(renderItems(t, locale, s).join('\n'));
    blocks.push(renderTotals(t, locale, s).join('\n'));
  }
  return blocks.join('\n\n');
}

/** A compact form for a group: heading, totals, the start of the text; the hint names the button only when there is one. */
export function renderCompact(t: TFn, locale: string, d: DisclosureWithVersions, hasButton: boolean): string {
  const v = d.versions[d.versions.length - 1];
  const blocks = [heading(t, d, v).join('\n')];
  const s = statementOf(v);
  if (s) blocks.push(renderTotals(t, locale, s).join('\n'));
  if (v.body) blocks.push(excerpt(v.body, COMPACT_CHARS, t));
  blocks.push(t(hasButton ? 'disclosures.compact_hint' : 'disclosures.compact_hint_plain'));
  return blocks.join('\n\n');
}

/** What a committee member checks before publishing. */
export interface PreviewInput extends DisclosureDraft {
  /** For a correction: the disclosure number and reason. */
  correction?: { number: number; reason: string };
}

/** The preview shown before publishing (kept well under one message). */
export function renderPreview(t: TFn, locale: string, p: PreviewInput): string {
  const blocks = [
    p.correction ? t('disclosures.preview_correction_title', { number: p.correction.number }) : t('disclosures.preview_title'),
    [t('disclosures.heading', { category: categoryLabel(t, p.category), title: p.title }), t('disclosures.preview_period', { period: p.period })].join('\n'),
  ];
  if (p.body) blocks.push(excerpt(p.body, PREVIEW_CHARS, t));
  if (p.statement) {
    blocks.push(renderItems(t, locale, p.statement, PREVIEW_ITEMS).join('\n'));
    blocks.push(renderTotals(t, locale, p.statement).join('\n'));
  }
  if (p.correction) blocks.push(t('disclosures.preview_reason', { reason: p.correction.reason }));
  blocks.push(t(p.correction ? 'disclosures.preview_confirm_correction' : 'disclosures.preview_confirm'));
  return blocks.join('\n\n');
}

/**
 * The short notice posted to the groups. It ends with the chain head right after this version
 * was appended (the version's own hash), so every group's history keeps a copy of the head
 * outside the database for `linli disclosure verify --head`.
 */
export function renderNotice(t: TFn, d: Disclosure, v: DisclosureVersion): string {
  const params = { category: categoryLabel(t, d.category), title: v.title, period: d.period, number: d.number, reason: v.reason ?? '', version: v.version, button: t('disclosures.read_button') };
  return [t(v.version > 1 ? 'disclosures.notice_correction' : 'disclosures.notice_new', params), t('disclosures.head_code', { code: headCode(v.hash) })].join('\n');
}
