/**
 * The order states and the record's word lists and constants, without zod: the content script
 * (which every portal page loads) imports these, while the schemas stay in `record.ts` (which
 * re-exports them).
 */

/** One word per tracked order, the same in storage, page and popup (shared/contract.md). */
export const ORDER_STATES = ['requesting', 'intercepting', 'intercepted', 'issued', 'refused', 'error', 'unknown'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const FINAL_STATES: readonly OrderState[] = ['intercepted', 'issued', 'refused', 'error', 'unknown'];
export const isFinal = (state: OrderState) => FINAL_STATES.includes(state);
export const isInProgress = (state: OrderState) => !isFinal(state);

/**
 * Whether the agent may start a new stop of an order in this state (`idle` = not tracked): the
 * one rule for the in-page control and the popup. Never while one is under way, never after -3/2.
 */
export function canStartStop(state: OrderState | 'idle'): boolean {
  return state === 'idle' || state === 'refused' || state === 'error' || state === 'unknown';
}

/** Whether "Check again" (one look-up, no stop) is offered: the ends that are not an answer. */
export function canCheckAgain(state: OrderState | 'idle'): boolean {
  return state === 'unknown' || state === 'error';
}

/** Entries kept per record; the first ones of a run (the stop, ATRIP's first answer) are never dropped. */
export const HISTORY_LIMIT = 30;
export const HISTORY_HEAD = 4;

/** A call or a failure that was not an answer, in structured form (rendered through i18n). */
export const FAILURE_KINDS = ['network', 'timeout', 'http', 'rate-limited', 'malformed', 'status', 'invalid', 'blocked', 'legacy'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Which call (or event) a history entry is about. */
export const HISTORY_STEPS = [
  'start', // the agent asked for a stop; the request leaves now
  'stop', // a stopTicket.do call
  'lookup', // a look-up of the order while the stop has no certain answer (before any re-send)
  'check', // a scheduled check after the stop was accepted
  'checkAgain', // a check the agent asked for (Check now / Check again)
  'answerLost', // the worker stopped while a stop was under way: its answer is lost
  'legacy', // an entry of a version-1 record
] as const;
export type HistoryStep = (typeof HISTORY_STEPS)[number];

/** Why a run ended the way it did. */
export const END_REASONS = [
  'order-status', // ATRIP's order status -3 or 2
  'refused', // ATRIP refused the stop, and it certainly received every send of the run
  'never-received', // deadline: every send was answered "not taken" (905, 429): ATRIP never got a stop
  'unreachable', // deadline: ATRIP never answered anything in this run (every call failed before any reply)
  'may-have-arrived', // deadline: a stop may have reached ATRIP, and no -3 / 2 came
  'undecided', // deadline: ATRIP accepted the stop, and no -3 / 2 came
  'invalid', // not an order number: nothing was sent
  'blocked', // the API cannot be called safely (no host permission, not https): nothing was sent
] as const;
export type EndReason = (typeof END_REASONS)[number];

/** What was decided after a step. */
export const DECISIONS = [
  'send', // the stop leaves now
  'check', // check the order at `at` (the first check, a re-check, or a retry after `afterSeconds`)
  'lookup', // look the order up at `at` before any re-send (or, with no sends left, until the deadline)
  'resend', // send the stop again at `at` (now, or after `afterSeconds` of back-off)
  'final', // the run ends: `state`, `why`
  'unchanged', // a check again that changed nothing
] as const;
export type DecisionKind = (typeof DECISIONS)[number];

/** How the classifier read an answer (utils/background/logic/classify.ts). */
export const READINGS = [
  'accepted',
  'refused',
  'undecided',
  'intercepted',
  'issued',
  'rate-limited',
  'http',
  'network',
  'timeout',
  'malformed',
  'too-frequent',
  'system-error',
  'query-status',
  'repeat-refused',
  'invalid',
  'blocked',
] as const;
export type Reading = (typeof READINGS)[number];

export const RECORD_VERSION = 2;
export const NEXT_STEPS = ['send', 'lookup', 'check'] as const;
