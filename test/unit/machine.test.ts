import { describe, expect, it } from 'vitest';
import type { QueryResult, StopResult } from '@/utils/atrip/client';
import {
  backoffSeconds,
  beginStop,
  MAX_FAILURES_PAST_DEADLINE,
  MAX_STOP_ATTEMPTS,
  onCheckResult,
  onResolveResult,
  onStopResult,
  type Policy,
} from '@/utils/tracker/machine';
import type { TrackedOrder } from '@/utils/tracker/record';

const NO = 'TESTA20261126090000001';
const policy: Policy = { firstCheckSeconds: 480, recheckSeconds: 120, deadlineMinutes: 30 };
const T0 = 1_800_000_000_000;
const s = (seconds: number) => seconds * 1000;

const accepted: StopResult = { kind: 'accepted', msg: 'We are trying to intercept' };
const reading = (orderStatus: string): QueryResult => ({
  kind: 'accepted',
  msg: '',
  orderStatus,
  outcome: orderStatus === '-3' ? 'intercepted' : orderStatus === '2' ? 'issued' : 'pending',
});
const http500: StopResult & QueryResult = { kind: 'http', httpStatus: 500, excerpt: '<html>' };

function intercepting(): TrackedOrder {
  return onStopResult(beginStop(NO, undefined, T0, policy), accepted, T0 + 100, policy);
}

describe('beginStop', () => {
  it('writes a requesting record with a wake-up before the API call', () => {
    const record = beginStop(NO, 'https://www.atriptech.com/#/order/list', T0, policy);
    expect(record).toMatchObject({ state: 'requesting', orderNo: NO, stopAttempts: 1, requestedAt: T0, nextCheckAt: T0 + s(15) });
    expect(record.pageUrl).toBe('https://www.atriptech.com/#/order/list');
  });
});

describe('onStopResult', () => {
  it('status 0 is not an outcome: intercepting, first check after firstCheckSeconds', () => {
    const record = intercepting();
    expect(record).toMatchObject({ state: 'intercepting', acceptedAt: T0 + 100, nextCheckAt: T0 + 100 + s(480), lastStatus: 0 });
    expect(record.lastMessage).toBe('We are trying to intercept');
  });

  it('never schedules the first check after the deadline', () => {
    const short = { ...policy, firstCheckSeconds: 7200 };
    const record = onStopResult(beginStop(NO, undefined, T0, short), accepted, T0, short);
    expect(record.nextCheckAt).toBe(T0 + s(30 * 60));
  });

  it('a non-zero status is an answer: refused, final, msg kept, no retry', () => {
    const record = onStopResult(beginStop(NO, undefined, T0, policy), { kind: 'refused', status: 801, msg: 'Order is unpaid' }, T0, policy);
    expect(record).toMatchObject({ state: 'refused', lastStatus: 801, lastMessage: 'Order is unpaid', finishedAt: T0 });
    expect(record.nextCheckAt).toBeUndefined();
  });

  it.each<StopResult>([
    http500,
    { kind: 'network', message: 'Failed to fetch' },
    { kind: 'timeout', afterMs: 15000 },
    { kind: 'malformed', reason: 'The reply is not JSON', excerpt: '<html>' },
  ])('a $kind failure is retried with back-off, not an outcome', (failure) => {
    const record = onStopResult(beginStop(NO, undefined, T0, policy), failure, T0, policy);
    expect(record).toMatchObject({ state: 'requesting', failures: 1, nextCheckAt: T0 + s(15) });
    expect(record.history.at(-1)).toMatchObject({ action: 'stop', result: failure.kind });
  });

  it(`gives up with error after ${MAX_STOP_ATTEMPTS} attempts`, () => {
    const record = { ...beginStop(NO, undefined, T0, policy), stopAttempts: MAX_STOP_ATTEMPTS };
    const result = onStopResult(record, http500, T0, policy);
    expect(result.state).toBe('error');
    expect(result.failure).toContain('HTTP 500');
  });
});

describe('onResolveResult (a stop without answer)', () => {
  const failed = () => onStopResult(beginStop(NO, undefined, T0, policy), { kind: 'timeout', afterMs: 15000 }, T0, policy);

  it('re-sends only after ATRIP says the order is still undecided, and notes why', () => {
    const { record, resend } = onResolveResult(failed(), reading('1'), T0 + s(15), policy);
    expect(resend).toBe(true);
    expect(record.stopAttempts).toBe(2);
    expect(record.history.map((h) => h.result)).toEqual(['sent', 'timeout', 'resolving', 'pending', 'resent']);
  });

  it.each([
    ['-3', 'intercepted'],
    ['2', 'issued'],
  ])('orderStatus %s ends it as %s without re-sending', (status, state) => {
    const { record, resend } = onResolveResult(failed(), reading(status), T0 + s(15), policy);
    expect(resend).toBe(false);
    expect(record.state).toBe(state);
  });

  it('a failed look is retried later, never a re-send', () => {
    const { record, resend } = onResolveResult(failed(), http500, T0 + s(15), policy);
    expect(resend).toBe(false);
    expect(record).toMatchObject({ state: 'requesting', failures: 2, nextCheckAt: T0 + s(15) + s(30) });
  });

  it('does not re-send past the attempt limit', () => {
    const record = { ...failed(), stopAttempts: MAX_STOP_ATTEMPTS };
    const decision = onResolveResult(record, reading('1'), T0, policy);
    expect(decision.resend).toBe(false);
    expect(decision.record.state).toBe('error');
  });
});

describe('onCheckResult', () => {
  it.each([
    ['-3', 'intercepted'],
    ['2', 'issued'],
  ])('orderStatus %s is final: %s', (status, state) => {
    const record = onCheckResult(intercepting(), reading(status), T0 + s(480), policy);
    expect(record).toMatchObject({ state, orderStatus: status, finishedAt: T0 + s(480), checks: 1 });
    expect(record.nextCheckAt).toBeUndefined();
    expect(record.notified).toBe(false);
  });

  it('keeps ATRIP reason of a cancellation', () => {
    const result: QueryResult = { ...(reading('-3') as Extract<QueryResult, { kind: 'accepted' }>), errorCode: 'X1', errorMessage: 'cancelled by airline' };
    expect(onCheckResult(intercepting(), result, T0, policy).lastMessage).toBe('X1 cancelled by airline');
  });

  it.each(['0', '1', '5'])('orderStatus %s is not decided: check again after recheckSeconds', (status) => {
    const at = T0 + s(480);
    const record = onCheckResult(intercepting(), reading(status), at, policy);
    expect(record).toMatchObject({ state: 'intercepting', nextCheckAt: at + s(120), checks: 1, failures: 0 });
  });

  it('the last check lands on the deadline, and pending there is unknown', () => {
    const start = intercepting();
    const deadline = start.acceptedAt! + s(30 * 60);
    const before = onCheckResult(start, reading('1'), deadline - s(60), policy);
    expect(before.nextCheckAt).toBe(deadline);
    const last = onCheckResult(before, reading('1'), deadline, policy);
    expect(last.state).toBe('unknown');
  });

  it('failures back off 15, 30, 60 s capped at recheckSeconds and are not answers', () => {
    let record = intercepting();
    const at = T0 + s(480);
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      record = onCheckResult(record, http500, at, policy);
      delays.push((record.nextCheckAt! - at) / 1000);
    }
    expect(delays).toEqual([15, 30, 60, 120, 120]);
    expect(record).toMatchObject({ state: 'intercepting', checks: 0, failures: 5 });
  });

  it("never retries before a 429's retryAfter", () => {
    const at = T0 + s(480);
    const record = onCheckResult(intercepting(), { kind: 'http', httpStatus: 429, retryAfterSeconds: 90, excerpt: '' }, at, policy);
    expect(record.nextCheckAt).toBe(at + s(90));
  });

  it('a business error on the query keeps ATRIP msg and retries', () => {
    const at = T0 + s(480);
    const record = onCheckResult(intercepting(), { kind: 'refused', status: 9999, msg: 'System error' }, at, policy);
    expect(record).toMatchObject({ state: 'intercepting', lastStatus: 9999, lastMessage: 'System error', failures: 1 });
  });

  it(`past the deadline, ${MAX_FAILURES_PAST_DEADLINE} failures in a row end it: error if ATRIP never answered`, () => {
    let record = intercepting();
    const late = record.acceptedAt! + s(31 * 60);
    for (let i = 0; i < MAX_FAILURES_PAST_DEADLINE; i++) record = onCheckResult(record, http500, late, policy);
    expect(record.state).toBe('error');
  });

  it('past the deadline, failures after an undecided answer end as unknown', () => {
    let record = onCheckResult(intercepting(), reading('1'), T0 + s(480), policy);
    const late = record.acceptedAt! + s(31 * 60);
    for (let i = 0; i < MAX_FAILURES_PAST_DEADLINE; i++) record = onCheckResult(record, http500, late, policy);
    expect(record.state).toBe('unknown');
  });

  it('keeps a short history', () => {
    let record = intercepting();
    for (let i = 0; i < 50; i++) record = onCheckResult(record, reading('1'), T0 + s(480 + i), policy);
    expect(record.history.length).toBe(30);
  });
});

describe('backoffSeconds', () => {
  it('doubles from 15 s, caps at recheckSeconds, honours retryAfter', () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, policy))).toEqual([15, 30, 60, 120]);
    expect(backoffSeconds(1, { ...policy, recheckSeconds: 2 })).toBe(2);
    expect(backoffSeconds(1, policy, 40)).toBe(40);
  });
});
