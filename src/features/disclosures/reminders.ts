/**
 * The quarterly reminder: two weeks before a quarter ends, each committee member is told
 * privately which categories have nothing published this quarter yet. One notice per member,
 * category and quarter (the outbox key), so the daily job reminds once.
 */
import type { JobDef } from '../../core/feature.ts';
import type { Services } from '../../core/services.ts';
import { categoryLabelKey, communityCategories } from '../../domain/disclosures/categories.ts';
import { daysLeftInQuarter, localDate, quarterKey } from '../../domain/disclosures/period.ts';
import { openCommand } from '../core/actions.ts';
import { notifyPerson } from '../notify.ts';

/** Remind committees this many days (or fewer) before a quarter ends. */
export const REMIND_DAYS_BEFORE_QUARTER_END = 14;

/** The categories of a community with nothing published in the quarter of `now`. */
async function uncoveredCategories(services: Services, community: { id: string; disclosureCategories: string | null }, now: Date): Promise<string[]> {
  const tz = services.config.LINLI_TIMEZONE;
  const quarter = quarterKey(now, tz);
  const recent = await services.db.disclosure.findMany({ where: { communityId: community.id, createdAt: { gte: new Date(now.getTime() - 100 * 86_400_000) } } });
  const covered = new Set(recent.filter((d) => d.periodKey === quarter || quarterKey(d.createdAt, tz) === quarter).map((d) => d.category));
  return communityCategories(community).filter((k) => !covered.has(k));
}

/** The reminder job (daily; quiet until two weeks before the quarter's end). */
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
    for (const community of await services.db.community.findMany()) {
      const missing = await uncoveredCategories(services, community, now);
      if (!missing.length) continue;
      const members = await services.db.membership.findMany({
        where: { communityId: community.id, role: 'committee', person: { erasedAt: null, remindersOff: false } },
        include: { person: { include: { identities: true } } },
      });
      for (const m of members) {
        for (const category of missing) {
          await notifyPerson(services, m.person, {
            key: `disclosure-remind:${community.id}:${category}:${quarter}:${m.personId}`,
            communityId: community.id,
            refType: 'disclosure-reminder',
            message: (t) => ({
              text: t('disclosures.reminder', { community: community.name, category: t(categoryLabelKey(category)), quarter, days: daysLeft, end }),
              buttons: [[{ label: t('disclosures.publish_now_button'), action: openCommand.pack({ name: 'publish' }) }]],
            }),
          });
        }
      }
    }
  },
};
