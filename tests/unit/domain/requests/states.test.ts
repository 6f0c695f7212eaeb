/** The request life cycle's table: which step follows which, and the refusal each wrong one gets. */
import { describe, expect, it } from 'vitest';
import { stepTarget } from '../../../../src/domain/requests/states.ts';
import { DomainError } from '../../../../src/domain/errors.ts';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.key;
    throw err;
  }
  return 'allowed';
}

describe('request steps', () => {
  it('allows assignment, referral and an answer while open, closure once answered', () => {
    expect(stepTarget('assign', 'received', 1)).toBe('assigned');
    expect(stepTarget('assign', 'assigned', 1)).toBe('assigned');
    expect(stepTarget('refer', 'received', 1)).toBe('assigned');
    expect(stepTarget('reply', 'received', 1)).toBe('replied');
    expect(stepTarget('reply', 'assigned', 1)).toBe('replied');
    expect(stepTarget('close', 'replied', 1)).toBe('closed');
  });

  it('refuses steps on answered and closed requests with their own reasons', () => {
    expect(refusal(() => stepTarget('reply', 'closed', 4))).toBe('requests.errors.closed');
    expect(refusal(() => stepTarget('assign', 'closed', 4))).toBe('requests.errors.closed');
    expect(refusal(() => stepTarget('reply', 'replied', 4))).toBe('requests.errors.already_replied');
    expect(refusal(() => stepTarget('close', 'received', 4))).toBe('requests.errors.wrong_status');
  });
});
