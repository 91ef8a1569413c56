/**
 * What the browser does to the background while an order waits, in each browser: the background
 * stopped mid-wait (Chrome kills its service worker, Firefox terminates its event page), and the
 * browser restarted on the same profile. Storage is the truth; the outcome must still arrive, once.
 */
import { describe, expect, inject, it } from 'vitest';
import { SCENARIOS } from '../../sandbox/catalogue';
import { openPortalPage, stopFromPage, waitForControlState, waitForPopupRow } from '../driver';
import { launchDriver } from '../launch';
import { expectNoExtensionErrors } from './story-helpers';

const browserName = inject('e2eBrowser');
const STOP = '/stopTicket.do';

describe(`[${browserName}] the background stopped while an order waits`, () => {
  it('the alarm starts a fresh background, which finishes the order from storage', async () => {
    const h = await launchDriver(browserName, { sandbox: { interceptSeconds: 4 } });
    try {
      const orderNo = SCENARIOS.dataShape;
      const page = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`, orderNo);
      await stopFromPage(page, orderNo);
      await h.waitForState(orderNo, 'intercepting');
      await h.stopBackground();
      // Nothing but the alarm wakes the background: wait without touching the extension.
      await new Promise((r) => setTimeout(r, 9000));
      const record = await h.waitFor(orderNo, (r) => r.state === 'intercepted' && r.notified === true, 20_000, 'intercepted and notified');
      expect(record.stopAttempts).toBe(1);
      expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
      // The page learns the outcome through storage, whatever happened to the background.
      await waitForControlState(page, orderNo, 'intercepted');
      expect(await h.notificationIds()).toContain(orderNo);
      await page.close();
      await expectNoExtensionErrors(h);
    } finally {
      await h.close();
    }
  }, 90_000);
});

describe(`[${browserName}] browser restart`, () => {
  it('keeps every record and resumes the checks on the same profile; one stop each', async () => {
    const h = await launchDriver(browserName, { settings: { firstCheckSeconds: 8, recheckSeconds: 2 } });
    try {
      const orders = [SCENARIOS.intercept, SCENARIOS.issue, SCENARIOS.numericStatus];
      for (const orderNo of orders) expect((await h.send({ type: 'stop', orderNo })).ok).toBe(true);
      for (const orderNo of orders) await h.waitForState(orderNo, 'intercepting');
      await h.restart();
      expect((await h.records()).map((r) => r.orderNo).sort()).toEqual([...orders].sort());
      await h.waitForState(SCENARIOS.intercept, 'intercepted', 40_000);
      await h.waitForState(SCENARIOS.issue, 'issued', 40_000);
      await h.waitForState(SCENARIOS.numericStatus, 'issued', 40_000);
      for (const orderNo of orders) expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
      // The popup after the restart shows them from storage.
      const popup = await h.openExtensionPage('popup.html');
      await waitForPopupRow(popup, SCENARIOS.intercept, 'intercepted');
      await waitForPopupRow(popup, SCENARIOS.issue, 'issued');
      await popup.close();
      await expectNoExtensionErrors(h);
    } finally {
      await h.close();
    }
  }, 120_000);
});
