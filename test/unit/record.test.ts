import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { canCheckAgain, canStartStop, migrateV1, ORDER_STATES, parseRecord, trackedOrderSchema } from '@/utils/shared/logic/record';
import { listOrders, migrateStoredRecords } from '@/utils/shared/store';
import { record, T0 } from './fixtures';

const A = 'TESTA20261126090000001';
const B = 'TESTA20261126090000002';
const C = 'TESTA20261126090000003';

interface V1Counters {
  stopAttempts: number;
  checks: number;
  failures: number;
}

/** A version-1 record as the released tracker wrote it: what every one had, its counters, then its own fields. */
function v1Record<Fields extends object>(orderNo: string, state: string, counters: V1Counters, fields: Fields) {
  return { version: 1, orderNo, state, requestedAt: T0, notified: false, ...counters, ...fields };
}

/** The first history entry of a version-1 stop. */
const V1_SENT = { at: T0, action: 'note', result: 'sent' };

/** Version-1 records as agents have them stored today. */
const v1 = {
  intercepting: v1Record(A, 'intercepting', { stopAttempts: 1, checks: 0, failures: 0 }, {
    pageUrl: `https://www.atriptech.com/#/order/detail/${A}/zh`,
    acceptedAt: T0 + 400,
    nextCheckAt: T0 + 480_400,
    lastStatus: 0,
    lastMessage: 'We are trying to intercept the ticket issuance.',
    history: [V1_SENT, { at: T0 + 400, action: 'stop', result: 'accepted', detail: 'accepted: We are trying to intercept the ticket issuance.' }],
  }),
  requesting: v1Record(B, 'requesting', { stopAttempts: 2, checks: 1, failures: 1 }, {
    nextCheckAt: T0 + 15_000,
    failure: 'no reply within 15 s',
    history: [V1_SENT, { at: T0 + 15_000, action: 'stop', result: 'timeout', detail: 'no reply within 15 s' }],
  }),
  error: v1Record(C, 'error', { stopAttempts: 3, checks: 0, failures: 6 }, {
    finishedAt: T0 + 90_000,
    failure: 'The reply is not JSON: <html>',
    notified: true,
    history: Array.from({ length: 30 }, (_, i) => ({ at: T0 + i, action: 'check', result: 'malformed', detail: `try ${i}` })),
  }),
};

describe('record version 2: migration from version 1', () => {
  it('keeps every field of an intercepting record and schedules its next check', () => {
    const migrated = parseRecord(v1.intercepting);
    expect(migrated).toMatchObject({
      version: 2,
      orderNo: A,
      state: 'intercepting',
      pageUrl: v1.intercepting.pageUrl,
      runId: `v1-${T0}`,
      requestedAt: T0,
      acceptedAt: T0 + 400,
      nextCheckAt: T0 + 480_400,
      nextStep: 'check',
      stopAttempts: 1,
      uncertainSends: 0,
      lastStatus: 0,
      lastMessage: 'We are trying to intercept the ticket issuance.',
      notified: false,
    });
    expect(migrated!.history).toEqual([
      { at: T0, step: 'legacy', text: 'note sent' },
      { at: T0 + 400, step: 'legacy', text: 'stop accepted: accepted: We are trying to intercept the ticket issuance.' },
    ]);
  });

  it('a record still requesting did not know whether its stop arrived: a look-up comes first, never a blind re-send', () => {
    expect(parseRecord(v1.requesting)).toMatchObject({
      state: 'requesting',
      nextStep: 'lookup',
      uncertainSends: 2,
      stopAttempts: 2,
      failure: { kind: 'legacy', text: 'no reply within 15 s' },
    });
  });

  it('keeps a finished record, its failure sentence and all 30 history entries', () => {
    const migrated = parseRecord(v1.error)!;
    expect(migrated).toMatchObject({ state: 'error', finishedAt: T0 + 90_000, notified: true, failure: { kind: 'legacy', text: 'The reply is not JSON: <html>' } });
    expect(migrated.nextStep).toBeUndefined();
    expect(migrated.history).toHaveLength(30);
    expect(migrated.history[29]).toEqual({ at: T0 + 29, step: 'legacy', text: 'check malformed: try 29' });
  });

  it('reads leniently: missing counters and extra fields do not lose the record', () => {
    const { stopAttempts: _a, checks: _c, history: _h, ...bare } = v1.intercepting;
    expect(parseRecord({ ...bare, extra: 'x' })).toMatchObject({ orderNo: A, state: 'intercepting', stopAttempts: 1, checks: 0, history: [] });
  });

  it('every migrated record is a valid version-2 record', () => {
    for (const raw of Object.values(v1)) expect(trackedOrderSchema.safeParse(migrateV1(raw)).success).toBe(true);
  });

  it('is not fooled by garbage', () => {
    expect(parseRecord(null)).toBeNull();
    expect(parseRecord({ version: 1, orderNo: 'nope', state: 'intercepting', requestedAt: 1 })).toBeNull();
    expect(parseRecord({ version: 3, orderNo: A })).toBeNull();
  });
});

describe('stored version-1 records', () => {
  beforeEach(() => fakeBrowser.reset());

  it('are read as version 2 and rewritten once; nothing is lost or removed', async () => {
    await fakeBrowser.storage.local.set({
      [`order:${A}`]: v1.intercepting,
      [`order:${B}`]: v1.requesting,
      [`order:${C}`]: v1.error,
      'order:TESTA20261126090000004': { version: 1, garbage: true },
      settings: { clientId: 'x' },
    });
    expect((await listOrders()).map((r) => [r.orderNo, r.version]).sort()).toEqual([
      [A, 2],
      [B, 2],
      [C, 2],
    ]);
    expect(await migrateStoredRecords()).toBe(3);
    const stored = await fakeBrowser.storage.local.get(null);
    expect(stored[`order:${A}`]).toMatchObject({ version: 2, runId: `v1-${T0}` });
    expect(stored[`order:${C}`]).toMatchObject({ version: 2, state: 'error' });
    // What cannot be read is left alone for a person to look at, never deleted.
    expect(stored['order:TESTA20261126090000004']).toEqual({ version: 1, garbage: true });
    expect(await migrateStoredRecords()).toBe(0);
  });

  it('a version-2 record is kept as written', async () => {
    const r = record(A, 'intercepting', { nextCheckAt: T0 + 1 });
    await storage.setItem(`local:order:${A}`, r);
    expect(await migrateStoredRecords()).toBe(0);
    expect(await storage.getItem(`local:order:${A}`)).toEqual(r);
  });
});

describe('one rule for "may start a new stop", one for "Check again"', () => {
  it.each([...ORDER_STATES, 'idle' as const])('%s', (state) => {
    expect(canStartStop(state)).toBe(['idle', 'refused', 'error', 'unknown'].includes(state));
    expect(canCheckAgain(state)).toBe(['error', 'unknown'].includes(state));
  });
});
