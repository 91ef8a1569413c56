import { describe, expect, it } from 'vitest';
import { guardRecord, guardResponse } from '@/components/control/guards';
import { responseSchema } from '@/utils/messages';
import { ORDER_NUMBER_PATTERN } from '@/utils/order-number';
import { parseRecord, trackedOrderSchema } from '@/utils/tracker/record';
import { record } from './fixtures';

const A = 'TESTA20261126090000001';

/** A record with every optional field set. */
const full = {
  ...record(A, 'intercepting'),
  pageUrl: 'https://www.atriptech.com/#/order/list',
  acceptedAt: 1,
  nextCheckAt: 2,
  lastCheckAt: 3,
  finishedAt: 4,
  lastStatus: 0,
  lastMessage: 'accepted',
  orderStatus: '1',
  failure: 'timeout',
  notified: true,
  history: [
    { at: 1, action: 'stop', result: 'accepted', detail: 'status 0' },
    { at: 2, action: 'check', result: 'undecided' },
  ],
};

/** Variants of a valid record: each field wrong in some way, missing, or odd but valid. */
function variants(): unknown[] {
  const out: unknown[] = [full, record(A, 'intercepted'), { ...full, extra: 'dropped' }, { ...full, orderNo: `  ${A} ` }];
  const bad: Record<string, unknown[]> = {
    version: [0, 2, '1', undefined],
    orderNo: ['TESTA2026', 'testa20261126090000001', 1, undefined, `${A}X`],
    state: ['stopped', 'idle', undefined, 1],
    pageUrl: [1, null],
    requestedAt: [undefined, '1', Number.NaN, Infinity, null],
    acceptedAt: ['1', Infinity, null],
    nextCheckAt: ['soon', -Infinity],
    lastCheckAt: [true],
    finishedAt: [{}],
    stopAttempts: [-1, 1.5, '1', undefined, Number.MAX_SAFE_INTEGER + 2],
    checks: [-1, 0.5, undefined],
    failures: [-2, 'x', undefined],
    lastStatus: [1.5, '0', null],
    lastMessage: [1, null],
    orderStatus: [2, null],
    failure: [false],
    notified: ['yes', 1, null, undefined],
    history: [undefined, {}, 'x', Array.from({ length: 31 }, (_, i) => ({ at: i, action: 'note', result: 'x' }))],
  };
  for (const [key, values] of Object.entries(bad)) {
    for (const value of values) out.push({ ...full, [key]: value });
    const without: Record<string, unknown> = { ...full };
    delete without[key];
    out.push(without);
  }
  for (const entry of [
    { at: 1, action: 'cancel', result: 'x' },
    { at: '1', action: 'stop', result: 'x' },
    { at: 1, action: 'stop' },
    { at: 1, action: 'stop', result: 'x', detail: 2 },
    { at: 1, action: 'stop', result: 'x', extra: 1 },
    null,
    'stop',
  ]) {
    out.push({ ...full, history: [entry] });
  }
  out.push(null, undefined, 'record', 1, [], [full]);
  return out;
}

describe('guards (the content script boundary, without zod)', () => {
  it('knows every field of the stored record schema (a field added there must be added here)', () => {
    const shape = (trackedOrderSchema as unknown as { def: { shape: Record<string, unknown> } }).def.shape;
    expect(Object.keys(shape).sort()).toEqual(Object.keys(full).sort());
  });

  it('accepts and returns exactly what the record schema does, for each variant', () => {
    const cases = variants();
    expect(cases.length).toBeGreaterThan(70);
    for (const raw of cases) {
      expect(guardRecord(raw), JSON.stringify(raw)).toEqual(parseRecord(raw));
    }
    expect(guardRecord(full)).toEqual(full);
    expect(guardRecord({ ...full, notified: undefined })!.notified).toBe(false);
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
        const { report: _dropped, ...expected } = parsed.data as typeof parsed.data & { report?: unknown };
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
