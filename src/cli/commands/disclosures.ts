/**
 * `linli disclosure publish|verify` and `linli export disclosures`: staff publish a disclosure
 * from a file (preview first; `--yes` for scripts and CI, which have no stdin), anyone with shell
 * access recomputes the hash chains, and staff export the record as CSV or XLSX.
 */
import type { Db } from '../../db/client.ts';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { requireCategory, communityCategories } from '../../domain/disclosures/categories.ts';
import { checkPostedHead, headCode, parseHeadCode, verifyChain, type ChainProblem } from '../../domain/disclosures/chain.ts';
import { checkPeriod, checkTitle, publishDisclosure } from '../../domain/disclosures/disclosures.ts';
import { readDisclosureFile } from '../../domain/disclosures/files.ts';
import { parsePeriodKey, periodYear } from '../../domain/disclosures/period.ts';
import { communityBySlug } from '../../domain/residents/communities.ts';
import { writeTable } from '../../export/table.ts';
import { disclosureSheets } from '../../features/disclosures/export.ts';
import { announceVersion } from '../../features/disclosures/publishing.ts';
import { renderPreview } from '../../features/disclosures/render.ts';
import { createTranslator } from '../../i18n/i18n.ts';
import { Outbox } from '../../outbox/outbox.ts';
import { CLI_ACTOR, formatOption, LOCALE_USAGE, localeOption, readFileOption, Refused, requireOption, UsageError, type CliCommand, type CliEnv } from '../command.ts';

function translator(env: CliEnv) {
  return createTranslator({ defaultLocale: env.config.LINLI_DEFAULT_LOCALE, timeZone: env.config.LINLI_TIMEZONE });
}

async function confirm(question: string, yes: RegExp): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return yes.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export const disclosurePublishCommand: CliCommand = {
  name: 'disclosure publish',
  usage: 'linli disclosure publish --community <slug> --category <category> --period <period> --title <title> --file <f.md|f.csv|f.xlsx> [--note <text>] [--yes]',
  summary: 'cli.summary.disclosure_publish',
  options: {
    community: { type: 'string' },
    category: { type: 'string' },
    period: { type: 'string' },
    title: { type: 'string' },
    file: { type: 'string' },
    note: { type: 'string' },
    yes: { type: 'boolean' },
  },
  async run(env, { values }) {
    const db = await env.db();
    const i18n = translator(env);
    const community = await communityBySlug(db, requireOption(values, 'community'));
    const locale = community.locale;
    const t = i18n.bind(locale);
    const category = requireCategory(requireOption(values, 'category'), communityCategories(community), i18n, env.locale);
    const period = checkPeriod(requireOption(values, 'period'));
    const title = checkTitle(requireOption(values, 'title'));
    const { path, bytes } = await readFileOption(values, 'file');
    const content = await readDisclosureFile({ name: basename(path), bytes }, periodYear(parsePeriodKey(period)));
    const body = content.format === 'text' ? content.body : ((values.note as string | undefined) ?? '').trim();
    const statement = content.format === 'statement' ? content.statement : null;
    env.out(renderPreview(t, locale, { category, period, title, body, statement }));
    env.out('');
    if (!values.yes) {
      if (!process.stdin.isTTY) throw new Refused('cli.disclosures.needs_yes');
      if (!(await confirm(env.t('cli.disclosures.confirm'), /^(y|yes|是|确认)$/i))) throw new Refused('cli.disclosures.not_published');
    }
    const now = new Date();
    const { disclosure, version } = await publishDisclosure(db, CLI_ACTOR, 'cli', community.id, { category, period, title, body, statement }, now);
    const groups = await announceVersion(new Outbox(db, () => new Date()), i18n, disclosure, version);
    env.print(
      { community: community.slug, number: disclosure.number, category, period, version: version.version, headCode: headCode(version.hash), groups },
      env.t('cli.disclosures.published', { slug: community.slug, number: disclosure.number, category, period, code: headCode(version.hash), count: groups }),
    );
    return 0;
  },
};

/** What each kind of chain problem means, in the operator's words. */
const PROBLEM_TEXT: Record<ChainProblem['kind'], string> = {
  gap: 'cli.disclosures.problem.gap',
  link: 'cli.disclosures.problem.link',
  hash: 'cli.disclosures.problem.hash',
  head: 'cli.disclosures.problem.head',
  latest: 'cli.disclosures.problem.latest',
  orphan: 'cli.disclosures.problem.orphan',
  audit: 'cli.disclosures.problem.audit',
  missing: 'cli.disclosures.problem.missing',
};

/** `--head <码>`: whether a head code posted in a group is still in today's chain. */
async function verifyPostedHead(env: CliEnv, db: Db, communityId: string, slug: string, raw: string): Promise<number> {
  const code = parseHeadCode(raw);
  if (!code) throw new UsageError('cli.disclosures.bad_head');
  const check = await checkPostedHead(db, communityId, code);
  const shown = headCode(code);
  const data = { community: slug, head: shown, status: check.status, disclosure: check.disclosureNumber ?? null, version: check.version ?? null, chainSeq: check.chainSeq ?? null, publishedAt: check.publishedAt?.toISOString() ?? null, later: check.later ?? null };
  if (check.status === 'absent') {
    env.err(env.t('cli.disclosures.head_absent', { slug, head: shown }));
    env.print(data, []);
    return 1;
  }
  const where = env.t('cli.disclosures.head_where', { number: check.disclosureNumber, version: check.version, seq: check.chainSeq, at: check.publishedAt!.toISOString() });
  if (check.status === 'broken') {
    env.err(env.t('cli.disclosures.head_broken', { slug, head: shown, where }));
    env.print(data, []);
    return 1;
  }
  env.print(data, env.t('cli.disclosures.head_ok', { slug, head: shown, where, count: check.later }));
  return 0;
}

export const disclosureVerifyCommand: CliCommand = {
  name: 'disclosure verify',
  usage: 'linli disclosure verify [--community <slug> [--head <head code>]]',
  summary: 'cli.summary.disclosure_verify',
  options: { community: { type: 'string' }, head: { type: 'string' } },
  async run(env, { values }) {
    const db = await env.db();
    if (values.head !== undefined && !values.community) throw new UsageError('cli.disclosures.head_needs_community');
    const communityId = values.community ? (await communityBySlug(db, values.community as string)).id : undefined;
    if (values.head !== undefined) return verifyPostedHead(env, db, communityId!, (values.community as string).trim().toLowerCase(), values.head as string);
    const reports = await verifyChain(db, communityId);
    const { t } = env;
    let problems = 0;
    const lines: string[] = [];
    for (const r of reports) {
      if (!r.problems.length) {
        if (r.links) lines.push(t('cli.disclosures.chain_ok', { slug: r.slug, count: r.links, code: headCode(r.headHash ?? '') }));
        continue;
      }
      for (const p of r.problems) {
        problems++;
        const record = [
          p.disclosureNumber !== undefined ? t('cli.disclosures.record_disclosure', { number: p.disclosureNumber }) : null,
          p.version !== undefined ? t('cli.disclosures.record_version', { version: p.version }) : null,
          p.chainSeq !== undefined ? t('cli.disclosures.record_chain', { seq: p.chainSeq }) : null,
          p.versionId ? t('cli.disclosures.record_id', { id: p.versionId }) : null,
          p.auditHash ? t('cli.disclosures.record_audited', { code: headCode(p.auditHash) }) : null,
        ]
          .filter(Boolean)
          .join(t('cli.disclosures.record_separator'));
        env.err(t('cli.disclosures.tampered', { slug: r.slug, record, problem: t(PROBLEM_TEXT[p.kind]) }));
      }
    }
    if (!reports.length) lines.push(t('cli.community.none'));
    lines.push(problems ? t('cli.doctor.problems', { count: problems }) : t('cli.disclosures.all_verified'));
    env.print(
      {
        ok: problems === 0,
        problems,
        communities: reports.map((r) => ({ community: r.slug, versions: r.links, head: r.headHash ? headCode(r.headHash) : null, problems: r.problems })),
      },
      lines,
    );
    return problems ? 1 : 0;
  },
};

export const exportDisclosuresCommand: CliCommand = {
  name: 'export disclosures',
  usage: `linli export disclosures --community <slug> --format csv|xlsx --out <file> ${LOCALE_USAGE}`,
  summary: 'cli.summary.export_disclosures',
  options: { community: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values }) {
    const format = formatOption(values);
    const out = resolve(requireOption(values, 'out'));
    const wanted = localeOption(values);
    const db = await env.db();
    const community = await communityBySlug(db, requireOption(values, 'community'));
    const locale = wanted ?? community.locale;
    const sheets = await disclosureSheets(db, translator(env), locale, community.id);
    const { rows } = await writeTable({ format, out, sheets });
    env.print({ out, rows }, env.t('cli.export.rows_written', { count: rows, out }));
    return 0;
  },
};
