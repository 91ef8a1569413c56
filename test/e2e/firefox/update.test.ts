/**
 * Firefox only (Chrome's side is faults.test.ts, "the extension updated mid-wait"): an update
 * mid-wait keeps the records, resumes the checks, and open portal tabs get working controls again
 * without a reload — through `reinjectContentScripts`, whose file paths Firefox's `getManifest()`
 * gives as full moz-extension:// URLs.
 */
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../sandbox/catalogue';
import { controlCount, eventually, openPortalPage, stopFromPage, waitForControlState } from '../driver';
import { FirefoxHarness } from '../firefox-harness';

const STOP = '/stopTicket.do';

describe('[firefox] the extension updated mid-wait', () => {
  it('keeps the records, resumes the checks, and open portal tabs get working controls without a reload', async () => {
    const h = await FirefoxHarness.launch({ settings: { firstCheckSeconds: 8, recheckSeconds: 2 } });
    try {
      const [waiting, later] = [SCENARIOS.intercept, SCENARIOS.issue];
      const page = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/list`, waiting);
      await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true), undefined);
      await stopFromPage(page, waiting);
      await h.waitForState(waiting, 'intercepting');

      await h.updateExtension();

      expect((await h.records()).map((r) => r.orderNo)).toContain(waiting);
      await h.waitFor(waiting, (r) => r.state === 'intercepted' && r.notified === true, 30_000, 'intercepted and notified');
      // The page, never reloaded, shows the outcome through its new control, one per order.
      await waitForControlState(page, waiting, 'intercepted');
      await eventually(() => controlCount(page, later), (n) => n === 1, `one control for ${later}`);
      await stopFromPage(page, later);
      await h.waitForState(later, 'intercepting');
      expect(h.sandbox.callsFor(waiting, STOP)).toHaveLength(1);
      expect(h.sandbox.callsFor(later, STOP)).toHaveLength(1);
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded, undefined)).toBe(true);
      expect(h.extensionErrors).toEqual([]);
    } finally {
      await h.close();
    }
  }, 120_000);
});
