import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from './harness';
import { SCENARIOS } from '../sandbox/catalogue';

const STOP = '/stopTicket.do';

// Each case: the final state, the notification, the sandbox's request log, and no record lost.
describe('faults, in headless Chromium against the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.launch();
  });
  afterAll(() => h?.close());
  beforeEach(async () => {
    h.sandbox.reset();
    h.sandbox.setInterceptSeconds(2);
    h.sandbox.setOffline(false);
    await h.configure({});
  });

  it('sandbox down at the check, then back: the outcome still arrives', async () => {
    const orderNo = SCENARIOS.intercept;
    await h.send({ type: 'stop', orderNo });
    await h.waitForState(orderNo, 'intercepting');
    h.sandbox.setOffline(true);
    await h.waitFor(orderNo, (r) => r.history.some((e) => e.step === 'check' && e.failure?.kind === 'network'), 20_000, 'a failed check');
    expect((await h.record(orderNo))?.state).toBe('intercepting');
    h.sandbox.setOffline(false);
    const record = await h.waitFor(orderNo, (r) => r.state === 'intercepted' && r.notified === true, 30_000);
    expect(record.checks).toBeGreaterThanOrEqual(1);
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
    expect(await h.notificationIds()).toContain(orderNo);
  });

  it('a stop that times out is looked up, then ends right', async () => {
    const orderNo = SCENARIOS.slow;
    h.sandbox.setSlowReplyMs(20_000);
    await h.send({ type: 'stop', orderNo });
    await h.waitFor(orderNo, (r) => r.history.some((e) => e.failure?.kind === 'timeout'), 25_000, 'a time-out');
    h.sandbox.setSlowReplyMs(0);
    const record = await h.waitFor(orderNo, (r) => r.state === 'intercepted' && r.notified === true, 30_000);
    expect(record.history.find((e) => e.failure?.kind === 'timeout')).toMatchObject({ step: 'stop', failure: { afterMs: 15_000 }, reached: 'maybe', decision: { kind: 'lookup' } });
    expect(record.history.map((e) => e.step)).toContain('lookup');
    expect(await h.notificationIds()).toContain(orderNo);
  }, 90_000);

  // garbage and noStatus (never an answer, the stop may have arrived: unknown at the deadline, one
  // stop, never re-sent blind) are stories of outcomes.test.ts.

  it('orderStatus as a number and as a string inside data both decide', async () => {
    await h.send({ type: 'stop', orderNo: SCENARIOS.numericStatus });
    await h.send({ type: 'stop', orderNo: SCENARIOS.dataShape });
    expect((await h.waitForState(SCENARIOS.numericStatus, 'issued')).orderStatus).toBe('2');
    expect((await h.waitForState(SCENARIOS.dataShape, 'intercepted')).orderStatus).toBe('-3');
  });

  it("a wrong client id is refused with ATRIP's message", async () => {
    await h.configure({ clientId: 'not-our-client' });
    const orderNo = SCENARIOS.issue;
    await h.send({ type: 'stop', orderNo });
    const record = await h.waitFor(orderNo, (r) => r.state === 'refused' && r.notified === true);
    expect(record).toMatchObject({ lastStatus: 900, lastMessage: expect.stringContaining('Unauthorised') });
    expect(h.sandbox.callsFor(orderNo, STOP)[0]?.headers['x-atlas-client-id']).toBe('not-our-client');
  });

  it('50 orders stopped within a few seconds: all tracked, all decided, one stop call each', async () => {
    const orders = Array.from({ length: 50 }, (_, i) => `TESTB2026112510${String(i + 1).padStart(7, '0')}`);
    const page = await h.extensionPage('popup.html');
    const replies = await page.evaluate(
      (nos) => Promise.all(nos.map((orderNo) => chrome.runtime.sendMessage({ type: 'stop', orderNo }))),
      orders,
    );
    await page.close();
    expect(replies.every((r: { ok: boolean }) => r.ok)).toBe(true);
    for (const [i, orderNo] of orders.entries()) {
      // Odd counters are intercepted, even ones issued (test/sandbox/catalogue.ts).
      await h.waitFor(orderNo, (r) => r.state === (i % 2 === 0 ? 'intercepted' : 'issued') && r.notified === true, 60_000);
    }
    for (const orderNo of orders) expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
    const ids = await h.notificationIds();
    expect(orders.every((no) => ids.includes(no))).toBe(true);
    for (const orderNo of orders) await h.send({ type: 'remove', orderNo });
  }, 120_000);
});

describe('browser restarted twice during one wait', () => {
  it('keeps the record and delivers the outcome once', async () => {
    const h = await Harness.launch({ settings: { firstCheckSeconds: 12, recheckSeconds: 2 }, sandbox: { interceptSeconds: 4 } });
    try {
      const orderNo = SCENARIOS.issue;
      await h.send({ type: 'stop', orderNo });
      await h.waitForState(orderNo, 'intercepting');
      await h.restart();
      expect((await h.record(orderNo))?.state).toBe('intercepting');
      await h.restart();
      expect((await h.record(orderNo))?.state).toBe('intercepting');
      const record = await h.waitFor(orderNo, (r) => r.state === 'issued' && r.notified === true, 40_000);
      expect(record.stopAttempts).toBe(1);
      expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
      expect(await h.notificationIds()).toContain(orderNo);
    } finally {
      await h.close();
    }
  }, 90_000);
});

describe('the extension updated mid-wait', () => {
  it('keeps the records, resumes the checks, and open portal tabs get working controls without a reload', async () => {
    const h = await Harness.launch({ updatable: true, settings: { firstCheckSeconds: 8, recheckSeconds: 2 } });
    try {
      const waiting = SCENARIOS.intercept;
      const later = SCENARIOS.issue;
      const page = await h.context.newPage();
      await page.goto(`${h.sandbox.url}/portal/#/order/list`);
      const control = (orderNo: string) => page.locator(`[data-atrip-order="${orderNo}"]`);
      const stopFromPage = async (orderNo: string) => {
        await control(orderNo).getByRole('button', { name: /Stop ticketing|停止出票/ }).click();
        await control(orderNo).getByRole('button', { name: /Confirm|确认/ }).click();
      };
      await control(waiting).waitFor();
      await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
      await stopFromPage(waiting);
      await h.waitForState(waiting, 'intercepting');

      await h.updateExtension();

      expect((await h.records()).map((r) => r.orderNo)).toContain(waiting);
      // The outcome arrives, and the page (never reloaded) shows it through its new control.
      await h.waitFor(waiting, (r) => r.state === 'intercepted' && r.notified === true, 30_000);
      await expect.poll(() => control(waiting).getAttribute('data-state'), { timeout: 15_000 }).toBe('intercepted');
      // One control per order: the old, invalidated ones are gone, not doubled.
      expect(await control(later).count()).toBe(1);
      await stopFromPage(later);
      await h.waitForState(later, 'intercepting');
      expect(h.sandbox.callsFor(waiting, STOP)).toHaveLength(1);
      expect(h.sandbox.callsFor(later, STOP)).toHaveLength(1);
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    } finally {
      await h.close();
    }
  }, 90_000);
});
