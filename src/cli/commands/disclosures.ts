/**
 * `linli disclosure publish|verify` and `linli export disclosures`: staff publish a disclosure
 * from a file (preview first; `--yes` for scripts and CI, which have no stdin), anyone with shell
 * access recomputes the hash chains, and staff export the record as CSV or XLSX.
 */
import type { Db } from '../../db/client.ts';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { requireCategory, communityCategories } from '../../domain/disclosures/categories.ts';
import { checkPostedHead, fingerprint, headCode, parseHeadCode, verifyChain, type ChainProblem } from '../../domain/disclosures/chain.ts';
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
import { CLI_LOCALE, LOCALE_USAGE, localeOption, readFileOption, requireOption, UsageError, type CliCommand, type CliEnv } from '../command.ts';

/** The actor the CLI acts as: whoever has shell access to the deployment is its operator. */
const CLI_ACTOR = { personId: 'cli', isAdmin: true, grants: [] };

function translator(env: CliEnv) {
  return createTranslator({ defaultLocale: env.config.LINLI_DEFAULT_LOCALE, timeZone: env.config.LINLI_TIMEZONE });
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^(y|yes|是|确认)$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export const disclosurePublishCommand: CliCommand = {
  name: 'disclosure publish',
  usage: 'linli disclosure publish --community <slug> --category <c> --period <p> --title <t> --file <f.md|f.csv|f.xlsx> [--note <text>] [--yes]',
  summary: 'Publish a disclosure from a file (prints a preview; --yes publishes without asking)',
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
    const category = requireCategory(requireOption(values, 'category'), communityCategories(community), i18n, CLI_LOCALE);
    const period = checkPeriod(requireOption(values, 'period'));
    const title = checkTitle(requireOption(values, 'title'));
    const { path, bytes } = await readFileOption(values, 'file');
    const content = await readDisclosureFile({ name: basename(path), bytes }, periodYear(parsePeriodKey(period)));
    const body = content.format === 'text' ? content.body : ((values.note as string | undefined) ?? '').trim();
    const statement = content.format === 'statement' ? content.statement : null;
    env.out(renderPreview(t, locale, { category, period, title, body, statement }));
    env.out('');
    if (!values.yes) {
      if (!process.stdin.isTTY) {
        env.err('not published: add --yes to publish without a prompt');
        return 1;
      }
      if (!(await confirm('Publish? [y/N] '))) {
        env.err('not published');
        return 1;
      }
    }
    const now = new Date();
    const { disclosure, version } = await publishDisclosure(db, CLI_ACTOR, 'cli', community.id, { category, period, title, body, statement }, now);
    const groups = await announceVersion(new Outbox(db, () => new Date()), i18n, disclosure, version);
    env.out(`published ${community.slug} #${disclosure.number} (${category}, ${period}) fingerprint ${fingerprint(version.hash)}; notice queued for ${groups} groups`);
    return 0;
  },
};

const PROBLEM_TEXT: Record<ChainProblem['kind'], string> = {
  gap: 'a version before this one is missing from the chain (deleted?)',
  link: 'its link to the previous version does not match (deleted or reordered versions?)',
  hash: 'its content does not match its hash (changed after publication)',
  head: 'the newest version of the chain is missing or replaced',
  latest: "the disclosure's current-version marker does not match its versions",
  orphan: 'the disclosure has no published version',
  audit: 'its hash is not the one recorded in the audit log at publication (chain rewritten?)',
  missing: 'the audit log records its publication but the version is no longer in the chain (deleted?)',
};

/** `--head <码>`: whether a head code posted in a group is still in today's chain. */
async function verifyPostedHead(env: CliEnv, db: Db, communityId: string, slug: string, raw: string): Promise<number> {
  const code = parseHeadCode(raw);
  if (!code) throw new UsageError('--head: give the 防篡改校验码 as posted, e.g. "3f9a 1c07 b2e4" (12 to 64 hex characters)');
  const check = await checkPostedHead(db, communityId, code);
  const shown = headCode(code);
  if (check.status === 'absent') {
    env.err(`TAMPERED ${slug}: head ${shown} was posted but no version of today's chain has it — the history residents saw was changed or removed`);
    return 1;
  }
  const where = `disclosure #${check.disclosureNumber}, version ${check.version}, chain #${check.chainSeq}, published ${check.publishedAt!.toISOString()}`;
  if (check.status === 'broken') {
    env.err(`TAMPERED ${slug}: head ${shown} (${where}) is in the chain but a version at or before it does not verify — run without --head for details`);
    return 1;
  }
  env.out(`ok ${slug}: head ${shown} is in today's chain (${where}); everything up to it verifies, ${check.later} version(s) published since`);
  return 0;
}

export const disclosureVerifyCommand: CliCommand = {
  name: 'disclosure verify',
  usage: 'linli disclosure verify [--community <slug> [--head <防篡改校验码>]]',
  summary: 'Recompute the disclosures hash chains and check them against the audit log (or prove a posted head is still in the chain); exit 1 naming every record changed behind the bot’s back',
  options: { community: { type: 'string' }, head: { type: 'string' } },
  async run(env, { values }) {
    const db = await env.db();
    if (values.head !== undefined && !values.community) throw new UsageError('--head needs --community <slug>');
    const communityId = values.community ? (await communityBySlug(db, values.community as string)).id : undefined;
    if (values.head !== undefined) return verifyPostedHead(env, db, communityId!, (values.community as string).trim().toLowerCase(), values.head as string);
    const reports = await verifyChain(db, communityId);
    let problems = 0;
    for (const r of reports) {
      if (!r.problems.length) {
        if (r.links) env.out(`ok ${r.slug}: ${r.links} versions, head ${fingerprint(r.headHash ?? '')} (防篡改校验码 ${headCode(r.headHash ?? '')})`);
        continue;
      }
      for (const p of r.problems) {
        problems++;
        const record = [
          p.disclosureNumber !== undefined ? `disclosure #${p.disclosureNumber}` : null,
          p.version !== undefined ? `version ${p.version}` : null,
          p.chainSeq !== undefined ? `chain #${p.chainSeq}` : null,
          p.versionId ? `id ${p.versionId}` : null,
          p.auditHash ? `audited hash ${headCode(p.auditHash)}` : null,
        ]
          .filter(Boolean)
          .join(', ');
        env.err(`TAMPERED ${r.slug}: ${record}: ${PROBLEM_TEXT[p.kind]}`);
      }
    }
    if (!reports.length) env.out('no communities');
    env.out(problems ? `${problems} problem(s) found` : 'all disclosure chains verified');
    return problems ? 1 : 0;
  },
};

export const exportDisclosuresCommand: CliCommand = {
  name: 'export disclosures',
  usage: `linli export disclosures --community <slug> --format csv|xlsx --out <file> ${LOCALE_USAGE}`,
  summary: 'Export a community’s disclosures (every version, with fingerprints) and line items',
  options: { community: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values }) {
    const format = requireOption(values, 'format');
    if (format !== 'csv' && format !== 'xlsx') throw new UsageError('--format must be csv or xlsx');
    const out = resolve(requireOption(values, 'out'));
    const wanted = localeOption(values);
    const db = await env.db();
    const community = await communityBySlug(db, requireOption(values, 'community'));
    const locale = wanted ?? community.locale;
    const sheets = await disclosureSheets(db, translator(env), locale, community.id);
    const { rows } = await writeTable({ format, out, sheets });
    env.out(`wrote ${rows} rows to ${out}`);
    return 0;
  },
};
