/**
 * The staff export of one poll: its metadata, the tallies, and — for named polls only — each
 * vote with the voter's display name and time. Anonymous polls never say who voted what: the
 * ballot sheet is left out altogether (the domain refuses to list their ballots). Ballots are
 * read page by page, so a poll with 100,000 votes streams through with flat memory. Also the
 * /export entry of polls (`pollsExporter`).
 */
import { readableFileName } from '../../export/fileName.ts';
import type { Db } from '../../db/client.ts';
import { currentResult, requirePoll, storedResult, type PollWithOptions } from '../../domain/polls/polls.ts';
import { exportablePolls, namedBallotRows } from '../../domain/polls/queries.ts';
import { requirePermission } from '../../domain/residents/permissions.ts';
import type { ExporterDef } from '../../core/feature.ts';
import { writeTableToBuffer } from '../../export/table.ts';
import type { TableRow, TableSheet } from '../../export/table.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { validShare } from '../../domain/polls/rules.ts';
import { baseLine, optionLabel, outcomeLine, quorumText, voterUnit } from './render.ts';

/** A named poll's ballots as export rows, in the reader's language. */
async function* ballotRows(db: Db, poll: PollWithOptions, t: TFn): AsyncIterable<TableRow> {
  const labels = new Map(poll.options.map((o) => [o.id, optionLabel(t, o)]));
  const order = new Map(poll.options.map((o) => [o.id, o.position]));
  const yes = t('polls.export_yes');
  const erased = t('polls.export_erased');
  for await (const b of namedBallotRows(db, poll)) {
    const choices = [...b.optionIds].sort((a, z) => (order.get(a) ?? 0) - (order.get(z) ?? 0));
    yield {
      voter: b.voterName ?? erased,
      choice: choices.map((id) => labels.get(id) ?? '').join('; '),
      advisory: b.advisory ? yes : '',
      source: t(`ballots.source_${b.source === 'paper' || b.source === 'inperson' ? b.source : 'online'}`),
      // Dates, so a clerk can sort and filter; the writer shows them in the community's zone.
      castAt: b.castAt,
      updatedAt: b.updatedAt,
    };
  }
}

/** The sheets of a poll's export, in the reader's language. */
export async function pollExportSheets(db: Db, poll: PollWithOptions, t: TFn, now: Date, timeZone: string): Promise<TableSheet[]> {
  const result = storedResult(poll) ?? (await currentResult(db, poll));
  // One formatter for every row: local time, sortable, what a spreadsheet reads as a time.
  const local = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const fmt = (d: Date | null) => (d ? local.format(d) : '');
  const status = t(`polls.status_${poll.status}`);
  const unit = voterUnit(poll, result);
  const turnoutShare = validShare(result.turnout, result.electorateSize);
  const meta: [string, string | number][] = [
    [t('polls.export_f_number'), poll.number],
    [t('polls.export_f_question'), poll.question],
    [t('polls.export_f_description'), poll.description ?? ''],
    [t('polls.export_f_options'), poll.options.map((o) => `${o.position}. ${optionLabel(t, o)}`).join('; ')],
    [t('polls.export_f_choice'), poll.maxChoices === 1 ? t('polls.single') : t('polls.multi', { k: poll.maxChoices })],
    [t('polls.export_f_electorate'), t(`polls.electorate_${poll.electorate}`)],
    [t('polls.export_f_ballot'), poll.anonymous ? t('polls.anonymous') : t('polls.named')],
    [t(`ballots.export_f_electorate_size_${unit}`), result.electorateSize],
    [t('ballots.export_f_base'), baseLine(t, poll, result)],
    [t(`ballots.export_f_turnout_${unit}`), result.turnout],
    [t('ballots.export_f_turnout_share'), turnoutShare === null ? t('ballots.export_unchecked') : turnoutShare],
    [t('ballots.export_f_online'), result.onlineBallots],
    [t('ballots.export_f_paper'), result.paperBallots ?? 0],
    [t('polls.export_f_in_person'), result.inPersonVoters],
    [t('polls.export_f_advisory'), result.advisoryBallots],
    [t(unit === 'households' ? 'polls.export_f_quorum_households' : 'polls.export_f_quorum'), quorumText(t, poll)],
    [t(unit === 'households' ? 'polls.export_f_quorum_met_households' : 'polls.export_f_quorum_met'), result.quorumMet ? t('polls.export_yes') : t('polls.export_no')],
    [t('polls.export_f_rule'), t(`polls.rule_${poll.rule}`)],
    [t('polls.export_f_status'), status],
    [t('polls.export_f_outcome'), poll.status === 'closed' ? outcomeLine(t, poll, result) : poll.status === 'cancelled' ? poll.cancelReason ?? '' : t('polls.export_pending')],
    [t('polls.export_f_opens'), fmt(poll.opensAt)],
    [t('polls.export_f_closes'), fmt(poll.closesAt)],
    [t('polls.export_f_closed'), fmt(poll.closedAt)],
    [t('polls.export_f_generated'), fmt(now)],
  ];
  const sheets: TableSheet[] = [
    {
      name: t('polls.export_sheet_meta'),
      columns: [
        { key: 'field', header: t('polls.export_h_field') },
        { key: 'value', header: t('polls.export_h_value') },
      ],
      rows: meta.map(([field, value]) => ({ field, value })),
    },
    {
      name: t('polls.export_sheet_tally'),
      columns: [
        { key: 'position', header: t('polls.export_h_position') },
        { key: 'option', header: t('polls.export_h_option') },
        { key: 'online', header: t('polls.export_h_online') },
        { key: 'paper', header: t('ballots.export_h_paper') },
        { key: 'inPerson', header: t('polls.export_h_in_person') },
        { key: 'total', header: t('polls.export_h_total') },
        { key: 'share', header: t('polls.export_h_share'), kind: 'percent' },
        { key: 'passed', header: t('polls.export_h_passed') },
        { key: 'advisory', header: t('polls.export_h_advisory') },
      ],
      rows: poll.options.map((o) => ({
        position: o.position,
        option: optionLabel(t, o),
        online: result.online[o.id] ?? 0,
        paper: result.paper?.[o.id] ?? 0,
        inPerson: result.inPerson[o.id] ?? 0,
        total: result.votes[o.id] ?? 0,
        share: Math.round((validShare(result.votes[o.id] ?? 0, result.turnout) ?? 0) * 10000) / 10000,
        passed: poll.status === 'closed' ? (result.passedOptionIds.includes(o.id) ? t('polls.export_yes') : t('polls.export_no')) : '',
        advisory: result.advisory[o.id] ?? 0,
      })),
    },
  ];
  if (!poll.anonymous) {
    sheets.push({
      name: t('polls.export_sheet_ballots'),
      columns: [
        { key: 'voter', header: t('polls.export_h_voter') },
        { key: 'choice', header: t('polls.export_h_choice') },
        { key: 'advisory', header: t('polls.export_h_is_advisory') },
        { key: 'source', header: t('ballots.export_h_source') },
        { key: 'castAt', header: t('polls.export_h_cast_at'), kind: 'datetime' },
        { key: 'updatedAt', header: t('polls.export_h_updated_at'), kind: 'datetime' },
      ],
      rows: ballotRows(db, poll, t),
    });
  }
  return sheets;
}

/** File name of a poll export: 投票-第3号-是否同意….xlsx in the reader's language. */
export function exportFileName(t: TFn, poll: Pick<PollWithOptions, 'number' | 'question'>, format: 'csv' | 'xlsx'): string {
  return readableFileName(t('exports.file_poll', { number: poll.number, question: [...poll.question].slice(0, 24).join('') }), format);
}

/** The polls export of /export: one poll at a time, chosen from the newest. */
export const pollsExporter: ExporterDef = {
  id: 'polls',
  label: 'polls.export_label',
  async items(ctx, communityId) {
    const polls = await exportablePolls(ctx.services.db, communityId);
    return polls.map((p) => ({ id: p.id, label: `#${p.number} ${[...p.question].slice(0, 24).join('')}` }));
  },
  async build(ctx, communityId, itemId, format) {
    requirePermission(ctx.actor, 'export', communityId);
    const poll = await requirePoll(ctx.services.db, itemId ?? '', communityId);
    const sheets = await pollExportSheets(ctx.services.db, poll, ctx.t, ctx.services.clock(), ctx.services.i18n.timeZone);
    return { name: exportFileName(ctx.t, poll, format), data: await writeTableToBuffer({ format, timeZone: ctx.services.i18n.timeZone, sheets }) };
  },
};
