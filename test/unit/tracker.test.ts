import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { QueryResult, StopResult } from '@/utils/atrip/client';
import { settingsItem, DEFAULT_SETTINGS } from '@/utils/settings';
import { createTracker, alarmName, WATCHDOG_MS, type TrackerDeps } from '@/utils/tracker/tracker';
import { getOrder, mutateOrder, orderKey } from '@/utils/tracker/store';
import { beginStop } from '@/utils/tracker/machine';
import type { TrackedOrder } from '@/utils/tracker/record';
import { storage } from 'wxt/utils/storage';

const A = 'TESTA20261126090000001';
const B = 'TESTA20261126090000002';
const T0 = 1_800_000_000_000;
const settings = { ...DEFAULT_SETTINGS, clientId: 'c', firstCheckSeconds: 480, recheckSeconds: 120, deadlineMinutes: 30 };

const reading = (orderStatus: string): QueryResult => ({
  kind: 'accepted',
  msg: '',
  orderStatus,
  outcome: orderStatus === '-3' ? 'intercepted' : orderStatus === '2' ? 'issued' : 'pending',
});

function fakeApi() {
  let now = T0;
  const stops: string[] = [];
  const queries: string[] = [];
  const stopReplies: StopResult[] = [];
  const queryReplies: QueryResult[] = [];
  const deps: TrackerDeps = {
    now: () => now,
    stopTicket: vi.fn(async (_config, orderNo: string) => {
      stops.push(orderNo);
      return stopReplies.shift() ?? ({ kind: 'accepted', msg: 'We are trying to intercept' } as StopResult);
    }),
    queryOrder: vi.fn(async (_config, orderNo: string) => {
      queries.push(orderNo);
      return queryReplies.shift() ?? reading('1');
    }),
  };
  return { deps, stops, queries, stopReplies, queryReplies, advance: (ms: number) => (now += ms), at: () => now };
}

async function putRecord(record: TrackedOrder) {
  await storage.setItem(orderKey(record.orderNo), record);
}

beforeEach(async () => {
  fakeBrowser.reset();
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((key: string, subs?: string | string[]) => `${key}|${[subs ?? []].flat().join('|')}`);
  await settingsItem.setValue(settings);
});

describe('stop', () => {
  it('writes requesting before the API call, then intercepting with an alarm at the first check', async () => {
    const api = fakeApi();
    let stateDuringCall: string | undefined;
    api.deps.stopTicket = async () => {
      stateDuringCall = (await getOrder(A))?.state;
      expect(await fakeBrowser.alarms.get(alarmName(A))).toBeDefined();
      return { kind: 'accepted', msg: 'ok' };
    };
    const tracker = createTracker(api.deps);
    const { record, started, done } = await tracker.stop(A, 'https://www.atriptech.com/#/order/list');
    expect(started).toBe(true);
    expect(record.state).toBe('requesting');
    await done;
    expect(stateDuringCall).toBe('requesting');
    const stored = await getOrder(A);
    expect(stored).toMatchObject({ state: 'intercepting', nextCheckAt: T0 + 480_000, pageUrl: 'https://www.atriptech.com/#/order/list' });
    expect((await fakeBrowser.alarms.get(alarmName(A)))?.scheduledTime).toBe(T0 + 480_000);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
  });

  it('a second stop while in progress makes no API call and returns the current record', async () => {
    const api = fakeApi();
    const tracker = createTracker(api.deps);
    const first = await tracker.stop(A);
    const second = await tracker.stop(A);
    await first.done;
    const third = await tracker.stop(A);
    expect(second.started).toBe(false);
    expect(third.started).toBe(false);
    expect(third.record.state).toBe('intercepting');
    expect(api.stops).toEqual([A]);
  });

  it('after a final state a new stop starts a new run', async () => {
    const api = fakeApi();
    api.stopReplies.push({ kind: 'refused', status: 801, msg: 'unpaid' });
    const tracker = createTracker(api.deps);
    await (await tracker.stop(A)).done;
    expect((await getOrder(A))?.state).toBe('refused');
    await (await tracker.retry(A)).done;
    expect(api.stops).toEqual([A, A]);
    expect((await getOrder(A))?.state).toBe('intercepting');
  });

  it('a refused stop notifies once, with ATRIP msg, and clears the alarm', async () => {
    const api = fakeApi();
    api.stopReplies.push({ kind: 'refused', status: 801, msg: 'Order is unpaid' });
    const tracker = createTracker(api.deps);
    await (await tracker.stop(A)).done;
    const all = await fakeBrowser.notifications.getAll();
    expect(Object.keys(all)).toEqual([A]);
    expect(all[A]).toMatchObject({ requireInteraction: true, title: 'notifyRefusedTitle|', message: `notifyRefusedMessage|${A}|Order is unpaid` });
    expect(await fakeBrowser.alarms.get(alarmName(A))).toBeUndefined();
    expect((await getOrder(A))?.notified).toBe(true);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
  });
});

describe('checks on alarms', () => {
  it('pending re-schedules; -3 ends intercepted with exactly one notification', async () => {
    const api = fakeApi();
    const tracker = createTracker(api.deps);
    await (await tracker.stop(A)).done;
    const create = vi.spyOn(fakeBrowser.notifications, 'create');
    api.advance(480_000);
    await tracker.onAlarm({ name: alarmName(A) });
    expect((await getOrder(A))?.nextCheckAt).toBe(api.at() + 120_000);
    api.queryReplies.push(reading('-3'));
    api.advance(120_000);
    await tracker.onAlarm({ name: alarmName(A) });
    await tracker.onAlarm({ name: alarmName(A) }); // a stale duplicate wake-up changes nothing
    expect(await getOrder(A)).toMatchObject({ state: 'intercepted', checks: 2, notified: true });
    expect(create).toHaveBeenCalledTimes(1);
    expect(create.mock.calls[0]![0]).toBe(A);
    expect(api.queries).toEqual([A, A]);
  });

  it('an alarm that fires early only makes sure the wake-up exists', async () => {
    const api = fakeApi();
    const tracker = createTracker(api.deps);
    await (await tracker.stop(A)).done;
    api.advance(10_000);
    await tracker.onAlarm({ name: alarmName(A) });
    expect(api.queries).toEqual([]);
  });

  it('check now queries at once and the record follows', async () => {
    const api = fakeApi();
    api.queryReplies.push(reading('2'));
    const tracker = createTracker(api.deps);
    await (await tracker.stop(A)).done;
    await tracker.checkNow(A);
    expect(api.queries).toEqual([A]);
    expect((await getOrder(A))?.state).toBe('issued');
  });

  it('ignores alarms that are not ours', async () => {
    const api = fakeApi();
    await createTracker(api.deps).onAlarm({ name: 'something-else' });
    expect(api.queries).toEqual([]);
  });
});

describe('reconcile on worker start', () => {
  it('a record left in requesting is resolved by a query, never re-sent blind', async () => {
    const api = fakeApi();
    await putRecord(beginStop(A, undefined, T0 - 60_000, settings));
    api.queryReplies.push(reading('-3'));
    await createTracker(api.deps).reconcile();
    expect(api.stops).toEqual([]);
    const record = await getOrder(A);
    expect(record?.state).toBe('intercepted');
    expect(record?.history.map((h) => h.result)).toContain('resolving');
  });

  it('re-sends when the order is still undecided, and says so', async () => {
    const api = fakeApi();
    await putRecord(beginStop(A, undefined, T0 - 60_000, settings));
    await createTracker(api.deps).reconcile();
    expect(api.queries).toEqual([A]);
    expect(api.stops).toEqual([A]);
    const record = await getOrder(A);
    expect(record).toMatchObject({ state: 'intercepting', stopAttempts: 2 });
    expect(record?.history.map((h) => h.result)).toEqual(expect.arrayContaining(['resolving', 'resent', 'accepted']));
  });

  it('restores a missing alarm from storage and leaves an existing one alone', async () => {
    const api = fakeApi();
    const waiting = { ...beginStop(A, undefined, T0, settings), state: 'intercepting' as const, acceptedAt: T0, nextCheckAt: T0 + 300_000 };
    await putRecord(waiting);
    await putRecord({ ...waiting, orderNo: B, nextCheckAt: T0 + 400_000 });
    await fakeBrowser.alarms.create(alarmName(B), { when: T0 + 999_000 });
    await createTracker(api.deps).reconcile();
    expect((await fakeBrowser.alarms.get(alarmName(A)))?.scheduledTime).toBe(T0 + 300_000);
    expect((await fakeBrowser.alarms.get(alarmName(B)))?.scheduledTime).toBe(T0 + 999_000);
    expect(api.queries).toEqual([]);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('2');
  });

  it('runs overdue checks at once', async () => {
    const api = fakeApi();
    api.queryReplies.push(reading('2'));
    await putRecord({ ...beginStop(A, undefined, T0, settings), state: 'intercepting', acceptedAt: T0 - 600_000, nextCheckAt: T0 - 1 });
    await createTracker(api.deps).reconcile();
    expect((await getOrder(A))?.state).toBe('issued');
  });

  it('sends a notification a killed worker missed, once', async () => {
    const api = fakeApi();
    await putRecord({ ...beginStop(A, undefined, T0, settings), state: 'issued', finishedAt: T0, nextCheckAt: undefined, notified: false });
    const create = vi.spyOn(fakeBrowser.notifications, 'create');
    const tracker = createTracker(api.deps);
    await tracker.reconcile();
    await tracker.reconcile();
    expect(create).toHaveBeenCalledTimes(1);
    expect((create.mock.calls[0] as unknown[])[1]).toMatchObject({ title: 'notifyIssuedTitle|', requireInteraction: true });
  });
});

describe('remove and races', () => {
  it('remove deletes the record, its alarm and its notification', async () => {
    const api = fakeApi();
    const tracker = createTracker(api.deps);
    await (await tracker.stop(A)).done;
    await tracker.remove(A);
    expect(await getOrder(A)).toBeNull();
    expect(await fakeBrowser.alarms.get(alarmName(A))).toBeUndefined();
  });

  it('a check that answers after a removal does not bring the record back', async () => {
    const api = fakeApi();
    const tracker = createTracker(api.deps);
    await (await tracker.stop(A)).done;
    let release!: () => void;
    api.deps.queryOrder = () => new Promise((resolve) => (release = () => resolve(reading('-3'))));
    const check = tracker.checkNow(A);
    await vi.waitFor(() => expect(release).toBeDefined());
    await tracker.remove(A);
    release();
    await check;
    expect(await getOrder(A)).toBeNull();
    expect(await fakeBrowser.notifications.getAll()).toEqual({});
  });

  it('two outcomes at once are both kept', async () => {
    const api = fakeApi();
    const tracker = createTracker(api.deps);
    await (await tracker.stop(A)).done;
    await (await tracker.stop(B)).done;
    api.deps.queryOrder = async (_c, no) => reading(no === A ? '-3' : '2');
    await Promise.all([tracker.checkNow(A), tracker.checkNow(B)]);
    expect((await getOrder(A))?.state).toBe('intercepted');
    expect((await getOrder(B))?.state).toBe('issued');
  });

  it('mutations are serialised: concurrent writes to one order all land', async () => {
    await putRecord(beginStop(A, undefined, T0, settings));
    await Promise.all(
      Array.from({ length: 20 }, () => mutateOrder(A, (r) => ({ next: { ...r!, checks: r!.checks + 1 }, value: undefined }))),
    );
    expect((await getOrder(A))?.checks).toBe(20);
  });
});

describe('notification click', () => {
  it('opens the page the stop came from, else the portal detail page, and clears it', async () => {
    const api = fakeApi();
    api.stopReplies.push({ kind: 'refused', status: 801, msg: 'x' }, { kind: 'refused', status: 801, msg: 'x' });
    const tracker = createTracker(api.deps);
    await (await tracker.stop(A, 'http://portal.example/#/order/detail/' + A + '/zh')).done;
    await (await tracker.stop(B)).done;
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    await tracker.openOrder(A);
    await tracker.openOrder(B);
    expect(create.mock.calls.map((c) => c[0].url)).toEqual([
      `http://portal.example/#/order/detail/${A}/zh`,
      `https://www.atriptech.com/#/order/detail/${B}/en`,
    ]);
    expect(await fakeBrowser.notifications.getAll()).toEqual({});
  });
});

describe('wake-ups while a call is under way', () => {
  it('a check in flight leaves a watchdog alarm, so a worker dying mid-call is taken up again', async () => {
    const api = fakeApi();
    const tracker = createTracker(api.deps);
    await (await tracker.stop(A)).done;
    let release!: () => void;
    api.deps.queryOrder = () => new Promise((resolve) => (release = () => resolve(reading('1'))));
    const check = tracker.checkNow(A);
    await vi.waitFor(() => expect(release).toBeDefined());
    expect((await fakeBrowser.alarms.get(alarmName(A)))?.scheduledTime).toBe(api.at() + WATCHDOG_MS);
    // An alarm arriving meanwhile does not start a second call, and keeps a wake-up.
    await tracker.onAlarm({ name: alarmName(A) });
    expect(await fakeBrowser.alarms.get(alarmName(A))).toBeDefined();
    release();
    await check;
    expect((await fakeBrowser.alarms.get(alarmName(A)))?.scheduledTime).toBe(api.at() + 120_000);
  });

  it('concurrent reconciles announce an outcome once', async () => {
    const api = fakeApi();
    await putRecord({ ...beginStop(A, undefined, T0, settings), state: 'intercepted', finishedAt: T0, nextCheckAt: undefined, notified: false });
    const create = vi.spyOn(fakeBrowser.notifications, 'create');
    const tracker = createTracker(api.deps);
    await Promise.all([tracker.reconcile(), tracker.reconcile(), tracker.reconcile()]);
    expect(create).toHaveBeenCalledTimes(1);
  });
});
