/** The pure state machine of a tracked order (utils/background/logic/machine.ts), step by step: begin, each kind of result, the history it writes, the back-off. */
import { describe, expect, it } from 'vitest';
import type { QueryResult, StopResult } from '@/utils/background/logic/atrip-client';
import {
  backoffSeconds,
  beginStop,
  MAX_FAILURES_PAST_DEADLINE,
  MAX_UNCERTAIN_SENDS,
  markResend,
  onAnswerLost,
  onCheckAgainResult,
  onCheckResult,
  onLookupResult,
  onStopResult,
  RETRY_AFTER_CAP_SECONDS,
  WATCHDOG_MS,
  type Policy,
} from '@/utils/background/logic/machine';
import { HISTORY_HEAD, HISTORY_LIMIT, type TrackedOrder } from '@/utils/shared/logic/record';

const NO = 'TESTA20261126090000001';
const policy: Policy = { firstCheckSeconds: 480, recheckSeconds: 120, deadlineMinutes: 30 };
const T0 = 1_800_000_000_000;
const s = (seconds: number) => seconds * 1000;
const DEADLINE = s(30 * 60);

const accepted: StopResult = { kind: 'accepted', msg: 'We are trying to intercept' };
const refused = (status: number, msg = 'msg'): StopResult & QueryResult => ({ kind: 'refused', status, msg });
const reading = (orderStatus: string, extra: { errorCode?: string; errorMessage?: string } = {}): QueryResult => ({
  kind: 'found',
  msg: '',
  orderStatus,
  outcome: orderStatus === '-3' ? 'intercepted' : orderStatus === '2' ? 'issued' : 'pending',
  ...extra,
});
const http500: StopResult & QueryResult = { kind: 'http', httpStatus: 500, excerpt: '<html>' };
const timeout: StopResult & QueryResult = { kind: 'timeout', afterMs: 15_000 };
const rateLimited = (retryAfterSeconds?: number): StopResult & QueryResult => ({
  kind: 'http',
  httpStatus: 429,
  excerpt: '',
  ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
});

const started = (previous?: TrackedOrder) => beginStop(NO, undefined, T0, 'run-1', previous);
const intercepting = () => onStopResult(started(), accepted, T0 + 100, policy);
/** A stop without a certain answer (time-out): the next step is a look-up. */
const uncertain = () => onStopResult(started(), timeout, T0 + s(15), policy);
const decisions = (record: TrackedOrder) => record.history.map((e) => e.decision?.kind);

describe('beginStop', () => {
  it('writes requesting, the stop marked in flight, a wake-up in case the worker dies, and the start entry', () => {
    const record = beginStop(NO, 'https://www.atriptech.com/#/order/list', T0, 'run-1');
    expect(record).toMatchObject({
      version: 2,
      state: 'requesting',
      runId: 'run-1',
      requestedAt: T0,
      inFlightStop: T0,
      nextCheckAt: T0 + WATCHDOG_MS,
      nextStep: 'lookup',
      stopAttempts: 1,
      uncertainSends: 0,
      pageUrl: 'https://www.atriptech.com/#/order/list',
    });
    expect(record.history).toEqual([{ at: T0, step: 'start', decision: { kind: 'send', at: T0 } }]);
    expect(record.previousRunMayHaveStopped).toBeUndefined();
  });

  it('after a run that ended unknown, remembers a stop may still be at ATRIP', () => {
    const previous = { ...intercepting(), state: 'unknown' as const };
    expect(beginStop(NO, undefined, T0, 'run-2', previous).previousRunMayHaveStopped).toBe(true);
    expect(beginStop(NO, undefined, T0, 'run-2', { ...previous, state: 'refused' }).previousRunMayHaveStopped).toBeUndefined();
    expect(beginStop(NO, undefined, T0, 'run-2', { ...previous, state: 'error' }).previousRunMayHaveStopped).toBeUndefined();
  });
});

describe('onStopResult', () => {
  it('status 0 is not an outcome: intercepting, the first check after firstCheckSeconds, the marker cleared', () => {
    const record = intercepting();
    expect(record).toMatchObject({ state: 'intercepting', acceptedAt: T0 + 100, nextCheckAt: T0 + 100 + s(480), nextStep: 'check', lastStatus: 0, failures: 0 });
    expect(record.inFlightStop).toBeUndefined();
    expect(record.lastMessage).toBe('We are trying to intercept');
    expect(record.history.at(-1)).toEqual({
      at: T0 + 100,
      step: 'stop',
      status: 0,
      msg: 'We are trying to intercept',
      reading: 'accepted',
      decision: { kind: 'check', at: T0 + 100 + s(480) },
    });
  });

  it('never schedules the first check after the deadline', () => {
    const short = { ...policy, firstCheckSeconds: 7200 };
    expect(onStopResult(started(), accepted, T0, short).nextCheckAt).toBe(T0 + DEADLINE);
  });

  it('a refusal of a stop ATRIP certainly received is final: refused, msg kept, no retry', () => {
    const record = onStopResult(started(), refused(801, 'Order is unpaid'), T0, policy);
    expect(record).toMatchObject({ state: 'refused', endReason: 'refused', lastStatus: 801, lastMessage: 'Order is unpaid', finishedAt: T0, notified: false });
    expect(record.nextCheckAt).toBeUndefined();
    expect(record.nextStep).toBeUndefined();
    expect(record.history.at(-1)).toMatchObject({ step: 'stop', status: 801, msg: 'Order is unpaid', reading: 'refused', decision: { kind: 'final', state: 'refused', why: 'refused' } });
  });

  it.each([
    ['905', refused(905), 'too-frequent', 15],
    ['429 without retryAfter', rateLimited(), 'rate-limited', 15],
    ['429 with retryAfter 40', rateLimited(40), 'rate-limited', 40],
  ] as const)('%s: certainly not taken, re-sent after the back-off without a look-up', (_label, result, reading_, after) => {
    const record = onStopResult(started(), result, T0, policy);
    expect(record).toMatchObject({ state: 'requesting', nextStep: 'send', nextCheckAt: T0 + s(after), failures: 1, uncertainSends: 0 });
    expect(record.history.at(-1)).toMatchObject({ reading: reading_, reached: 'no', decision: { kind: 'resend', at: T0 + s(after), afterSeconds: after } });
  });

  it.each([
    ['HTTP 500', http500, 'http'],
    ['a network error', { kind: 'network', message: 'Failed to fetch' } as StopResult, 'network'],
    ['a time-out', timeout, 'timeout'],
    ['garbage', { kind: 'malformed', reason: 'not-json', excerpt: '<html>' } as StopResult, 'malformed'],
    ['9999', refused(9999), 'system-error'],
    ['status 2', refused(2), 'system-error'],
  ] as const)('%s: the stop may have arrived, so the order is looked up before any re-send', (_label, result, reading_) => {
    const record = onStopResult(started(), result, T0, policy);
    expect(record).toMatchObject({ state: 'requesting', nextStep: 'lookup', nextCheckAt: T0 + s(15), failures: 1, uncertainSends: 1 });
    expect(record.history.at(-1)).toMatchObject({ reading: reading_, reached: 'maybe', decision: { kind: 'lookup' } });
  });

  it('keeps the failure structured: kind, HTTP status, retryAfter, excerpt', () => {
    expect(onStopResult(started(), http500, T0, policy).failure).toEqual({ kind: 'http', httpStatus: 500, excerpt: '<html>' });
    expect(onStopResult(started(), rateLimited(3), T0, policy).failure).toEqual({ kind: 'rate-limited', httpStatus: 429, retryAfterSeconds: 3 });
    expect(onStopResult(started(), timeout, T0, policy).failure).toEqual({ kind: 'timeout', afterMs: 15_000 });
    expect(onStopResult(started(), refused(905, 'Too frequent'), T0, policy).failure).toEqual({ kind: 'status', status: 905, msg: 'Too frequent' });
  });

  it(`caps retryAfter at ${RETRY_AFTER_CAP_SECONDS} s (a value meant as milliseconds does not park the order)`, () => {
    const record = onStopResult(started(), rateLimited(90_000), T0, policy);
    expect(record.nextCheckAt).toBe(T0 + s(RETRY_AFTER_CAP_SECONDS));
  });

  it('never schedules past the deadline while before it: the last send lands on the deadline', () => {
    const late = T0 + DEADLINE - s(5);
    expect(onStopResult(started(), rateLimited(200), late, policy).nextCheckAt).toBe(T0 + DEADLINE);
  });

  it('a refusal after a send that may have reached ATRIP is not an outcome: no more sends, look the order up', () => {
    const resent = markResend(onLookupResult(uncertain(), reading('1'), T0 + s(30), policy).record, T0 + s(30));
    const record = onStopResult(resent, refused(809, 'Stop already requested'), T0 + s(31), policy);
    expect(record).toMatchObject({ state: 'requesting', nextStep: 'lookup', noMoreSends: true, lastStatus: 809, lastMessage: 'Stop already requested' });
    expect(record.history.at(-1)).toMatchObject({ step: 'stop', status: 809, reading: 'repeat-refused', decision: { kind: 'lookup' } });
  });

  it('a refusal in a run after one that ended unknown is not an outcome either', () => {
    const previous = { ...intercepting(), state: 'unknown' as const };
    const record = onStopResult(beginStop(NO, undefined, T0, 'run-2', previous), refused(809), T0, policy);
    expect(record).toMatchObject({ state: 'requesting', nextStep: 'lookup', noMoreSends: true });
  });

  it('a stop that can never be sent (905 at every try) ends error at the deadline: ATRIP never received it', () => {
    let record = onStopResult(started(), refused(905), T0, policy);
    let sends = 1;
    while (record.state === 'requesting') {
      expect(record.nextStep).toBe('send');
      const at = record.nextCheckAt!;
      expect(at).toBeLessThanOrEqual(T0 + DEADLINE);
      record = onStopResult(markResend(record, at), refused(905), at, policy);
      sends++;
    }
    expect(record).toMatchObject({ state: 'error', endReason: 'never-received', finishedAt: T0 + DEADLINE, stopAttempts: sends });
    expect(record.history.at(-1)?.decision).toEqual({ kind: 'final', state: 'error', why: 'never-received' });
    // Back-off 15, 30, 60, then every re-check interval until the deadline.
    expect(sends).toBe(1 + 3 + Math.ceil((DEADLINE - s(105)) / s(120)));
  });

  it('not-taken answers after a send that may have arrived end unknown at the deadline, never error', () => {
    const resent = markResend(onLookupResult(uncertain(), reading('1'), T0 + s(30), policy).record, T0 + s(30));
    const record = onStopResult({ ...resent, nextCheckAt: T0 + DEADLINE }, refused(905), T0 + DEADLINE, policy);
    expect(record).toMatchObject({ state: 'unknown', endReason: 'may-have-arrived' });
  });

  it('an API that never replies to anything (network errors only) ends error at the deadline: it could not be reached', () => {
    const offline = { kind: 'network', message: 'Failed to fetch' } as const;
    let record = onStopResult(started(), offline, T0, policy);
    expect(record).toMatchObject({ state: 'requesting', nextStep: 'lookup', uncertainSends: 1, unansweredSends: 1 });
    while (record.state === 'requesting') {
      expect(record.nextStep).toBe('lookup'); // never a blind re-send
      record = onLookupResult(record, offline, Math.max(record.nextCheckAt!, T0 + DEADLINE), policy).record;
    }
    expect(record).toMatchObject({ state: 'error', endReason: 'unreachable', stopAttempts: 1 });
    expect(record.finishedAt).toBeGreaterThanOrEqual(T0 + DEADLINE);
  });

  it('a network error on the stop while the API answers look-ups ends unknown: the answer may have been lost on the way back', () => {
    const lost = onStopResult(started(), { kind: 'network', message: 'reset' }, T0, policy);
    const { record } = onLookupResult(lost, refused(705), T0 + DEADLINE, policy);
    expect(record).toMatchObject({ state: 'requesting', apiAnswered: true });
    const end = onLookupResult(onLookupResult(record, timeout, T0 + DEADLINE, policy).record, timeout, T0 + DEADLINE, policy).record;
    expect(end).toMatchObject({ state: 'unknown', endReason: 'may-have-arrived' });
  });

  it('a time-out of the stop is never "unreachable": the request may be at ATRIP', () => {
    let record = uncertain();
    for (let i = 0; i < MAX_FAILURES_PAST_DEADLINE; i++) {
      record = onLookupResult(record, { kind: 'network', message: 'offline' }, T0 + DEADLINE, policy).record;
    }
    expect(record).toMatchObject({ state: 'unknown', endReason: 'may-have-arrived' });
  });

  it('not an order number: error, nothing sent', () => {
    expect(onStopResult(started(), { kind: 'invalid', message: 'x' }, T0, policy)).toMatchObject({ state: 'error', endReason: 'invalid' });
  });
});

describe('onAnswerLost (the worker stopped mid-call)', () => {
  it('counts the stop as one that may have arrived and looks the order up now', () => {
    const record = onAnswerLost(started(), T0 + s(20));
    expect(record).toMatchObject({ state: 'requesting', uncertainSends: 1, nextStep: 'lookup', nextCheckAt: T0 + s(20) });
    expect(record.inFlightStop).toBeUndefined();
    expect(record.history.at(-1)).toEqual({ at: T0 + s(20), step: 'answerLost', reached: 'maybe', decision: { kind: 'lookup', at: T0 + s(20), afterSeconds: 0 } });
  });
});

describe('onLookupResult (the stop has no certain answer)', () => {
  it('re-sends only after ATRIP says the order is still undecided, and says why', () => {
    const { record, resend } = onLookupResult(uncertain(), reading('1'), T0 + s(30), policy);
    expect(resend).toBe(true);
    expect(record).toMatchObject({ stopAttempts: 2, inFlightStop: T0 + s(30), orderStatus: '1', checks: 1, failures: 0 });
    expect(record.history.map((e) => e.step)).toEqual(['start', 'stop', 'lookup']);
    expect(record.history.at(-1)).toMatchObject({ step: 'lookup', status: 0, orderStatus: '1', reading: 'undecided', decision: { kind: 'resend', at: T0 + s(30) } });
  });

  it.each([
    ['-3', 'intercepted'],
    ['2', 'issued'],
  ] as const)('orderStatus %s ends it as %s without re-sending', (status, state) => {
    const { record, resend } = onLookupResult(uncertain(), reading(status), T0 + s(30), policy);
    expect(resend).toBe(false);
    expect(record).toMatchObject({ state, endReason: 'order-status', orderStatus: status });
  });

  it.each([
    ['705', refused(705, 'Query time-out')],
    ['800', refused(800, 'Order does not exist')],
    ['703', refused(703)],
    ['HTTP 500', http500],
    ['a time-out', timeout],
    ['garbage', { kind: 'malformed', reason: 'no-order-status', excerpt: '{}' } as QueryResult],
  ] as const)('a look-up answered %s is looked up again later, never a re-send', (_label, result) => {
    const { record, resend } = onLookupResult(uncertain(), result, T0 + s(30), policy);
    expect(resend).toBe(false);
    expect(record).toMatchObject({ state: 'requesting', nextStep: 'lookup', failures: 2, nextCheckAt: T0 + s(30) + s(30) });
    expect(record.history.at(-1)?.decision?.kind).toBe('lookup');
  });

  it('a refused look-up keeps its status and msg in the failure and the history, not as ATRIP\'s answer to the stop', () => {
    const { record } = onLookupResult(uncertain(), refused(705, 'Query time-out'), T0 + s(30), policy);
    expect(record.failure).toEqual({ kind: 'status', status: 705, msg: 'Query time-out' });
    expect(record.lastStatus).toBeUndefined();
    expect(record.history.at(-1)).toMatchObject({ status: 705, msg: 'Query time-out', reading: 'query-status' });
  });

  it('after a refused repeat, an undecided order is looked up again, never re-sent', () => {
    const noMore = { ...uncertain(), noMoreSends: true };
    const { record, resend } = onLookupResult(noMore, reading('1'), T0 + s(30), policy);
    expect(resend).toBe(false);
    expect(record).toMatchObject({ nextStep: 'lookup', nextCheckAt: T0 + s(30) + s(120) });
  });

  it(`re-sends at most ${MAX_UNCERTAIN_SENDS} stops that may have reached ATRIP`, () => {
    const many = { ...uncertain(), uncertainSends: MAX_UNCERTAIN_SENDS };
    expect(onLookupResult(many, reading('1'), T0 + s(30), policy).resend).toBe(false);
  });

  it('undecided at the deadline: unknown, because the stop may have arrived', () => {
    const { record, resend } = onLookupResult(uncertain(), reading('1'), T0 + DEADLINE, policy);
    expect(resend).toBe(false);
    expect(record).toMatchObject({ state: 'unknown', endReason: 'may-have-arrived' });
    expect(record.history.at(-1)?.decision).toEqual({ kind: 'final', state: 'unknown', why: 'may-have-arrived' });
  });

  it(`past the deadline, ${MAX_FAILURES_PAST_DEADLINE} failed look-ups in a row end it unknown (never error)`, () => {
    let record = uncertain(); // the time-out of the stop was the first failure in a row
    expect(record.failures).toBe(1);
    const late = T0 + DEADLINE + s(60);
    for (let failures = 2; failures < MAX_FAILURES_PAST_DEADLINE; failures++) {
      record = onLookupResult(record, { kind: 'network', message: 'offline' }, late, policy).record;
      expect(record).toMatchObject({ state: 'requesting', failures });
    }
    record = onLookupResult(record, { kind: 'network', message: 'offline' }, late, policy).record;
    expect(record).toMatchObject({ state: 'unknown', endReason: 'may-have-arrived' });
  });
});

describe('onCheckResult (intercepting)', () => {
  it.each([
    ['-3', 'intercepted'],
    ['2', 'issued'],
  ] as const)('orderStatus %s is final: %s', (status, state) => {
    const record = onCheckResult(intercepting(), reading(status), T0 + s(480), policy);
    expect(record).toMatchObject({ state, orderStatus: status, finishedAt: T0 + s(480), checks: 1, endReason: 'order-status', notified: false });
    expect(record.nextCheckAt).toBeUndefined();
    expect(record.history.at(-1)).toMatchObject({ step: 'check', orderStatus: status, reading: state, decision: { kind: 'final', state, why: 'order-status' } });
  });

  it("keeps ATRIP's reason of a cancellation, structured and in words", () => {
    const record = onCheckResult(intercepting(), reading('-3', { errorCode: 'X1', errorMessage: 'cancelled by airline' }), T0, policy);
    expect(record).toMatchObject({ lastMessage: 'X1 cancelled by airline', errorCode: 'X1', errorMessage: 'cancelled by airline' });
  });

  it.each(['0', '1', '5'])('orderStatus %s is not decided: check again after recheckSeconds', (status) => {
    const at = T0 + s(480);
    expect(onCheckResult(intercepting(), reading(status), at, policy)).toMatchObject({ state: 'intercepting', nextCheckAt: at + s(120), checks: 1, failures: 0 });
  });

  it('the last check lands on the deadline, and undecided there is unknown', () => {
    const start = intercepting();
    const deadline = start.acceptedAt! + DEADLINE;
    const before = onCheckResult(start, reading('1'), deadline - s(60), policy);
    expect(before.nextCheckAt).toBe(deadline);
    expect(onCheckResult(before, reading('1'), deadline, policy)).toMatchObject({ state: 'unknown', endReason: 'undecided' });
  });

  it('transient answers back off 15, 30, 60 s capped at recheckSeconds and are not answers', () => {
    let record = intercepting();
    const at = T0 + s(480);
    const delays: number[] = [];
    for (const result of [http500, refused(705), refused(800), timeout, refused(9999)]) {
      record = onCheckResult(record, result, at, policy);
      delays.push((record.nextCheckAt! - at) / 1000);
    }
    expect(delays).toEqual([15, 30, 60, 120, 120]);
    expect(record).toMatchObject({ state: 'intercepting', checks: 0, failures: 5, lastStatus: 0 });
  });

  it("never retries before a 429's retryAfter (capped), nor past the deadline while before it", () => {
    const at = T0 + s(480);
    expect(onCheckResult(intercepting(), rateLimited(90), at, policy).nextCheckAt).toBe(at + s(90));
    expect(onCheckResult(intercepting(), rateLimited(86_400), at, policy).nextCheckAt).toBe(at + s(RETRY_AFTER_CAP_SECONDS));
    const start = intercepting();
    const nearEnd = start.acceptedAt! + DEADLINE - s(10);
    expect(onCheckResult(start, rateLimited(200), nearEnd, policy).nextCheckAt).toBe(start.acceptedAt! + DEADLINE);
  });

  it(`past the deadline, ${MAX_FAILURES_PAST_DEADLINE} failures in a row end it: unknown, since ATRIP accepted the stop`, () => {
    let record = intercepting();
    const late = record.acceptedAt! + s(31 * 60);
    for (let i = 0; i < MAX_FAILURES_PAST_DEADLINE - 1; i++) {
      record = onCheckResult(record, http500, late, policy);
      expect(record.state).toBe('intercepting');
    }
    record = onCheckResult(record, http500, late, policy);
    expect(record).toMatchObject({ state: 'unknown', endReason: 'undecided' });
  });

  it('an agent-asked check is recorded as checkAgain', () => {
    expect(onCheckResult(intercepting(), reading('1'), T0 + s(60), policy, 'checkAgain').history.at(-1)?.step).toBe('checkAgain');
  });
});

describe('onCheckAgainResult (unknown or error)', () => {
  const unknown = () => onCheckResult(onCheckResult(intercepting(), reading('1'), T0 + DEADLINE - s(1), policy), reading('1'), T0 + DEADLINE + s(1), policy);

  it.each([
    ['-3', 'intercepted'],
    ['2', 'issued'],
  ] as const)('a late %s becomes the outcome, to be notified again', (status, state) => {
    const before = { ...unknown(), notified: true };
    expect(before.state).toBe('unknown');
    const record = onCheckAgainResult(before, reading(status), T0 + DEADLINE + s(600));
    expect(record).toMatchObject({ state, notified: false, endReason: 'order-status', finishedAt: T0 + DEADLINE + s(600), orderStatus: status });
    expect(record.history.at(-1)).toMatchObject({ step: 'checkAgain', decision: { kind: 'final', state } });
  });

  it.each([
    ['still undecided', reading('1')],
    ['a 705', refused(705)],
    ['a network error', { kind: 'network', message: 'offline' } as QueryResult],
  ] as const)('%s leaves the state as it was and only records the look-up', (_label, result) => {
    const before = { ...unknown(), notified: true };
    const record = onCheckAgainResult(before, result, T0 + DEADLINE + s(600));
    expect(record).toMatchObject({ state: 'unknown', notified: true, endReason: 'undecided', finishedAt: before.finishedAt });
    expect(record.history.at(-1)).toMatchObject({ step: 'checkAgain', decision: { kind: 'unchanged' } });
  });
});

describe('history', () => {
  it(`keeps ${HISTORY_LIMIT} entries, never dropping the first ones of the run (the stop and ATRIP's first answer)`, () => {
    let record = intercepting();
    for (let i = 0; i < 50; i++) record = onCheckResult(record, reading('1'), T0 + s(480 + i), policy);
    expect(record.history).toHaveLength(HISTORY_LIMIT);
    expect(record.history.slice(0, 2).map((e) => e.step)).toEqual(['start', 'stop']);
    expect(record.history[1]).toMatchObject({ status: 0, reading: 'accepted' });
    expect(record.historyDropped).toBe(52 - HISTORY_LIMIT);
    expect(record.history.at(-1)?.at).toBe(T0 + s(480 + 49));
    expect(HISTORY_HEAD).toBeGreaterThanOrEqual(2);
  });

  it('says which case ended the run and why, in structured entries only', () => {
    const end = onLookupResult(uncertain(), reading('1'), T0 + DEADLINE, policy).record;
    expect(decisions(end)).toEqual(['send', 'lookup', 'final']);
    expect(end.history.every((e) => e.text === undefined)).toBe(true); // no prose
  });
});

describe('backoffSeconds', () => {
  it('doubles from 15 s, caps at recheckSeconds, honours retryAfter up to its cap', () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, policy))).toEqual([15, 30, 60, 120]);
    expect(backoffSeconds(1, { ...policy, recheckSeconds: 2 })).toBe(2);
    expect(backoffSeconds(1, policy, 40)).toBe(40);
    expect(backoffSeconds(1, policy, 1_000_000)).toBe(RETRY_AFTER_CAP_SECONDS);
  });
});
