/**
 * ATRIP's answer table ("Which answers are final", shared/atrip/stop-ticket.md) as one pure
 * function: what one reply means for a stop in progress. The machine decides what to do next
 * from this verdict alone; nothing else in the extension reads ATRIP's codes.
 */
import type { QueryResult, StopResult } from './atrip-client';

export type Endpoint = 'stop' | 'query';

/** stopTicket statuses that are not business answers (ATRIP's error table). */
export const STOP_TOO_FREQUENT = 905;
export const SYSTEM_ERROR = 9999;
/** For stopTicket.do, status 2 is a system error (not the order status "ticketed"). */
export const STOP_SYSTEM_ERROR = 2;

/** What this run has sent before the call being classified. */
export interface SentSoFar {
  /** Stop requests sent earlier in this run. */
  sends: number;
  /**
   * An earlier stop of this run (or of the run before, which ended `unknown`) may have reached
   * ATRIP without a certain answer: a time-out, a network error, a 5xx, garbage, a system error,
   * a worker that died mid-call.
   */
  mayHaveReached: boolean;
}

/** Why an answer is transient. */
export type TransientCause =
  | 'rate-limited' // HTTP 429
  | 'http' // any other HTTP error status
  | 'network'
  | 'timeout'
  | 'malformed' // not JSON, no status, no or conflicting order status
  | 'too-frequent' // 905
  | 'system-error' // 9999, or status 2 on stopTicket
  | 'query-status' // any non-zero status of queryOrderDetails (705, 701-704, 800, 703, ...)
  | 'repeat-refused' // a refusal of a stop while an earlier send of the run may have reached ATRIP
  | 'blocked'; // not sent: no host permission for the API, or not https

/**
 * For a stop call: did ATRIP take it? `no` = certainly not (rejected before processing);
 * `maybe` = it may have arrived and been taken. Not asked of look-ups.
 */
export type Reached = 'no' | 'maybe';

/** What may follow a transient answer. */
export type NextSend =
  /** The stop was certainly not taken: send it again after the back-off. */
  | 'resend'
  /** The stop may have been taken: look the order up first; re-send only if it is undecided. */
  | 'lookup-first'
  /** No more stops in this run: only look-ups (a refused repeat, or any look-up failure). */
  | 'lookup-only';

export type Verdict =
  /** A look-up read -3 or 2: the stop's outcome. */
  | { category: 'outcome'; outcome: 'intercepted' | 'issued' }
  /**
   * A business answer that stands: a stop accepted (status 0: check later), a stop refused
   * (final `refused`), an order not decided yet (status 0, order status other than -3/2).
   */
  | { category: 'answer'; answer: 'accepted' | 'refused' | 'undecided' }
  /** Not an answer: retry (never ends an order before its deadline). */
  | { category: 'transient'; cause: TransientCause; reached?: Reached; next: NextSend; retryAfterSeconds?: number }
  /** Our own input was not an order number: nothing was sent. */
  | { category: 'invalid' }
  /** The run's first stop could not be sent (no host permission, not https): nothing ever left. */
  | { category: 'blocked' };

export function classify(endpoint: 'stop', result: StopResult, sent: SentSoFar): Verdict;
export function classify(endpoint: 'query', result: QueryResult, sent: SentSoFar): Verdict;
export function classify(endpoint: Endpoint, result: StopResult | QueryResult, sent: SentSoFar): Verdict;
export function classify(endpoint: Endpoint, result: StopResult | QueryResult, sent: SentSoFar): Verdict {
  return endpoint === 'stop' ? classifyStop(result as StopResult, sent) : classifyQuery(result as QueryResult);
}

function classifyStop(result: StopResult, sent: SentSoFar): Verdict {
  switch (result.kind) {
    case 'accepted':
      return { category: 'answer', answer: 'accepted' };
    case 'refused':
      if (result.status === STOP_TOO_FREQUENT) {
        // Rejected by frequency before any processing: the stop was not taken.
        return { category: 'transient', cause: 'too-frequent', reached: 'no', next: 'resend' };
      }
      if (result.status === SYSTEM_ERROR || result.status === STOP_SYSTEM_ERROR) {
        // A system error may strike after the stop was registered: treat it as a stop that
        // may have arrived (look up before a re-send; a later refusal is then not final).
        return { category: 'transient', cause: 'system-error', reached: 'maybe', next: 'lookup-first' };
      }
      if (sent.mayHaveReached) {
        // ATRIP may be working on an earlier send ("stop already requested"): not an outcome.
        return { category: 'transient', cause: 'repeat-refused', next: 'lookup-only' };
      }
      return { category: 'answer', answer: 'refused' };
    case 'http':
      if (result.httpStatus === 429) {
        // The gateway rejected it: certainly not taken.
        return {
          category: 'transient',
          cause: 'rate-limited',
          reached: 'no',
          next: 'resend',
          ...(result.retryAfterSeconds !== undefined && { retryAfterSeconds: result.retryAfterSeconds }),
        };
      }
      return { category: 'transient', cause: 'http', reached: 'maybe', next: 'lookup-first' };
    case 'network':
    case 'timeout':
    case 'malformed':
      return { category: 'transient', cause: result.kind, reached: 'maybe', next: 'lookup-first' };
    case 'invalid':
      return { category: 'invalid' };
    case 'blocked':
      // Certainly not sent. The first stop of a run: say so now (nothing reached ATRIP). A later
      // one (the permission withdrawn meanwhile): like a 905, retried until the deadline.
      return sent.sends === 0 && !sent.mayHaveReached
        ? { category: 'blocked' }
        : { category: 'transient', cause: 'blocked', reached: 'no', next: 'resend' };
  }
}

function classifyQuery(result: QueryResult): Verdict {
  switch (result.kind) {
    case 'found':
      return result.outcome === 'pending'
        ? { category: 'answer', answer: 'undecided' }
        : { category: 'outcome', outcome: result.outcome };
    case 'refused':
      // 705, 701-704, 800/703, 905, 9999...: never an answer, never a reason to re-send.
      return { category: 'transient', cause: 'query-status', next: 'lookup-only' };
    case 'http':
      return result.httpStatus === 429
        ? {
            category: 'transient',
            cause: 'rate-limited',
            next: 'lookup-only',
            ...(result.retryAfterSeconds !== undefined && { retryAfterSeconds: result.retryAfterSeconds }),
          }
        : { category: 'transient', cause: 'http', next: 'lookup-only' };
    case 'network':
    case 'timeout':
    case 'malformed':
      return { category: 'transient', cause: result.kind, next: 'lookup-only' };
    case 'invalid':
      return { category: 'invalid' };
    case 'blocked':
      return { category: 'transient', cause: 'blocked', next: 'lookup-only' };
  }
}
