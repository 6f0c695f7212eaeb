/**
 * /codes never offers 楼栋长: the role is given for one building from /register. An admin is
 * offered committee and staff as well; a committee member only what the committee may grant.
 */
import { describe, expect, it } from 'vitest';
import { codeRoles } from '../../../scenes/codes.ts';
import { BUILDING_ROLES, ROLES } from '../../../src/domain/residents/roles.ts';

describe('/codes roles', () => {
  it('offers no building role, to an admin either', () => {
    for (const admin of [true, false]) for (const role of BUILDING_ROLES) expect(codeRoles(admin)).not.toContain(role);
  });
  it('offers an admin every other role and a committee member the grantable ones', () => {
    expect(codeRoles(true)).toEqual(ROLES.filter((r) => !BUILDING_ROLES.includes(r)));
    expect(codeRoles(false)).toEqual(['verified', 'council', 'invited']);
  });
});
