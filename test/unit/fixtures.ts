/** Fixtures shared by the unit tests: valid tracked records and a stand-in background. */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { TrackedOrder } from '@/utils/shared/logic/record';

/** 2026-11-26 09:00 UTC, the day of the sandbox's scenario orders. */
export const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);

/** A valid record (per the storage schema) in the given state. */
export function record(orderNo: string, state: TrackedOrder['state'], extra: Partial<TrackedOrder> = {}): TrackedOrder {
  return {
    version: 2,
    orderNo,
    state,
    runId: `run-${orderNo}`,
    requestedAt: T0,
    stopAttempts: 1,
    uncertainSends: 0,
    checks: 0,
    failures: 0,
    notified: false,
    history: [],
    ...extra,
  };
}

/** Answers every message to the background with `reply`; returns the messages sent. */
export function backgroundSpy(reply: unknown = { ok: true }): unknown[] {
  const sent: unknown[] = [];
  fakeBrowser.runtime.onMessage.addListener(((message: unknown) => {
    sent.push(message);
    return Promise.resolve(reply);
  }) as never);
  return sent;
}
