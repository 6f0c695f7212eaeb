/**
 * The permission matrix, written out by hand: every permission × every kind of actor. A new
 * permission fails the "covers every permission" test until its row is added here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../../../src/domain/errors.ts';
import { can, PERMISSIONS, requirePermission, type Permission } from '../../../../src/domain/residents/permissions.ts';
import type { Actor, Role } from '../../../../src/domain/residents/roles.ts';
import { issueCodes } from '../../../../src/domain/residents/verification.ts';
import { codeReissueYes, codeRevokeAsk, memberRemoveYes } from '../../../../src/features/residents/actions.ts';
import { grantRole, makeCommunity, OPERATOR } from '../../../support/fixtures.ts';
import { startTestBot, textOf, type TestBot } from '../../../support/harness.ts';

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
  'poll.paper':           '  -    -       -       -       Y       -     Y     -',
  'comment.create':       '  -    Y       -       -       -       -     -     -',
  'comment.moderate':     '  -    -       -       -       Y       -     Y     -',
  'deliberation.manage':  '  -    -       -       -       Y       -     Y     -',
  'rating.submit':        '  -    Y       -       -       -       -     -     -',
  'rating.manage':        '  -    -       -       -       Y       -     Y     -',
  'rating.report':        '  -    -       -       -       Y       Y     Y     -',
  'disclosure.publish':   '  -    -       -       -       Y       -     Y     -',
  'announcement.create':  '  -    -       -       -       Y       -     Y     -',
  'meeting.manage':       '  -    -       -       -       Y       -     Y     -',
  'meeting.report':       '  -    -       -       -       Y       Y     Y     -',
  'request.handle':       '  -    -       -       -       Y       -     Y     -',
  'export':               '  -    -       -       -       Y       Y     Y     -',
  'audit.read':           '  -    -       -       -       -       Y     Y     -',
  // A 楼栋长's register permissions (and which building they cover) are tested in tests/register.
  'register.import':      '  -    -       -       -       Y       -     Y     -',
  'register.view':        '  -    -       -       -       Y       -     Y     -',
  'register.building':    '  -    -       -       -       Y       -     Y     -',
  'register.verify':      '  -    -       -       -       Y       -     Y     -',
  'register.lead':        '  -    -       -       -       Y       -     Y     -',
};

/** Permissions a verified resident has; refusing them says "verify first", not "forbidden". */
const PARTICIPATION = new Set<Permission>(['proposal.create', 'proposal.second', 'rating.submit', 'comment.create']);

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

describe('privileged commands through the bot refuse unprivileged roles', () => {
  let bot: TestBot;
  const users = {
    none: { id: 7001, first_name: 'N', language_code: 'zh-CN' },
    verified: { id: 7002, first_name: 'V', language_code: 'zh-CN' },
    council: { id: 7003, first_name: 'C', language_code: 'zh-CN' },
    invited: { id: 7004, first_name: 'I', language_code: 'zh-CN' },
    staff: { id: 7005, first_name: 'S', language_code: 'zh-CN' },
    otherCommittee: { id: 7006, first_name: 'O', language_code: 'zh-CN' },
    english: { id: 7007, first_name: 'E', language_code: 'en' },
  };
  const FORBIDDEN = '您没有办理此事项的权限';
  const NO_COMMUNITY = '您尚未关联任何社区';
  const group = { id: -100300, type: 'supergroup' as const, title: '测试群' };
  let codeId: string;
  let verifiedPersonId: string;

  beforeAll(async () => {
    bot = await startTestBot();
    const here = await makeCommunity(bot.db);
    const other = await makeCommunity(bot.db, 'yuanling', '园岭社区');
    verifiedPersonId = (await grantRole(bot.db, here, users.verified.id, 'verified')).id;
    await grantRole(bot.db, here, users.council.id, 'council');
    await grantRole(bot.db, here, users.invited.id, 'invited');
    await grantRole(bot.db, here, users.staff.id, 'staff');
    await grantRole(bot.db, other, users.otherCommittee.id, 'committee');
    await grantRole(bot.db, here, users.english.id, 'verified');
    await issueCodes(bot.db, OPERATOR, 'cli', { communityId: here.id, unit: '1栋-1单元-101', role: 'verified', count: 1, expiresInMs: 86_400_000 });
    codeId = (await bot.db.verificationCode.findFirstOrThrow({ where: { communityId: here.id, redeemedAt: null } })).id;
  });
  afterAll(async () => {
    await bot?.close();
  });

  const lastAnswer = () => {
    const answers = bot.fake.calls.filter((c) => c.method === 'answerCallbackQuery');
    return String(answers[answers.length - 1]?.params.text);
  };

  // who → expected refusal per command (null: the command is allowed for this role).
  const TABLE: Record<string, { bind: string; codes: string | null; members: string | null; export: string | null }> = {
    none: { bind: FORBIDDEN, codes: NO_COMMUNITY, members: NO_COMMUNITY, export: NO_COMMUNITY },
    verified: { bind: FORBIDDEN, codes: FORBIDDEN, members: FORBIDDEN, export: FORBIDDEN },
    council: { bind: FORBIDDEN, codes: FORBIDDEN, members: FORBIDDEN, export: FORBIDDEN },
    invited: { bind: FORBIDDEN, codes: FORBIDDEN, members: FORBIDDEN, export: FORBIDDEN },
    staff: { bind: FORBIDDEN, codes: FORBIDDEN, members: FORBIDDEN, export: null },
    // A committee member of another community acts in their own community in private chats; /bind
    // of a community not theirs answers as for a code that does not exist (no oracle of codes).
    otherCommittee: { bind: '您所在的居委会中没有社区代码“badeng”', codes: null, members: null, export: null },
  };

  for (const [who, want] of Object.entries(TABLE)) {
    it(`${who}: /bind, /codes, /members, /export`, async () => {
      const user = users[who as keyof typeof users];
      await bot.say(user, '/bind badeng', group);
      expect(textOf(bot.last(group.id))).toContain(want.bind);
      for (const command of ['codes', 'members', 'export'] as const) {
        await bot.say(user, `/${command}`);
        const answer = textOf(bot.last(user.id));
        if (want[command]) expect({ command, answer }).toEqual({ command, answer: expect.stringContaining(want[command]!) });
        else expect({ command, answer }).not.toEqual({ command, answer: expect.stringMatching(/没有办理此事项的权限|尚未关联任何社区/) });
      }
      // Forged buttons: the domain checks again, whatever the chat showed.
      for (const data of [codeRevokeAsk.pack({ code: codeId }), codeReissueYes.pack({ code: codeId }), memberRemoveYes.pack({ person: verifiedPersonId, role: 'verified' })]) {
        bot.fake.pressButton({ from: user, messageId: bot.last(user.id).messageId, data, force: true });
        await bot.settle();
        expect({ data, answer: lastAnswer() }).toEqual({ data, answer: expect.stringMatching(/没有办理此事项的权限|尚未关联任何社区|没有此项身份/) });
      }
    });
  }

  it('refuses in the person’s language', async () => {
    await bot.say(users.english, '/codes');
    expect(textOf(bot.last(users.english.id))).toContain('You are not allowed to do that');
    await bot.say(users.english, '/bind badeng', group);
    expect(textOf(bot.last(group.id))).toContain('You are not allowed to do that');
  });

  it('left every code, role and group as it was', async () => {
    const code = await bot.db.verificationCode.findUniqueOrThrow({ where: { id: codeId } });
    expect(code.revokedAt).toBeNull();
    expect(await bot.db.verificationCode.count()).toBe(7);
    expect(await bot.db.membership.count({ where: { personId: verifiedPersonId } })).toBe(1);
    expect((await bot.db.chatGroup.findFirstOrThrow({ where: { chatId: String(group.id) } })).communityId).toBeNull();
  });
});
