/**
 * The stop run of one order as a pure state machine: each API answer (read by the classifier)
 * gives the next record — its state, what the next wake-up does and when, and a history entry
 * saying what ATRIP answered and what was decided. No browser calls here.
 */
import type { QueryResult, StopResult } from './atrip-client';
import { classify, type SentSoFar } from './classify';
import { failureOf, historyEntry as entry } from './history-entry';
import { withHistory, type Decision, type EndReason, type OrderState, type TrackedOrder } from '../../shared/logic/record';
import { markResend } from './run-start';
import { deadlineOf, retryAt, SECOND, type Policy } from './timing';

// The run's whole API in one place: how it starts (run-start.ts), its timing (timing.ts), its transitions (here).
export { beginStop, markResend, newRunId, WATCHDOG_MS } from './run-start';
export { BACKOFF_BASE_SECONDS, backoffSeconds, deadlineOf, RETRY_AFTER_CAP_SECONDS, type Policy } from './timing';

/** Stop requests that may have reached ATRIP without a certain answer; after that, look-ups only. */
export const MAX_UNCERTAIN_SENDS = 3;
/** Transient answers in a row, once past the deadline, before the run ends (the network may be down right after a browser start). */
export const MAX_FAILURES_PAST_DEADLINE = 3;
/** What this run has sent, for the classifier. */
export function sentSoFar(record: TrackedOrder): SentSoFar {
  return {
    sends: record.stopAttempts,
    mayHaveReached: record.uncertainSends > 0 || record.previousRunMayHaveStopped === true,
  };
}

// --- endings ---------------------------------------------------------------------------------

function finish(record: TrackedOrder, state: OrderState, why: EndReason, now: number): TrackedOrder {
  const { nextCheckAt: _a, nextStep: _b, inFlightStop: _c, ...rest } = record;
  return { ...rest, state, endReason: why, finishedAt: now, notified: false };
}

/**
 * A run without -3 / 2 at its end: `error` only when ATRIP never received a stop — every send was
 * turned away (905, 429), or the API never replied to any call of the run (every uncertain send
 * failed before any reply, and no look-up got one either: the contract's "could not be reached").
 * A stop that may have arrived (a time-out, a 5xx, garbage, a lost answer while the API was up)
 * ends `unknown`.
 */
function ending(record: TrackedOrder): { state: OrderState; why: EndReason } {
  if (record.acceptedAt !== undefined) return { state: 'unknown', why: 'undecided' };
  if (!sentSoFar(record).mayHaveReached) return { state: 'error', why: 'never-received' };
  const neverReplied =
    !record.apiAnswered && !record.previousRunMayHaveStopped && record.uncertainSends === (record.unansweredSends ?? 0);
  return neverReplied ? { state: 'error', why: 'unreachable' } : { state: 'unknown', why: 'may-have-arrived' };
}

/** Whether the API replied at all (any HTTP status, any body): it was reachable for this call. */
const replied = (result: StopResult | QueryResult) =>
  result.kind === 'accepted' || result.kind === 'found' || result.kind === 'refused' || result.kind === 'http' || result.kind === 'malformed';

/** Notes a reply from the API in the record (see `ending`). */
const noteReply = (record: TrackedOrder, result: StopResult | QueryResult): TrackedOrder =>
  replied(result) && !record.apiAnswered ? { ...record, apiAnswered: true } : record;

type Log = (next: TrackedOrder, decision: Decision) => TrackedOrder;

/** Ends the run, with its final decision in the history. */
const logEnd = (log: Log, record: TrackedOrder, state: OrderState, why: EndReason, now: number) =>
  log(finish(record, state, why, now), { kind: 'final', state, why });

function withReading(record: TrackedOrder, result: Extract<QueryResult, { kind: 'found' }>): TrackedOrder {
  const reason = [result.errorCode, result.errorMessage].filter(Boolean).join(' ');
  const { errorCode: _c, errorMessage: _m, ...rest } = record;
  return {
    ...rest,
    checks: record.checks + 1,
    failures: 0,
    orderStatus: result.orderStatus,
    ...(result.errorCode !== undefined && { errorCode: result.errorCode }),
    ...(result.errorMessage !== undefined && { errorMessage: result.errorMessage }),
    ...(reason && { lastMessage: reason }),
  };
}

// --- transitions -----------------------------------------------------------------------------

/** stopTicket answered (or did not). `status` 0 is not an outcome: the first check is scheduled. */
export function onStopResult(record: TrackedOrder, result: StopResult, now: number, policy: Policy): TrackedOrder {
  // The classifier asks about the sends before this one.
  const verdict = classify('stop', result, { ...sentSoFar(record), sends: record.stopAttempts - 1 });
  const { inFlightStop: _sent, ...sent } = record;
  const answered = noteReply(sent, result);
  const log = (next: TrackedOrder, decision: Decision) => withHistory(next, entry('stop', now, result, verdict, decision));

  switch (verdict.category) {
    case 'answer': {
      if (verdict.answer === 'refused' && result.kind === 'refused') {
        // A business answer to a stop ATRIP certainly received every time: retrying will not change it.
        const refused = { ...answered, lastStatus: result.status, lastMessage: result.msg };
        return logEnd(log, refused, 'refused', 'refused', now);
      }
      const accepted: TrackedOrder = {
        ...answered,
        state: 'intercepting',
        acceptedAt: now,
        failures: 0,
        lastStatus: 0,
        lastMessage: result.kind === 'accepted' ? result.msg : '',
        nextStep: 'check',
      };
      const at = Math.min(now + policy.firstCheckSeconds * SECOND, deadlineOf(accepted, policy));
      return log({ ...accepted, nextCheckAt: at }, { kind: 'check', at });
    }
    case 'invalid': {
      const failed = { ...answered, failure: failureOf(result) };
      return logEnd(log, failed, 'error', 'invalid', now);
    }
    case 'blocked': {
      // Nothing left: `error` (ATRIP never received a stop), saying what to allow.
      const failed = { ...answered, failure: failureOf(result) };
      return logEnd(log, failed, 'error', 'blocked', now);
    }
    case 'outcome':
      throw new Error('A stop request has no order status');
    case 'transient': {
      const failures = answered.failures + 1;
      const uncertainSends = answered.uncertainSends + (verdict.reached === 'maybe' ? 1 : 0);
      const unansweredSends = (answered.unansweredSends ?? 0) + (result.kind === 'network' ? 1 : 0);
      let next: TrackedOrder = {
        ...answered,
        failures,
        uncertainSends,
        ...(unansweredSends > 0 && { unansweredSends }),
        failure: failureOf(result),
        ...(result.kind === 'refused' && { lastStatus: result.status, lastMessage: result.msg }),
      };
      if (verdict.next === 'lookup-only' || uncertainSends >= MAX_UNCERTAIN_SENDS) next = { ...next, noMoreSends: true };
      const { at, afterSeconds } = retryAt(next, failures, verdict, now, policy);
      if (verdict.next === 'resend' && !next.noMoreSends) {
        if (now >= deadlineOf(next, policy)) {
          // The last send at the deadline was not taken either.
          const end = ending(next);
          return logEnd(log, next, end.state, end.why, now);
        }
        return log({ ...next, nextStep: 'send', nextCheckAt: at }, { kind: 'resend', at, afterSeconds });
      }
      // The stop may have arrived (or ATRIP refused a repeat): look the order up before anything else.
      return log({ ...next, nextStep: 'lookup', nextCheckAt: at }, { kind: 'lookup', at, afterSeconds });
    }
  }
}

/** The worker stopped while a stop was under way: the stop may have arrived; look the order up. */
export function onAnswerLost(record: TrackedOrder, now: number): TrackedOrder {
  const { inFlightStop: _lost, ...rest } = record;
  const uncertainSends = record.uncertainSends + 1;
  const next: TrackedOrder = {
    ...rest,
    uncertainSends,
    nextStep: 'lookup',
    nextCheckAt: now,
    ...(uncertainSends >= MAX_UNCERTAIN_SENDS && { noMoreSends: true }),
  };
  return withHistory(next, { at: now, step: 'answerLost', reached: 'maybe', decision: { kind: 'lookup', at: now, afterSeconds: 0 } });
}

export type LookupDecision = { record: TrackedOrder; resend: boolean };

/**
 * A look-up while the stop has no certain answer. -3 / 2 end the run; an undecided order lets the
 * stop be sent again (never after a refused repeat, never past the deadline, at most
 * MAX_UNCERTAIN_SENDS uncertain sends); anything else is looked up again later — a refused or failed
 * look-up is never a reason to re-send.
 */
export function onLookupResult(record: TrackedOrder, result: QueryResult, now: number, policy: Policy): LookupDecision {
  const verdict = classify('query', result, sentSoFar(record));
  const deadline = deadlineOf(record, policy);
  const log = (next: TrackedOrder, decision: Decision) => withHistory(next, entry('lookup', now, result, verdict, decision));
  const checked = noteReply({ ...record, lastCheckAt: now }, result);

  if (verdict.category === 'outcome' && result.kind === 'found') {
    return { record: logEnd(log, withReading(checked, result), verdict.outcome, 'order-status', now), resend: false };
  }
  if (verdict.category === 'answer' && result.kind === 'found') {
    const read = withReading(checked, result);
    if (now >= deadline) {
      const end = ending(read);
      return { record: logEnd(log, read, end.state, end.why, now), resend: false };
    }
    if (!read.noMoreSends && read.uncertainSends < MAX_UNCERTAIN_SENDS) {
      return { record: log(markResend(read, now), { kind: 'resend', at: now, afterSeconds: 0 }), resend: true };
    }
    const at = Math.min(now + policy.recheckSeconds * SECOND, deadline);
    return { record: log({ ...read, nextStep: 'lookup', nextCheckAt: at }, { kind: 'lookup', at }), resend: false };
  }
  if (verdict.category === 'invalid') {
    const failed = { ...checked, failure: failureOf(result) };
    return { record: logEnd(log, failed, 'error', 'invalid', now), resend: false };
  }
  const failures = checked.failures + 1;
  const failed: TrackedOrder = { ...checked, failures, failure: failureOf(result) };
  if (now >= deadline && failures >= MAX_FAILURES_PAST_DEADLINE) {
    const end = ending(failed);
    return { record: logEnd(log, failed, end.state, end.why, now), resend: false };
  }
  const { at, afterSeconds } = retryAt(failed, failures, verdict, now, policy);
  return { record: log({ ...failed, nextStep: 'lookup', nextCheckAt: at }, { kind: 'lookup', at, afterSeconds }), resend: false };
}

/** A check while `intercepting` (scheduled, or the agent's Check now): -3 and 2 end it; anything else waits, up to the deadline. */
export function onCheckResult(record: TrackedOrder, result: QueryResult, now: number, policy: Policy, step: 'check' | 'checkAgain' = 'check'): TrackedOrder {
  const verdict = classify('query', result, sentSoFar(record));
  const deadline = deadlineOf(record, policy);
  const log = (next: TrackedOrder, decision: Decision) => withHistory(next, entry(step, now, result, verdict, decision));
  const checked = noteReply({ ...record, lastCheckAt: now }, result);

  if (verdict.category === 'outcome' && result.kind === 'found') {
    return logEnd(log, withReading(checked, result), verdict.outcome, 'order-status', now);
  }
  if (verdict.category === 'answer' && result.kind === 'found') {
    const read = withReading(checked, result);
    if (now >= deadline) return logEnd(log, read, 'unknown', 'undecided', now);
    const at = Math.min(now + policy.recheckSeconds * SECOND, deadline);
    return log({ ...read, nextStep: 'check', nextCheckAt: at }, { kind: 'check', at });
  }
  if (verdict.category === 'invalid') {
    const failed = { ...checked, failure: failureOf(result) };
    return logEnd(log, failed, 'error', 'invalid', now);
  }
  const failures = checked.failures + 1;
  const failed: TrackedOrder = { ...checked, failures, failure: failureOf(result) };
  if (now >= deadline && failures >= MAX_FAILURES_PAST_DEADLINE) {
    // Accepted, undecided, and ATRIP unreachable now: the outcome is unknown (never `error`).
    return logEnd(log, failed, 'unknown', 'undecided', now);
  }
  const { at, afterSeconds } = retryAt(failed, failures, verdict, now, policy);
  return log({ ...failed, nextStep: 'check', nextCheckAt: at }, { kind: 'check', at, afterSeconds });
}

/**
 * "Check again" on an order that ended `unknown` or `error`: one look-up, no stop. A late -3 / 2
 * becomes the outcome (to be notified once more); anything else leaves the state as it was and
 * is only recorded.
 */
export function onCheckAgainResult(record: TrackedOrder, result: QueryResult, now: number): TrackedOrder {
  const verdict = classify('query', result, sentSoFar(record));
  const log = (next: TrackedOrder, decision: Decision) => withHistory(next, entry('checkAgain', now, result, verdict, decision));
  const checked = noteReply({ ...record, lastCheckAt: now }, result);
  if (verdict.category === 'outcome' && result.kind === 'found') {
    return logEnd(log, withReading(checked, result), verdict.outcome, 'order-status', now);
  }
  if (result.kind === 'found') return log(withReading(checked, result), { kind: 'unchanged' });
  return log(checked, { kind: 'unchanged' });
}
