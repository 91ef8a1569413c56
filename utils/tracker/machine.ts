/**
 * The stop run of one order as a pure state machine: each API answer (read by the classifier)
 * gives the next record — its state, what the next wake-up does and when, and a history entry
 * saying what ATRIP answered and what was decided. No browser calls here.
 */
import type { QueryResult, StopResult } from '../atrip/client';
import { classify, type SentSoFar, type Verdict } from './classify';
import {
  withHistory,
  type Decision,
  type EndReason,
  type Failure,
  type HistoryEntry,
  type HistoryStep,
  type OrderState,
  type Reading,
  type TrackedOrder,
} from './record';

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
/** Stop requests that may have reached ATRIP without a certain answer; after that, look-ups only. */
export const MAX_UNCERTAIN_SENDS = 3;
/** Transient answers in a row, once past the deadline, before the run ends (the network may be down right after a browser start). */
export const MAX_FAILURES_PAST_DEADLINE = 3;
/** The wake-up set while a call is under way: if the worker dies mid-call, the order is taken up again. */
export const WATCHDOG_MS = 20_000;

const SECOND = 1000;

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

/** What this run has sent, for the classifier. */
export function sentSoFar(record: TrackedOrder): SentSoFar {
  return {
    sends: record.stopAttempts,
    mayHaveReached: record.uncertainSends > 0 || record.previousRunMayHaveStopped === true,
  };
}

/** A fresh run id (the record's token: answers of an older run never touch a newer one). */
export function newRunId(now: number): string {
  const random = globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2);
  return `${now.toString(36)}-${random}`;
}

/**
 * A new stop: written as `requesting` (with the stop marked in flight) before the request leaves,
 * with a wake-up in case the worker dies mid-call. A run after one that ended `unknown` remembers
 * that a stop of that run may still be at ATRIP: a refusal is then not an outcome.
 */
export function beginStop(
  orderNo: string,
  pageUrl: string | undefined,
  now: number,
  runId: string,
  previous?: TrackedOrder | null,
): TrackedOrder {
  return {
    version: 2,
    orderNo,
    state: 'requesting',
    ...(pageUrl && { pageUrl }),
    runId,
    requestedAt: now,
    nextCheckAt: now + WATCHDOG_MS,
    nextStep: 'lookup',
    inFlightStop: now,
    stopAttempts: 1,
    uncertainSends: 0,
    ...(previous?.state === 'unknown' && { previousRunMayHaveStopped: true }),
    checks: 0,
    failures: 0,
    notified: false,
    history: [{ at: now, step: 'start', decision: { kind: 'send', at: now } }],
  };
}

/** A re-send leaving now: counted and marked in flight in the same write. */
export function markResend(record: TrackedOrder, now: number): TrackedOrder {
  return { ...record, stopAttempts: record.stopAttempts + 1, inFlightStop: now, nextStep: 'lookup', nextCheckAt: now + WATCHDOG_MS };
}

// --- history entries -------------------------------------------------------------------------

/** ATRIP's words and the failure of one result, for a history entry. */
function answerFields(result: StopResult | QueryResult): Partial<HistoryEntry> {
  switch (result.kind) {
    case 'accepted':
      return {
        status: 0,
        ...(result.msg && { msg: result.msg }),
        ...('orderStatus' in result && {
          orderStatus: result.orderStatus,
          ...(result.errorCode !== undefined && { errorCode: result.errorCode }),
          ...(result.errorMessage !== undefined && { errorMessage: result.errorMessage }),
        }),
      };
    case 'refused':
      return { status: result.status, msg: result.msg };
    default:
      return { failure: failureOf(result) };
  }
}

/** A result that is not an answer, structured (its words come from i18n). */
export function failureOf(result: StopResult | QueryResult): Failure {
  switch (result.kind) {
    case 'http':
      return {
        kind: result.httpStatus === 429 ? 'rate-limited' : 'http',
        httpStatus: result.httpStatus,
        ...(result.retryAfterSeconds !== undefined && { retryAfterSeconds: result.retryAfterSeconds }),
        ...(result.excerpt && { excerpt: result.excerpt }),
      };
    case 'network':
      return { kind: 'network', message: result.message };
    case 'timeout':
      return { kind: 'timeout', afterMs: result.afterMs };
    case 'malformed':
      return { kind: 'malformed', reason: result.reason, ...(result.excerpt && { excerpt: result.excerpt }) };
    case 'invalid':
      return { kind: 'invalid', message: result.message };
    case 'blocked':
      return { kind: 'blocked', reason: result.reason, message: result.origin };
    case 'refused':
      return { kind: 'status', status: result.status, msg: result.msg };
    case 'accepted':
      return { kind: 'status', status: 0 };
  }
}

function readingOf(verdict: Verdict): Reading {
  switch (verdict.category) {
    case 'outcome':
      return verdict.outcome;
    case 'answer':
      return verdict.answer;
    case 'transient':
      return verdict.cause;
    case 'invalid':
      return 'invalid';
    case 'blocked':
      return 'blocked';
  }
}

function entry(step: HistoryStep, at: number, result: StopResult | QueryResult, verdict: Verdict, decision: Decision): HistoryEntry {
  return {
    at,
    step,
    ...answerFields(result),
    reading: readingOf(verdict),
    ...(verdict.category === 'transient' && verdict.reached && { reached: verdict.reached }),
    decision,
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
  result.kind === 'accepted' || result.kind === 'refused' || result.kind === 'http' || result.kind === 'malformed';

/** Notes a reply from the API in the record (see `ending`). */
const noteReply = (record: TrackedOrder, result: StopResult | QueryResult): TrackedOrder =>
  replied(result) && !record.apiAnswered ? { ...record, apiAnswered: true } : record;

const finalDecision = (state: OrderState, why: EndReason): Decision => ({ kind: 'final', state, why });

function withReading(record: TrackedOrder, result: Extract<QueryResult, { kind: 'accepted' }>): TrackedOrder {
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

/** The next call after a transient answer: back-off, never past the deadline while before it. */
function retryAt(record: TrackedOrder, failures: number, verdict: Verdict, now: number, policy: Policy): { at: number; afterSeconds: number } {
  const retryAfter = verdict.category === 'transient' ? verdict.retryAfterSeconds : undefined;
  const deadline = deadlineOf(record, policy);
  const at = now + backoffSeconds(failures, policy, retryAfter) * SECOND;
  const capped = now < deadline ? Math.min(at, deadline) : at;
  return { at: capped, afterSeconds: Math.round((capped - now) / SECOND) };
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
        return log(finish(refused, 'refused', 'refused', now), finalDecision('refused', 'refused'));
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
      return log(finish(failed, 'error', 'invalid', now), finalDecision('error', 'invalid'));
    }
    case 'blocked': {
      // Nothing left: `error` (ATRIP never received a stop), saying what to allow.
      const failed = { ...answered, failure: failureOf(result) };
      return log(finish(failed, 'error', 'blocked', now), finalDecision('error', 'blocked'));
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
          return log(finish(next, end.state, end.why, now), finalDecision(end.state, end.why));
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

  if (verdict.category === 'outcome' && result.kind === 'accepted') {
    return { record: log(finish(withReading(checked, result), verdict.outcome, 'order-status', now), finalDecision(verdict.outcome, 'order-status')), resend: false };
  }
  if (verdict.category === 'answer' && result.kind === 'accepted') {
    const read = withReading(checked, result);
    if (now >= deadline) {
      const end = ending(read);
      return { record: log(finish(read, end.state, end.why, now), finalDecision(end.state, end.why)), resend: false };
    }
    if (!read.noMoreSends && read.uncertainSends < MAX_UNCERTAIN_SENDS) {
      return { record: log(markResend(read, now), { kind: 'resend', at: now, afterSeconds: 0 }), resend: true };
    }
    const at = Math.min(now + policy.recheckSeconds * SECOND, deadline);
    return { record: log({ ...read, nextStep: 'lookup', nextCheckAt: at }, { kind: 'lookup', at }), resend: false };
  }
  if (verdict.category === 'invalid') {
    const failed = { ...checked, failure: failureOf(result) };
    return { record: log(finish(failed, 'error', 'invalid', now), finalDecision('error', 'invalid')), resend: false };
  }
  const failures = checked.failures + 1;
  const failed: TrackedOrder = { ...checked, failures, failure: failureOf(result) };
  if (now >= deadline && failures >= MAX_FAILURES_PAST_DEADLINE) {
    const end = ending(failed);
    return { record: log(finish(failed, end.state, end.why, now), finalDecision(end.state, end.why)), resend: false };
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

  if (verdict.category === 'outcome' && result.kind === 'accepted') {
    return log(finish(withReading(checked, result), verdict.outcome, 'order-status', now), finalDecision(verdict.outcome, 'order-status'));
  }
  if (verdict.category === 'answer' && result.kind === 'accepted') {
    const read = withReading(checked, result);
    if (now >= deadline) return log(finish(read, 'unknown', 'undecided', now), finalDecision('unknown', 'undecided'));
    const at = Math.min(now + policy.recheckSeconds * SECOND, deadline);
    return log({ ...read, nextStep: 'check', nextCheckAt: at }, { kind: 'check', at });
  }
  if (verdict.category === 'invalid') {
    const failed = { ...checked, failure: failureOf(result) };
    return log(finish(failed, 'error', 'invalid', now), finalDecision('error', 'invalid'));
  }
  const failures = checked.failures + 1;
  const failed: TrackedOrder = { ...checked, failures, failure: failureOf(result) };
  if (now >= deadline && failures >= MAX_FAILURES_PAST_DEADLINE) {
    // Accepted, undecided, and ATRIP unreachable now: the outcome is unknown (never `error`).
    return log(finish(failed, 'unknown', 'undecided', now), finalDecision('unknown', 'undecided'));
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
  if (verdict.category === 'outcome' && result.kind === 'accepted') {
    return log(finish(withReading(checked, result), verdict.outcome, 'order-status', now), finalDecision(verdict.outcome, 'order-status'));
  }
  if (result.kind === 'accepted') return log(withReading(checked, result), { kind: 'unchanged' });
  return log(checked, { kind: 'unchanged' });
}
