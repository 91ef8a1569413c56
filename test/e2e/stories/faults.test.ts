/**
 * ATRIP, the network or the browser misbehaving, in each browser: ATRIP down at a check, a stop
 * that times out, wrong credentials, fifty stops at once, double stops, the background stopped
 * while the stop request is out, two browser restarts during one wait, an update mid-wait. Each
 * case: the final state, the notification, the sandbox's request log, and no record lost.
 * (ATRIP's answer table itself is outcomes.test.ts.)
 */
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { SCENARIOS } from '../../sandbox/catalogue';
import { controlCount, eventually, openPortalPage, stopFromPage, waitForControlState, type ExtensionDriver, type StoredRecord } from '../driver';
import { launchDriver } from '../launch';
import { expectNoExtensionErrors, forgetAllOrders, launchForBlock } from './story-helpers';

const browserName = inject('e2eBrowser');
const STOP = '/stopTicket.do';

/**
 * The outcome's notification was created; where notifications last (Chrome) the agent still sees
 * it. Firefox's go by themselves after a few seconds, so there it may already be gone: `notified`
 * is set only once `notifications.create` succeeded.
 */
async function expectNotified(h: ExtensionDriver, orderNo: string) {
  expect((await h.record(orderNo))?.notified).toBe(true);
  if (h.capabilities.lastingNotifications) expect(await h.notificationIds()).toContain(orderNo);
}

describe(`[${browserName}] faults`, () => {
  let h: ExtensionDriver;
  launchForBlock((driver) => (h = driver));
  beforeEach(async () => {
    // Each case starts untracked: an order already decided in an earlier case would not be stopped again.
    await forgetAllOrders(h);
    h.sandbox.reset();
    h.sandbox.setInterceptSeconds(2);
    h.sandbox.setOffline(false);
    h.sandbox.setSlowReplyMs(0);
    await h.configure({});
  });

  it('sandbox down at the check, then back: the outcome still arrives', async () => {
    // The first check 8 s after acceptance: time enough, on a loaded machine, to cut ATRIP off before it.
    await h.configure({ firstCheckSeconds: 8 });
    const orderNo = SCENARIOS.intercept;
    await h.send({ type: 'stop', orderNo });
    await h.waitForState(orderNo, 'intercepting');
    h.sandbox.setOffline(true);
    await h.waitFor(orderNo, (r) => r.history.some((e) => e.step === 'check' && e.failure?.kind === 'network'), 20_000, 'a failed check');
    expect((await h.record(orderNo))?.state).toBe('intercepting');
    h.sandbox.setOffline(false);
    const record = await h.waitFor(orderNo, (r) => r.state === 'intercepted' && r.notified === true, 30_000, 'intercepted, notified');
    expect(record.checks).toBeGreaterThanOrEqual(1);
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
    await expectNotified(h, orderNo);
  });

  it('a stop that times out is looked up, then ends right', async () => {
    const orderNo = SCENARIOS.slow;
    h.sandbox.setSlowReplyMs(20_000);
    await h.send({ type: 'stop', orderNo });
    await h.waitFor(orderNo, (r) => r.history.some((e) => e.failure?.kind === 'timeout'), 25_000, 'a time-out');
    h.sandbox.setSlowReplyMs(0);
    const record = await h.waitFor(orderNo, (r) => r.state === 'intercepted' && r.notified === true, 45_000, 'intercepted, notified');
    expect(record.history.find((e) => e.failure?.kind === 'timeout')).toMatchObject({ step: 'stop', failure: { afterMs: 15_000 }, reached: 'maybe', decision: { kind: 'lookup' } });
    expect(record.history.map((e) => e.step)).toContain('lookup');
    await expectNotified(h, orderNo);
  }, 90_000);

  it("a wrong client id is refused with ATRIP's message", async () => {
    await h.configure({ clientId: 'not-our-client' });
    const orderNo = SCENARIOS.issue;
    await h.send({ type: 'stop', orderNo });
    const record = await h.waitFor(orderNo, (r) => r.state === 'refused' && r.notified === true, 30_000, 'refused, notified');
    expect(record).toMatchObject({ lastStatus: 900, lastMessage: expect.stringContaining('Unauthorised') });
    expect(h.sandbox.callsFor(orderNo, STOP)[0]?.headers['x-atlas-client-id']).toBe('not-our-client');
  });

  it('a double stop makes one API call', async () => {
    const orderNo = SCENARIOS.pending;
    // Two stops of an order not tracked yet, at once (the popup's and another), then one more.
    const [first, second] = await Promise.all([h.send({ type: 'stop', orderNo }), h.send({ type: 'stop', orderNo })]);
    expect(first.ok && second.ok).toBe(true);
    await h.waitForState(orderNo, 'intercepting');
    expect(await h.send({ type: 'stop', orderNo })).toMatchObject({ ok: true, record: { state: 'intercepting' } });
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
    await h.send({ type: 'remove', orderNo });
  });

  it('the background stopped during the stop request: resolved by a look at the order, never lost', async () => {
    const orderNo = SCENARIOS.slow;
    // ATRIP takes the stop but answers only after 10 s (under the 15 s time-out): the background is
    // stopped while the request is out, whatever the machine's load.
    h.sandbox.setSlowReplyMs(10_000);
    expect(await h.send({ type: 'stop', orderNo })).toMatchObject({ ok: true, record: { state: 'requesting' } });
    await eventually(async () => h.sandbox.callsFor(orderNo, STOP).length, (n) => n === 1, 'the stop request at ATRIP');
    await h.stopBackground();
    h.sandbox.setSlowReplyMs(0); // later calls answer at once
    // The outcome is written first, its notification right after: wait for both.
    const record = await h.waitFor(orderNo, (r) => r.state === 'intercepted' && r.notified === true, 60_000, 'intercepted, notified');
    // The first answer was lost with the background: the order was looked up before anything else.
    expect(record.history.slice(0, 3)).toMatchObject([
      { step: 'start' },
      { step: 'answerLost', reached: 'maybe' },
      { step: 'lookup', reading: expect.stringMatching(/^(undecided|intercepted)$/) },
    ]);
    await expectNotified(h, orderNo);
  }, 90_000);

  it('50 orders stopped within a few seconds: all tracked, all decided, one stop call each', async () => {
    const orders = Array.from({ length: 50 }, (_, i) => `TESTB2026112510${String(i + 1).padStart(7, '0')}`);
    const page = await h.openExtensionPage('popup.html');
    const replies = await page.evaluate((nos) => Promise.all(nos.map((orderNo) => chrome.runtime.sendMessage({ type: 'stop', orderNo }))), orders);
    expect(replies.every((r: { ok: boolean }) => r.ok)).toBe(true);
    // Odd counters are intercepted, even ones issued (test/sandbox/catalogue.ts). One storage read
    // for all fifty per poll (a read per order costs Chromium's harness a page each).
    const expected = new Map(orders.map((orderNo, i) => [orderNo, i % 2 === 0 ? 'intercepted' : 'issued']));
    const undecided = (all: StoredRecord[]) => orders.filter((no) => !all.some((r) => r.orderNo === no && r.state === expected.get(no) && r.notified === true));
    await eventually(async () => undecided(await h.records()), (left) => left.length === 0, 'all fifty decided as ATRIP did, and notified', 60_000);
    for (const orderNo of orders) expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
    if (h.capabilities.lastingNotifications) {
      const ids = await h.notificationIds();
      expect(orders.every((no) => ids.includes(no))).toBe(true);
    }
    await page.evaluate((nos) => Promise.all(nos.map((orderNo) => chrome.runtime.sendMessage({ type: 'remove', orderNo }))), orders);
    await page.close();
    expect(await h.records()).toEqual([]);
    await expectNoExtensionErrors(h);
  }, 120_000);
});

describe(`[${browserName}] browser restarted twice during one wait`, () => {
  it('keeps the record and delivers the outcome once', async () => {
    const h = await launchDriver(browserName, { settings: { firstCheckSeconds: 12, recheckSeconds: 2 }, sandbox: { interceptSeconds: 4 } });
    try {
      const orderNo = SCENARIOS.issue;
      await h.send({ type: 'stop', orderNo });
      await h.waitForState(orderNo, 'intercepting');
      // ATRIP stays undecided while the browser restarts (a Firefox start can take 20 s on a loaded
      // machine): a check that falls in between must not end the wait before both restarts.
      h.sandbox.setOrderStatus(orderNo, '1');
      await h.restart();
      expect((await h.record(orderNo))?.state).toBe('intercepting');
      await h.restart();
      expect((await h.record(orderNo))?.state).toBe('intercepting');
      h.sandbox.setOrderStatus(orderNo, null); // ATRIP decides: issued
      const record = await h.waitFor(orderNo, (r) => r.state === 'issued' && r.notified === true, 40_000, 'issued, notified');
      expect(record.stopAttempts).toBe(1);
      expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
      await expectNotified(h, orderNo);
      await expectNoExtensionErrors(h);
    } finally {
      await h.close();
    }
  }, 120_000);
});

describe(`[${browserName}] the extension updated mid-wait`, () => {
  it('keeps the records, resumes the checks, and open portal tabs get working controls without a reload', async () => {
    const h = await launchDriver(browserName, { updatable: true, settings: { firstCheckSeconds: 8, recheckSeconds: 2 } });
    try {
      const [waiting, later] = [SCENARIOS.intercept, SCENARIOS.issue];
      const page = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/list`, waiting);
      await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true), undefined);
      await stopFromPage(page, waiting);
      await h.waitForState(waiting, 'intercepting');

      await h.updateExtension();

      expect((await h.records()).map((r) => r.orderNo)).toContain(waiting);
      // The outcome arrives, and the page (never reloaded) shows it through its new control.
      await h.waitFor(waiting, (r) => r.state === 'intercepted' && r.notified === true, 30_000, 'intercepted, notified');
      await waitForControlState(page, waiting, 'intercepted', 15_000);
      // One control per order: the old, invalidated ones are gone, not doubled.
      await eventually(() => controlCount(page, later), (n) => n === 1, `one control for ${later}`);
      expect(await controlCount(page)).toBe(30);
      await stopFromPage(page, later);
      await h.waitForState(later, 'intercepting');
      expect(h.sandbox.callsFor(waiting, STOP)).toHaveLength(1);
      expect(h.sandbox.callsFor(later, STOP)).toHaveLength(1);
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded, undefined)).toBe(true);
      await expectNoExtensionErrors(h);
    } finally {
      await h.close();
    }
  }, 120_000);
});
