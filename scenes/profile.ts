/**
 * The profile scene: a person chooses the name Linli shows publicly (on proposals, in named
 * polls) instead of their platform name, which may be a real name they would rather not show.
 */
import { defineScene, invalid } from '../src/engine/scene.ts';
import { cleanDisplayName, MAX_DISPLAY_NAME } from '../src/domain/residents/people.ts';

interface ProfileState {
  name?: string;
}

export const profileScene = defineScene<ProfileState>({
  id: 'profile',
  begin: () => ({}),
  steps: [
    {
      id: 'name',
      prompt: (ctx) => ({ kind: 'text', text: ctx.t('profile.ask_name', { current: ctx.person.displayName, max: MAX_DISPLAY_NAME }), min: 2, max: MAX_DISPLAY_NAME }),
      validate: (answer) => {
        const cleaned = cleanDisplayName(String(answer));
        if ([...cleaned].length < 2) return invalid('profile.name_unusable');
        if (/^\d+$/.test(cleaned) || /\d{7,}/.test(cleaned)) return invalid('profile.name_looks_like_number');
      },
      apply: (state, answer) => ({ state: { ...state, name: cleanDisplayName(String(answer)) } }),
    },
    {
      id: 'confirm',
      prompt: (ctx, state) => ({ kind: 'confirm', text: ctx.t('profile.confirm', { name: state.name }) }),
      apply: (state, answer) => (answer ? { state } : { state, next: 'name' }),
    },
  ],
  async finish(ctx, state) {
    await ctx.services.db.person.update({ where: { id: ctx.person.id }, data: { displayName: state.name! } });
    await ctx.reply(ctx.t('profile.saved', { name: state.name }));
  },
});
