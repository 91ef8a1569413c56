/**
 * A fixed, valid record for the popup's warm-up (components/popup/warm-up.tsx): parsed once and drawn
 * once off-document while the first storage answer is on its way, so that the code the first rows
 * need (zod's record schema, the row's views) runs warm when the answer comes. Never stored, never
 * shown. Shaped like the first rows: an order in progress, accepted, with its next check and history.
 */
export function warmSample(now: number): unknown {
  const requestedAt = now - 60_000;
  const acceptedAt = requestedAt + 400;
  return {
    version: 2,
    orderNo: 'WARMU00000000000000000',
    state: 'intercepting',
    runId: 'warm-up',
    requestedAt,
    acceptedAt,
    stopAttempts: 1,
    uncertainSends: 0,
    checks: 0,
    failures: 0,
    lastStatus: 0,
    lastMessage: 'warm-up',
    notified: false,
    nextStep: 'check',
    nextCheckAt: acceptedAt + 480_000,
    history: [
      { at: requestedAt, step: 'start', decision: { kind: 'send', at: requestedAt } },
      { at: acceptedAt, step: 'stop', status: 0, reading: 'accepted', decision: { kind: 'check', at: acceptedAt + 480_000 } },
    ],
  };
}
