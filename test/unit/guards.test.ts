import { describe, expect, it } from 'vitest';
import { guardRecord, guardResponse } from '@/utils/content/logic/guards';
import { responseSchema } from '@/utils/shared/messages';
import { ORDER_NUMBER_PATTERN } from '@/utils/shared/logic/order-number';
import { trackedOrderSchema } from '@/utils/shared/logic/record';
import { record } from './fixtures';

const A = 'TESTA20261126090000001';

/** A record with every optional field set. */
const full = {
  ...record(A, 'intercepting'),
  pageUrl: 'https://www.atriptech.com/#/order/list',
  acceptedAt: 1,
  nextCheckAt: 2,
  nextStep: 'check',
  lastCheckAt: 3,
  finishedAt: 4,
  uncertainSends: 1,
  unansweredSends: 0,
  apiAnswered: true,
  noMoreSends: false,
  inFlightStop: 5,
  previousRunMayHaveStopped: true,
  lastStatus: 0,
  lastMessage: 'accepted',
  orderStatus: '1',
  errorCode: 'E1',
  errorMessage: 'odd',
  failure: { kind: 'http', httpStatus: 500, excerpt: '<html>' },
  endReason: 'may-have-arrived',
  notified: true,
  history: [
    { at: 1, step: 'start', decision: { kind: 'send' } },
    { at: 2, step: 'stop', status: 0, msg: 'ok', reading: 'accepted', reached: 'maybe', decision: { kind: 'check', at: 3, afterSeconds: 480 } },
    {
      at: 3,
      step: 'check',
      failure: { kind: 'rate-limited', httpStatus: 429, retryAfterSeconds: 5, afterMs: 1, reason: 'r', message: 'm', status: 905, msg: 'x', text: 't' },
      orderStatus: '-3',
      errorCode: 'c',
      errorMessage: 'e',
      decision: { kind: 'final', state: 'intercepted', why: 'order-status' },
    },
    { at: 4, step: 'legacy', text: 'stop accepted' },
  ],
  historyDropped: 2,
};

/** Variants of a valid record: each field wrong in some way, missing, or odd but valid. */
function variants(): unknown[] {
  const out: unknown[] = [full, record(A, 'intercepted'), { ...full, extra: 'dropped' }, { ...full, orderNo: `  ${A} ` }];
  const bad: Record<string, unknown[]> = {
    version: [0, 1, 3, '2', undefined],
    orderNo: ['TESTA2026', 'testa20261126090000001', 1, undefined, `${A}X`],
    state: ['stopped', 'idle', undefined, 1],
    pageUrl: [1, null],
    runId: [undefined, 1, null],
    requestedAt: [undefined, '1', Number.NaN, Infinity, null],
    acceptedAt: ['1', Infinity, null],
    nextCheckAt: ['soon', -Infinity],
    nextStep: ['wait', 1],
    lastCheckAt: [true],
    finishedAt: [{}],
    stopAttempts: [-1, 1.5, '1', undefined, Number.MAX_SAFE_INTEGER + 2],
    uncertainSends: [-1, 0.5, undefined, null],
    unansweredSends: [-1, '0'],
    apiAnswered: ['yes', 1],
    noMoreSends: [0],
    inFlightStop: ['now', Number.NaN],
    previousRunMayHaveStopped: ['true'],
    checks: [-1, 0.5, undefined],
    failures: [-2, 'x', undefined],
    lastStatus: [1.5, '0', null],
    lastMessage: [1, null],
    orderStatus: [2, null],
    errorCode: [1],
    errorMessage: [false],
    failure: [false, 'timeout', {}, { kind: 'odd' }, { kind: 'http', httpStatus: 'x' }, { kind: 'http', extra: 1 }],
    endReason: ['because', 1],
    notified: ['yes', 1, null, undefined],
    history: [undefined, {}, 'x', Array.from({ length: 31 }, (_, i) => ({ at: i, step: 'check' }))],
    historyDropped: [1.5, '1'],
  };
  for (const [key, values] of Object.entries(bad)) {
    for (const value of values) out.push({ ...full, [key]: value });
    const without: Record<string, unknown> = { ...full };
    delete without[key];
    out.push(without);
  }
  for (const entry of [
    { at: 1, step: 'cancel' },
    { at: '1', step: 'stop' },
    { at: 1 },
    { at: 1, step: 'stop', msg: 2 },
    { at: 1, step: 'stop', extra: 1 },
    { at: 1, step: 'stop', reached: 'yes' },
    { at: 1, step: 'stop', reading: 'maybe' },
    { at: 1, step: 'stop', status: 0.5 },
    { at: 1, step: 'stop', decision: { kind: 'wait' } },
    { at: 1, step: 'stop', decision: { kind: 'final', state: 'idle' } },
    { at: 1, step: 'stop', decision: { kind: 'final', why: 'x' } },
    { at: 1, step: 'stop', decision: { kind: 'check', at: 'soon', extra: 1 } },
    { at: 1, step: 'stop', failure: { kind: 'timeout', afterMs: '1' } },
    { at: 1, step: 'stop', failure: { kind: 'timeout', afterMs: 1, extra: 1 } },
    { at: 1, action: 'stop', result: 'accepted' },
    null,
    'stop',
  ]) {
    out.push({ ...full, history: [entry] });
  }
  out.push(null, undefined, 'record', 1, [], [full]);
  return out;
}

/** What the record schema returns for a record whose history is any array, less the history. */
function asThePageReadsIt(raw: unknown) {
  const isRecord = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
  const history = isRecord ? (raw as { history?: unknown }).history : undefined;
  const parsed = trackedOrderSchema.safeParse(isRecord ? { ...raw, history: Array.isArray(history) ? [] : history, historyDropped: undefined } : raw);
  if (!parsed.success) return null;
  const { history: _history, historyDropped: _dropped, ...rest } = parsed.data;
  return rest;
}

describe('guards (the content script boundary, without zod)', () => {
  it('knows every field of the stored record schema (a field added there must be added here)', () => {
    const shape = (trackedOrderSchema as unknown as { def: { shape: Record<string, unknown> } }).def.shape;
    expect(Object.keys(shape).sort()).toEqual(Object.keys(full).sort());
  });

  it('accepts and returns exactly what the record schema does, for each variant', () => {
    const cases = variants();
    expect(cases.length).toBeGreaterThan(120);
    for (const raw of cases) {
      expect(guardRecord(raw), JSON.stringify(raw)).toEqual(asThePageReadsIt(raw));
    }
    const { history: _history, historyDropped: _dropped, ...withoutHistory } = full;
    expect(guardRecord(full)).toEqual(withoutHistory);
    // The entries are not the page's to read: any array passes, and none is returned.
    expect(guardRecord({ ...full, history: [{ at: 'odd' }] })).toEqual(withoutHistory);
    expect(guardRecord({ ...full, history: 'x' })).toBeNull();
    expect(guardRecord({ ...full, notified: undefined })!.notified).toBe(false);
    expect(guardRecord({ ...full, uncertainSends: undefined })!.uncertainSends).toBe(0);
  });

  it('leaves a version-1 record to the background, which migrates it at its start', () => {
    const v1 = { version: 1, orderNo: A, state: 'intercepting', requestedAt: 1, stopAttempts: 1, checks: 0, failures: 0, history: [] };
    expect(guardRecord(v1)).toBeNull();
  });

  it('accepts and returns exactly what the reply schema does', () => {
    const replies: unknown[] = [
      { ok: true },
      { ok: true, record: full },
      { ok: true, record: { ...full, state: 'nope' } },
      { ok: true, configured: false },
      { ok: true, configured: 'yes' },
      { ok: true, report: { ok: false, summary: 'status 900' } },
      { ok: true, report: { ok: 'no', summary: 'x' } },
      { ok: true, report: { ok: true } },
      { ok: true, extra: 1 },
      { ok: false, error: 'No such order' },
      { ok: false },
      { ok: false, error: 1 },
      { ok: 'true' },
      {},
      null,
      'ok',
      [{ ok: true }],
    ];
    for (const raw of replies) {
      const parsed = responseSchema.safeParse(raw);
      const reply = (raw ?? {}) as { report?: unknown };
      if (parsed.success) {
        // `report` answers the options page's connection test, never a page: not read, dropped.
        const { report: _dropped, ...expected } = parsed.data as typeof parsed.data & { report?: unknown; record?: unknown };
        if (expected.record) expected.record = asThePageReadsIt(expected.record);
        expect(guardResponse(raw), JSON.stringify(raw)).toEqual(expected);
      } else if (typeof raw !== 'object' || reply.report === undefined) {
        expect(guardResponse(raw), JSON.stringify(raw)).toBeNull();
      }
    }
  });

  it('checks order numbers with ATRIP’s pattern', () => {
    for (const orderNo of [A, 'ZNMKU20220119160129691', 'TESTA2026112609000000', 'TESTA202611260900000012', 'TEST120261126090000001', 'ＴESTA20261126090000001']) {
      expect(guardRecord({ ...full, orderNo }) !== null, orderNo).toBe(ORDER_NUMBER_PATTERN.test(orderNo));
    }
  });
});
