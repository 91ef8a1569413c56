/** How a stop run starts, and how a re-send is marked: the record written before the request leaves. Pure. */
import { RECORD_VERSION, type TrackedOrder } from '../../shared/logic/record';

/** The wake-up set while a call is under way: if the worker dies mid-call, the order is taken up again. */
export const WATCHDOG_MS = 20_000;

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
    version: RECORD_VERSION,
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
