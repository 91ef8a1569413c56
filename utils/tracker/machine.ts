import { describeResult, type ApiFailure, type QueryResult, type StopResult } from '../atrip/client';
import { withHistory, type OrderState, type TrackedOrder } from './record';

/** The timing settings that drive the schedule (shared/contract.md). */
export interface Policy {
  firstCheckSeconds: number;
  recheckSeconds: number;
  deadlineMinutes: number;
}

/** Sends of stopTicket before giving up with `error`. */
export const MAX_STOP_ATTEMPTS = 3;
/** Failed checks in a row, once past the deadline, before giving up with `error`. */
export const MAX_FAILURES_PAST_DEADLINE = 3;
export const BACKOFF_BASE_SECONDS = 15;

const SECOND = 1000;

/** Retry delay after the n-th failure in a row: 15 s, 30 s, 60 s… capped at the re-check interval, never before a 429's retryAfter. */
export function backoffSeconds(failures: number, policy: Policy, retryAfterSeconds = 0): number {
  const exponential = BACKOFF_BASE_SECONDS * 2 ** Math.max(0, failures - 1);
  return Math.max(Math.min(exponential, policy.recheckSeconds), retryAfterSeconds);
}

export function deadlineOf(record: TrackedOrder, policy: Policy): number | undefined {
  return record.acceptedAt === undefined ? undefined : record.acceptedAt + policy.deadlineMinutes * 60 * SECOND;
}

function isFailure(result: StopResult | QueryResult): result is ApiFailure {
  return result.kind === 'http' || result.kind === 'network' || result.kind === 'timeout' || result.kind === 'malformed';
}

function retryAfterOf(result: StopResult | QueryResult): number | undefined {
  return result.kind === 'http' ? result.retryAfterSeconds : undefined;
}

function finish(record: TrackedOrder, state: OrderState, now: number): TrackedOrder {
  const { nextCheckAt: _dropped, ...rest } = record;
  return { ...rest, state, finishedAt: now, notified: false };
}

/** A new stop: written as `requesting` before the API call, with a wake-up in case the worker dies mid-call. */
export function beginStop(orderNo: string, pageUrl: string | undefined, now: number, policy: Policy): TrackedOrder {
  return {
    version: 1,
    orderNo,
    state: 'requesting',
    ...(pageUrl && { pageUrl }),
    requestedAt: now,
    nextCheckAt: now + backoffSeconds(1, policy) * SECOND,
    stopAttempts: 1,
    checks: 0,
    failures: 0,
    notified: false,
    history: [{ at: now, action: 'note', result: 'sent' }],
  };
}

/** stopTicket answered (or did not). `status` 0 is not an outcome: the first check is scheduled. */
export function onStopResult(record: TrackedOrder, result: StopResult, now: number, policy: Policy): TrackedOrder {
  const logged = withHistory(record, { at: now, action: 'stop', result: result.kind, detail: describeResult(result) });
  switch (result.kind) {
    case 'accepted': {
      const accepted = { ...logged, state: 'intercepting' as const, acceptedAt: now, failures: 0, lastStatus: 0, lastMessage: result.msg };
      const deadline = deadlineOf(accepted, policy)!;
      return { ...accepted, nextCheckAt: Math.min(now + policy.firstCheckSeconds * SECOND, deadline) };
    }
    case 'refused':
      // A business answer: retrying will not change it.
      return finish({ ...logged, lastStatus: result.status, lastMessage: result.msg }, 'refused', now);
    case 'invalid':
      return finish({ ...logged, failure: result.message }, 'error', now);
    default: {
      const failures = logged.failures + 1;
      const failed = { ...logged, failures, failure: describeResult(result) };
      if (record.stopAttempts >= MAX_STOP_ATTEMPTS) return finish(failed, 'error', now);
      // The next wake-up first asks ATRIP about the order, then re-sends only if still undecided.
      return { ...failed, nextCheckAt: now + backoffSeconds(failures, policy, retryAfterOf(result)) * SECOND };
    }
  }
}

export type ResolveDecision = { record: TrackedOrder; resend: boolean };

/**
 * A `requesting` record whose stop got no answer (failure, or a worker killed mid-call):
 * the order's status decides whether to re-send. Never re-sent without this look.
 */
export function onResolveResult(record: TrackedOrder, result: QueryResult, now: number, policy: Policy): ResolveDecision {
  const noted = withHistory(record, {
    at: now,
    action: 'note',
    result: 'resolving',
    detail: 'the stop request got no answer: asking ATRIP about the order before any re-send',
  });
  const logged = withHistory(noted, { at: now, action: 'check', result: resultWord(result), detail: describeResult(result) });
  if (result.kind === 'accepted' && result.outcome !== 'pending') {
    return { record: finishWithReading(logged, result, now), resend: false };
  }
  if (result.kind === 'accepted' || result.kind === 'refused') {
    if (record.stopAttempts >= MAX_STOP_ATTEMPTS) {
      return { record: finish({ ...logged, failure: record.failure ?? describeResult(result) }, 'error', now), resend: false };
    }
    const resent = withHistory(
      { ...logged, stopAttempts: record.stopAttempts + 1, nextCheckAt: now + backoffSeconds(1, policy) * SECOND },
      { at: now, action: 'note', result: 'resent', detail: 'the previous stop request got no answer; the order is still undecided' },
    );
    return { record: resent, resend: true };
  }
  if (result.kind === 'invalid') return { record: finish({ ...logged, failure: result.message }, 'error', now), resend: false };
  const failures = logged.failures + 1;
  const failed = { ...logged, failures, failure: describeResult(result) };
  if (failures >= MAX_STOP_ATTEMPTS + MAX_FAILURES_PAST_DEADLINE) return { record: finish(failed, 'error', now), resend: false };
  return { record: { ...failed, nextCheckAt: now + backoffSeconds(failures, policy, retryAfterOf(result)) * SECOND }, resend: false };
}

/** A scheduled check while `intercepting`: -3 and 2 end it; anything else waits, up to the deadline. */
export function onCheckResult(record: TrackedOrder, result: QueryResult, now: number, policy: Policy): TrackedOrder {
  const logged = withHistory(
    { ...record, lastCheckAt: now },
    { at: now, action: 'check', result: resultWord(result), detail: describeResult(result) },
  );
  const deadline = deadlineOf(record, policy) ?? now;
  if (result.kind === 'accepted') {
    const answered = { ...logged, checks: record.checks + 1, failures: 0, orderStatus: result.orderStatus };
    if (result.outcome !== 'pending') return finishWithReading(answered, result, now);
    if (now >= deadline) return finish(answered, 'unknown', now);
    return { ...answered, nextCheckAt: Math.min(now + policy.recheckSeconds * SECOND, deadline) };
  }
  const failures = logged.failures + 1;
  const failed = {
    ...logged,
    failures,
    failure: describeResult(result),
    ...(result.kind === 'refused' && { lastStatus: result.status, lastMessage: result.msg }),
  };
  if (result.kind === 'invalid') return finish(failed, 'error', now);
  if (now >= deadline && failures >= MAX_FAILURES_PAST_DEADLINE) {
    // Undecided and unreachable: if ATRIP never answered a check, say so; else the outcome is unknown.
    return finish(failed, record.checks > 0 ? 'unknown' : 'error', now);
  }
  const retryAt = now + backoffSeconds(failures, policy, retryAfterOf(result)) * SECOND;
  return { ...failed, nextCheckAt: now < deadline ? Math.min(retryAt, deadline) : retryAt };
}

function resultWord(result: QueryResult): string {
  return result.kind === 'accepted' ? result.outcome : result.kind;
}

function finishWithReading(record: TrackedOrder, reading: Extract<QueryResult, { kind: 'accepted' }>, now: number): TrackedOrder {
  const state = reading.outcome === 'intercepted' ? 'intercepted' : 'issued';
  const reason = [reading.errorCode, reading.errorMessage].filter(Boolean).join(' ');
  return finish(
    { ...record, orderStatus: reading.orderStatus, ...(reason && { lastMessage: reason }) },
    state,
    now,
  );
}
