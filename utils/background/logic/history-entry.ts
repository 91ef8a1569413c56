/** One step of a run as a history entry: ATRIP's words, or the failure, how it was read, and what was decided. Pure. */
import type { QueryResult, StopResult } from './atrip-client';
import type { Verdict } from './classify';
import type { Decision, Failure, HistoryEntry, HistoryStep, Reading } from '../../shared/logic/record';

/** ATRIP's words and the failure of one result, for a history entry. */
function answerFields(result: StopResult | QueryResult): Partial<HistoryEntry> {
  switch (result.kind) {
    case 'accepted':
      return { status: 0, ...(result.msg && { msg: result.msg }) };
    case 'found':
      return {
        status: 0,
        ...(result.msg && { msg: result.msg }),
        orderStatus: result.orderStatus,
        ...(result.errorCode !== undefined && { errorCode: result.errorCode }),
        ...(result.errorMessage !== undefined && { errorMessage: result.errorMessage }),
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
    case 'found':
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

export function historyEntry(step: HistoryStep, at: number, result: StopResult | QueryResult, verdict: Verdict, decision: Decision): HistoryEntry {
  return {
    at,
    step,
    ...answerFields(result),
    reading: readingOf(verdict),
    ...(verdict.category === 'transient' && verdict.reached && { reached: verdict.reached }),
    decision,
  };
}
