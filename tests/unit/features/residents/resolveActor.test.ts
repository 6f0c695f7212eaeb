/**
 * resolveActor on a known person writes a new app language and admin status with one plain
 * statement and returns the row as stored (no re-read).
 */
import { describe, expect, it } from 'vitest';
import { resolveActor } from '../../../../src/domain/residents/people.ts';
import { freshDatabase } from '../../../support/harness.ts';

describe('resolveActor updates a known person', () => {
  it('stores the app language and admin status it reports, and returns the stored row', async () => {
    const { db } = await freshDatabase();
    const account = { platform: 'telegram', userId: '9001', displayName: '居民甲' };
    const first = await resolveActor(db, account, []);
    expect(first.person).toMatchObject({ clientLanguage: null, isAdmin: false });

    const withLanguage = await resolveActor(db, { ...account, languageCode: 'en' }, []);
    expect(withLanguage.person).toEqual({ ...first.person, clientLanguage: 'en' });
    expect(await db.person.findUniqueOrThrow({ where: { id: first.person.id } })).toEqual(withLanguage.person);

    const asAdmin = await resolveActor(db, { ...account, languageCode: 'en' }, [{ platform: 'telegram', userId: '9001' }]);
    expect(asAdmin.actor.isAdmin).toBe(true);
    expect(await db.person.findUniqueOrThrow({ where: { id: first.person.id } })).toEqual({ ...first.person, clientLanguage: 'en', isAdmin: true });

    // Not in the admin list any more: the stored flag stays (as before), the language too.
    const again = await resolveActor(db, account, []);
    expect(again.person).toEqual({ ...first.person, clientLanguage: 'en', isAdmin: true });
  });
});
