/**
 * ATRIP or the network misbehaving, in each browser: the failures reach the extension through each
 * browser's own fetch (Firefox's event page, Chrome's service worker). Nothing is lost, nothing is
 * guessed, and a stop is never re-sent blind.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { SCENARIOS } from '../../sandbox/catalogue';
import type { ExtensionDriver } from '../driver';
import { launchDriver } from '../launch';
import { expectNoExtensionErrors } from './story-helpers';

const browserName = inject('e2eBrowser');
const STOP = '/stopTicket.do';
const QUERY = '/queryOrderDetails.do';

describe(`[${browserName}] faults`, () => {
  let h: ExtensionDriver;
  beforeAll(async () => {
    h = await launchDriver(browserName);
  });
  afterAll(() => h?.close());
  beforeEach(() => {
    h.sandbox.reset();
    h.sandbox.setInterceptSeconds(2);
    h.sandbox.setOffline(false);
  });

  it('sandbox down at the check, then back: the outcome still arrives', async () => {
    const orderNo = SCENARIOS.intercept;
    await h.send({ type: 'stop', orderNo });
    await h.waitForState(orderNo, 'intercepting');
    h.sandbox.setOffline(true);
    await h.waitFor(orderNo, (r) => r.history.some((e) => e.action === 'check' && e.result === 'network'), 20_000, 'a failed check');
    expect((await h.record(orderNo))?.state).toBe('intercepting');
    h.sandbox.setOffline(false);
    const record = await h.waitFor(orderNo, (r) => r.state === 'intercepted' && r.notified === true, 30_000, 'intercepted and notified');
    expect(record.checks).toBeGreaterThanOrEqual(1);
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
    expect(await h.notificationIds()).toContain(orderNo);
  });

  it('HTTP 500 once, then the order is looked up before a re-send, and ends right', async () => {
    const orderNo = SCENARIOS.flaky;
    await h.send({ type: 'stop', orderNo });
    const record = await h.waitForState(orderNo, 'intercepted', 30_000);
    const calls = h.sandbox.callsFor(orderNo).map((r) => r.path);
    // 500 on the stop; a look at the order (still undecided); the stop again; checks until -3.
    expect(calls.slice(0, 3)).toEqual([STOP, QUERY, STOP]);
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(2);
    expect(record.history.map((e) => e.result)).toEqual(expect.arrayContaining(['http', 'resolving', 'resent', 'accepted', 'intercepted']));
  });

  it.each([
    [SCENARIOS.garbage, 'The reply is not JSON: <html>Service Unavailable</html>'],
    [SCENARIOS.noStatus, 'The reply has no numeric status'],
  ])('%s answers garbage: error with the reason, the stop never re-sent blind', async (orderNo, reason) => {
    await h.send({ type: 'stop', orderNo });
    const record = await h.waitFor(orderNo, (r) => r.state === 'error' && r.notified === true, 45_000, 'error and notified');
    expect(record.failure).toContain(reason);
    // Every look at the order failed, so nothing proved it undecided: one stop only.
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
    expect(await h.notificationIds()).toContain(orderNo);
    expect((await h.alarms()).map((a) => a.name)).not.toContain(`check:${orderNo}`);
    await expectNoExtensionErrors(h);
  }, 60_000);
});
