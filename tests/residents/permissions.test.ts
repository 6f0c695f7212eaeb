/**
 * The permission matrix, written out by hand: every permission × every kind of actor. A new
 * permission fails the "covers every permission" test until its row is added here.
 */
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../src/core/errors.ts';
import { can, PERMISSIONS, requirePermission, type Permission } from '../../src/domain/residents/permissions.ts';
import type { Actor, Role } from '../../src/domain/residents/roles.ts';

const HERE = 'community-here';
const ELSEWHERE = 'community-elsewhere';

function actor(roles: Role[], opts: { isAdmin?: boolean; communityId?: string } = {}): Actor {
  return { personId: 'p', isAdmin: opts.isAdmin ?? false, grants: roles.map((role) => ({ communityId: opts.communityId ?? HERE, role, householdId: role === 'verified' ? 'h' : null })) };
}

const ACTORS = {
  none: actor([]),
  verified: actor(['verified']),
  council: actor(['council']),
  invited: actor(['invited']),
  committee: actor(['committee']),
  staff: actor(['staff']),
  admin: actor([], { isAdmin: true }),
  otherCommittee: actor(['committee', 'verified', 'staff'], { communityId: ELSEWHERE }),
} as const;
type Who = keyof typeof ACTORS;
const COLUMNS = Object.keys(ACTORS) as Who[];

// prettier-ignore
const EXPECTED: Record<Permission, string> = {
  //                       none verified council invited committee staff admin otherCommittee
  'community.bind':       '  -    -       -       -       Y       -     Y     -',
  'code.issue':           '  -    -       -       -       Y       -     Y     -',
  'code.list':            '  -    -       -       -       Y       -     Y     -',
  'code.revoke':          '  -    -       -       -       Y       -     Y     -',
  'member.list':          '  -    -       -       -       Y       -     Y     -',
  'verification.remove':  '  -    -       -       -       Y       -     Y     -',
  'role.remove':          '  -    -       -       -       Y       -     Y     -',
  'proposal.create':      '  -    Y       -       -       -       -     -     -',
  'proposal.second':      '  -    Y       -       -       -       -     -     -',
  'proposal.review':      '  -    -       -       -       Y       -     Y     -',
  'poll.create':          '  -    -       -       -       Y       -     Y     -',
  'poll.manage':          '  -    -       -       -       Y       -     Y     -',
  'rating.submit':        '  -    Y       -       -       -       -     -     -',
  'rating.manage':        '  -    -       -       -       Y       -     Y     -',
  'rating.report':        '  -    -       -       -       Y       Y     Y     -',
  'disclosure.publish':   '  -    -       -       -       Y       -     Y     -',
  'announcement.create':  '  -    -       -       -       Y       -     Y     -',
  'export':               '  -    -       -       -       Y       Y     Y     -',
  'audit.read':           '  -    -       -       -       -       Y     Y     -',
};

/** Permissions a verified resident has; refusing them says "verify first", not "forbidden". */
const PARTICIPATION = new Set<Permission>(['proposal.create', 'proposal.second', 'rating.submit']);

function expected(permission: Permission): Record<Who, boolean> {
  const marks = EXPECTED[permission].trim().split(/\s+/);
  expect(marks).toHaveLength(COLUMNS.length);
  return Object.fromEntries(COLUMNS.map((who, i) => [who, marks[i] === 'Y'])) as Record<Who, boolean>;
}

describe('permission matrix', () => {
  it('covers every permission, and nothing else', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...PERMISSIONS].sort());
  });

  for (const permission of PERMISSIONS) {
    it(`${permission}: each actor gets the expected answer`, () => {
      const want = expected(permission);
      for (const who of COLUMNS) {
        const a = ACTORS[who];
        expect({ who, allowed: can(a, permission, HERE) }).toEqual({ who, allowed: want[who] });
        if (want[who]) {
          expect(() => requirePermission(a, permission, HERE)).not.toThrow();
          continue;
        }
        try {
          requirePermission(a, permission, HERE);
          expect.unreachable(`${who} was allowed ${permission}`);
        } catch (err) {
          expect(isDomainError(err)).toBe(true);
          expect({ who, key: (err as { key: string }).key }).toEqual({ who, key: PARTICIPATION.has(permission) ? 'errors.not_verified' : 'errors.forbidden' });
        }
      }
    });
  }

  it('grants nothing without a community, except management to admins', () => {
    for (const permission of PERMISSIONS) {
      expect(can(ACTORS.committee, permission, null)).toBe(false);
      expect(can(ACTORS.admin, permission, null)).toBe(!PARTICIPATION.has(permission));
      if (!can(ACTORS.committee, permission, undefined)) {
        expect(() => requirePermission(ACTORS.committee, permission, undefined)).toThrowError('errors.no_community');
      }
    }
  });

  it('roles in one community give nothing in another', () => {
    const both = actor(['committee', 'verified', 'staff'], { communityId: ELSEWHERE });
    for (const permission of PERMISSIONS) {
      expect(can(both, permission, ELSEWHERE)).toBe(expected(permission).committee || expected(permission).verified || expected(permission).staff);
      expect(can(both, permission, HERE)).toBe(false);
    }
  });
});
