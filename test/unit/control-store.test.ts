import { afterEach, describe, expect, it, vi } from 'vitest';
import { controlState, orderPageUrl } from '@/utils/content/logic/order-view';
import { formatCountdown } from '@/utils/shared/logic/format';
import { canStartStop } from '@/utils/shared/logic/record';
import type { TrackedOrder } from '@/utils/shared/logic/record';
import { fakeStore, record, tick } from './control-fixtures';

const A = 'TESTA20261126090000001';
const B = 'TESTA20261126090000002';

afterEach(() => {
  vi.useRealTimers();
});

describe('formatCountdown', () => {
  it.each([
    [0, '0:00'],
    [-5000, '0:00'],
    [1, '0:01'], // rounds up: never "0:00" while the check is still ahead
    [999, '0:01'],
    [1000, '0:01'],
    [1001, '0:02'],
    [59_000, '0:59'],
    [60_000, '1:00'],
    [480_000, '8:00'],
    [3_599_000, '59:59'],
    [3_600_000, '1:00:00'],
    [3_661_000, '1:01:01'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });
});

describe('controlState', () => {
  const none = { record: null, sending: false, sendError: null };
  it('is idle without a record, the record state otherwise', () => {
    expect(controlState(none)).toBe('idle');
    expect(controlState({ ...none, record: record(A, 'intercepting') })).toBe('intercepting');
    expect(controlState({ ...none, record: record(A, 'issued') })).toBe('issued');
  });
  it('is requesting while a send is under way, unless the record already says more', () => {
    expect(controlState({ ...none, sending: true })).toBe('requesting');
    expect(controlState({ ...none, sending: true, record: record(A, 'error') })).toBe('requesting'); // a retry
    expect(controlState({ ...none, sending: true, record: record(A, 'intercepting') })).toBe('intercepting');
  });
  it('is error when the background could not be asked', () => {
    expect(controlState({ ...none, sendError: 'no receiver' })).toBe('error');
    expect(controlState({ ...none, sendError: 'x', record: record(A, 'intercepted') })).toBe('error');
  });
  it('lets the agent stop an idle order, or stop again one that ended refused, error or unknown: the popup rule too', () => {
    expect(['idle', 'refused', 'error', 'unknown'].every((s) => canStartStop(s as never))).toBe(true);
    expect(['requesting', 'intercepting', 'intercepted', 'issued'].some((s) => canStartStop(s as never))).toBe(false);
  });
});

describe('orderPageUrl', () => {
  it('stays on the portal the agent is on', () => {
    expect(orderPageUrl(A, 'https://www.atriptech.com/#/order/list', 'zh')).toBe(`https://www.atriptech.com/#/order/detail/${A}/zh`);
    expect(orderPageUrl(A, 'http://127.0.0.1:5173/portal/?pageSize=5#/order/list?page=2', 'en')).toBe(
      `http://127.0.0.1:5173/portal/?pageSize=5#/order/detail/${A}/en`,
    );
  });
});

describe('page store', () => {
  it('reads the records of the orders that appear in one batch, not one read per control', async () => {
    const { store, deps } = fakeStore();
    deps.stored.set(A, record(A, 'intercepted'));
    for (let i = 0; i < 5; i++) store.addOccurrence(A);
    store.addOccurrence(B);
    await tick(5);
    expect(deps.loadRecords).toHaveBeenCalledTimes(1);
    expect(deps.loadRecords).toHaveBeenCalledWith([A, B]);
    expect(store.view(A).record?.state).toBe('intercepted');
    expect(store.view(A)).toMatchObject({ initial: true });
    expect(store.view(B)).toMatchObject({ record: null, initial: true });
    expect(store.distinctOrders()).toBe(2);
  });

  it('does not re-render controls of untracked orders after the first read (2,000 idle rows)', async () => {
    const { store, deps } = fakeStore();
    deps.stored.set(A, record(A, 'issued'));
    const onA = vi.fn();
    const onB = vi.fn();
    store.subscribe(A, onA);
    store.subscribe(B, onB);
    store.addOccurrence(A);
    store.addOccurrence(B);
    await tick(5);
    expect(onA).toHaveBeenCalledTimes(1);
    expect(onB).not.toHaveBeenCalled();
    // A change made elsewhere (the popup, another tab) is news, not the state found at load.
    deps.change(B, record(B, 'requesting'));
    expect(onB).toHaveBeenCalledTimes(1);
    expect(store.view(B)).toMatchObject({ initial: false });
  });

  it('keeps a storage change that arrived before a slower initial read', async () => {
    let release!: (value: Map<string, TrackedOrder | null>) => void;
    const { store, deps } = fakeStore({
      loadRecords: vi.fn(() => new Promise<Map<string, TrackedOrder | null>>((resolve) => (release = resolve))),
    });
    store.addOccurrence(A);
    await tick(5);
    deps.change(A, record(A, 'intercepting'));
    release(new Map([[A, record(A, 'requesting')]]));
    await tick(5);
    expect(store.view(A).record?.state).toBe('intercepting');
  });

  it('ignores changes of orders not on the page, and notifies only the changed order', async () => {
    const { store, deps } = fakeStore();
    store.addOccurrence(A);
    store.addOccurrence(B);
    await tick(5);
    const onA = vi.fn();
    const onB = vi.fn();
    store.subscribe(A, onA);
    store.subscribe(B, onB);
    deps.change('TESTZ20261126090000099', record('TESTZ20261126090000099', 'issued'));
    deps.change(A, record(A, 'issued'));
    expect(onA).toHaveBeenCalledTimes(1);
    expect(onB).not.toHaveBeenCalled();
    expect(store.view('TESTZ20261126090000099').record).toBeNull();
  });

  it('does not send a second stop while one is on its way', async () => {
    const { store, deps } = fakeStore();
    store.addOccurrence(A);
    await Promise.all([store.stop(A), store.stop(A)]);
    expect(deps.sent).toEqual([{ type: 'stop', orderNo: A }]);
  });

  it('keeps a newer stored step over the reply of the stop request', async () => {
    const { store, deps } = fakeStore();
    store.addOccurrence(A);
    await tick(5);
    deps.reply = () => {
      // The storage event of the same run (already intercepting) arrives before the reply.
      deps.change(A, record(A, 'intercepting', { requestedAt: deps.clock }));
      return { ok: true, record: record(A, 'requesting', { requestedAt: deps.clock }) };
    };
    await store.stop(A);
    expect(store.view(A).record?.state).toBe('intercepting');
  });

  it('runs one timer for every countdown of the page', () => {
    vi.useFakeTimers();
    const { store } = fakeStore();
    const spy = vi.spyOn(globalThis, 'setInterval');
    const listeners = Array.from({ length: 100 }, () => vi.fn());
    const unsubscribes = listeners.map((l) => store.subscribeClock(l));
    vi.advanceTimersByTime(3000);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(listeners.every((l) => l.mock.calls.length === 3)).toBe(true);
    unsubscribes.forEach((u) => u());
    vi.advanceTimersByTime(3000);
    expect(listeners[0]).toHaveBeenCalledTimes(3);
    store.dispose();
  });

  it('stops listening to storage when disposed', async () => {
    const { store, deps } = fakeStore();
    store.addOccurrence(A);
    await tick(5);
    store.dispose();
    deps.change(A, record(A, 'issued'));
    expect(store.view(A).record).toBeNull();
  });
});
