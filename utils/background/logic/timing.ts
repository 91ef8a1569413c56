/** When a run's next call happens: the back-off after transient answers, and the deadline. Pure. */
import type { Verdict } from './classify';
import type { TrackedOrder } from '../../shared/logic/record';

/** The timing settings that drive the schedule (shared/contract.md). */
export interface Policy {
  firstCheckSeconds: number;
  recheckSeconds: number;
  deadlineMinutes: number;
}

/** First retry delay after a transient answer; it doubles, capped at the re-check interval. */
export const BACKOFF_BASE_SECONDS = 15;
/** The most a 429's `retryAfter` may postpone a call (a value meant as milliseconds must not park an order for hours). */
export const RETRY_AFTER_CAP_SECONDS = 300;

export const SECOND = 1000;

/**
 * Delay before the next call after the n-th transient answer in a row: 15 s, 30 s, 60 s…
 * capped at the re-check interval, and never before a 429's `retryAfter` (itself capped).
 */
export function backoffSeconds(failures: number, policy: Policy, retryAfterSeconds = 0): number {
  const exponential = BACKOFF_BASE_SECONDS * 2 ** Math.max(0, failures - 1);
  return Math.max(Math.min(exponential, policy.recheckSeconds), Math.min(retryAfterSeconds, RETRY_AFTER_CAP_SECONDS));
}

/** The end of a run's wait: from acceptance once ATRIP accepted the stop, else from the request. */
export function deadlineOf(record: TrackedOrder, policy: Policy): number {
  return (record.acceptedAt ?? record.requestedAt) + policy.deadlineMinutes * 60 * SECOND;
}

/** The next call after a transient answer: back-off, never past the deadline while before it. */
export function retryAt(record: TrackedOrder, failures: number, verdict: Verdict, now: number, policy: Policy): { at: number; afterSeconds: number } {
  const retryAfter = verdict.category === 'transient' ? verdict.retryAfterSeconds : undefined;
  const deadline = deadlineOf(record, policy);
  const at = now + backoffSeconds(failures, policy, retryAfter) * SECOND;
  const capped = now < deadline ? Math.min(at, deadline) : at;
  return { at: capped, afterSeconds: Math.round((capped - now) / SECOND) };
}
