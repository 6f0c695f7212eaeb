/**
 * The console's sections and the permissions behind each: a section is listed — and its pages
 * answer — only when `can` grants one of them in the community. The dashboard needs any of the
 * console's permissions (that is what opening the community's console means).
 */
import { can, type Permission } from '../../../domain/residents/permissions.ts';
import type { Actor } from '../../../domain/residents/roles.ts';
import { DomainError } from '../../../domain/errors.ts';
import { COMMUNITY_PERMISSIONS, mayOpen } from '../access.ts';

/** A section of the console. */
export type Section = 'dashboard' | 'polls' | 'review' | 'ratings' | 'disclosures' | 'announcements' | 'groups' | 'members' | 'register' | 'audit';

interface SectionDef {
  id: Section;
  /** Path under the community, '' for its dashboard. */
  path: string;
  /** Any of these opens the section; null: anyone who may open the console here. */
  permissions: readonly Permission[] | null;
}

/** In the order of the menu: what needs the committee first. */
export const SECTIONS: readonly SectionDef[] = [
  // The whole community at a glance: not for a 楼栋长, who sees their own buildings only (register).
  { id: 'dashboard', path: '', permissions: COMMUNITY_PERMISSIONS },
  { id: 'polls', path: '/polls', permissions: ['poll.manage', 'export'] },
  { id: 'review', path: '/proposals', permissions: ['proposal.review'] },
  { id: 'ratings', path: '/ratings', permissions: ['rating.report'] },
  { id: 'disclosures', path: '/disclosures', permissions: ['disclosure.publish', 'export'] },
  { id: 'announcements', path: '/announcements', permissions: ['announcement.create'] },
  { id: 'groups', path: '/groups', permissions: ['community.bind'] },
  { id: 'members', path: '/members', permissions: ['member.list'] },
  { id: 'register', path: '/register', permissions: ['register.building'] },
  { id: 'audit', path: '/audit', permissions: ['audit.read'] },
];

/** Whether the actor may open a section in a community. */
export function maySee(actor: Actor, section: Section, communityId: string): boolean {
  const def = SECTIONS.find((s) => s.id === section)!;
  return def.permissions === null ? mayOpen(actor, communityId) : def.permissions.some((p) => can(actor, p, communityId));
}

/** The sections the actor may open in a community. */
export function visibleSections(actor: Actor, communityId: string): SectionDef[] {
  return SECTIONS.filter((s) => maySee(actor, s.id, communityId));
}

/** Refuses a section the actor may not open, with the domain's own words. */
export function requireSection(actor: Actor, section: Section, communityId: string): void {
  if (!maySee(actor, section, communityId)) throw new DomainError('errors.forbidden');
}
