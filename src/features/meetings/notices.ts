/**
 * What the groups and the committee hear about meetings, all through the outbox: the notice when
 * a meeting is scheduled (with the sign-in button), the reminder the day before (also to each
 * member of the body privately), the minutes' disclosure notice, and the quarter-end reminder to
 * committee members when a body has not met as often as it must.
 */
import type { JobDef } from '../../core/feature.ts';
import type { Services } from '../../core/services.ts';
import { bodyLabelKey, membersOf } from '../../domain/meetings/bodies.ts';
import { frequencyOf, quarterOf } from '../../domain/meetings/frequency.ts';
import { claimReminder, meetingsToRemind } from '../../domain/meetings/meetings.ts';
import { daysLeftInQuarter, localDate } from '../../domain/disclosures/period.ts';
import type { Meeting, MeetingAgendaItem, MeetingBody } from '../../generated/prisma/client.ts';
import { openCommand } from '../core/actions.ts';
import { notifyPerson } from '../notify.ts';
import { signInTap } from './actions.ts';
import { noticeText, reminderText } from './render.ts';

type Announced = Meeting & { body: MeetingBody; agenda: MeetingAgendaItem[] };

/** Posts a meeting's notice to every group of its community, with the sign-in button (once per group). */
export async function postNotice(services: Services, meeting: Announced): Promise<number> {
  const community = await services.db.community.findUniqueOrThrow({ where: { id: meeting.communityId } });
  return services.outbox.publishToCommunity(
    meeting.communityId,
    `meeting:${meeting.id}:notice`,
    (locale) => {
      const t = services.i18n.bind(locale);
      return { text: noticeText(t, community.name, meeting), buttons: [[{ label: t('meetings.signin_button'), action: signInTap.pack({ meeting: meeting.id }) }]] };
    },
    { refType: 'meeting', refId: meeting.id },
  );
}

/** The reminder's key names the date it is for: a meeting moved to another day is reminded again, once. */
export const reminderKey = (meeting: Pick<Meeting, 'id' | 'startsAt'>) => `meeting:${meeting.id}:reminder@${meeting.startsAt.getTime()}`;

/** Posts the day-before reminder to the groups and to each member of the body privately. */
export async function postReminder(services: Services, meeting: Announced): Promise<void> {
  const community = await services.db.community.findUniqueOrThrow({ where: { id: meeting.communityId } });
  await services.outbox.publishToCommunity(
    meeting.communityId,
    reminderKey(meeting),
    (locale) => {
      const t = services.i18n.bind(locale);
      return { text: reminderText(t, community.name, meeting), buttons: [[{ label: t('meetings.signin_button'), action: signInTap.pack({ meeting: meeting.id }) }]] };
    },
    { refType: 'meeting', refId: meeting.id },
  );
  for (const member of await membersOf(services.db, meeting.body)) {
    await notifyPerson(services, member.personId, {
      key: `${reminderKey(meeting)}:${member.personId}`,
      communityId: meeting.communityId,
      refType: 'meeting',
      refId: meeting.id,
      message: (t) => ({ text: reminderText(t, community.name, meeting) }),
    });
  }
}

/**
 * The hourly job: reminds of each meeting that starts within a day, once. A meeting announced
 * less than a day ahead needs no reminder beyond its notice; it is claimed and left quiet.
 */
export const meetingRemindersJob: JobDef = {
  name: 'meeting-reminders',
  cron: '5 * * * *',
  async run(services, now) {
    for (const meeting of await meetingsToRemind(services.db, now)) {
      if (!(await claimReminder(services.db, meeting.id, now))) continue;
      if (meeting.startsAt.getTime() - meeting.createdAt.getTime() <= 86_400_000) continue;
      try {
        await postReminder(services, meeting);
      } catch (err) {
        await services.db.meeting.update({ where: { id: meeting.id }, data: { reminderSentAt: null } });
        services.log.error({ err, meeting: meeting.id }, 'meeting reminder failed; will retry');
      }
    }
  },
};

/** Remind committees this many days (or fewer) before a quarter ends. */
export const REMIND_DAYS_BEFORE_QUARTER_END = 14;

/**
 * The daily job: in the last two weeks of a quarter, each committee member is told privately of
 * each body that has not met (held or planned) as often as the quarter requires — and, in the
 * year's last quarter, as often as the year requires. One notice per member, body and quarter.
 */
export const meetingFrequencyJob: JobDef = {
  name: 'meeting-frequency',
  cron: '0 9 * * *',
  async run(services, now) {
    const tz = services.config.LINLI_TIMEZONE;
    const days = daysLeftInQuarter(now, tz);
    if (days > REMIND_DAYS_BEFORE_QUARTER_END) return;
    const { year } = localDate(now, tz);
    const quarter = quarterOf(now, tz);
    for (const community of await services.db.community.findMany()) {
      const record = await frequencyOf(services.db, community.id, year, now, tz);
      const short = record.filter((r) => r.shortQuarters.includes(quarter) || (quarter === 4 && r.held + r.planned < r.body.perYear));
      if (!short.length) continue;
      const members = await services.db.membership.findMany({
        where: { communityId: community.id, role: 'committee', person: { erasedAt: null, remindersOff: false } },
        include: { person: { include: { identities: true } } },
      });
      for (const r of short) {
        const inQuarter = r.heldByQuarter[quarter - 1] + r.plannedByQuarter[quarter - 1];
        for (const m of members) {
          await notifyPerson(services, m.person, {
            key: `meeting-frequency:${community.id}:${r.body.kind}:${year}Q${quarter}:${m.personId}`,
            communityId: community.id,
            refType: 'meeting-frequency',
            message: (t) => ({
              text: t('meetings.frequency_reminder', {
                community: community.name,
                body: t(bodyLabelKey(r.body.kind)),
                year,
                quarter: `${year}Q${quarter}`,
                days,
                inQuarter,
                perQuarter: r.body.perQuarter,
                held: r.held,
                planned: r.planned,
                perYear: r.body.perYear,
              }),
              buttons: [[{ label: t('meetings.schedule_now_button'), action: openCommand.pack({ name: 'meeting' }) }]],
            }),
          });
        }
      }
    }
  },
};
