/**
 * The life of a resident's request: received → assigned (to a person, or referred to an
 * outside unit) → replied → closed, with the resident's one-tap satisfaction. One table says
 * which step may follow which; every change goes through it (src/domain/requests/requests.ts).
 */
import { DomainError } from '../errors.ts';

export const REQUEST_STATUSES = ['received', 'assigned', 'replied', 'closed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** The categories the seeds' 民意诉求 fall into (设施维修, 环境卫生, 安全隐患, 邻里纠纷, 政策咨询, 其他). */
export const REQUEST_CATEGORIES = ['repair', 'sanitation', 'safety', 'dispute', 'policy', 'other'] as const;
export type RequestCategory = (typeof REQUEST_CATEGORIES)[number];

/** The resident's verdict on the answer (满意 / 基本满意 / 不满意). */
export const SATISFACTION = ['satisfied', 'basic', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION)[number];

/** What a step does to a request. */
export type StepKind = 'assign' | 'refer' | 'reply' | 'close';

/** Statuses each step may start from, and where it leads. */
const STEPS: Record<StepKind, { from: readonly RequestStatus[]; to: RequestStatus }> = {
  // Reassigning (the first handler was the wrong one) is a new assignment, not an edit.
  assign: { from: ['received', 'assigned'], to: 'assigned' },
  refer: { from: ['received', 'assigned'], to: 'assigned' },
  reply: { from: ['received', 'assigned'], to: 'replied' },
  close: { from: ['replied'], to: 'closed' },
};

/** Statuses in which the request still waits for an answer (the deadline runs). */
export const OPEN_STATUSES: ReadonlySet<RequestStatus> = new Set(['received', 'assigned']);

/** Where a step leads from a status, or a localized refusal naming why not. */
export function stepTarget(kind: StepKind, from: string, number: number): RequestStatus {
  const step = STEPS[kind];
  if (step.from.includes(from as RequestStatus)) return step.to;
  if (from === 'closed') throw new DomainError('requests.errors.closed', { number });
  if (from === 'replied') throw new DomainError('requests.errors.already_replied', { number });
  throw new DomainError('requests.errors.wrong_status', { number });
}

export function isCategory(value: string): value is RequestCategory {
  return (REQUEST_CATEGORIES as readonly string[]).includes(value);
}

export function isSatisfaction(value: string): value is Satisfaction {
  return (SATISFACTION as readonly string[]).includes(value);
}
