/**
 * The yearly meeting record a street office inspects (`linli report meetings`): for each body,
 * the required and held meetings per quarter; every meeting with its date, place, attendance
 * against the membership and quorum, and its decisions. As XLSX (three sheets, written by
 * src/export/table.ts) or as a PDF to print and file.
 */
import { renderPdf } from '../../export/pdf.ts';
import type { Db } from '../../db/client.ts';
import { attendanceOf } from '../../domain/meetings/attendance.ts';
import { frequencyOf, periodRange, type BodyFrequency } from '../../domain/meetings/frequency.ts';
import { meetingsBetween, type FullMeeting } from '../../domain/meetings/meetings.ts';
import type { AttendanceSummary } from '../../domain/meetings/attendance.ts';
import type { TableSheet } from '../../export/table.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { bodyName, decisionLine } from './render.ts';

/** What the record holds. */
export interface MeetingRecord {
  year: number;
  frequency: BodyFrequency[];
  meetings: { meeting: FullMeeting; attendance: AttendanceSummary }[];
}

/** Reads a community's record for a year. */
export async function meetingRecord(db: Db, communityId: string, year: number, now: Date, timeZone: string): Promise<MeetingRecord> {
  const { from, to } = periodRange(year, null, timeZone);
  const meetings = [];
  for (const meeting of await meetingsBetween(db, communityId, from, to)) meetings.push({ meeting, attendance: await attendanceOf(db, meeting) });
  return { year, frequency: await frequencyOf(db, communityId, year, now, timeZone), meetings };
}

/** Whether a body met its requirement in `year`, in words (quarters read 第三季度, not Q3). */
function verdict(t: TFn, f: BodyFrequency, year: number): string {
  if (!f.body.perYear && !f.body.perQuarter) return t('meetings.report_no_requirement');
  const quarters = f.shortQuarters.map((q) => t('meetings.report_quarter', { key: `${year}Q${q}` })).join(t('meetings.list_separator')) || '-';
  return f.yearShort || f.shortQuarters.length ? t('meetings.report_short', { year: f.yearShort, quarters }) : t('meetings.report_met');
}

/** The record as sheets: the frequency by body, the meetings, the decisions. */
export function recordSheets(t: TFn, record: MeetingRecord): TableSheet[] {
  const quarterHeads = t('meetings.report_col_quarters').split(' ');
  return [
    {
      name: t('meetings.report_sheet_frequency'),
      columns: [
        { key: 'body', header: t('meetings.report_col_body') },
        { key: 'perYear', header: t('meetings.report_col_per_year') },
        { key: 'perQuarter', header: t('meetings.report_col_per_quarter') },
        { key: 'q1', header: quarterHeads[0] },
        { key: 'q2', header: quarterHeads[1] },
        { key: 'q3', header: quarterHeads[2] },
        { key: 'q4', header: quarterHeads[3] },
        { key: 'held', header: t('meetings.report_col_held') },
        { key: 'planned', header: t('meetings.report_col_planned') },
        { key: 'verdict', header: t('meetings.report_col_verdict'), width: 40 },
      ],
      rows: record.frequency.map((f) => ({
        body: bodyName(t, f.body),
        perYear: f.body.perYear,
        perQuarter: f.body.perQuarter,
        q1: f.heldByQuarter[0],
        q2: f.heldByQuarter[1],
        q3: f.heldByQuarter[2],
        q4: f.heldByQuarter[3],
        held: f.held,
        planned: f.planned,
        verdict: verdict(t, f, record.year),
      })),
    },
    {
      name: t('meetings.report_sheet_meetings'),
      columns: [
        { key: 'number', header: t('meetings.report_col_number') },
        { key: 'body', header: t('meetings.report_col_body') },
        { key: 'title', header: t('meetings.report_col_title'), width: 30 },
        { key: 'when', header: t('meetings.report_col_when'), kind: 'datetime' },
        { key: 'place', header: t('meetings.report_col_place'), width: 24 },
        { key: 'members', header: t('meetings.report_col_members') },
        { key: 'present', header: t('meetings.report_col_present') },
        { key: 'others', header: t('meetings.report_col_others') },
        { key: 'quorate', header: t('meetings.report_col_quorate') },
        { key: 'decisions', header: t('meetings.report_col_decisions') },
        { key: 'minutes', header: t('meetings.report_col_minutes') },
      ],
      rows: record.meetings.map(({ meeting: m, attendance: a }) => ({
        number: m.number,
        body: bodyName(t, m.body),
        title: m.title,
        when: m.startsAt,
        place: m.place,
        members: a.members.length,
        present: a.present,
        others: a.others,
        quorate: a.members.length ? t(a.quorate ? 'meetings.report_yes' : 'meetings.report_no') : '-',
        decisions: m.decisions.length,
        minutes: m.minutesPublishedAt ? t('meetings.report_published') : t('meetings.report_unpublished'),
      })),
    },
    {
      name: t('meetings.report_sheet_decisions'),
      columns: [
        { key: 'number', header: t('meetings.report_col_number') },
        { key: 'when', header: t('meetings.report_col_when'), kind: 'date' },
        { key: 'item', header: t('meetings.report_col_item'), width: 30 },
        { key: 'decision', header: t('meetings.report_col_decision'), width: 60 },
      ],
      rows: record.meetings.flatMap(({ meeting: m }) =>
        m.decisions.map((d) => ({ number: m.number, when: m.startsAt, item: m.agenda.find((i) => i.id === d.agendaItemId)?.title ?? '', decision: decisionLine(t, d).replace(/\n/g, ' ') })),
      ),
    },
  ];
}

/** The record as an A4 PDF: the frequency table, then each meeting. */
export function renderRecordPdf(t: TFn, community: string, record: MeetingRecord): Promise<Buffer> {
  return renderPdf({ title: `${community} ${record.year}`, margin: 50 }, (doc) => {
    doc.font('bold').fontSize(18).text(t('meetings.report_title', { community, year: record.year }), { align: 'center' });
    doc.moveDown();
    doc.font('bold').fontSize(13).text(t('meetings.report_sheet_frequency'));
    doc.font('regular').fontSize(11);
    for (const f of record.frequency) {
      doc.text(t('meetings.report_pdf_frequency', { body: bodyName(t, f.body), perYear: f.body.perYear, perQuarter: f.body.perQuarter, held: f.held, quarters: f.heldByQuarter.join(' / '), planned: f.planned, verdict: verdict(t, f, record.year) }));
    }
    doc.moveDown();
    doc.font('bold').fontSize(13).text(t('meetings.report_sheet_meetings'));
    if (!record.meetings.length) doc.font('regular').fontSize(11).text(t('meetings.report_none'));
    for (const { meeting: m, attendance: a } of record.meetings) {
      doc.moveDown(0.5);
      doc.font('bold').fontSize(11).text(t('meetings.card_head', { number: m.number, body: bodyName(t, m.body), title: m.title }));
      doc.font('regular').fontSize(10).text(t('meetings.card_when', { when: m.startsAt, place: m.place }));
      doc.text(t('meetings.report_pdf_attendance', { members: a.members.length, present: a.present, others: a.others, quorate: a.members.length ? t(a.quorate ? 'meetings.report_yes' : 'meetings.report_no') : '-' }));
      for (const d of m.decisions) doc.text(`· ${decisionLine(t, d).replace(/\n/g, ' ')}`);
    }
  });
}
