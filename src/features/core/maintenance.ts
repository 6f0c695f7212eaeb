/**
 * Housekeeping jobs: tell people whose scene expired, prune old update ids.
 */
import type { Feature } from '../feature.ts';
import { notifyPerson } from '../notify.ts';

/** How long handled update ids are kept; Telegram never redelivers older ones. */
const UPDATE_ID_RETENTION_DAYS = 7;

/** The maintenance feature. */
export const maintenanceFeature: Feature = {
  name: 'maintenance',
  jobs: [
    {
      name: 'scene-expiry',
      cron: '* * * * *',
      async run(services, now) {
        for (const session of await services.scenes.expireIdle(now)) {
          // Keyed by the session: a sweep that runs again never tells anyone twice.
          await notifyPerson(services, session.personId, {
            key: `scene-expired:${session.id}`,
            platform: session.platform,
            refType: 'scene-expiry',
            message: (t) => ({ text: t('scene.expired') }),
          });
        }
      },
    },
    {
      name: 'prune-updates',
      cron: '17 4 * * *',
      async run(services, now) {
        const before = new Date(now.getTime() - UPDATE_ID_RETENTION_DAYS * 86_400_000);
        await services.db.processedUpdate.deleteMany({ where: { handledAt: { lt: before } } });
      },
    },
  ],
};
