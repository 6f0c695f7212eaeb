/**
 * Gathers what the features bring — commands and their keywords, buttons, scenes, jobs, deep
 * links, digest sections, exports, event reactions — into the registry the router reads and
 * the lists the services carry. A name or button prefix defined twice stops the start.
 */
import type { JobDef } from '../core/feature.ts';
import type { EventName } from '../core/events.ts';
import type { Registry } from '../core/router.ts';
import type { Services } from '../core/services.ts';
import type { SceneEngine } from '../engine/engine.ts';
import type { Feature } from '../features/feature.ts';
import { LOCALES } from '../i18n/i18n.ts';

/** Registers every feature; returns the router's registry and the scheduler's jobs. */
export function registerFeatures(services: Services, scenes: SceneEngine, features: Feature[]): { registry: Registry; jobs: JobDef[] } {
  const { i18n, events } = services;
  const registry: Registry = { commands: new Map(), aliases: new Map(), actions: new Map(), startPayloads: services.startPayloads, plainTexts: [] };
  const jobs: JobDef[] = [];
  for (const feature of features) {
    for (const c of feature.commands ?? []) {
      if (registry.commands.has(c.name)) throw new Error(`command /${c.name} defined twice`);
      registry.commands.set(c.name, c);
      // Keywords without a slash (提议, 投票…), from locales/<language>/aliases.json.
      for (const locale of LOCALES) for (const alias of i18n.list(locale, `aliases.${c.name}`)) registry.aliases.set(alias.toLowerCase(), c);
    }
    for (const a of feature.actions ?? []) {
      if (registry.actions.has(a.codec.prefix)) throw new Error(`action prefix ${a.codec.prefix} defined twice`);
      registry.actions.set(a.codec.prefix, a);
    }
    for (const s of feature.scenes ?? []) scenes.register(s);
    jobs.push(...(feature.jobs ?? []));
    services.startPayloads.push(...(feature.startPayloads ?? []));
    registry.plainTexts.push(...(feature.plainTexts ?? []));
    if (feature.digest) services.digestContributors.push({ feature: feature.name, build: feature.digest });
    services.exporters.push(...(feature.exporters ?? []));
    for (const [name, handler] of Object.entries(feature.on ?? {})) {
      events.on(name as EventName, (payload) => (handler as (s: Services, p: unknown) => Promise<void>)(services, payload));
    }
  }
  return { registry, jobs };
}
